import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { quoteIdentIfNeeded as quoteIdent } from '../engine/quote.js';
import { InputError } from '../errors.js';
import { checkProjectFile } from '../util/project-paths.js';
import { atlasProjectSettings, type AtlasSettings, type AtlasTxMode } from './atlas-settings.js';
import { positionIn, type Substitution } from './substitution.js';
import { byCodeUnits, filesIn, lineCount, type BookkeepingSetup, type Discovery, type FilePlan, type IgnoredFile, type Runner, type RunnerLint, type RunnerName, type RunnerOptions } from './types.js';
import { atlasNolint } from './atlas-nolint.js';
import { lazyBuiltin } from '../util/lazy-builtin.js';

// loaded when an atlas.sum is checked: every command loads the runners, and node:crypto costs ~5-9 ms to load
const crypto = lazyBuiltin<typeof import('node:crypto')>('node:crypto');

/**
 * Atlas versioned migrations (`atlas migrate apply`, https://atlasgo.io/versioned/apply), ariga/atlas@a5e0aec.
 * - Files (sql/migrate/dir.go LocalDir.Files): every `*.sql` name of the folder itself (fs.Glob: case-sensitive, no
 *   sub-folders, whatever the rest of the name), in byte order; the version is the name up to its first `_`
 *   (LocalFile.Version). Nothing else is read: a `.down.sql` file is a migration like any other.
 * - atlas.sum (dir.go HashFile, Validate; cmdapi/migrate.go migrateApplyRun): before anything runs, Atlas checks the
 *   folder against it and refuses the run on any difference ("You have a checksum error in your migration
 *   directory", naming the line and the file added, edited or removed), or when it is missing.
 * - Checkpoints (dir.go FilesFromLastCheckpoint; migrate.go Executor.Pending): on a database with no revision, Atlas
 *   starts from the LAST file whose file directives hold `atlas:checkpoint` and skips every file before it.
 * - Statements (sql/postgres/driver.go ScanStmts, sql/migrate/lex.go Scanner): each statement is sent on its own; a
 *   `-- atlas:delimiter <d>` first line replaces `;` by `<d>` (`\n` `\r` `\t` unescaped), which the replay turns
 *   back into `;` (atlasStatementCuts) so the statements Atlas sends are the ones Postgres parses.
 * - Transactions (cmdapi/migrate.go tx.driverFor, txmodeFor): `--tx-mode file` (the default) runs each file in a
 *   transaction of its own, `none` each statement on its own, `all` every pending file in one transaction; a file
 *   directive `-- atlas:txmode none|file` overrides it for one file (not under `all`, which refuses it).
 * - Bookkeeping (cmdapi/migrate.go revisionSchemaName, cmd/atlas/internal/migrate/migrate.go NewEntRevisions): the
 *   table `atlas_schema_revisions` in the schema `atlas_schema_revisions`, created (schema first) before the first
 *   migration; `--revisions-schema` (atlas.hcl `revisions_schema`) or the URL's `search_path` name another schema.
 */
export const DEFAULT_REVISIONS_SCHEMA = 'atlas_schema_revisions';
const REVISIONS_TABLE = 'atlas_schema_revisions';
export const SUM_FILE = 'atlas.sum';

/**
 * The file's directive regular expression (dir.go reDirective, `^([ -~]*)atlas:(\w+)(?: +(.+))*`), matched at the
 * start of the text only, like Go's FindStringSubmatch: Go's `.` is every character but `\n` (JavaScript's also stops at `\r`).
 */
const DIRECTIVE = /^([ -~]*)atlas:(\w+)(?: +([^\n]+))*/;

/** dir.go `directive`: the arguments of directive `name` when `content` starts with it (after `prefix`, when given). */
export function atlasDirective(content: string, name: string, prefix?: string): string | undefined {
  const match = DIRECTIVE.exec(content);
  if (match && match[2] === name && (prefix === undefined || prefix === match[1])) return match[3] ?? '';
  return undefined;
}

/**
 * dir.go LocalFile.comments: the comment lines the file starts with (`--` or `#` at the very start of each line), which
 * are file directives only when a blank line (or the end of the file) follows them; trimmed like Go's TrimSpace.
 */
