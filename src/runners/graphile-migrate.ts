import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { lazyBuiltin } from '../util/lazy-builtin.js';
import { quoteLiteral } from '../engine/quote.js';
import { InputError } from '../errors.js';
import { parseSearchPathValue } from '../sql/ast.js';
import { skipSpaceAndComments } from '../sql/lex.js';
import { environmentWithDotEnv } from './dotenv.js';
import type { Substitution } from './substitution.js';
import { compareIntegers, filesIn, foldersUpTo, isDirectory, isFile, isSql, lineCount, type DiscoveredMigration, type FilePlan, type IgnoredFile, type Runner, type RunnerOptions } from './types.js';

// node:crypto is loaded on the first hash checked: every command loads the runners (util/lazy-builtin.ts)
const crypto = lazyBuiltin<typeof import('node:crypto')>('node:crypto');

/** src/migrationFilename.ts VALID_FILE_REGEX: a committed migration's name (`000001.sql`, `000002-add-users.sql`) */
const COMMITTED_FILE = /^([0-9]+)(-[-_a-zA-Z0-9]*)?\.sql$/;
/** src/migration.ts parseMigrationText: a header line (`--! Previous: -`, `--! Hash: sha1:…`, `--! AllowInvalidHash`) */
const HEADER = /^--! ([A-Z][a-zA-Z0-9_]*)(?::(.*))?$/;
/** src/header.ts isNoTransactionDefined: the first line of the body */
const NO_TRANSACTION = /^--!\s*no-transaction\b/;
/** src/_common.ts: the settings files graphile-migrate reads from the folder it runs in, in this order */
const SETTINGS_FILES = ['.gmrc', '.gmrc.js', '.gmrc.cjs'];

/** What pgdrift reads of a project's .gmrc (src/settings.ts Settings). */
export interface GmrcSettings {
  /** the settings file, absolute */
  file: string;
  /** a .gmrc.js / .gmrc.cjs: JavaScript pgdrift does not evaluate; only settings written as literals were read */
  javascript?: boolean;
  /** with `javascript`: the settings read from literals (`placeholders: { ... }`) */
  literal?: string[];
  /** the JSON5 could not be parsed: graphile-migrate stops ("Failed to parse") */
  error?: string;
  /** where the JSON5 parser stopped (1-based), with `error` */
  errorAt?: { line: number; column: number };
  migrationsFolder?: string;
  connectionString?: string;
  databaseOwner?: string;
  placeholders: Record<string, string>;
  pgSettings: Record<string, string>;
  manageGraphileMigrateSchema: boolean;
  afterReset: ActionSpec[];
  beforeAllMigrations: ActionSpec[];
  afterAllMigrations: ActionSpec[];
  beforeCurrent: ActionSpec[];
  afterCurrent: ActionSpec[];
}

/** src/actions.ts ActionSpec, as makeValidateActionCallback normalises it (`"!file.sql"`: an SQL file run as root). */
export type ActionSpec = { kind: 'sql'; file: string; root?: boolean; shadow?: boolean } | { kind: 'command'; command: string; shadow?: boolean };

/** migration.ts _migrateMigrationSchema, as graphile-migrate runs it before the first migration */
const BOOKKEEPING_SETUP = {
  table: 'graphile_migrate.migrations',
  sql: `create schema if not exists graphile_migrate;

create table if not exists graphile_migrate.migrations (
  hash text primary key,
  previous_hash text references graphile_migrate.migrations,
  filename text not null,
  date timestamptz not null default now()
);

create table if not exists graphile_migrate.current (
  filename text primary key default 'current.sql',
  content text not null,
  date timestamptz not null default now()
);`,
};

