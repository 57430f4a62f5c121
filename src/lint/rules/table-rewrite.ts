import { alterTableCommands, columnConstraints } from '../ast.js';
import type { ColumnDef, Constraint, TypeName } from '@pgsql/types';
import { baseTypeName, nodeAs, relationKey, serialType, statementRelation } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';
import { isNonVolatile, normalType, typeChangeCost, volatileCall } from '../rewrite.js';

const REWRITING_COMMANDS: Record<string, string> = {
  AT_SetLogged: 'SET LOGGED',
  AT_SetUnLogged: 'SET UNLOGGED',
  AT_SetAccessMethod: 'SET ACCESS METHOD',
  AT_SetExpression: 'ALTER COLUMN ... SET EXPRESSION',
};

export default defineRule({
  id: 'table-rewrite',
  scope: 'statement',
  description: 'ALTER TABLE that rewrites an existing table: volatile default, identity or stored generated column, rewriting type change',
  defaultSeverity: 'warning',
  docs: 'A table rewrite copies every row while holding an ACCESS EXCLUSIVE lock: the table is unreadable and unwritable for the whole copy.',
  check({ statement, schema, isExistingTable, report }) {
    const relation = statementRelation(statement);
    if (!relation || !isExistingTable(relation)) return;
    const table = relation.relname;
    for (const command of alterTableCommands(statement)) {
      const subtype = command.subtype ?? '';
      const def = nodeAs(command.def, 'ColumnDef');
      if (subtype === 'AT_AddColumn' && def) {
        const why = addColumnRewrite(def);
        if (!why) continue;
        report({
          message: `adds column ${def.colname} to existing table ${table} ${why.what}: Postgres rewrites the table under an ACCESS EXCLUSIVE lock`,
          help: why.help,
          node: why.node ?? def,
          object: relationKey(relation, def.colname),
        });
      } else if (subtype === 'AT_AlterColumnType') {
        const column = command.name ?? '';
        if (typeChangeCost(schema, relation, column, command) !== 'rewrite') continue; // unknown: change-column-type
        // a column declared serial / bigserial is an int4 / int8 column: name the type it has (field: hatchet-dev/hatchet
        // v0_10_2.sql said "from smallserial to int8")
        const from = normalType(schema.table(relation)?.columns.get(column)?.type);
        const to = baseTypeName(def?.typeName);
        const using = def?.raw_default ? ' with USING' : '';
        const zone = from === 'timestamp' && to === 'timestamptz' ? ' (Postgres 12+ skips the rewrite only when the session TimeZone is UTC)' : '';
        report({
          message: `changes ${table}.${command.name} from ${from} to ${to}${using}: Postgres rewrites the table and its indexes under an ACCESS EXCLUSIVE lock${zone}`,
          help: 'add a new column of the new type, backfill it in batches (a trigger keeps it in step), switch the code, then drop the old column',
          node: def?.typeName,
          object: relationKey(relation, command.name),
        });
      } else if (REWRITING_COMMANDS[subtype]) {
        report({
          message: `${REWRITING_COMMANDS[subtype]} on existing table ${table} rewrites it under an ACCESS EXCLUSIVE lock`,
          help: 'run it in a maintenance window, or build the new table alongside and swap',
          object: relationKey(relation),
        });
      }
    }
  },
});

function addColumnRewrite(def: ColumnDef): { what: string; help: string; node?: TypeName | Constraint } | undefined {
  const nullableThenBackfill = 'add the column without it, backfill in batches, then SET DEFAULT (and a trigger for values computed per row)';
  const type = serialType(def.typeName);
  if (type) return { what: `as ${type} (a nextval() default, evaluated per row)`, help: `add it as bigint, backfill from a sequence in batches, then SET DEFAULT nextval(...)`, node: def.typeName };
  for (const constraint of columnConstraints(def)) {
    if (constraint.contype === 'CONSTR_IDENTITY') return { what: 'GENERATED AS IDENTITY (every row gets a value)', help: nullableThenBackfill, node: constraint };
    if (constraint.contype === 'CONSTR_GENERATED' && constraint.generated_kind !== 'v') {
      return { what: 'as a STORED generated column', help: 'add a plain column, backfill it in batches and keep it in step with a trigger (or, on Postgres 18+, a VIRTUAL generated column)', node: constraint };
    }
    if (constraint.contype === 'CONSTR_DEFAULT' && !isNonVolatile(constraint.raw_expr)) {
      const call = volatileCall(constraint.raw_expr);
      return { what: `with a volatile DEFAULT${call ? ` (${call})` : ''}`, help: nullableThenBackfill, node: constraint };
    }
  }
  return undefined;
}