function fileComments(text: string): string[] {
  const comments: string[] = [];
  let content = text;
  while (content.startsWith('#') || content.startsWith('--')) {
    const end = content.indexOf('\n');
    if (end === -1) {
      // a file of one comment line with no line break: Go leaves `content` as it is, so the check below drops it
      // (dir_test.go TestLocalFile_Directive: "-- atlas:lint ignore" has no directive)
      comments.push(content);
      break;
    }
    comments.push(goTrimSpace(content.slice(0, end)));
    content = content.slice(end + 1);
  }
  if (!content.replace(/^[ \t]+/, '').startsWith('\n') && content !== '') return [];
  return comments;
}

/** dir.go LocalFile.Directive: the arguments of each file directive `name`. */
export function fileDirectives(text: string, name: string): string[] {
  return fileComments(text).flatMap((comment) => {
    const value = atlasDirective(comment, name);
    return value === undefined ? [] : [value];
  });
}

/** Go's unicode.IsSpace (no U+FEFF, unlike JavaScript's \s). */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
function goTrimSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && GO_SPACE.test(text[start])) start++;
  while (end > start && GO_SPACE.test(text[end - 1])) end--;
  return text.slice(start, end);
}

export interface SumEntry {
  name: string;
  hash: string;
}

/**
 * dir.go NewHashFile: one sha256 over the folder's files in order, each file's name then its bytes; after each file the
 * running digest (base64) is its entry. A file whose text starts with `atlas:sum ignore` adds its name only.
 */
export function atlasHashFile(files: { name: string; bytes: Buffer }[]): SumEntry[] {
  const hash = crypto().createHash('sha256');
  const entries: SumEntry[] = [];
  for (const file of files) {
    hash.update(file.name);
    if (atlasDirective(file.bytes.toString('latin1'), 'sum') === 'ignore') continue;
    hash.update(file.bytes);
    entries.push({ name: file.name, hash: hash.copy().digest('base64') });
  }
  return entries;
}

/** dir.go HashFile.Sum: the sum of the entries, the first line of atlas.sum. */
export function atlasSum(entries: SumEntry[]): string {
  const hash = crypto().createHash('sha256');
  for (const entry of entries) hash.update(entry.name).update(entry.hash);
  return hash.digest('base64');
}

/** atlas.sum as `atlas migrate hash` writes it (dir.go HashFile.MarshalText). */
export function atlasSumText(entries: SumEntry[]): string {
  return `h1:${atlasSum(entries)}\n${entries.map((entry) => `${entry.name} h1:${entry.hash}\n`).join('')}`;
}

/**
 * Why Atlas refuses the folder against its atlas.sum (dir.go Validate and HashFile.UnmarshalText; the words of
 * cmdapi/migrate.go printChecksumError), or undefined when they agree.
 */
export function checksumProblem(folder: string, names: string[], root = path.dirname(folder), read = (name: string) => readProjectFile(folder, name, root)): string | undefined {
  let sumText: string;
  try {
    sumText = readFileSync(path.join(folder, SUM_FILE), 'utf8');
  } catch {
    // Validate: no atlas.sum is fine only for an empty folder (ErrChecksumNotFound)
    return names.length > 0 ? `${SUM_FILE} not found: atlas migrate apply refuses a migration directory without its checksum file (run 'atlas migrate hash')` : undefined;
  }
  const lines = sumText.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const recorded: SumEntry[] = [];
  for (const [index, line] of lines.slice(1).entries()) {
    // bufio.Scanner drops a trailing \r; strings.SplitN(line, "h1:", 2)
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    const at = text.indexOf('h1:');
    if (at === -1) return `${SUM_FILE}:${index + 2}: checksum file format invalid (Atlas refuses the directory; run 'atlas migrate hash')`;
    recorded.push({ name: goTrimSpace(text.slice(0, at)), hash: text.slice(at + 3) });
  }
  const firstLine = (lines[0] ?? '').replace(/\r$/, '');
  if (firstLine.replace(/^h1:/, '') !== atlasSum(recorded)) return `${SUM_FILE}:1: checksum mismatch: its first line is not the sum of its entries (the file was edited by hand; run 'atlas migrate hash')`;
  const computed = atlasHashFile(names.map((name) => ({ name, bytes: read(name) })));
  if (atlasSum(recorded) === atlasSum(computed)) return undefined;
  const mismatch = (line: number, file: string, reason: string) =>
    `${SUM_FILE}:${line}: ${file} was ${reason}: Atlas refuses the directory ("You have a checksum error in your migration directory"); run 'atlas migrate hash' after reviewing the change`;
  for (const [i, entry] of recorded.entries()) {
    if (computed[i]?.name === entry.name && computed[i]?.hash === entry.hash) continue;
    const at = computed.findIndex((e) => e.name === entry.name);
    if (at < 0) return mismatch(i + 2, entry.name, 'removed');
    if (at === i) return mismatch(i + 2, entry.name, 'edited');
    return mismatch(i + 2, computed[i].name, 'added');
  }
  return mismatch(recorded.length + 2, computed[recorded.length]?.name ?? '?', 'added');
}

