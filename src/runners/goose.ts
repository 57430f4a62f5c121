import { environmentWithDotEnv } from './dotenv.js';
import { EnvsubError, envsubLine } from './goose-envsub.js';
import { substitute, type Substitution } from './substitution.js';
import { parseSql, SqlSyntaxError } from '../sql/parse.js';
import { compareIntegers, duplicateVersions, filesIn, isSql, type DiscoveredMigration, type ExecutionPart, type FilePlan, type IgnoredFile, type PlanProblem, type Runner, type RunnerOptions } from './types.js';

/**
 * goose (https://pressly.github.io/goose/documentation/annotations/), pressly/goose@520411a.
 * - Discovery (provider_collect.go + migration.go `NumericComponent`): `*.sql` files whose name starts with a
 *   positive integer followed by `_`; other names are skipped; two files with one version are refused.
 * - Go migrations (migrate.go `collectGoMigrations`, migration.go `run`): a `*.go` file with a version (not
 *   `*_test.go`) is a migration goose runs in version order with the SQL ones, through the function the project
 *   registers (goose.AddMigration…) in its own goose binary. pgdrift cannot run Go code: the file is named as applied
 *   by the runner and not replayed (check: "replay incomplete"); its version counts for duplicates. Other `.go` files
 *   are skipped, as goose skips them.
 * - Order: numeric version.
 * - Sections (internal/sqlparser/parser.go): `-- +goose Up` starts the up part, `-- +goose Down` ends it (the down
 *   part never runs on `goose up`); no statement may come before `-- +goose Up`. Statements end at a line ending
 *   with `;`, or span `-- +goose StatementBegin` … `-- +goose StatementEnd`; each is executed on its own.
 * - Transactions (migration_sql.go `runSQLMigration`): all statements of a file in one transaction, unless
 *   `-- +goose NO TRANSACTION`: then each statement goose cuts is sent with one `db.ExecContext`, one simple-protocol
 *   query (pgx uses the simple protocol for a query without arguments), which Postgres runs as one implicit
 *   transaction when it holds several SQL statements (a StatementBegin block): one `implicit` part per statement.
 * - `-- +goose ENVSUB ON` / `OFF` (parser.go `useEnvsub`): the lines after ON are expanded line by line from the
 *   environment (goose-envsub.ts, a port of mfridman/interpolate); the lines pgdrift runs are the up section's.
 *   Comment lines are left as written: goose drops those between statements before expanding (one inside a
 *   statement is expanded by goose, which can only matter for a `$` error there).
 * - Bookkeeping `goose_db_version` (or the CLI's `GOOSE_TABLE`, which may name a schema): when listing it fails
 *   (migrate.go `EnsureDBVersionContext`), goose creates it (internal/dialects/postgres.go `CreateTable`, the name as
 *   given) and inserts version 0, before the first migration. (`-table` on the command line is not visible here.)
 * - Environment (cmd/goose/main.go): the CLI loads `.env` from its working directory (godotenv, which never overrides
 *   a variable already set) before reading GOOSE_TABLE; ENVSUB expands from the same environment. pgdrift reads
 *   `.env` in the project root.
 */
