import { namesKey, objectNames, rangeVarOfKey, rangeVarOfNames } from '../../sql/ast.js';
import type { ParsedSql, ParsedStatement } from '../../sql/parse.js';
import type { SchemaState } from '../schema-state.js';
import { sqlName } from '../help-sql.js';
import { defineRule } from '../define-rule.js';
import { concurrentlyFix } from '../fix-edits.js';

export default defineRule({
  id: 'drop-index-concurrently',
  scope: 'statement',
  description: 'DROP INDEX without CONCURRENTLY on an index of an existing table',
  defaultSeverity: 'warning',
  docs: 'A plain DROP INDEX takes an ACCESS EXCLUSIVE lock on the table: reads and writes wait, and everything queues behind it.',
  check({ file, parsed, statement, schema, tableAge, inTransaction, options, report }) {
    if (statement.kind !== 'DropStmt' || statement.ast.removeType !== 'OBJECT_INDEX' || statement.ast.concurrent) return;
    for (const object of statement.ast.objects ?? []) {
      const parts = objectNames(object);
      if (parts.length === 0) continue;
      const key = namesKey(parts);
      const index = schema.indexes.get(key);
      // An index pgdrift does not know predates the history: its table is existing. Unless the history was seen to
      // remove it (schema.goneIndexes): then there is no index to drop, and no table to lock.
      if (index) {
        if (tableAge(rangeVarOfKey(index.table)) !== 'existing') continue;
        if (droppedLaterInFile(parsed, statement, index.table, schema)) continue;
      } else if (schema.goneIndexes.has(key)) continue;
      const onTable = index ? ` on ${index.table.replace(/^public\./, '')}` : '';
      const many = (statement.ast.objects ?? []).length > 1;
      report({
        message: `DROP INDEX ${parts.join('.')}${onTable} locks the table against reads and writes until it is dropped`,
        // where such a statement can go is the runner's to say (drizzle: nowhere in a migration; Supabase: first in a file)
        help: `write DROP INDEX CONCURRENTLY${statement.ast.missing_ok ? ' IF EXISTS' : ''} ${sqlName(...parts)}${many ? ' (one index per statement)' : ''}: ${options.runner?.lint.outsideTransaction ?? 'in a file the runner does not wrap in a transaction'}`,
        object: key,
        fix: many ? undefined : concurrentlyFix(file, parsed, statement, inTransaction, ['DROP', 'INDEX']),
      });
    }
  },
});

/**
 * A DROP TABLE later in the same file takes the index's table too: the DROP INDEX locks nothing the file does not lock
 * anyway, and drop-table speaks of that. `supabase db diff` writes the drops of a table's indexes before the DROP
 * TABLE (field: srleom/miniclue, `drop index if exists "public"."idx_notes_user_id"; ... drop table "public"."notes";`).
 */
function droppedLaterInFile(parsed: ParsedSql, statement: ParsedStatement, table: string, schema: SchemaState): boolean {
  const at = parsed.statements.indexOf(statement);
  if (at === -1) return false;
  return parsed.statements.slice(at + 1).some((later) =>
    later.kind === 'DropStmt' && later.ast.removeType === 'OBJECT_TABLE' && (later.ast.objects ?? []).some((object) => {
      const parts = objectNames(object);
      return parts.length > 0 && schema.resolve(rangeVarOfNames(parts)) === table;
    }));
}