/**
 * atlas.sum after `name` (with `text`) is added to the folder, as `atlas migrate hash` would rewrite it, so the folder
 * stays one Atlas applies (pgdrift check --write-migration). Undefined when the folder has no atlas.sum, or its sum
 * already disagrees with the files (then the folder is left for the team to review and re-hash).
 */
export function atlasSumWith(folder: string, root: string, name: string, text: string): string | undefined {
  const listed = filesIn(folder);
  if (!listed.includes(SUM_FILE)) return undefined;
  // a golang-migrate directory's sum lists its *.up.sql files only (GolangMigrateDir.Checksum), and the new file of
  // such a folder is named `<version>_<name>.up.sql` (the atlas runner's newMigrationName)
  const suffix = name.endsWith('.up.sql') ? '.up.sql' : '.sql';
  // each file read once, for the check of the current sum and for the new one
  const names = listed.filter((file) => file.endsWith(suffix)).sort(byCodeUnits);
  const bytes = new Map(names.map((file) => [file, readProjectFile(folder, file, root)]));
  if (checksumProblem(folder, names, root, (file) => bytes.get(file)!) !== undefined) return undefined;
  bytes.set(name, Buffer.from(text, 'utf8'));
  return atlasSumText(atlasHashFile([...bytes.keys()].sort(byCodeUnits).map((file) => ({ name: file, bytes: bytes.get(file)! }))));
}

/** dir.go LocalFile.isCheckpoint: a file directive `atlas:checkpoint` (with or without a tag). */
export function isCheckpoint(text: string): boolean {
  return fileDirectives(text, 'checkpoint').length > 0;
}

/**
 * A file of the folder as Atlas reads it, once it passes the project-file checks (checkProjectFile: no link out of
 * the project or into /proc, /sys, /dev; an InputError naming it otherwise), also for the files Atlas only hashes.
 */
function readProjectFile(folder: string, name: string, root: string): Buffer {
  const absolute = path.join(folder, name);
  const real = checkProjectFile(absolute, path.relative(root, absolute).split(path.sep).join('/'), root);
  return real ? readFileSync(real) : Buffer.alloc(0);
}

function readText(folder: string, name: string, root: string): string {
  return readProjectFile(folder, name, root).toString('utf8');
}