/**
 * Graphile Migrate (github.com/graphile/migrate, read at 54ea390, 2026-04: README.md, src/migration.ts, src/settings.ts,
 * src/commands/migrate.ts, src/commands/reset.ts, src/actions.ts, src/hash.ts, src/header.ts, src/current.ts).
 * - Discovery (migration.ts getAllMigrations): the files of `<migrationsFolder>/committed` (no sub-folders) whose name
 *   matches `^([0-9]+)(-[-_a-zA-Z0-9]*)?\.sql$`; others are skipped. Each is known as `<number>.sql` and sorted so
 *   (localeCompare 'en'). A file without a `--! Previous:` or `--! Hash:` header, a header given twice, or headers not
 *   followed by an empty line (parseMigrationText strict; CRLF line endings included) stop graphile-migrate before it
 *   runs anything, as does a broken chain: each migration's `--! Previous:` must be the hash of the one before it
 *   (`-` for the first).
 * - Hash (hash.ts calculateHash, migration.ts runCommittedMigration): sha1 of `<Previous>\n<body trimmed>` (trimmed, plus
 *   `\n`), the body being the text after the headers. A file whose hash does not match its `--! Hash:` is refused
 *   ("has the file been tampered with?") unless it has `--! AllowInvalidHash` (which itself is refused when the hash
 *   matches): the replay refuses it too, at its Hash line.
 * - What runs (runStringMigration): the body with the placeholders replaced, in one transaction (`begin`, the body as
 *   one query, the bookkeeping insert, `commit`) unless the body's first line is `--! no-transaction`: then the body is
 *   sent as one query (a simple-protocol query: Postgres's implicit transaction for several statements). All
 *   migrations run on one connection (commands/migrate.ts), after pgSettings are set on it (pgReal.ts withClient:
 *   set_config(key, value, false)), so a SET in one reaches the next.
 * - Placeholders (migration.ts generatePlaceholderReplacement): `:DATABASE_NAME` (the connection's database),
 *   `:DATABASE_OWNER` (settings.databaseOwner, else the connection's user, else its database) and .gmrc `placeholders`
 *   (`:NAME`; `"!ENV"` takes the environment variable NAME), each replaced everywhere it is followed by a word
 *   boundary, with no quoting. In the replay `:DATABASE_NAME` is the replay's own database (RunnerOptions.replayDatabase:
 *   `postgres` embedded, the throwaway one on a server), as it is the migrated one for graphile-migrate; the owner
 *   comes from databaseOwner, else DATABASE_URL / connectionString's user, else `postgres`, and is created as a role
 *   before the migrations (`reset` creates the database OWNER it); an unknown `!ENV` gets a stand-in (the name in
 *   lower case) and a notice.
 * - Actions (actions.ts executeActions, commands/reset.ts, commands/migrate.ts): `graphile-migrate reset` recreates the
 *   database, runs `afterReset`, then migrates; `migrate` runs `beforeAllMigrations`, the migrations, then
 *   `afterAllMigrations` when it has migrations to run. SQL actions (files relative to the migrations folder, the
 *   placeholders replaced, the whole file one query) are replayed in those places; `shadow: true` ones (shadow database
 *   only) are not; `command` actions cannot be, which a notice says. `beforeCurrent` / `afterCurrent` run only with
 *   the current migration (watch), which is not replayed.
 * - `migrations/current.sql` or `migrations/current/` (current.ts): the migration being written, not committed:
 *   `graphile-migrate migrate` never applies it, and neither does the replay (a notice says when it holds SQL).
 *   `--! include` (migration.ts compileIncludes) is compiled into the file by `commit`: committed files hold the
 *   `--! Included` text already, so nothing is included at migrate time.
 * - Bookkeeping (migration.ts _migrateMigrationSchema): schema `graphile_migrate`, tables `migrations` and `current`,
 *   made before the first migration unless `manageGraphileMigrateSchema` is false.
 * - .gmrc (commands/_common.ts getSettings): `.gmrc` (JSON5), else `.gmrc.js`, else `.gmrc.cjs` (JavaScript, which
 *   pgdrift does not evaluate: a notice) in the folder graphile-migrate runs in, the migrations folder's parent by
 *   default (`migrationsFolder`, default `./migrations`, relative to it).
 */