export const goose: Runner = {
  name: 'goose',
  docs: 'https://pressly.github.io/goose/documentation/annotations/',
  folders: ['db/migrations', 'migrations'],
  discover(folder) {
    const migrations: DiscoveredMigration[] = [];
    const ignored: IgnoredFile[] = [];
    const goMigrations: DiscoveredMigration[] = [];
    for (const name of filesIn(folder)) {
      if (name.endsWith('.go')) {
        // collectGoMigrations: a .go file with a version that is not a test file is a migration; others are skipped
        const version = numericComponent(name);
        if (typeof version === 'string' && !name.endsWith('_test.go')) goMigrations.push({ name, version });
        continue;
      }
      if (!isSql(name) || !name.endsWith('.sql')) continue;
      const version = /^(\d+)_/.exec(name)?.[1];
      if (version && BigInt(version) > 0n) migrations.push({ name, version });
      else ignored.push({ name, reason: 'not <positive version>_<name>.sql: goose skips it' });
    }
    migrations.sort((a, b) => compareIntegers(a.version!, b.version!));
    for (const go of goMigrations) ignored.push({ name: go.name, reason: goMigrationReason(go, migrations), appliedByRunner: true });
    // goose sorts .sql and .go migrations together and stops on a version used twice (migrate.go Migrations.Less)
    const all = [...migrations, ...goMigrations].sort((a, b) => compareIntegers(a.version!, b.version!));
    return { migrations, ignored, problems: duplicateVersions(all, (v) => BigInt(v).toString()) };
  },
  evidence(listing) {
    const files = listing.files.filter((name) => !name.includes('/') && isSql(name) && /^--\s*\+goose\s+up\b/im.test(listing.read(name)));
    return files.length > 0 ? { files, what: '-- +goose Up annotations' } : undefined;
  },
  plan: planGoose,
  compareVersions: compareIntegers,
  bookkeeping: ['public.goose_db_version'],
  bookkeepingSetup: gooseBookkeeping('goose_db_version'),
  forProject(folder, options) {
    const table = environmentWithDotEnv(folder, options).GOOSE_TABLE || 'goose_db_version';
    const setup = gooseBookkeeping(table);
    return { bookkeeping: [setup.table], bookkeepingSetup: setup };
  },
  lint: {
    fileNamePattern: /^\d+_[A-Za-z0-9_.\-]+\.sql$/,
    example: '20240131120000_add_orders.sql',
    sequentialVersions: false,
    transactions: 'goose runs the statements of the -- +goose Up section in one transaction unless the file says -- +goose NO TRANSACTION',
    outsideTransaction: 'put it in a file that says -- +goose NO TRANSACTION',
  },
};

/**
 * migration.go `NumericComponent`: the version is what comes before the first `_` of a `.sql` or `.go` name, read by
 * strconv.ParseInt (base 10, an optional sign, int64) and greater than zero; otherwise goose's reason (as it words it).
 */
export function numericComponent(name: string): string | { error: string } {
  if (!name.endsWith('.sql') && !name.endsWith('.go')) return { error: 'migration file does not have .sql or .go file extension' };
  const cut = name.indexOf('_');
  if (cut < 0) return { error: "no filename separator '_' found" };
  const before = name.slice(0, cut);
  const digits = /^[+-]?(\d+)$/.exec(before);
  const parsed = digits ? BigInt(before) : undefined;
  if (parsed === undefined || parsed > INT64_MAX || parsed < -INT64_MAX - 1n) {
    return { error: `failed to parse version from migration file: ${name}: strconv.ParseInt: parsing ${JSON.stringify(before)}: ${digits ? 'value out of range' : 'invalid syntax'}` };
  }
  if (parsed < 1n) return { error: 'migration version must be greater than zero' };
  return digits![1];
}

const INT64_MAX = 2n ** 63n - 1n;

/** Why a Go migration is not replayed, and where goose runs it among the SQL files (migrate.go collectGoMigrations). */
function goMigrationReason(go: DiscoveredMigration, sql: DiscoveredMigration[]): string {
  const after = sql.filter((m) => compareIntegers(m.version!, go.version!) < 0).at(-1);
  const place = after ? `after ${after.name}` : sql.length > 0 ? `before ${sql[0].name}` : 'first';
  return `a Go migration (version ${BigInt(go.version!)}): goose runs the Go function it registers (goose.AddMigration…) ${place}, which pgdrift cannot run`;
}

function gooseBookkeeping(table: string) {
  return {
    table: table.includes('.') ? table : `public.${table}`,
    sql: `CREATE TABLE ${table} (
		id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
		version_id bigint NOT NULL,
		is_applied boolean NOT NULL,
		tstamp timestamp NOT NULL DEFAULT now()
	)`,
  };
}

/** An annotation line as parser.go `extractAnnotation` reads it: `--` then `+goose` then the command, any case. */
function annotation(line: string): string | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('--') || !line.includes('+goose')) return undefined;
  return line.replaceAll('--', '').replace('+goose', '').trim().toUpperCase();
}

