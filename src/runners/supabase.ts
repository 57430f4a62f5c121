import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parseSql, parseSqlOrUndefined, SqlSyntaxError } from '../sql/parse.js';
import { SourceText } from '../sql/source-text.js';
import { isTomlTable } from '../util/toml.js';
import { supabaseConfigDb } from './supabase-schemas.js';
import { supabaseStatements } from './supabase-split.js';
import { byCodeUnits, filesIn, isSql, wholeFile, type IgnoredFile, type PlanProblem, type Runner } from './types.js';

// supabase/cli apps/cli-go/pkg/migration/file.go (supabase/cli@1d1e719): `^([0-9]+)_(.*)\.sql$`.
const FILE = /^([0-9]+)_(.*)\.sql$/;
// list.go `shouldSkip`: a first `<14 digits>_init.sql` older than 20211209000000 is skipped (old CLI layout). The
// CLI's initSchemaPattern is not anchored (`([0-9]{14})_init\.sql`), and "first" is index 0 of fs.ReadDir, which lists
// folders too (sorted by name): a folder that sorts first means no file is skipped.
const OLD_INIT = /([0-9]{14})_init\.sql/;

/**
 * Supabase CLI (`supabase db reset` / `db push`): `supabase/migrations/<timestamp>_<name>.sql`.
 * - Discovery (pkg/migration/list.go `ListLocalMigrations`): files in os.ReadDir order (sorted by name); names
 *   that do not match are skipped with a warning; `supabase/seed.sql` lives outside the folder and is data.
 * - Transactions (file.go `ExecBatch`): the file is split into statements and sent as one pgx batch (one pipeline,
 *   one Sync), "implicitly transactional": the whole file commits or rolls back as one; except that a first
 *   statement Postgres refuses in a transaction block (CREATE INDEX CONCURRENTLY) runs on its own before the pipeline
 *   starts, and commits (measured on Postgres 15 with the CLI's batch; a later one fails with 25001 "cannot be
 *   executed within a pipeline"): ExecutionPart.firstStatementAlone.
 * - Session (pkg/migration/apply.go `ApplyMigrations`): `RESET ALL` on the connection before each file, so settings
 *   a file changes do not reach the next one; the platform's search_path (a role setting) comes back with it.
 * - Bookkeeping: `supabase_migrations.schema_migrations`, created before the first pending migration
 *   (apps/cli-go/pkg/migration/apply.go `ApplyMigrations` → history.go `CreateMigrationTable`; its `SET lock_timeout`
 *   is left out: the CLI runs `RESET ALL` before each file). `supabase_migrations.seed_files` is created only when
 *   seeding (seed.go `SeedData`, after the migrations), so not by the replay.
 * The platform objects migrations rely on (auth, storage, roles) come from ./supabase-platform.ts.
 */
export const supabase: Runner = {
  name: 'supabase',
  docs: 'https://supabase.com/docs/guides/deployment/database-migrations',
  folders: ['supabase/migrations'],
  resetsSessionBeforeEachFile: true,
  // The CLI applies migrations as `postgres`: `db reset` / `start` connect to the local database as user postgres, and a
  // remote `db push` that logs in as a temporary `cli_login_postgres` role (or supabase_admin) steps down with
  // `SET SESSION ROLE postgres` first (internal/utils/connect.go ConnectByConfigStream). A `db pull` migration is
  // full of `ALTER ... OWNER TO "postgres"` (field: sizzle-squad/base-hunt).
  connectsAs: 'postgres',
  discover(folder) {
    const migrations = [];
    const ignored: IgnoredFile[] = [];
    const names = filesIn(folder);
    const firstEntry = readdirSync(folder).sort(byCodeUnits)[0];
    for (const name of names) {
      const old = OLD_INIT.exec(name);
      if (name === firstEntry && old && Number(old[1]) < 20211209000000) {
        ignored.push({ name, reason: 'an old-style <timestamp>_init.sql: the Supabase CLI skips it' });
        continue;
      }
      const match = FILE.exec(name);
      if (match) migrations.push({ name, version: match[1] });
      else if (isSql(name)) ignored.push({ name, reason: 'not <timestamp>_name.sql: the Supabase CLI skips it' });
    }
    return { migrations, ignored, problems: versionsUsedTwice(migrations) };
  },
  evidence(listing) {
    // Only the folder says "Supabase": the names alone are those of many runners.
    return isSupabaseCliFolder(listing.folder)
      ? { files: listing.files.filter((f) => FILE.test(f)).slice(0, 3), what: 'a supabase/migrations folder', weak: true }
      : undefined;
  },
  plan: (text, name) => {
    const parts = wholeFile(text, 'wrapped').parts.map((part) => ({ ...part, firstStatementAlone: true }));
    const problem = splitProblem(text, name);
    return problem ? { parts: [], problem } : { parts };
  },
  // supabase/config.toml's `[db.migrations] enabled = false`: "If disabled, migrations will be skipped during a db push
  // or reset" (the CLI's config template): the database the team's CLI makes has none of them, while the replay applies
  // them all. Said as a notice, so check is not clean unasked.
  forProject(folder) {
    if (!isSupabaseCliFolder(folder)) return {};
    const migrations = supabaseConfigDb(path.join(path.dirname(folder), 'config.toml'))?.migrations;
    const enabled = isTomlTable(migrations) ? migrations.enabled : undefined;
    return enabled === false
      ? { notices: ['supabase: supabase/config.toml sets [db.migrations] enabled = false: the Supabase CLI skips the migrations in db reset and db push, so the database it makes has none of them; pgdrift replays them all'] }
      : {};
  },
  // pkg/migration/file.go parseFile → parser.SplitAndTrim (supabase/cli @1d1e719): strings.TrimSpace keeps U+FEFF, so
  // the first statement is sent with the mark
  sendsByteOrderMark: () => true,
  compareVersions: byCodeUnits,
  bookkeeping: ['supabase_migrations.schema_migrations', 'supabase_migrations.seed_files'],
  bookkeepingSetup: {
    table: 'supabase_migrations.schema_migrations',
    sql: `CREATE SCHEMA IF NOT EXISTS supabase_migrations;
CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY);
ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[];
ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text;`,
  },
  lint: {
    fileNamePattern: /^\d{14}_[A-Za-z0-9_\-]+\.sql$/,
    example: '20240131120000_add_orders.sql',
    sequentialVersions: false,
    transactions: 'the Supabase CLI sends each file as one batch, which runs as one transaction',
    outsideTransaction: 'make it the first statement of a migration file: the Supabase CLI runs each file as one transactional batch, where only a first statement can run outside the transaction',
  },
};