export const graphileMigrate: Runner = {
  name: 'graphile-migrate',
  docs: 'https://github.com/graphile/migrate#readme',
  folders: ['migrations'],
  discover(folder, options = {}) {
    const settings = gmrcFor(folder, options);
    const ignored: IgnoredFile[] = [];
    const problems: string[] = [];
    const migrations: DiscoveredMigration[] = [];
    const committedFolder = path.join(folder, 'committed');
    const committed: { name: string; key: string; version: string; text: string }[] = [];
    if (isDirectory(committedFolder)) {
      for (const file of filesIn(committedFolder)) {
        const match = COMMITTED_FILE.exec(file);
        if (!match) {
          if (isSql(file)) ignored.push({ name: `committed/${file}`, reason: 'not <number>[-<message>].sql: graphile-migrate skips it' });
          continue;
        }
        committed.push({ name: `committed/${file}`, key: `${match[1]}.sql`, version: match[1], text: readText(committedFolder, file) });
      }
    }
    committed.sort((a, b) => a.key.localeCompare(b.key, 'en'));
    // getAllMigrations: every file's headers, then the chain, before anything runs
    let previous: string | null | undefined;
    for (const [index, m] of committed.entries()) {
      const parsed = parseMigrationText(m.text);
      if ('error' in parsed) {
        problems.push(`${m.name}:${parsed.line}: ${parsed.error} (graphile-migrate stops: Invalid migration)`);
        previous = undefined;
        continue;
      }
      const previousRaw = parsed.headers.get('Previous')?.value;
      const hash = parsed.headers.get('Hash')?.value;
      if (!previousRaw) problems.push(`${m.name}: no '--! Previous:' header (graphile-migrate stops: Invalid committed migration)`);
      if (!hash) problems.push(`${m.name}: no '--! Hash:' header (graphile-migrate stops: Invalid committed migration)`);
      const previousHash = previousRaw && previousRaw !== '-' ? previousRaw : null;
      if (previousRaw && (index === 0 ? previousHash !== null : previous !== undefined && previousHash !== previous)) {
        const line = (parsed.headers.get('Previous')?.line ?? 0) + 1;
        problems.push(
          index === 0
            ? `${m.name}:${line}: expects a previous migration (${previousHash}), but it is the first: graphile-migrate stops before running anything`
            : `${m.name}:${line}: its --! Previous: ${previousHash} is not the hash of ${committed[index - 1].name} (${previous}): graphile-migrate stops before running anything (Previous migration with hash … doesn't match)`,
        );
      }
      previous = hash ?? undefined;
      // all committed migrations run on migrate's one connection (commands/migrate.ts): only the first follows an action's
      migrations.push({ name: m.name, version: m.version, ...(index > 0 ? { sameSession: true } : {}) });
    }
    if (settings && !settings.error) {
      // reset: afterReset, then migrate: beforeAllMigrations, the migrations, afterAllMigrations
      const before = [...settings.afterReset, ...settings.beforeAllMigrations].filter((a): a is Extract<ActionSpec, { kind: 'sql' }> => a.kind === 'sql' && a.shadow !== true);
      const leading: DiscoveredMigration[] = [];
      for (const action of before) {
        const name = actionName(action.file);
        if (!isFile(path.join(folder, name))) problems.push(`${name}: an afterReset / beforeAllMigrations action names this file, which does not exist (graphile-migrate stops: ENOENT)`);
        else leading.push({ name });
      }
      migrations.unshift(...leading);
      for (const action of settings.afterAllMigrations) {
        if (action.kind !== 'sql' || action.shadow === true) continue;
        const name = actionName(action.file);
        if (!isFile(path.join(folder, name))) problems.push(`${name}: the afterAllMigrations action names this file, which does not exist (graphile-migrate stops: ENOENT)`);
        else migrations.push({ name });
      }
    }
    for (const name of currentFiles(folder)) ignored.push({ name, reason: 'the current (uncommitted) migration: graphile-migrate migrate does not apply it', expected: true });
    return { migrations, ignored, problems };
  },
  evidence(listing) {
    const committed = listing.files.filter((name) => name.startsWith('committed/') && COMMITTED_FILE.test(name.slice('committed/'.length)));
    const headed = committed.filter((name) => /^--! Previous:/.test(listing.read(name)));
    if (headed.length > 0) return { files: headed, what: "committed/ migrations with graphile-migrate's --! Previous: / --! Hash: headers" };
    const root = listing.root ?? path.dirname(listing.folder);
    const gmrc = [listing.folder, ...foldersUpTo(path.dirname(listing.folder), root)].flatMap((dir) => SETTINGS_FILES.map((file) => path.join(dir, file))).find(isFile);
    // a project with nothing committed yet (field: DanielFGray/graphile-starter-slim, only current/ and afterReset.sql)
    const current = listing.files.some((name) => name === 'current.sql' || (name.startsWith('current/') && isSql(name)));
    if (gmrc && (committed.length > 0 || current)) return { files: [path.relative(listing.folder, gmrc).split(path.sep).join('/')], what: 'a .gmrc beside a committed/ or current migration (graphile-migrate)' };
    return undefined;
  },
  plan(text, name, folder, options = {}) {
    const settings = gmrcFor(folder, options);
    const substitutions = placeholderSubstitutions(text, settings, options);
    if (!name.startsWith('committed/')) {
      // an action file: the whole file as one query (actions.ts pgClient.query)
      const plan: FilePlan = { parts: [{ startLine: 0, endLine: lineCount(text), transaction: 'implicit' }] };
      return substitutions(0).length > 0 ? { ...plan, substitutions: substitutions(0) } : plan;
    }
    const parsed = parseMigrationText(text);
    if ('error' in parsed) return { parts: [], problem: { message: `${parsed.error}: graphile-migrate refuses the file (Invalid migration)`, line: parsed.line, column: 1 } };
    const lines = text.split('\n');
    const bodyStart = lines.slice(0, parsed.headerLines).reduce((n, line) => n + line.length + 1, 0);
    const body = `${lines.slice(parsed.headerLines).join('\n').trim()}\n`;
    const previousRaw = parsed.headers.get('Previous')?.value;
    const hash = parsed.headers.get('Hash');
    const allowInvalid = parsed.headers.has('AllowInvalidHash');
    const computed = calculateHash(body, previousRaw && previousRaw !== '-' ? previousRaw : null);
    if (hash?.value && computed !== hash.value && !allowInvalid) {
      return {
        parts: [],
        problem: {
          message: `the file's hash is ${computed}, not its --! Hash: ${hash.value}: graphile-migrate refuses it ("has the file been tampered with?")`,
          line: hash.line + 1,
          column: 1,
          hint: 'a committed migration must not be edited; put the change in a new migration (graphile-migrate uncommit / commit), or mark a deliberate edit with a --! AllowInvalidHash header',
        },
      };
    }
    if (hash?.value && computed === hash.value && allowInvalid) {
      return { parts: [], problem: { message: 'the file has --! AllowInvalidHash but its hash matches: graphile-migrate refuses it (Invalid hash allowed … but hash matches)', line: parsed.headers.get('AllowInvalidHash')!.line + 1, column: 1 } };
    }
    const firstBodyLine = body.slice(0, body.indexOf('\n'));
    const transaction = NO_TRANSACTION.test(firstBodyLine) ? 'implicit' : 'wrapped';
    const found = substitutions(bodyStart);
    const plan: FilePlan = { parts: [{ startLine: parsed.headerLines, endLine: lineCount(text), transaction }] };
    return found.length > 0 ? { ...plan, substitutions: found } : plan;
  },
  configuredFolders(folder, options) {
    const settings = gmrcFor(folder, options);
    if (!settings?.migrationsFolder) return undefined;
    const configured = path.resolve(path.dirname(settings.file), settings.migrationsFolder);
    if (configured === path.resolve(folder)) return undefined;
    return { setting: `migrationsFolder in ${path.relative(options.projectRoot ?? path.dirname(folder), settings.file).split(path.sep).join('/')} (${settings.migrationsFolder})`, folders: [configured] };
  },
  forProject(folder, options) {
    const settings = gmrcFor(folder, options);
    const notices: string[] = [];
    const root = options.projectRoot ?? path.dirname(folder);
    const shown = (file: string) => path.relative(root, file).split(path.sep).join('/');
    // holds SQL: something but whitespace and comments (Postgres' rules, sql/lex.ts)
    const current = currentFiles(folder).filter((name) => {
      const text = readText(folder, name);
      return skipSpaceAndComments(text, 0) !== text.length;
    });
    if (current.length > 0) {
      const named = current.length > 2 ? `current/ (${current.length} files)` : current.join(', ');
      notices.push(`graphile-migrate: ${named}, the current migration, holds SQL that is not committed: graphile-migrate migrate does not apply it, and the replay leaves it out`);
    }
    // No settings file: graphile-migrate's CLI stops without one ("No .gmrc file found"), so the project passes its
    // settings in code (migrate(settings) of the library; field: malindakpt/microfrontends services/*/service,
    // src/migrations/migrations.settings.ts with placeholders :DB_NAME...), which pgdrift does not read. A placeholder
    // no settings define stays as written (migration.ts generatePlaceholderReplacement replaces only the known keys):
    // say which ones the committed migrations use, or the failure at `:DB_NAME` reads as the project's own bug.
    if (!settings) {
      const used = new Set<string>();
      const committedFolder = path.join(folder, 'committed');
      for (const file of isDirectory(committedFolder) ? filesIn(committedFolder).filter((name) => COMMITTED_FILE.test(name)) : []) {
        for (const match of readText(committedFolder, file).matchAll(/(?<![:\w]):([A-Z][A-Z0-9_]*)\b/g)) if (match[1] !== 'DATABASE_NAME' && match[1] !== 'DATABASE_OWNER') used.add(`:${match[1]}`);
      }
      if (used.size > 0) {
        const list = [...used].sort();
        notices.push(`graphile-migrate: no ${SETTINGS_FILES.join(' / ')} from ${shown(folder) || '.'}/ up to the project root, so its settings come from the project's code (the library's migrate(settings)), which pgdrift does not read: the placeholders ${list.slice(0, 6).join(', ')}${list.length > 6 ? ` and ${list.length - 6} more` : ''} that committed migrations use are left as written (a .gmrc beside the migrations folder with those "placeholders" gives the replay their values)`);
      }
    }
    if (settings?.javascript) {
      const read = settings.literal && settings.literal.length > 0 ? `only the settings written there as literals are read (${settings.literal.join(', ')}); others are the defaults` : 'the default settings are replayed (migrations folder, no placeholders, no actions)';
      notices.push(`graphile-migrate: ${shown(settings.file)} is JavaScript, which pgdrift does not evaluate: ${read}`);
    }
    if (settings?.error) {
      // graphile-migrate stops on a settings file it cannot read (commands/_common.ts getSettings): so does the replay
      const { line, column } = settings.errorAt ?? { line: 1, column: 1 };
      const file = shown(settings.file);
      throw new InputError(`${file}:${line}:${column}: ${settings.error === 'unreadable' ? 'cannot be read' : `not valid JSON5 (${settings.error})`}: graphile-migrate stops on it`, {
        hint: 'fix the settings file (JSON5: comments, unquoted keys and trailing commas are allowed)',
        position: { file, line, column },
      });
    }
    if (settings && !settings.error) {
      const commands = [...settings.afterReset, ...settings.beforeAllMigrations, ...settings.afterAllMigrations].filter((a): a is Extract<ActionSpec, { kind: 'command' }> => a.kind === 'command' && a.shadow !== true);
      if (commands.length > 0) notices.push(`graphile-migrate: ${shown(settings.file)} runs command actions pgdrift cannot replay (${commands.map((c) => c.command).join('; ')}): what they do to the database is not in the replay`);
      const env = environmentWithDotEnv(path.dirname(settings.file), { ...options, projectRoot: path.dirname(settings.file) });
      const unknown = Object.entries(settings.placeholders).filter(([key, value]) => value === '!ENV' && !env[key.slice(1)]).map(([key]) => key);
      if (unknown.length > 0) notices.push(`graphile-migrate: the placeholders ${unknown.join(', ')} take their value from the environment ("!ENV"), which does not set them: the replay uses their names in lower case (${unknown.map((key) => key.slice(1).toLowerCase()).join(', ')}); set them in the environment or the project's .env`);
    }
    const pgSettings = settings && !settings.error ? Object.entries(settings.pgSettings) : [];
    const manage = settings?.manageGraphileMigrateSchema !== false;
    const searchPath = pgSettings.find(([key]) => key.toLowerCase() === 'search_path')?.[1];
    const setConfig = setConfigSql(settings);
    // An SQL action runs on a connection of its own (actions.ts withClient; a `!file` one on the root connection
    // string's pool): what it SETs (a pasted pg_dump's set_config('search_path', '', false)) does not reach the
    // migrations, which run on another connection with the pgSettings set again. The replay runs every file on one
    // session, so with actions it puts the session back before each action and before the first committed migration
    // (field: zarybnicky/Sirimbo's !initial_schema.sql, regen-network/regen-server's initial_schema.sql); the committed
    // migrations after the first share migrate's one connection (sameSession), so a SET in one reaches the next.
    const hasActions = settings && !settings.error && [...settings.afterReset, ...settings.beforeAllMigrations, ...settings.afterAllMigrations].some((a) => a.kind === 'sql' && a.shadow !== true);
    const searchPathList = searchPath ? parseSearchPathValue(searchPath) : ['$user', 'public'];
    // `graphile-migrate reset` creates the database OWNER :DATABASE_OWNER (commands/reset.ts), so that role exists
    // wherever the migrations run (a GRANT ... TO :DATABASE_OWNER needs it); the embedded engine's user is postgres
    const owner = settings?.error ? undefined : placeholderValues(settings, options)[':DATABASE_OWNER'];
    return {
      ...(owner && owner !== 'postgres' ? { rolesBeforeMigrations: [owner] } : {}),
      ...(hasActions
        ? {
            // RESET ALL on the embedded engine leaves pg_catalog alone on the path: the server default is set back
            sessionBeforeEachFile: ['RESET ALL', 'RESET ROLE', ...(searchPath ? [] : ['SET search_path TO "$user", public']), ...(setConfig ? [setConfig.trim().replace(/;$/, '')] : [])],
            searchPathBeforeEachFile: searchPathList,
          }
        : {}),
      ...(manage ? (setConfig ? { bookkeepingSetup: { ...BOOKKEEPING_SETUP, sql: `${setConfig}${BOOKKEEPING_SETUP.sql}` } } : {}) : { bookkeepingSetup: undefined }),
      ...(searchPath ? { sessionSearchPath: parseSearchPathValue(searchPath) } : {}),
      ...(settings && !settings.error ? { lint: { ...graphileMigrate.lint, fileNamePattern: lintPattern(settings) } } : {}),
      ...(notices.length > 0 ? { notices } : {}),
    };
  },
  compareVersions: compareIntegers,
  bookkeeping: ['graphile_migrate.migrations', 'graphile_migrate.current'],
  bookkeepingSetup: BOOKKEEPING_SETUP,
  lint: {
    fileNamePattern: /^committed\/[0-9]+(-[-_a-zA-Z0-9]*)?\.sql$/,
    example: 'committed/000002-add-users.sql',
    sequentialVersions: true,
    transactions: 'graphile-migrate runs each committed migration in its own transaction unless its body starts with a "--! no-transaction" line',
    outsideTransaction: 'put it alone in a migration whose first line after the headers is "--! no-transaction"',
  },
};