export function planGoose(text: string, _name?: string, _folder?: string, options: RunnerOptions = {}): FilePlan {
  const lines = text.split('\n');
  let up: number | undefined;
  let down: number | undefined;
  let noTransaction = false;
  let envsub = false;
  const substitutions: Substitution[] = [];
  let environment: Record<string, string | undefined> | undefined; // read once, at the first ENVSUB line
  let lineStart = 0;
  for (const [i, line] of lines.entries()) {
    const start = lineStart;
    lineStart += line.length + 1;
    const command = annotation(line);
    if (command === undefined) {
      // goose drops comment lines between statements unexpanded; one inside a statement changes nothing that runs
      if (envsub && up !== undefined && down === undefined && !line.trim().startsWith('--')) {
        try {
          for (const s of envsubLine(line, (environment ??= environmentWithDotEnv(_folder, options)))) substitutions.push({ start: start + s.start, end: start + s.end, value: s.value });
        } catch (error) {
          if (!(error instanceof EnvsubError)) throw error;
          const column = [...line.slice(0, error.index)].length + 1;
          return { parts: [], problem: { message: `goose: variable substitution failed (-- +goose ENVSUB ON): ${error.message}`, line: i + 1, column, hint: 'set the variable, give it a default (${NAME:-value}), or write $$ / \\$ for a literal $' } };
        }
      }
      if (up === undefined && line.trim() !== '' && !line.trim().startsWith('--')) {
        return { parts: [], problem: { message: "goose: the file must start with a '-- +goose Up' annotation (a statement comes before it)", line: i + 1, column: 1 } };
      }
      continue;
    }
    if (command === 'UP') {
      if (up !== undefined) return { parts: [], problem: { message: "goose: duplicate '-- +goose Up' annotations", line: i + 1, column: 1 } };
      up = i;
    } else if (command === 'DOWN') {
      if (up === undefined) return { parts: [], problem: { message: "goose: '-- +goose Down' before '-- +goose Up'", line: i + 1, column: 1 } };
      down ??= i;
    } else if (command === 'NO TRANSACTION') noTransaction = true;
    else if (command === 'ENVSUB ON') envsub = true;
    else if (command === 'ENVSUB OFF') envsub = false;
  }
  if (up === undefined) return { parts: [], problem: { message: "goose: the file has no '-- +goose Up' annotation", line: 1, column: 1, hint: 'see https://pressly.github.io/goose/documentation/annotations/' } };
  const section = { startLine: up + 1, endLine: down ?? lines.length };
  const { chunks, problem: chunkProblem } = gooseChunks(lines, section.startLine, section.endLine);
  const problem = chunkProblem ?? splitProblem(text, substitutions, chunks, section, _name ?? 'migration.sql');
  if (problem) return { parts: [], problem };
  // In a transaction, one BEGIN … COMMIT around the section. Without one, goose sends each of its statements with
  // one db.ExecContext (migration_sql.go runSQLMigration): one simple-protocol query each (pgx sends a query without
  // arguments so), which Postgres runs as one implicit transaction when the piece holds several SQL statements.
  const parts: ExecutionPart[] = noTransaction ? chunks.map((chunk) => ({ ...chunk, transaction: 'implicit' })) : [{ ...section, transaction: 'wrapped' }];
  return substitutions.length > 0 ? { parts, substitutions } : { parts };
}

/** One statement as goose sends it: whole lines [startLine, endLine), 0-based. */
interface GooseChunk {
  startLine: number;
  endLine: number;
}

/**
 * goose does not parse SQL: it cuts the Up section into the statements it executes one by one at every line whose
 * last word (before a `--` word) ends with `;`, except between `-- +goose StatementBegin` and `StatementEnd`
 * (parser.go `ParseSQLMigration`, `endsWithSemicolon`). Comment and empty lines before a statement are dropped.
 * Text left after the last cut is refused ("missing semicolon?"). A port of that loop, for the up direction.
 */