function discoverAtlas(folder: string, settings: AtlasSettings, root: string): Discovery {
  if (settings.otherDatabase) {
    const shown = path.relative(root, folder).split(path.sep).join('/') || '.';
    throw new InputError(`${shown}/ is an Atlas history for ${settings.otherDatabase.name}, not PostgreSQL: ${settings.otherDatabase.where}`, {
      hint: 'pgdrift replays PostgreSQL migrations only (a PostgreSQL url or dev URL in atlas.hcl, or --url in the project\'s atlas migrate apply, makes the folder a PostgreSQL history)',
    });
  }
  // sql/sqltool/tool.go: GooseDir and DBMateDir send a file's up section only (StmtDecls), FlywayDir reads B, V and R
  // files, sub-folders too, by type then version: read as Atlas's own files, down sections would be replayed too, and
  // a Flyway folder's files in another order
  const runnerFormat = settings.format && ({ goose: 'goose', dbmate: 'dbmate', flyway: 'flyway' } as Record<string, string>)[settings.format.value];
  if (runnerFormat) {
    const shown = path.relative(root, folder).split(path.sep).join('/') || '.';
    throw new InputError(`${settings.format!.where} applies ${shown}/ as a ${runnerFormat} directory (--dir-format ${runnerFormat}), which pgdrift's atlas runner does not read: as Atlas's own files, ${runnerFormat === 'flyway' ? "the folder's files would be replayed in another order (and undo files with them)" : 'their down sections would be replayed too'}`, {
      hint: `replay it with --runner ${runnerFormat} (the part of each file Atlas sends is the one ${runnerFormat} runs)`,
    });
  }
  const listed = filesIn(folder);
  // --dir-format golang-migrate (sql/sqltool/tool.go GolangMigrateDir.Files): fs.Glob(d, "*.up.sql") in byte order,
  // and Checksum hashes those files only (field: Cufee/aftermath, `dir = "file://...?format=golang-migrate"`, whose
  // atlas.sum lists the .up.sql files alone); each is a LocalFile, so directives and statements are Atlas's own
  const golangMigrate = settings.format?.value === 'golang-migrate';
  const suffix = golangMigrate ? '.up.sql' : '.sql';
  // fs.Glob(d, "*.sql"): the suffix as written; LocalDir.Files sorts by name (byte order)
  const names = listed.filter((name) => name.endsWith(suffix)).sort(byCodeUnits);
  const ignored: IgnoredFile[] = listed
    .filter((name) => !name.endsWith(suffix) && name.toLowerCase().endsWith('.sql'))
    .map((name) =>
      golangMigrate && name.endsWith('.sql')
        ? { name, reason: `not a .up.sql file: Atlas reads a golang-migrate directory's *.up.sql files only (${settings.format!.where})`, expected: name.endsWith('.down.sql') }
        : { name, reason: 'Atlas reads only names ending in ".sql" (lower case): it never applies it' },
    );
  // fs.Glob(d, "*.sql") matches the folder's own files: a sub-folder's SQL (an older runner's `<version>/up.sql`) never runs
  for (const sub of readdirSync(folder, { withFileTypes: true }).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name).sort(byCodeUnits)) {
    for (const name of filesIn(path.join(folder, sub)).filter((file) => file.endsWith('.sql'))) ignored.push({ name: `${sub}/${name}`, reason: 'in a sub-folder: Atlas reads the migration folder\'s own .sql files only' });
  }
  const problems: string[] = [];
  // each file read once, for the sum and for its directives
  const bytes = new Map(names.map((name) => [name, readProjectFile(folder, name, root)]));
  const text = (name: string) => bytes.get(name)!.toString('utf8');
  const checksum = checksumProblem(folder, names, root, (name) => bytes.get(name)!);
  if (checksum) problems.push(checksum);
  let start = 0;
  let startReason = '';
  const baseline = settings.baseline;
  if (baseline !== undefined) {
    // Executor.Pending with --baseline: the revision of the LAST file of that version is written, and the files
    // after it applied (checkpoint files left out of that list)
    const migrations = names.filter((name) => !isCheckpoint(text(name)));
    const at = migrations.map(versionOf).lastIndexOf(baseline.version);
    if (at === -1) problems.push(`baseline version "${baseline.version}" not found (${baseline.where}): Atlas refuses the run`);
    else {
      for (const name of names) {
        const index = migrations.indexOf(name);
        if (index === -1) ignored.push({ name, reason: `a checkpoint file: with a baseline version (${baseline.where}) Atlas never runs one`, expected: true });
        else if (index <= at) ignored.push({ name, reason: `covered by the baseline version ${baseline.version} (${baseline.where}): Atlas records it as applied and never runs it`, expected: true });
      }
      const kept = migrations.slice(at + 1);
      return result(kept, ignored, problems);
    }
  } else {
    const checkpoints = names.flatMap((name, index) => (isCheckpoint(text(name)) ? [index] : []));
    if (checkpoints.length > 0) {
      start = checkpoints[checkpoints.length - 1];
      startReason = `before the checkpoint ${names[start]}: on a new database Atlas starts from the latest checkpoint and never runs it`;
    }
  }
  for (const name of names.slice(0, start)) ignored.push({ name, reason: startReason, expected: true });
  return result(names.slice(start), ignored, problems);
}

