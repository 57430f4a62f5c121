import type { RangeVar } from '@pgsql/types';
import { nodesAs, objectNames } from '../../sql/ast.js';
import { alterTableCommandNode, alterTableCommands } from '../ast.js';
import { defineRule } from '../define-rule.js';
import type { SchemaState } from '../schema-state.js';

/** `OBJECT_MATVIEW` → `MATERIALIZED VIEW`, `OBJECT_TABLE` → `TABLE` */
function objectWord(removeType: string | undefined): string {
  if (removeType === 'OBJECT_MATVIEW') return 'MATERIALIZED VIEW';
  return (removeType ?? '').replace(/^OBJECT_/, '').replace(/_/g, ' ');
}

/**
 * The foreign keys of other tables the history knows that reference `relation`: what CASCADE drops with the table
 * (or, for TRUNCATE, the tables it empties too). Views and functions are not tracked by the lint's schema state.
 */
function referencingKeys(schema: SchemaState, relation: RangeVar): string[] {
  const table = schema.table(relation);
  if (!table) return [];
  const keys: string[] = [];
  for (const other of schema.tables.values()) {
    if (other.key === table.key) continue;
    for (const fk of other.foreignKeys) if (fk.refTable === table.key) keys.push(`${fk.name} on ${other.key}`);
  }
  return keys;
}

function known(keys: string[], what: string): string {
  if (keys.length === 0) return '';
  const shown = keys.slice(0, 3).join(', ');
  return ` (${what}: ${shown}${keys.length > 3 ? ` and ${keys.length - 3} more` : ''})`;
}

export default defineRule({
  id: 'drop-cascade',
  scope: 'statement',
  description: 'DROP ... CASCADE (or TRUNCATE ... CASCADE)',
  defaultSeverity: 'warning',
  docs: 'CASCADE silently drops every dependent view, constraint or row, which the author rarely listed.',
  check({ file, statement, schema, report }) {
    const help = 'drop the dependent objects explicitly first, then drop without CASCADE, so the migration says what it removes';
    if (statement.kind === 'DropStmt' && statement.ast.behavior === 'DROP_CASCADE') {
      const names = (statement.ast.objects ?? []).map((object) => objectNames(object).join('.')).filter(Boolean);
      const tables = statement.ast.removeType === 'OBJECT_TABLE' ? (statement.ast.objects ?? []).map((object) => objectNames(object)) : [];
      const keys = tables.flatMap((parts) => referencingKeys(schema, { relname: parts[parts.length - 1], ...(parts.length > 1 ? { schemaname: parts[parts.length - 2] } : {}) } as RangeVar));
      report({
        message: `DROP ${objectWord(statement.ast.removeType)}${names.length > 0 ? ` ${names.join(', ')}` : ''} CASCADE also removes everything that depends on it${known(keys, 'foreign keys the history made that go with it')}`,
        help,
      });
    }
    if (statement.kind === 'TruncateStmt' && statement.ast.behavior === 'DROP_CASCADE') {
      const relations = nodesAs(statement.ast.relations, 'RangeVar');
      const keys = relations.flatMap((relation) => referencingKeys(schema, relation));
      const names = relations.map((relation) => (relation.schemaname ? `${relation.schemaname}.${relation.relname}` : relation.relname));
      report({
        message: `TRUNCATE ${names.join(', ')} CASCADE also empties every table with a foreign key to it${known(keys, 'through the foreign keys the history made')}`,
        help: 'name every table to empty in the TRUNCATE, without CASCADE, so the migration says which rows it deletes',
      });
    }
    for (const command of alterTableCommands(statement)) {
      if (command.behavior === 'DROP_CASCADE' && (command.subtype === 'AT_DropColumn' || command.subtype === 'AT_DropConstraint')) {
        report({ message: `${command.subtype === 'AT_DropColumn' ? 'DROP COLUMN' : 'DROP CONSTRAINT'} ${command.name} CASCADE also removes everything that depends on it`, help, node: alterTableCommandNode(statement, command, () => file.comments.tokens()) });
      }
    }
  },
});