/**
 * The CLI records each file's version (the digits before the first `_`, as text) in
 * `supabase_migrations.schema_migrations`, whose primary key is the version, in the same batch as the file: a second
 * file with a version already used applies and then fails on the insert, and `db reset` / `db push` stop there
 * (supabase/cli issues #1844, #2564).
 */
function versionsUsedTwice(migrations: Array<{ name: string; version?: string }>): string[] {
  const first = new Map<string, string>();
  const problems: string[] = [];
  for (const { name, version } of migrations) {
    if (version === undefined) continue;
    const earlier = first.get(version);
    if (earlier === undefined) first.set(version, name);
    else {
      problems.push(
        `${name} has the same version (${version}) as ${earlier}: the Supabase CLI applies ${earlier}, then stops on ${name} (duplicate key value violates unique constraint "schema_migrations_pkey" of supabase_migrations.schema_migrations)`,
      );
    }
  }
  return problems;
}

/**
 * The Supabase CLI's migrations folder, `supabase/migrations`. Another tool may write
 * it (drizzle-kit's `out`, field: onlook-dev/onlook), but `supabase start` / `db reset` apply it, and the database
 * it is for is a Supabase one: the platform baseline is on for any runner there (Project.platformBaseline).
 */
export function isSupabaseCliFolder(folder: string): boolean {
  return /(^|\/)supabase\/migrations\/?$/.test(folder.split('\\').join('/'));
}

/**
 * Where the CLI's statement splitter (supabase-split.ts) cuts the file other than Postgres would: each piece it sends
 * must be one statement (or only comments). A piece cut inside a statement fails as Postgres reads it (a syntax error,
 * e.g. at the rest of an `E'it\'s'` string); a piece holding two statements is refused by the extended protocol
 * `ExecParams` sends it with (42601 "cannot insert multiple commands into a prepared statement"). The whole file's own
 * syntax errors are left to the replay, which reports them where they are.
 */
function splitProblem(text: string, name: string): PlanProblem | undefined {
  const problem = firstBadPiece(text, name);
  if (!problem) return undefined;
  if (!parseSqlOrUndefined(text, name)) return undefined;
  return problem;
}

function firstBadPiece(text: string, name: string): PlanProblem | undefined {
  let source: SourceText | undefined;
  const at = (byteOffset: number) => (source ??= new SourceText(text, name)).positionOfByte(byteOffset);
  const shown = (piece: string) => JSON.stringify(piece.length > 80 ? `${piece.slice(0, 77)}...` : piece);
  const hint = "the CLI's splitter (pkg/parser) knows no backslash escapes in E'' strings (write a quote as '' there, or use a dollar-quoted string), and ends a BEGIN ATOMIC body at the first END, even inside a word";
  for (const piece of supabaseStatements(text)) {
    let statements;
    try {
      statements = parseSql(piece.text, name).statements;
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error;
      const start = at(piece.start);
      const line = start.line + error.line - 1;
      const column = error.line === 1 ? start.column + error.column - 1 : error.column;
      return { message: `the Supabase CLI splits this file into statements with its own reader, which sends ${shown(piece.text)} as one statement, and Postgres refuses it: ${error.detail}`, line, column, hint };
    }
    if (statements.length > 1) {
      const start = at(piece.start);
      return {
        message: `the Supabase CLI splits this file into statements with its own reader, which sends ${shown(piece.text)} as one statement holding ${statements.length}, and Postgres refuses it: cannot insert multiple commands into a prepared statement (42601)`,
        line: start.line,
        column: start.column,
        hint,
      };
    }
  }
  return undefined;
}