function result(names: string[], ignored: IgnoredFile[], problems: string[]): Discovery {
  const migrations = names.map((name) => ({ name, version: versionOf(name) }));
  // revisions are keyed by version (Executor.Execute ReadRevision(version)): a second file of one version finds the
  // first one's revision, and Atlas does not apply it as a migration of its own
  const seen = new Map<string, string>();
  for (const migration of migrations) {
    const first = seen.get(migration.version);
    if (first !== undefined) problems.push(`${migration.name} has the same version as ${first}: Atlas keeps one revision per version`);
    else seen.set(migration.version, migration.name);
  }
  return { migrations, ignored, problems };
}

/** dir.go LocalFile.Version: the name without `.sql`, up to its first `_`. */
export function versionOf(name: string): string {
  return name.replace(/\.sql$/, '').split('_')[0];
}

/**
 * The part of a file Atlas runs, under the run's transaction mode (cmdapi/migrate.go tx.modeFor): the whole file,
 * `wrapped` (`file`), statement by statement (`none`), or inside the run's one transaction (`all`: Runner.oneTransaction).
 */
export function planAtlas(text: string, name: string, global: AtlasTxMode = 'file'): FilePlan {
  const lines = lineCount(text);
  const directives = fileDirectives(text, 'txmode');
  const refuse = (message: string, hint?: string): FilePlan => ({ parts: [{ startLine: 0, endLine: lines, transaction: 'wrapped' }], problem: { message, line: 1, column: 1, ...(hint ? { hint } : {}) } });
  let mode: AtlasTxMode = global;
  // txmodeFor: one directive, `none` or `file`
  if (directives.length > 1) return refuse(`Atlas refuses ${name}: multiple txmode values found (${directives.map((d) => `"${d}"`).join(', ')})`);
  if (directives.length === 1) {
    const [value] = directives;
    if (value === 'all') return refuse(`Atlas refuses ${name}: txmode "all" is not allowed in a file directive`, 'use -- atlas:txmode file, or --tx-mode all for the whole run');
    if (value !== 'none' && value !== 'file') return refuse(`Atlas refuses ${name}: unknown txmode "${value}" in its file directive`, 'use -- atlas:txmode none or -- atlas:txmode file');
    if (value !== global) {
      if (global === 'all') return refuse(`Atlas refuses ${name}: its txmode directive "${value}" cannot be used when the run's --tx-mode is "all"`);
      mode = value;
    }
  }
  const delimiter = atlasStatementCuts(text);
  if ('problem' in delimiter) return { parts: [{ startLine: 0, endLine: lines, transaction: 'wrapped' }], problem: delimiter.problem };
  return {
    parts: [{ startLine: 0, endLine: lines, transaction: mode === 'none' ? 'none' : 'wrapped' }],
    ...(delimiter.substitutions.length > 0 ? { substitutions: delimiter.substitutions } : {}),
  };
}

/** lex.go: a dollar-quote tag as Atlas's scanner matches it (reDollarQuote). */
const DOLLAR_QUOTE = /^\$([A-Za-z\u00c8-\u00ff_][\w\u00c8-\u00ff]*)*\$/;

/**
 * Where Atlas cuts a file into the statements it sends (lex.go Scanner.stmt, with sql/postgres driver.go ScanStmts's
 * options), or why its scanner refuses the file (an unclosed quote or `(`, an unexpected `)`: Executor.Execute fails
 * with "scanning statements from ..."), at the file's line:column. Parentheses, quotes and dollar quotes hide the
 * delimiter; a `--` or `/*` comment does too, unless it never ends (then lex.go reads on through it, quotes and all).
 * lex.go's `E'...'` check looks at the quote itself, so no backslash escapes for Postgres: `E'it\'s'` is refused,
 * as Atlas refuses it. BEGIN ... END grouping is not followed: it changes no cut the replay needs and no error.
 * With a `-- atlas:delimiter <d>` first line (Scanner.init; only with that exact `-- ` prefix), `<d>` separates the
 * statements instead of `;` (`\n` `\r` `\t` unescaped): each delimiter found becomes `;` (plus the delimiter's own
 * line breaks, so lines do not move), so the text pgdrift parses and sends holds the statements Atlas sends.
 */