/** file-name: committed migrations, and the SQL action files .gmrc names */
function lintPattern(settings: GmrcSettings): RegExp {
  const actions = [...settings.afterReset, ...settings.beforeAllMigrations, ...settings.afterAllMigrations].flatMap((a) => (a.kind === 'sql' ? [actionName(a.file)] : []));
  const escaped = actions.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^(committed/[0-9]+(-[-_a-zA-Z0-9]*)?\\.sql${escaped.map((e) => `|${e}`).join('')})$`);
}

function actionName(file: string): string {
  return path.posix.normalize(file.split(path.sep).join('/'));
}

/** pgReal.ts withClient: the pgSettings set on every connection graphile-migrate opens */
function setConfigSql(settings: GmrcSettings | undefined): string {
  const pgSettings = settings && !settings.error ? Object.entries(settings.pgSettings) : [];
  return pgSettings.length > 0 ? `SELECT ${pgSettings.map(([key, value]) => `pg_catalog.set_config(${quoteLiteral(key)}, ${quoteLiteral(String(value))}, false)`).join(', ')};\n` : '';
}

/** The current migration (current.ts): `current.sql`, or the .sql files of `current/`. */
function currentFiles(folder: string): string[] {
  const files: string[] = [];
  if (isFile(path.join(folder, 'current.sql'))) files.push('current.sql');
  if (isDirectory(path.join(folder, 'current'))) for (const file of filesIn(path.join(folder, 'current'))) if (isSql(file)) files.push(`current/${file}`);
  return files;
}

function readText(folder: string, name: string): string {
  try {
    return readFileSync(path.join(folder, name), 'utf8');
  } catch {
    return '';
  }
}

/** hash.ts calculateHash (sha1) */
export function calculateHash(body: string, previousHash: string | null): string {
  return `sha1:${crypto().createHash('sha1').update(`${`${previousHash ?? ''}\n${body.trim()}`.trim()}\n`).digest('hex')}`;
}

/** migration.ts parseMigrationText, strict (committed migrations); lines 0-based. */
export function parseMigrationText(text: string): { headers: Map<string, { value: string | null; line: number }>; headerLines: number } | { error: string; line: number } {
  const lines = text.split('\n');
  const headers = new Map<string, { value: string | null; line: number }>();
  let headerLines = 0;
  for (const line of lines) {
    const match = HEADER.exec(line);
    if (!match) break;
    const [, key, value] = match;
    if (headers.has(key)) return { error: `header '${key}' is specified more than once`, line: headerLines + 1 };
    headers.set(key, { value: value ? value.trim() : null, line: headerLines });
    headerLines++;
  }
  if (lines[headerLines] !== '') {
    if (lines[headerLines] === '\r') return { error: 'the line endings are CRLF: graphile-migrate reads them as corrupted', line: headerLines + 1 };
    return { error: 'there should be two newlines after the headers section', line: headerLines + 1 };
  }
  return { headers, headerLines };
}

/** migration.ts generatePlaceholderReplacement: where each placeholder is, from `from` on, with its value. */
function placeholderSubstitutions(text: string, settings: GmrcSettings | undefined, options: RunnerOptions): (from: number) => Substitution[] {
  const values = placeholderValues(settings, options);
  const keys = Object.keys(values);
  return (from) => {
    if (keys.length === 0) return [];
    const regexp = new RegExp(`(?:${keys.map((key) => key.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')).join('|')})\\b`, 'g');
    regexp.lastIndex = from;
    const found: Substitution[] = [];
    for (let match = regexp.exec(text); match; match = regexp.exec(text)) found.push({ start: match.index, end: match.index + match[0].length, value: values[match[0]] || '' });
    return found;
  };
}

/** The placeholders with their values: the .gmrc's (`!ENV` from the environment), then :DATABASE_NAME / :DATABASE_OWNER. */
export function placeholderValues(settings: GmrcSettings | undefined, options: RunnerOptions): Record<string, string> {
  const env = settings ? environmentWithDotEnv(path.dirname(settings.file), { ...options, projectRoot: path.dirname(settings.file) }) : (options.env ?? process.env);
  const url = settings?.connectionString ?? env.DATABASE_URL;
  const parsed = parseUrl(url);
  // :DATABASE_NAME is the database the migrations run in: on the team's servers the connection's, in the replay the
  // replay's own (a database named by DATABASE_URL does not exist there: GRANT CONNECT ON DATABASE would fail on it)
  const database = options.replayDatabase ?? 'postgres';
  const owner = settings?.databaseOwner ?? (parsed?.user || parsed?.database || 'postgres');
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(settings?.placeholders ?? {})) values[key] = value === '!ENV' ? (env[key.slice(1)] ?? key.slice(1).toLowerCase()) : value;
  values[':DATABASE_NAME'] = database;
  values[':DATABASE_OWNER'] = owner;
  return values;
}

function parseUrl(url: string | undefined): { user?: string; database?: string } | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return { user: decodeURIComponent(parsed.username), database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) };
  } catch {
    return undefined;
  }
}