export function gooseChunks(lines: string[], from: number, to: number): { chunks: GooseChunk[]; problem?: PlanProblem } {
  const chunks: GooseChunk[] = [];
  let start: number | undefined; // first buffered line of the statement being read
  let inBlock = false;
  for (let i = from; i < to; i++) {
    const line = lines[i].replace(/\r$/, '');
    const command = annotation(line);
    if (command === 'STATEMENTBEGIN') {
      if (inBlock) return { chunks, problem: { message: "goose: '-- +goose StatementBegin' inside a StatementBegin … StatementEnd block", line: i + 1, column: 1 } };
      inBlock = true;
      continue;
    }
    if (command === 'STATEMENTEND') {
      if (!inBlock) return { chunks, problem: { message: "goose: '-- +goose StatementEnd' without '-- +goose StatementBegin'", line: i + 1, column: 1 } };
      inBlock = false;
      if (start !== undefined) chunks.push({ startLine: start, endLine: i });
      start = undefined;
      continue;
    }
    if (command !== undefined) continue; // NO TRANSACTION, ENVSUB ON/OFF (the planner checked the rest)
    if (start === undefined) {
      if (line.trim().startsWith('--') || line === '') continue;
      start = i;
    }
    if (!inBlock && endsWithSemicolon(line)) {
      chunks.push({ startLine: start, endLine: i + 1 });
      start = undefined;
    }
  }
  if (inBlock) return { chunks, problem: { message: "goose: missing '-- +goose StatementEnd' annotation", line: to, column: 1 } };
  if (start !== undefined && lines.slice(start, to).join('\n').trim() !== '') {
    const first = lines.slice(start, to).findIndex((l) => l.trim() !== '') + start;
    return {
      chunks,
      problem: {
        message: 'goose refuses the file: the Up section ends with a statement that does not end with ";" (goose: "unexpected unfinished SQL query … missing semicolon?")',
        line: first + 1,
        column: 1,
        hint: 'end the statement with ;',
      },
    };
  }
  return { chunks };
}

/** parser.go `endsWithSemicolon`: the last whitespace-separated word before a word starting with `--` ends with `;`. */
function endsWithSemicolon(line: string): boolean {
  let previous = '';
  for (const word of line.split(/\s+/)) {
    if (word === '') continue;
    if (word.startsWith('--')) break;
    previous = word;
  }
  return previous.endsWith(';');
}

/**
 * Where goose's cuts do not fall between statements, goose sends part of a statement (a PL/pgSQL body cut at a
 * `;` line without StatementBegin/StatementEnd): Postgres refuses that piece and the file fails. The section is
 * parsed (libpg-query) to find the statements; the first one a cut falls inside is reported with the error
 * Postgres gives for the piece goose sends. A section that does not parse is left to the replay, which reports it.
 */
function splitProblem(text: string, substitutions: Substitution[], chunks: GooseChunk[], { startLine: from, endLine: to }: { startLine: number; endLine: number }, name: string): PlanProblem | undefined {
  if (chunks.length < 2) return undefined; // one cut, at the end of the only statement
  const written = text.split('\n');
  const lines = substitutions.length > 0 ? substitute(text, substitutions).text.split('\n') : written;
  if (lines.length !== written.length) return undefined; // a substituted value with a line break: positions would not hold
  const section = lines.map((line, i) => (i >= from && i < to ? line : '')).join('\n');
  let parsed;
  try {
    parsed = parseSql(section, name);
  } catch (error) {
    if (error instanceof SqlSyntaxError) return undefined;
    throw error;
  }
  const { statements, source } = parsed;
  for (const chunk of chunks) {
    const cutAfterLine = chunk.endLine; // 1-based number of the chunk's last line
    const cut = statements.find((s) => s.line <= cutAfterLine && source.positionOfByte(s.byteEnd - 1).line > cutAfterLine);
    if (!cut) continue;
    const piece = lines.slice(chunk.startLine, chunk.endLine).join('\n');
    let detail = `a statement that starts at line ${cut.line} is cut at line ${cutAfterLine}`;
    let line = cut.line;
    let column = cut.column;
    try {
      parseSql(piece, name);
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error;
      detail = error.detail;
      line = chunk.startLine + error.line;
      column = error.column;
    }
    return {
      message: `goose sends the Up section statement by statement, cut at each line ending with ";" outside -- +goose StatementBegin/StatementEnd, and Postgres refuses the piece sent: ${detail}`,
      line,
      column,
      hint: 'wrap the statement in -- +goose StatementBegin and -- +goose StatementEnd lines',
    };
  }
  return undefined;
}