export function atlasStatementCuts(text: string): { substitutions: Substitution[] } | { problem: FilePlan['problem'] & object } {
  const written = atlasDirective(text, 'delimiter', '-- ');
  let delim = ';';
  let offset = 0;
  if (written !== undefined) {
    const firstBreak = text.indexOf('\n');
    if (written === '') return { problem: { message: 'Atlas cannot read the file: empty delimiter in its atlas:delimiter directive', line: 1, column: 1 } };
    if (firstBreak === -1) return { problem: { message: `Atlas cannot read the file: no input found after delimiter "${written}"`, line: 1, column: 1 } };
    delim = written.replace(/\\n|\\r|\\t/g, (escape) => ({ '\\n': '\n', '\\r': '\r', '\\t': '\t' })[escape]!);
    offset = firstBreak + 1;
  }
  const substitutions: Substitution[] = [];
  const fail = (index: number, message: string) => ({ problem: { message: `Atlas cannot split the file into statements: ${message}`, ...positionIn(text, index) } });
  let input = text.slice(offset);
  const skipSpaces = () => {
    let n = 0;
    while (n < input.length && GO_SPACE.test(input[n])) n++;
    input = input.slice(n);
    offset += n;
  };
  for (;;) {
    skipSpaces();
    let pos = 0;
    let depth = 0;
    let opening = 0;
    let ended = false;
    while (!ended) {
      if (pos >= input.length) {
        if (depth > 0) return fail(offset + opening - 1, "unclosed '('");
        if (pos === 0) return { substitutions };
        input = '';
        break;
      }
      const r = input[pos];
      pos++;
      if (r === '(') {
        if (depth === 0) opening = pos;
        depth++;
      } else if (r === ')') {
        if (depth === 0) return fail(offset + pos - 1, "unexpected ')'");
        depth--;
      } else if (r === "'" || r === '"' || r === '`') {
        // skipQuote: lex.go's E'' check looks at the quote itself, so no backslash escapes for Postgres
        const close = input.indexOf(r, pos);
        if (close === -1) {
          const problem = fail(offset + pos - 1, `unclosed quote ${JSON.stringify(r)}`);
          return r === "'" ? { problem: { ...problem.problem, hint: "Atlas's scanner takes \\' in an E'...' string, or a quote in a last comment line with no line break after it, as a quote of the SQL: write a quote inside a string as '', end the file with a line break" } } : problem;
        }
        pos = close + 1;
      } else if (pos === 1 && input.length > 9 && input.slice(0, 9).toLowerCase() === 'delimiter' && input[9] === ' ') {
        return fail(offset, 'a MySQL DELIMITER command, which pgdrift does not replay');
      } else if (depth === 0 && input.startsWith(delim, pos - 1)) {
        const start = offset + pos - 1;
        if (delim !== ';') substitutions.push({ start, end: start + delim.length, value: `;${delim.replace(/[^\n]/g, '')}` });
        pos += delim.length - 1;
        ended = true;
      } else if (r === '$' && DOLLAR_QUOTE.test(input.slice(pos - 1))) {
        const tag = DOLLAR_QUOTE.exec(input.slice(pos - 1))![0];
        const close = input.indexOf(tag, pos - 1 + tag.length);
        // skipDollarQuote: with a delimiter set, an unclosed dollar quote runs to the end of the file
        pos = close === -1 ? input.length : close + tag.length;
      } else if ((r === '-' && input[pos] === '-') || (r === '/' && input[pos] === '*')) {
        pos++;
        const right = r === '-' ? '\n' : '*/';
        const close = input.indexOf(right, pos);
        if (close === -1) continue; // not a comment (lex.go comment)
        const leading = pos === 2;
        pos = close + right.length;
        if (leading) {
          // a comment before the statement: cut, and the spaces after it skipped
          input = input.slice(pos);
          offset += pos;
          pos = 0;
          skipSpaces();
        }
      }
    }
    input = input.slice(pos);
    offset += pos;
  }
}