/** The .gmrc graphile-migrate reads for this migrations folder: the nearest from its parent up to the project root. */
export function gmrcFor(folder: string, options: RunnerOptions): GmrcSettings | undefined {
  const root = options.projectRoot ?? path.dirname(folder);
  for (const dir of foldersUpTo(path.dirname(folder), root)) {
    for (const name of SETTINGS_FILES) {
      const file = path.join(dir, name);
      if (isFile(file)) return readGmrc(file);
    }
  }
  // called with the project root (configuredFolders before a folder is known): a .gmrc there
  for (const name of SETTINGS_FILES) {
    const file = path.join(folder, name);
    if (isFile(file)) return readGmrc(file);
  }
  return undefined;
}

const cache = new Map<string, GmrcSettings>();

export function readGmrc(file: string): GmrcSettings {
  const empty: GmrcSettings = { file, placeholders: {}, pgSettings: {}, manageGraphileMigrateSchema: true, afterReset: [], beforeAllMigrations: [], afterAllMigrations: [], beforeCurrent: [], afterCurrent: [] };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { ...empty, error: 'unreadable' };
  }
  const cached = cache.get(`${file}\0${text}`);
  if (cached) return cached;
  const javascript = !file.endsWith('.gmrc');
  let raw: unknown;
  if (javascript) raw = literalSettings(text);
  else {
    try {
      raw = parseJson5(text);
    } catch (error) {
      const { lineNumber, columnNumber } = error as { lineNumber?: number; columnNumber?: number };
      return { ...empty, error: (error as Error).message, ...(lineNumber && columnNumber ? { errorAt: { line: lineNumber, column: columnNumber } } : {}) };
    }
  }
  const object = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const strings = (value: unknown): Record<string, string> =>
    value && typeof value === 'object' ? Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k, v]) => [k, String(v)])) : {};
  const settings: GmrcSettings = {
    ...empty,
    ...(javascript ? { javascript: true, literal: Object.keys(object) } : {}),
    ...(typeof object.migrationsFolder === 'string' ? { migrationsFolder: object.migrationsFolder } : {}),
    ...(typeof object.connectionString === 'string' ? { connectionString: object.connectionString } : {}),
    ...(typeof object.databaseOwner === 'string' ? { databaseOwner: object.databaseOwner } : {}),
    placeholders: strings(object.placeholders),
    pgSettings: strings(object.pgSettings),
    manageGraphileMigrateSchema: object.manageGraphileMigrateSchema !== false,
    afterReset: actionsOf(object.afterReset),
    beforeAllMigrations: actionsOf(object.beforeAllMigrations),
    afterAllMigrations: actionsOf(object.afterAllMigrations),
    beforeCurrent: actionsOf(object.beforeCurrent),
    afterCurrent: actionsOf(object.afterCurrent),
  };
  cache.set(`${file}\0${text}`, settings);
  return settings;
}

