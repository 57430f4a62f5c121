import { alterTableCommands } from '../ast.js';
import { baseTypeName, nodeAs, relationKey, statementRelation, typeModifiers } from '../../sql/ast.js';
import { defineRule } from '../define-rule.js';
import { typeChangeCost } from '../rewrite.js';

export default defineRule({
  id: 'change-column-type',
  scope: 'statement',
  description: 'ALTER COLUMN ... TYPE on an existing table whose cost pgdrift cannot tell (rewrites are table-rewrite findings)',
  defaultSeverity: 'warning',
  docs: 'A type change takes an ACCESS EXCLUSIVE lock, may rewrite the whole table, and can break the running code.',
  check({ statement, schema, isExistingTable, report }) {
    const relation = statementRelation(statement);
    if (!relation || !isExistingTable(relation)) return;
    for (const command of alterTableCommands(statement)) {
      if (command.subtype !== 'AT_AlterColumnType') continue;
      // Known rewrites are table-rewrite's; known catalog-only changes (varchar -> text) are safe: one finding at most.
      if (typeChangeCost(schema, relation, command.name ?? '', command) !== 'unknown') continue;
      const typeName = nodeAs(command.def, 'ColumnDef')?.typeName;
      // Name both types with their limits: "to varchar" hid what the help asks about (varchar(20) to varchar(512)
      // widens, to varchar(10) narrows; familie-ba-sak V24 "to varchar" was varchar(512)), and say when the old
      // type is unknown (a table no migration creates, such as one from a baseline pgdrift was not given).
      const old = schema.table(relation)?.columns.get(command.name ?? '');
      const to = withModifiers(baseTypeName(typeName), typeModifiers(typeName));
      const change = old?.type ? `from ${withModifiers(old.type, old.modifiers)} to ${to}` : `to ${to} (its current type is unknown: no replayed migration creates the column)`;
      report({
        message: `changes the type of ${relation.relname}.${command.name} ${change}`,
        help: 'unless the change only widens a limit (varchar(n) to a larger n), add a new column with the new type, backfill it in batches, switch the code over, then drop the old column',
        node: typeName,
        object: relationKey(relation, command.name),
      });
    }
  },
});

/** `varchar(512)`, `numeric(10, 2)`, or the bare name when there are no (integer) modifiers. */
function withModifiers(name: string | undefined, modifiers: readonly number[] | undefined): string {
  return `${name ?? '?'}${modifiers?.length ? `(${modifiers.join(', ')})` : ''}`;
}