/** The revisions table Atlas creates on a new database (NewEntRevisions, then the ent schema's migration). */
function revisionsSetup(schema: string): BookkeepingSetup {
  const table = `${quoteIdent(schema)}.${quoteIdent(REVISIONS_TABLE)}`;
  // cmd/atlas/internal/migrate/ent/migrate/schema.go AtlasSchemaRevisionsColumns, with ent's Postgres types
  // (string: character varying, size 2147483647: text, int/uint/int64: bigint, time: timestamptz, JSON: jsonb)
  return {
    table,
    sql: `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)};
CREATE TABLE IF NOT EXISTS ${table} ("version" character varying NOT NULL, "description" character varying NOT NULL, "type" bigint NOT NULL DEFAULT 2, "applied" bigint NOT NULL DEFAULT 0, "total" bigint NOT NULL DEFAULT 0, "executed_at" timestamp with time zone NOT NULL, "execution_time" bigint NOT NULL, "error" text NULL, "error_stmt" text NULL, "hash" character varying NOT NULL, "partial_hashes" jsonb NULL, "operator_version" character varying NOT NULL, PRIMARY KEY ("version"))`,
  };
}

const LINT: RunnerLint = {
  // dir.go DefaultFormatter: `{{ now }}_{{ .Name }}.sql`, the version a UTC timestamp 20060102150405
  fileNamePattern: /^\d{14}(_[A-Za-z0-9_.\-]+)?\.sql$/,
  example: '20240102150405_add_orders.sql',
  sequentialVersions: false,
  transactions: 'atlas migrate apply runs each file in a transaction of its own (--tx-mode file), statement by statement, unless the file says -- atlas:txmode none',
  // `atlas migrate lint` skips what `-- atlas:nolint` names: pgdrift does too (atlas-nolint.ts)
  suppressions: atlasNolint,
  outsideTransaction: 'put it in a file whose first lines are "-- atlas:txmode none" followed by a blank line (then run atlas migrate hash)',
};