/** actions.ts makeValidateActionCallback: a string (`"!x.sql"`: root), a `{_: "sql", file}` or `{_: "command", command}` (or v0.0.3's `{command}`), one or a list. */
function actionsOf(value: unknown): ActionSpec[] {
  if (!value) return [];
  const list = Array.isArray(value) ? value : [value];
  const specs: ActionSpec[] = [];
  for (const item of list) {
    if (typeof item === 'string') specs.push(item.startsWith('!') ? { kind: 'sql', file: item.slice(1), root: true } : { kind: 'sql', file: item });
    else if (item && typeof item === 'object') {
      const o = item as Record<string, unknown>;
      const shadow = typeof o.shadow === 'boolean' ? { shadow: o.shadow } : {};
      if (o._ === 'sql' && typeof o.file === 'string') specs.push({ kind: 'sql', file: o.file, ...(o.root === true ? { root: true } : {}), ...shadow });
      else if ((o._ === 'command' || o._ === undefined) && typeof o.command === 'string') specs.push({ kind: 'command', command: o.command, ...shadow });
    }
  }
  return specs;
}

/**
 * JSON5, what .gmrc is (commands/_common.ts `JSON5.parse`): read with the same json5 package, loaded on the first
 * .gmrc a project has (scripts/bundle-cli.mjs leaves it out of the CLI bundle, as every command loads the runners).
 */
