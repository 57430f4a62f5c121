import type { InsertStmt } from '@pgsql/types';
import { parseDumpStatements } from '../model/parse-dump.js';
import { nodeAs, nodesAs, relationKey } from '../sql/ast.js';
import type { Runner } from './types.js';

/**
 * The versions a dbmate schema file records: `dbmate dump` ends it with the `-- Dbmate schema migrations` block, one
 * `INSERT INTO <migrations table> (version) VALUES ('…'), …` of the versions applied when it dumped (amacneil/dbmate
 * pkg/driver/postgres/postgres.go DumpSchema → schemaMigrationsDump), which `dbmate load` restores. Read from the
 * INSERT's AST; undefined when the file has no such statement (not a dbmate schema file).
 */
export function recordedVersions(dumpText: string, file: string, table: string): string[] | undefined {
  let versions: string[] | undefined;
  for (const statement of parseDumpStatements(dumpText, file)) {
    if (statement.kind !== 'InsertStmt') continue;
    const insert = statement.ast as InsertStmt;
    if (!insert.relation || relationKey(insert.relation) !== table) continue;
    const rows = nodesAs(nodeAs(insert.selectStmt, 'SelectStmt')?.valuesLists, 'List');
    for (const row of rows) {
      const value = nodeAs(row.items?.[0], 'A_Const')?.sval?.sval;
      if (typeof value === 'string') (versions ??= []).push(value);
    }
  }
  return versions;
}

/**
 * What the recorded versions say of the schema file against the migrations folder: migrations it does not record were
 * applied after `dbmate dump` wrote it (or never where it was written), and recorded versions no file has are
 * migrations since removed or renamed. Either way the file is stale, even where the schema it prints still matches:
 * `dbmate load` then `dbmate up` would run those migrations again (or skip them).
 */
export function versionNotices(snapshotFile: string, recorded: readonly string[], migrations: readonly string[]): string[] {
  const shown = (versions: string[]) => `${versions.slice(0, 5).join(', ')}${versions.length > 5 ? ` and ${versions.length - 5} more` : ''}`;
  const have = new Set(recorded);
  const files = new Set(migrations);
  const notRecorded = migrations.filter((version) => !have.has(version));
  const noFile = recorded.filter((version) => !files.has(version));
  const notices: string[] = [];
  if (notRecorded.length > 0) {
    notices.push(`${snapshotFile} does not record ${notRecorded.length} of the ${migrations.length} migrations as applied (${shown(notRecorded)}): dbmate dumped it before ${notRecorded.length === 1 ? 'that one' : 'they'} ran; regenerate it (dbmate dump, or pgdrift snapshot)`);
  }
  if (noFile.length > 0) {
    notices.push(`${snapshotFile} records ${noFile.length} applied version${noFile.length === 1 ? '' : 's'} no migration file has (${shown(noFile)}): removed or renamed since it was dumped`);
  }
  return notices;
}

/**
 * A dbmate schema file whose recorded versions (its `-- Dbmate schema migrations` block) are not the migrations'
 * is stale, even where the schema it prints still matches (a data migration, say): said as notices. Only for the
 * dbmate runner, and only when the file has that block.
 */
export function dbmateSchemaFileNotices(runner: Runner, migrations: readonly { version?: string }[], snapshotText: string, snapshotFile: string): string[] {
  const setup = runner.bookkeepingSetup;
  if (runner.name !== 'dbmate' || !setup) return [];
  const recorded = recordedVersions(snapshotText, snapshotFile, setup.table);
  if (!recorded) return [];
  const versions = migrations.map((migration) => migration.version).filter((version): version is string => version !== undefined);
  return versionNotices(snapshotFile, recorded, versions);
}