export const atlas: Runner = {
  name: 'atlas',
  docs: 'https://atlasgo.io/versioned/apply',
  // cmdapi.go addFlagDirURL: --dir defaults to file://migrations
  folders: ['migrations'],
  discover: (folder, options) => discoverAtlas(folder, settingsOf(folder, options), options?.projectRoot ?? path.dirname(folder)),
  evidence(listing) {
    // `atlas migrate hash` writes atlas.sum into the folder; Atlas also hashes golang-migrate, goose, Flyway and dbmate
    // folders (--dir-format) for `atlas migrate lint`, so another runner's names or markers win over it (weak)
    if (!listing.files.includes(SUM_FILE)) {
      // no atlas.sum, but the project's atlas migrate apply (a script or recipe, or the atlas.hcl env it selects) names
      // this folder (field: BEDOLAGA-DEV/RemnaCore, Makefile `atlas migrate apply --env local`, env "local" dir
      // file://internal/adapter/postgres/migrations, no atlas.sum committed): Atlas applies it, and refuses it until
      // `atlas migrate hash` writes the sum (dir.go Validate, ErrChecksumNotFound); it was replayed as numbered files
      if (!listing.root) return undefined;
      const sql = listing.files.filter((name) => !name.includes('/') && name.endsWith('.sql'));
      // an empty folder is Atlas's only when nothing else claims it (it said "no migrations ... for the numbered runner")
      if (sql.length === 0 && listing.files.some((name) => !name.startsWith('.'))) return undefined;
      const settings = atlasProjectSettings(listing.root, listing.folder, process.env);
      if (settings.dir?.folder !== path.resolve(listing.folder)) return undefined;
      if (sql.length === 0) return { files: [], what: `the folder ${settings.dir.where} applies, with no migration in it yet`, weak: true };
      return { files: sql.slice(0, 1), what: `the folder ${settings.dir.where} applies (no atlas.sum)`, overrides: ['numbered'] };
    }
    // Atlas has no --dir-format for `<version>_<name>/up.sql` folders (Diesel's, Hasura's): an atlas.sum naming a
    // top-level .sql file of the folder beside such folders is a project that moved to Atlas, whose Dir reads the
    // top-level files only (field: ARGA-Genomes/arga-backend core/migrations, Diesel folders up to 2025-03, then
    // Atlas files listed in atlas.sum)
    const listed = new Set(listing.read(SUM_FILE).split('\n').slice(1).map((line) => line.split(' h1:')[0].trim()));
    const atlasFiles = listing.files.some((name) => !name.includes('/') && name.endsWith('.sql') && listed.has(name));
    // the project's own `atlas migrate apply` applies this folder: Atlas's semantics (atlas.sum checked, a transaction
    // per file, atlas_schema_revisions), also for a golang-migrate directory (--dir-format golang-migrate), whose file
    // names alone read as golang-migrate's. Goose, dbmate and Flyway formats stay with their runners (discover says so).
    if (listing.root && atlasFiles) {
      const settings = atlasProjectSettings(listing.root, listing.folder, process.env);
      const format = settings.format?.value;
      if (settings.appliedBy && (format === undefined || format === 'atlas' || format === 'golang-migrate')) {
        return { files: [SUM_FILE], what: `an Atlas atlas.sum, and ${settings.appliedBy} applies the folder`, overrides: ['diesel', 'hasura', 'golang-migrate', 'numbered'] as RunnerName[] };
      }
    }
    return { files: [SUM_FILE], what: 'an Atlas atlas.sum', weak: true, ...(atlasFiles ? { overrides: ['diesel', 'hasura'] as RunnerName[] } : {}) };
  },
  plan: (text, name) => planAtlas(text, name),
  // LocalDir.Files reads the bytes as they are and the scanner does not count U+FEFF as a space: the first statement
  // Atlas sends starts with it
  sendsByteOrderMark: () => true,
  configuredFolders: (folder, options) => {
    const settings = settingsOf(folder, options);
    return settings.dir ? { setting: settings.dir.where, folders: [settings.dir.folder] } : undefined;
  },
  forProject(folder, options) {
    const settings = settingsOf(folder, options);
    const schema = settings.revisionsSchema?.value ?? DEFAULT_REVISIONS_SCHEMA;
    const mode = settings.txMode?.value ?? 'file';
    const notices = [...settings.notices];
    if (mode === 'none') {
      // tx.mayCommit commits a file's transaction only under --tx-mode file: under `none`, the transaction a
      // `txmode file` directive opens stays open to the end of the run, and the files after it run on another connection
      const wrapped = filesIn(folder).filter((name) => name.endsWith('.sql') && fileDirectives(readText(folder, name, options.projectRoot ?? path.dirname(folder)), 'txmode').includes('file'));
      if (wrapped.length > 0) notices.push(`atlas: with --tx-mode none (${settings.txMode!.where}), Atlas commits the transaction of ${wrapped.join(', ')} (-- atlas:txmode file) only at the end of the run, and runs the files after it on another connection (a second such file fails: "unexpected active transaction"); the replay commits each at its own end`);
    }
    return {
      bookkeeping: [`${schema}.${REVISIONS_TABLE}`],
      bookkeepingSetup: revisionsSetup(schema),
      ...(mode === 'all' ? { oneTransaction: true } : {}),
      ...(mode !== 'file' ? { plan: (text: string, name: string) => planAtlas(text, name, mode), lint: { ...LINT, transactions: mode === 'all' ? `atlas migrate apply --tx-mode all (${settings.txMode!.where}) runs every pending file in one transaction, statement by statement` : `atlas migrate apply --tx-mode none (${settings.txMode!.where}) runs each statement on its own, unless a file says -- atlas:txmode file` } } : {}),
      ...(notices.length > 0 ? { notices } : {}),
      // Atlas reads a golang-migrate directory's *.up.sql files only: a new `<version>_<name>.sql` would never run
      ...(settings.format?.value === 'golang-migrate' ? { newMigrationName: (version: string, slug: string) => `${version}_${slug}.up.sql` } : {}),
    };
  },
  compareVersions: byCodeUnits,
  bookkeeping: [`${DEFAULT_REVISIONS_SCHEMA}.${REVISIONS_TABLE}`],
  bookkeepingSetup: revisionsSetup(DEFAULT_REVISIONS_SCHEMA),
  lint: LINT,
};

function settingsOf(folder: string, options: RunnerOptions | undefined): AtlasSettings {
  return atlasProjectSettings(options?.projectRoot ?? path.dirname(folder), folder, options?.env ?? process.env);
}