let json5: typeof import('json5') | undefined;
export function parseJson5(text: string): unknown {
  json5 ??= createRequire(import.meta.url)('json5') as typeof import('json5');
  return json5.parse(text);
}

/**
 * A graphile-migrate project's migrations folder, from the folder it runs in (a .gmrc there): its `migrationsFolder`,
 * default `./migrations` (settings.ts), when that holds committed/ migrations. For the nested-folder search (a monorepo's
 * `@app/db/.gmrc`, field: graphile/starter).
 */
export function graphileMigrateProjectMigrations(dir: string): string | undefined {
  const file = SETTINGS_FILES.map((name) => path.join(dir, name)).find(isFile);
  if (!file) return undefined;
  const settings = readGmrc(file);
  const folder = path.resolve(dir, settings.migrationsFolder ?? 'migrations');
  const committed = path.join(folder, 'committed');
  return isDirectory(committed) && filesIn(committed).some((name) => COMMITTED_FILE.test(name)) ? folder : undefined;
}

/** The settings pgdrift reads from a JavaScript .gmrc without running it: a known key whose value is a JSON5 literal. */
const LITERAL_KEYS = ['migrationsFolder', 'databaseOwner', 'placeholders', 'pgSettings', 'manageGraphileMigrateSchema', 'afterReset', 'beforeAllMigrations', 'afterAllMigrations', 'beforeCurrent', 'afterCurrent'];

