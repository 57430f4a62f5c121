import { readFileSync } from 'node:fs';
import path from 'node:path';
import { byCodeUnits, filesIn, wholeFile, type Discovery, type IgnoredFile, type Runner } from './types.js';

/**
 * db-migrate's `db-migrate create <name> --sql-file` layout (db-migrate 0.11.14, db-migrate-pg 1.5.2): a wrapper
 * `migrations/<ts>-<name>.js` whose up() reads `migrations/sqls/<ts>-<name>-up.sql` and runs it with `db.runSql`
 * (lib/templates: the sql-file template). pgdrift has no db-migrate runner: pointed at `sqls/`, the numbered runner
 * would replay every `-up.sql` in name order, each as one implicit transaction. What db-migrate does instead:
 * - It runs the `.js` files of the migrations folder, sorted by name (lib/migration.js `loadFromFilesystem`:
 *   `filesRegEx = /\.js$/`, `files.sort()`): an `-up.sql` no wrapper reads never runs, and a wrapper that reads none
 *   runs code pgdrift cannot replay.
 * - Each migration runs between `BEGIN;` and `COMMIT;` (db-migrate-pg index.js `startMigration` / `endMigration`,
 *   unless `--non-transactional`): a lone `CREATE INDEX CONCURRENTLY` fails there (25001; checked with db-migrate
 *   0.11.14 on PostgreSQL 15).
 * Returns the numbered runner's settings for such a folder, with a notice saying what is assumed.
 */
export function dbMigrateSqlFiles(folder: string, root: string): Partial<Pick<Runner, 'discover' | 'plan' | 'notices'>> | undefined {
  if (path.basename(folder) !== 'sqls') return undefined;
  const parent = path.dirname(folder);
  let wrappers: { name: string; text: string }[];
  try {
    wrappers = filesIn(parent)
      .filter((name) => name.endsWith('.js'))
      .sort(byCodeUnits)
      .map((name) => ({ name, text: readFileSync(path.join(parent, name), 'utf8') }));
  } catch {
    return undefined;
  }
  const reads = (wrapper: { name: string; text: string }) => wrapper.text.includes(`${wrapper.name.slice(0, -3)}-up.sql`) && wrapper.text.includes('runSql');
  if (!wrappers.some(reads)) return undefined;
  const shown = (name: string) => path.relative(root, path.join(parent, name)).split(path.sep).join('/');
  const codeOnly = wrappers.filter((wrapper) => !reads(wrapper)).map((wrapper) => shown(wrapper.name));
  const discover = (): Discovery => {
    const sqlFiles = new Set(filesIn(folder));
    const migrations = wrappers.filter(reads).map((wrapper) => `${wrapper.name.slice(0, -3)}-up.sql`).filter((name) => sqlFiles.has(name));
    const wanted = new Set(migrations);
    const ignored: IgnoredFile[] = [...sqlFiles]
      .filter((name) => !wanted.has(name))
      .map((name) =>
        name.endsWith('-down.sql')
          ? { name, reason: 'the down half of a db-migrate migration, which only db-migrate down runs', expected: true }
          : { name, reason: `no ${shown(name.replace(/-up\.sql$/, '.js'))} reads it: db-migrate runs only the .js migrations` },
      );
    return { migrations: migrations.map((name) => ({ name, version: /^\d+/.exec(name)?.[0] })), ignored, problems: [] };
  };
  return {
    discover,
    plan: (text) => wholeFile(text, 'wrapped'),
    notices: [
      `${shown('sqls')}/ is db-migrate's --sql-file layout (${shown('*.js')} wrappers): pgdrift has no db-migrate runner and replays each -up.sql a wrapper reads, in the wrappers' name order, each in BEGIN ... COMMIT (db-migrate-pg startMigration), assuming each wrapper only runs its SQL file (the template's db.runSql) and db-migrate runs without --non-transactional`,
      ...(codeOnly.length > 0
        ? [`${codeOnly.length} db-migrate migration${codeOnly.length === 1 ? '' : 's'} read${codeOnly.length === 1 ? 's' : ''} no sqls/<name>-up.sql: ${codeOnly.slice(0, 5).join(', ')}${codeOnly.length > 5 ? ', ...' : ''}: db-migrate runs that code, which pgdrift cannot replay, so the replayed schema lacks its effect`]
        : []),
    ],
  };
}
