import { alterTableCommands, columnConstraints, qualified, relationName } from '../ast.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'add-foreign-key-inline',
  scope: 'statement',
  description: 'ADD COLUMN ... REFERENCES on an existing table (the foreign key cannot be NOT VALID inline)',
  defaultSeverity: 'warning',
  docs: 'An inline REFERENCES validates at once and locks both tables (the new table ACCESS EXCLUSIVE, the referenced one SHARE ROW EXCLUSIVE); it cannot be added NOT VALID.',
  check({ statement, isExistingTable, report }) {
    const relation = statement.ast?.relation;
    if (!isExistingTable(relation)) return;
    const table = relation.relname;
    for (const command of alterTableCommands(statement)) {
      const def = command.subtype === 'AT_AddColumn' ? command.def?.ColumnDef : undefined;
      const fk = def ? columnConstraints(def).find((c) => c.contype === 'CONSTR_FOREIGN') : undefined;
      if (!fk) continue;
      const name = fk.conname ?? `${table}_${def.colname}_fkey`;
      const target = `${relationName(fk.pktable)}${fk.pk_attrs?.length ? ` (${fk.pk_attrs.map((a: any) => a.String?.sval).join(', ')})` : ''}`;
      report({
        message: `adds column ${def.colname} REFERENCES ${relationName(fk.pktable)} to existing table ${table}: the foreign key is validated at once, locking both tables`,
        help: `add the column alone, then ALTER TABLE ${table} ADD CONSTRAINT ${name} FOREIGN KEY (${def.colname}) REFERENCES ${target} NOT VALID; and VALIDATE CONSTRAINT ${name} in a later statement (a weaker lock)`,
        node: def,
        object: qualified(relation, def.colname),
      });
    }
  },
});