export function literalSettings(text: string): Record<string, unknown> {
  const code = blankComments(text);
  const found: Record<string, unknown> = {};
  for (const key of LITERAL_KEYS) {
    const match = new RegExp(`(?:^|[{,\\s])(["']?)${key}\\1\\s*:\\s*`).exec(code);
    if (!match) continue;
    const start = match.index + match[0].length;
    const end = literalEnd(code, start);
    if (end === undefined) continue;
    try {
      found[key] = parseJson5(text.slice(start, end));
    } catch {
      // not a literal (a template string, a variable, a call): unknown
    }
  }
  return found;
}

/** The text with // and /* comments blanked (strings kept), so indices stay those of the text. */
function blankComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      const j = text.indexOf('\n', i);
      const end = j === -1 ? text.length : j;
      out += ' '.repeat(end - i);
      i = end;
    } else if (c === '/' && text[i + 1] === '*') {
      const j = text.indexOf('*/', i + 2);
      const end = j === -1 ? text.length : j + 2;
      out += text.slice(i, end).replace(/[^\n]/g, ' ');
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Where a literal value starting at `start` ends: a bracketed object or array, a quoted string, or a word. */
function literalEnd(code: string, start: number): number | undefined {
  const c = code[start];
  if (c === '"' || c === "'") {
    let j = start + 1;
    while (j < code.length && code[j] !== c) j += code[j] === '\\' ? 2 : 1;
    return j < code.length ? j + 1 : undefined;
  }
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = start; j < code.length; j++) {
      const d = code[j];
      if (d === '"' || d === "'" || d === '`') {
        if (d === '`') return undefined;
        let k = j + 1;
        while (k < code.length && code[k] !== d) k += code[k] === '\\' ? 2 : 1;
        j = k;
      } else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return undefined;
  }
  const word = /^(true|false)\b/.exec(code.slice(start));
  return word ? start + word[0].length : undefined;
}
