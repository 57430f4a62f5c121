import { relationKey, statementRelation, stringList, writtenRelationName } from '../../sql/ast.js';
import { addedConstraints } from '../ast.js';
import { sqlName, sqlNames, sqlRelation } from '../help-sql.js';
import { defineRule } from '../define-rule.js';

export default defineRule({
  id: 'add-foreign-key-inline',
  scope: 'statement',
  description: 'ADD COLUMN ... REFERENCES on an existing table (the foreign key cannot be NOT VALID inline)',
  defaultSeverity: 'warning',
  docs: 'An inline REFERENCES validates at once and locks both tables (the new table ACCESS EXCLUSIVE, the referenced one SHARE ROW EXCLUSIVE); it cannot be added NOT VALID.',
  check({ statement, isExistingTable, report }) {
    const relation = statementRelation(statement);
    if (!relation || !isExistingTable(relation)) return;
    const table = relation.relname;
    for (const { constraint: fk, column } of addedConstraints(statement, 'CONSTR_FOREIGN')) {
      if (!column) continue; // ADD CONSTRAINT ... FOREIGN KEY can be NOT VALID: constraint-not-valid's concern
      const columnName = column.colname ?? '';
      const name = fk.conname ?? `${table}_${columnName}_fkey`;
      const refColumns = stringList(fk.pk_attrs);
      const target = `${sqlRelation(fk.pktable)}${refColumns.length ? ` (${sqlNames(refColumns)})` : ''}`;
      report({
        message: `adds column ${columnName} REFERENCES ${writtenRelationName(fk.pktable)} to existing table ${table}: the foreign key is validated at once, locking both tables`,
        help: `add the column alone, then ALTER TABLE ${sqlRelation(relation)} ADD CONSTRAINT ${sqlName(name)} FOREIGN KEY (${sqlName(columnName)}) REFERENCES ${target} NOT VALID; and VALIDATE CONSTRAINT ${sqlName(name)} in a later statement (a weaker lock)`,
        node: column,
        object: relationKey(relation, columnName),
      });
    }
  },
});
