import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSqlOrUndefined } from '../sql/parse.js';
import { dockerfilePathSettings } from './dockerfile.js';
import { UNKNOWN } from './makefile.js';
import type { ShellWord } from './package-scripts.js';
import { programCalls } from './project-commands.js';
import { substitute, positionIn, type Substitution } from './substitution.js';
import { compareIntegers, filesIn, foldersUpTo, isDirectory, isFile, isSql, lineCount, manifestAbove, type DiscoveredMigration, type FilePlan, type IgnoredFile, type PlanProblem, type Runner, type RunnerOptions } from './types.js';

/** migrate/migrate.go `migrationPattern` (Go's `.` matches anything but a newline; `.sql` is case-sensitive) */
const FILE = /^(\d+)_[^\n]+\.sql$/;
/** migrate/migrate.go LoadMigrations: `strings.SplitN(body, "---- create above / drop below ----", 2)` */
export const TERN_SPLIT = '---- create above / drop below ----';
/** migrate/migrate.go `disableTxPattern`: `(?m)^---- tern: disable-tx ----$` (a line that is exactly this) */
export const TERN_DISABLE_TX = '---- tern: disable-tx ----';
const MAX_INT32 = 2147483647n;
const DEFAULT_VERSION_TABLE = 'public.schema_version';

/**
 * tern (github.com/jackc/tern v2, e73daa1, 2026-08).
 * - Discovery (migrate/migrate.go `FindMigrations`): the files (not folders) of the migrations folder whose name matches
 *   `\A(\d+)_.+\.sql\z`; others are skipped. The number is parsed as an int32 (ParseInt(…, 10, 32): a larger one
 *   fails) and is the migration's place: a second file with one number is refused ("Duplicate migration N"), a number
 *   missing below the highest too ("Missing migration N"), before anything runs. Number 0 makes `paths[n-1]` panic.
 * - Shared files (`LoadMigrations`): every `.sql` file in a sub-folder (fs.WalkDir, any depth) is parsed as a Go
 *   text/template named by its path (`shared/v1_001.sql`), for migrations to include; never run on its own.
 * - What runs (`LoadMigrations`): the text before the first `---- create above / drop below ----` (the rest is the
 *   down step), trimmed (strings.TrimSpace), then executed as a Go text/template with tern.conf's [data] as `.`
 *   (`evalMigration`, sprig functions and `install_snapshot` available). An up step with no line other than blank
 *   lines and `--` comments stops the load (ErrNoFwMigration: "no sql in forward migration step").
 * - Transactions (`MigrateTo`, `doSQLMigration`): each migration in its own transaction (conn.Begin, the whole up
 *   step as one Exec, `reset all`, `update <version_table> set version=$1`, Commit), unless the evaluated up step has a
 *   line `---- tern: disable-tx ----`: then no transaction, and the step is cut by sqlsplit.Split at each `;` outside
 *   quotes, dollar quotes and comments, each statement sent on its own (autocommit).
 * - Session: `reset all` after every migration: a SET in one file does not reach the next.
 * - Bookkeeping (`ensureSchemaVersionTableExists`): `create table if not exists <version_table>(version int4 not null
 *   primary key)` and its one row, before the first migration; `version_table` from tern.conf [database], default
 *   `public.schema_version` (main.go LoadConfig).
 * - tern.conf (main.go LoadConfig, appendConfigFromFile): `-c`, else TERN_CONFIG, else `./tern.conf` of the folder tern
 *   runs in; itself a Go template (sprig, `{{env "X"}}`), then INI (vaughan0/go-ini). The migrations folder is `-m`, else
 *   TERN_MIGRATIONS, else `.`: `tern init` writes tern.conf into the migrations folder. pgdrift reads the project's tern
 *   commands (package.json scripts, Makefile/Taskfile/justfile recipes: `-m`/`--migrations`, a TERN_MIGRATIONS they
 *   set, the folder a `cd` before `tern migrate` leaves; `-c`/`--config`, TERN_CONFIG), then TERN_MIGRATIONS of its
 *   own environment, then the ENV TERN_MIGRATIONS of the project's Dockerfiles mapped into the project by their COPY
 *   instructions (`configuredFolders`, ternDockerfileSettings); tern.conf is the followed command's `-c` or
 *   TERN_CONFIG, else TERN_CONFIG, else the Dockerfiles' ENV TERN_CONFIG, else the nearest tern.conf from the
 *   migrations folder up to the project root. (PG* variables and the connection settings do not change the replay.)
 */
/** Where tern projects keep their migrations when no conventional folder has them (`tern migrate -m schema`). */
const MARKED_FOLDERS = ['schema', 'db/schema', 'sql/schema'];

/**
 * A folder of tern migrations outside the conventional places, when the project names it nowhere pgdrift reads (no
 * tern.conf, no command with `-m`): its version-numbered .sql files, one of them holding tern's
 * `---- create above / drop below ----` line, which no other runner writes. Field: ttab/elephant-user and
 * elephant-index keep theirs in schema/ (and a sqlc schema in postgres/) and ran into "no migrations folder found".
 */
export function ternMarkedFolder(root: string): { folder: string; file: string } | undefined {
  for (const folder of MARKED_FOLDERS) {
    if (!isDirectory(path.join(root, folder))) continue;
    const names = filesIn(path.join(root, folder)).filter((name) => FILE.test(name));
    const marked = names.find((name) => {
      try {
        return readFileSync(path.join(root, folder, name), 'utf8').includes(TERN_SPLIT);
      } catch {
        return false;
      }
    });
    if (marked) return { folder, file: `${folder}/${marked}` };
  }
  return undefined;
}

export const tern: Runner = {
  name: 'tern',
  docs: 'https://github.com/jackc/tern#readme',
  folders: ['migrations', 'db/migrations'],
  discover(folder, options) {
    const numbered: { name: string; version: string; n: bigint }[] = [];
    const ignored: IgnoredFile[] = [];
    const problems: string[] = [];
    for (const name of filesIn(folder)) {
      const match = FILE.exec(name);
      if (!match) {
        if (isSql(name)) ignored.push({ name, reason: 'not <number>_<name>.sql: tern skips it' });
        continue;
      }
      const n = BigInt(match[1]);
      if (n > MAX_INT32) problems.push(`${name}: its number does not fit in 32 bits: tern stops loading the migrations (strconv.ParseInt: value out of range)`);
      else if (n === 0n) problems.push(`${name}: number 0: tern numbers migrations from 1 (FindMigrations fails on paths[-1])`);
      else numbered.push({ name, version: match[1], n });
    }
    for (const name of sharedFiles(folder)) {
      ignored.push({ name, reason: 'a shared template in a sub-folder: tern runs it only where a migration includes it ({{ template "…" . }})', expected: true });
      // LoadMigrations parses every shared file as a template before anything runs
      const unclosed = unclosedAction(readMigration(folder, name), 0);
      if (unclosed) problems.push(`${name}:${unclosed.line}:${unclosed.column}: a "{{" no "}}" closes: tern parses every .sql file in a sub-folder as a Go template and stops loading the migrations (template: unclosed action)`);
    }
    numbered.sort((a, b) => (a.n < b.n ? -1 : a.n > b.n ? 1 : 0) || (a.name < b.name ? -1 : 1));
    const migrations: DiscoveredMigration[] = [];
    for (const [i, m] of numbered.entries()) {
      if (i > 0 && numbered[i - 1].n === m.n) problems.push(`Duplicate migration ${m.n}: ${numbered[i - 1].name} and ${m.name} (tern refuses the folder: FindMigrations)`);
      else migrations.push({ name: m.name, version: m.version });
    }
    const highest = numbered.length > 0 ? numbered[numbered.length - 1].n : 0n;
    const present = new Set(numbered.map((m) => m.n));
    for (let n = 1n; n < highest && problems.length < 20; n++) {
      if (!present.has(n)) problems.push(`Missing migration ${n}: tern numbers migrations 1, 2, 3… without gaps and refuses the folder (FindMigrations)`);
    }
    for (const m of migrations) {
      const text = readMigration(folder, m.name);
      const plan = planUpStep(text, m.name, folder, options ?? {}, false);
      if (plan.problem?.message.startsWith(NO_SQL)) problems.push(`${m.name}: ${plan.problem.message}`);
      // the down step is a template too, parsed and executed when tern loads the migrations (evalMigration)
      const split = text.indexOf(TERN_SPLIT);
      const unclosed = split === -1 ? undefined : unclosedAction(text, split + TERN_SPLIT.length);
      if (unclosed) problems.push(`${m.name}:${unclosed.line}:${unclosed.column}: a "{{" no "}}" closes in the down step: tern executes it as a Go template when it loads the migrations and stops (template: unclosed action)`);
    }
    return { migrations, ignored, problems };
  },
  evidence(listing) {
    const numbered = listing.files.filter((name) => !name.includes('/') && FILE.test(name));
    if (numbered.length === 0) return undefined;
    const marked = numbered.filter((name) => {
      const text = listing.read(name);
      return text.includes(TERN_SPLIT) || text.split('\n').includes(TERN_DISABLE_TX);
    });
    if (marked.length > 0) return { files: marked, what: `tern's "${TERN_SPLIT}" or "${TERN_DISABLE_TX}" lines` };
    const conf = listing.files.includes('tern.conf') || foldersUpTo(path.dirname(listing.folder), listing.root ?? path.dirname(listing.folder)).some((dir) => isFile(path.join(dir, 'tern.conf')));
    if (conf) return { files: ['tern.conf'], what: '<number>_<name>.sql files beside a tern.conf' };
    // a Go module that calls tern's migrate package itself (migrate.NewMigrator, LoadMigrations(os.DirFS(...))), with
    // no tern.conf: field: grassrootseconomics/cic-custodial, ttab/elephant-repository. Only a convention of names: it
    // yields to any runner's markers
    if (manifestAbove(listing, 'go.mod', requiresTern)) return { files: numbered, what: '<number>_<name>.sql files in a Go module that requires github.com/jackc/tern', weak: true };
    return undefined;
  },
  plan: planTern,
  // LoadMigrations reads the file with fs.ReadFile and strings.TrimSpace keeps U+FEFF (no space to Go's unicode.IsSpace):
  // the mark is the first character of the up step tern sends
  sendsByteOrderMark: () => true,
  configuredFolders(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    const env = options.env ?? process.env;
    const fromCommands = ternCommands(root, env);
    if (fromCommands.folder) return { setting: fromCommands.folder.setting, folders: [fromCommands.folder.path] };
    // main.go LoadConfig: `-m`, else TERN_MIGRATIONS, else `.`
    if (env.TERN_MIGRATIONS) return { setting: `TERN_MIGRATIONS (${env.TERN_MIGRATIONS})`, folders: [path.resolve(root, env.TERN_MIGRATIONS)] };
    const fromImage = ternDockerfileSettings(root).migrations;
    if (fromImage) return { setting: fromImage.setting, folders: [fromImage.path] };
    return undefined;
  },
  forProject(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    const replayed = path.relative(root, folder).split(path.sep).join('/') || '.';
    const env = options.env ?? process.env;
    const commands = ternCommands(root, env);
    // the image's ENV counts when neither a project command nor pgdrift's own environment names the folder
    const imageNotices = commands.folder || env.TERN_MIGRATIONS ? [] : ternDockerfileSettings(root).notices;
    const commandNotices = [...commands.notices, ...imageNotices].map((notice) => `${notice}; ${replayed} is replayed`);
    const conf = readTernConf(folder, options);
    if (!conf) return commandNotices.length > 0 ? { notices: commandNotices } : {};
    const notices = [...commandNotices, ...(conf.unknown.length > 0 ? [`tern: ${conf.file} sets ${conf.unknown.join(', ')} with a template only tern evaluates (sprig, env): pgdrift does not evaluate it`] : [])];
    if (conf.versionTable === undefined) return notices.length > 0 ? { notices } : {};
    const table = conf.versionTable.includes('.') ? conf.versionTable : `public.${conf.versionTable}`;
    return { bookkeeping: [table], bookkeepingSetup: bookkeepingSetup(conf.versionTable, table), ...(notices.length > 0 ? { notices } : {}) };
  },
  resetsSessionBeforeEachFile: true,
  compareVersions: compareIntegers,
  bookkeeping: [DEFAULT_VERSION_TABLE],
  bookkeepingSetup: bookkeepingSetup(DEFAULT_VERSION_TABLE, DEFAULT_VERSION_TABLE),
  lint: {
    fileNamePattern: /^\d+_[^/]+\.sql$/,
    example: '001_create_users.sql',
    sequentialVersions: true,
    transactions: `tern runs each migration's up step (above "${TERN_SPLIT}") in its own transaction unless it has a "${TERN_DISABLE_TX}" line`,
    outsideTransaction: `put it in a migration with a "${TERN_DISABLE_TX}" line (tern then sends its statements one by one, without a transaction)`,
  },
};

/** main.go: the options that take a value (cobra/pflag), besides `-m`/`--migrations` and `-c`/`--config`, read apart. */
const VALUE_OPTIONS = new Set(['-d', '--destination', '--conn-string', '--host', '--port', '--user', '--password', '--database', '--sslmode', '--sslrootcert', '--version-table', '--ssh-host', '--ssh-port', '--ssh-keyfile', '--ssh-passphrase', '--ssh-user', '--ssh-password', '--current', '-o', '--output']);

/** A tern command line's `-m` and `-c` values (pflag: `-m dir`, `-mdir`, `-m=dir`, `--migrations dir`, `--migrations=dir`). */
function ternArguments(args: ShellWord[]): { command: string[]; migrations?: ShellWord; configs: ShellWord[] } {
  const command: string[] = [];
  const configs: ShellWord[] = [];
  let migrations: ShellWord | undefined;
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const value = (long: string, short: string): ShellWord | undefined => {
      if (word.text === long || word.text === short) return args[++i] ?? { text: '', dynamic: false };
      if (word.text.startsWith(`${long}=`)) return { ...word, text: word.text.slice(long.length + 1) };
      if (word.text.startsWith(short) && !word.text.startsWith('--')) return { ...word, text: word.text.slice(short.length).replace(/^=/, '') };
      return undefined;
    };
    const m = value('--migrations', '-m');
    if (m) {
      migrations = m;
      continue;
    }
    // `-c` is a string slice: each one adds a file, read in order (main.go LoadConfig appendConfigFromFile)
    const c = value('--config', '-c');
    if (c) {
      configs.push(...c.text.split(',').map((text) => ({ ...c, text })));
      continue;
    }
    if (VALUE_OPTIONS.has(word.text)) i++;
    else if (!word.text.startsWith('-')) command.push(word.text);
  }
  return { command, migrations, configs };
}

/** The subcommands that read the migrations folder (main.go: the ones with `-m`); `migrate` is the one that applies. */
const READS_MIGRATIONS = new Set(['migrate', 'status', 'new', 'gengen', 'print-migrations', 'renumber', 'code', 'override-version']);

interface TernCommands {
  folder?: { path: string; setting: string; configs: string[] };
  notices: string[];
}

/**
 * The migrations folder the project's tern commands (package.json scripts, Makefile, Taskfile and justfile recipes)
 * name: `-m`/`--migrations`, else a TERN_MIGRATIONS the command sets (`TERN_MIGRATIONS=db tern migrate`, or the
 * recipe's environment when it differs from pgdrift's), each relative to the folder the command runs in, else, for
 * `tern migrate` after a `cd`, that folder (tern's default `.`). One folder when they all name one (with the tern.conf
 * files its command reads: `-c`, else TERN_CONFIG); otherwise none, and a notice says why.
 */
function ternCommands(root: string, env: Record<string, string | undefined>): TernCommands {
  const folders = new Map<string, { setting: string; configs: string[] }>();
  const unknown: string[] = [];
  for (const call of programCalls(root, env, 'tern')) {
    const { command, migrations, configs } = ternArguments(call.args);
    if (!READS_MIGRATIONS.has(command[0] ?? '')) continue;
    const assigned = call.assignments.get('TERN_MIGRATIONS');
    const inherited = call.env.TERN_MIGRATIONS !== env.TERN_MIGRATIONS ? call.env.TERN_MIGRATIONS : undefined;
    // tern migrate in the folder a `cd` before it leaves (not the root's own: a TERN_MIGRATIONS of the team's shell may name another)
    const here = command[0] === 'migrate' && call.cwd !== undefined && path.resolve(call.cwd) !== path.resolve(root) && env.TERN_MIGRATIONS === undefined ? { text: '.', dynamic: false } : undefined;
    const value: ShellWord | undefined = migrations ?? assigned ?? (inherited ? { text: inherited, dynamic: false } : undefined) ?? here;
    if (!value) continue;
    const line = `tern ${command.join(' ')}`;
    const shown = migrations ? `${line} -m ${migrations.text}` : assigned ? `TERN_MIGRATIONS=${assigned.text} ${line}` : inherited ? `TERN_MIGRATIONS ${inherited} in its environment` : `cd ${path.relative(root, call.cwd!).split(path.sep).join('/')} && ${line}`;
    if (value.dynamic || value.text.includes(UNKNOWN) || value.text === '' || call.cwd === undefined) {
      unknown.push(`${call.where} (${shown.replaceAll(UNKNOWN, '…')}${call.cwd === undefined ? ', after a cd to a folder only the shell knows' : ''})`);
      continue;
    }
    const cwd = call.cwd;
    const assignedConfig = call.assignments.get('TERN_CONFIG');
    const configWords = configs.length > 0 ? configs : assignedConfig ? [assignedConfig] : call.env.TERN_CONFIG ? [{ text: call.env.TERN_CONFIG, dynamic: false }] : [];
    const known = configWords.every((word) => !word.dynamic && !word.text.includes(UNKNOWN));
    const resolved = path.resolve(cwd, value.text);
    // without -c or TERN_CONFIG tern reads ./tern.conf of the folder it runs in
    const configFiles = known ? (configWords.length > 0 ? configWords.map((word) => path.resolve(cwd, word.text)) : [path.join(cwd, 'tern.conf')].filter(isFile)) : [];
    if (!folders.has(resolved)) folders.set(resolved, { setting: `${call.where} (${shown})`, configs: configFiles });
  }
  const notices: string[] = [];
  if (unknown.length > 0) notices.push(`tern: the migrations folder of ${unknown.join(', ')} is a value only the shell knows: pgdrift did not follow it`);
  if (folders.size > 1) notices.push(`tern: the project's tern commands name different migrations folders (${[...folders.values()].map((f) => f.setting).join('; ')}): pgdrift followed none of them (name the one to check with --migrations or "migrations" in pgdrift.config.json)`);
  if (folders.size !== 1 || unknown.length > 0) return { notices };
  const [[resolved, { setting, configs }]] = [...folders];
  return { folder: { path: resolved, setting, configs }, notices };
}

interface ImageSetting {
  path: string;
  setting: string;
}

/**
 * TERN_MIGRATIONS and TERN_CONFIG as the project's Dockerfiles set them with ENV (field: ugent-library/people-service,
 * `ENV TERN_CONFIG /dist/tern.docker.conf` and `ENV TERN_MIGRATIONS /dist/etc/migrations` in an image whose build
 * stage copies the project to /build and whose final stage copies /build to /dist): main.go LoadConfig reads both
 * from the environment when no `-m` / `-c` is given. A value is the project path the image's COPY instructions map
 * it to (dockerfile.ts containerPathInProject): one path when every stage that sets it agrees; a value no COPY maps
 * (a volume mounted at run time) or stages that disagree are said in a notice and not followed.
 */
function ternDockerfileSettings(root: string): { migrations?: ImageSetting; config?: ImageSetting; notices: string[] } {
  const notices: string[] = [];
  const pick = (name: string, usable: (file: string) => boolean): ImageSetting | undefined => {
    const settings = dockerfilePathSettings(root, name);
    const unmapped = settings.filter((one) => one.path === undefined || !usable(one.path));
    if (unmapped.length > 0) notices.push(`tern: ${unmapped.map((one) => one.where).join(', ')} names a path in the image that no COPY of the project maps to ${name === 'TERN_CONFIG' ? 'a file' : 'a folder'} of the project (a volume mounted when the container runs, or a value given at build time): pgdrift did not follow it`);
    const mapped = settings.filter((one) => one.path !== undefined && usable(one.path));
    const paths = new Set(mapped.map((one) => path.resolve(one.path!)));
    if (paths.size > 1) notices.push(`tern: the project's Dockerfiles set ${name} to different paths (${mapped.map((one) => one.where).join('; ')}): pgdrift followed none of them`);
    return paths.size === 1 ? { path: mapped[0].path!, setting: mapped.map((one) => one.where).join(', ') } : undefined;
  };
  const migrations = pick('TERN_MIGRATIONS', isDirectory);
  const config = pick('TERN_CONFIG', isFile);
  return { ...(migrations ? { migrations } : {}), ...(config ? { config } : {}), notices };
}

/** A go.mod that requires tern directly (`github.com/jackc/tern/v2 v2.4.1`, in a require block or on its own line). */
export function requiresTern(goMod: string): boolean {
  return goMod.split('\n').some((line) => /^\s*(require\s+)?github\.com\/jackc\/tern(\/v\d+)?\s+v\S+\s*$/.test(line));
}

/**
 * migrate/migrate.go ensureSchemaVersionTableExists, as tern runs it on a new database (the table is made only when
 * versionTableExists finds none).
 */
function bookkeepingSetup(written: string, table: string): NonNullable<Runner['bookkeepingSetup']> {
  return {
    table,
    sql: `create table if not exists ${written}(version int4 not null primary key);\n\ninsert into ${written}(version)\nselect 0\nwhere 0=(select count(*) from ${written});`,
  };
}

const NO_SQL = 'no sql in forward migration step';

/** What tern runs of one migration file: the up step, templates evaluated, in a transaction unless disable-tx. */
export function planTern(text: string, name: string, folder: string, options: RunnerOptions = {}): FilePlan {
  return planUpStep(text, name, folder, options, true);
}

/** The plan of a file's up step; `statements`: also look at its statements (libpg-query) for what sqlsplit cuts. */
function planUpStep(text: string, name: string, folder: string, options: RunnerOptions, statements: boolean): FilePlan {
  const split = text.indexOf(TERN_SPLIT);
  const upEnd = split === -1 ? text.length : split;
  const markerLine = split === -1 ? lineCount(text) : positionIn(text, split).line - 1;
  const substitutions: Substitution[] = [];
  // the split is a substring, not a line: SQL before it on its line is part of the up step
  const beforeOnLine = split === -1 ? '' : text.slice(text.lastIndexOf('\n', split - 1) + 1, split);
  const endLine = beforeOnLine.trim() === '' ? markerLine : markerLine + 1;
  const templates = evaluateTemplates(text, upEnd, { folder, options, dot: 'data', stack: [name] });
  if ('problem' in templates) return { parts: [], problem: templates.problem };
  substitutions.push(...templates.substitutions);
  if (endLine > markerLine) {
    const lineEnd = text.indexOf('\n', split);
    substitutions.push({ start: split, end: lineEnd === -1 ? text.length : lineEnd, value: '' });
  }
  const evaluated = substitute(text.slice(0, upEnd), templates.substitutions).text.trim();
  const lines = evaluated.split('\n');
  if (!lines.some((line) => line.trim() !== '' && !line.trim().startsWith('--'))) {
    return {
      parts: [],
      problem: { message: `${NO_SQL}: tern refuses to load the migrations (ErrNoFwMigration)`, line: 1, column: 1, hint: `write the up step above "${TERN_SPLIT}" (a file with only a down step cannot be applied)` },
    };
  }
  const disableTx = lines.includes(TERN_DISABLE_TX);
  const cut = disableTx && statements ? cutBySqlsplit(text.slice(0, upEnd), templates.substitutions, name) : undefined;
  if (cut) {
    return {
      parts: [],
      problem: {
        message: `tern sends a "${TERN_DISABLE_TX}" migration statement by statement, cut at every ";" outside quotes and comments (sqlsplit.Split): this ${cut.what} is cut at its first ";" and Postgres refuses the pieces`,
        line: cut.line,
        column: cut.column,
        hint: cut.what.startsWith('BEGIN ATOMIC') ? 'write the function body as a string (AS $$ … $$), or move it to a migration without the disable-tx line' : 'move it to a migration without the disable-tx line',
      },
    };
  }
  return { parts: [{ startLine: 0, endLine, transaction: disableTx ? 'none' : 'wrapped' }], ...(substitutions.length > 0 ? { substitutions } : {}) };
}

/**
 * A statement of a disable-tx up step that holds a `;` of its own, which sqlsplit.Split (migrate/internal/sqlsplit:
 * `;` outside quotes, dollar quotes and comments) cuts where Postgres's grammar does not: a SQL-standard function body
 * (BEGIN ATOMIC … END) or a rule with several actions.
 */
function cutBySqlsplit(up: string, substitutions: Substitution[], name: string): { what: string; line: number; column: number } | undefined {
  const { text, origin } = substitute(up, substitutions);
  const statements = parseSqlOrUndefined(text, name, origin)?.statements;
  if (!statements) return undefined; // the replay reports it
  for (const statement of statements) {
    // gram.y: BEGIN ATOMIC's body is a list of `routine_body_stmt ';'` (a RETURN body is a ReturnStmt, with no ';')
    const ast = statement.ast as { sql_body?: { List?: { items?: { List?: { items?: object[] } }[] } }; actions?: unknown[] };
    const atomic = statement.kind === 'CreateFunctionStmt' && (ast.sql_body?.List?.items?.[0]?.List?.items ?? []).some((item) => Object.keys(item).length > 0);
    const what = atomic ? 'BEGIN ATOMIC body' : statement.kind === 'RuleStmt' && (ast.actions?.length ?? 0) > 1 ? 'rule with several actions' : undefined;
    if (what) return { what, line: statement.line, column: statement.column };
  }
  return undefined;
}

interface TemplateContext {
  folder: string;
  options: RunnerOptions;
  /** what `.` is where the text is executed: tern.conf's data, or nil (a shared file included without `.`) */
  dot: 'data' | 'nil';
  /** the files being evaluated, outermost first (a shared file that includes itself never ends) */
  stack: string[];
}

type Evaluated = { substitutions: Substitution[] } | { problem: PlanProblem };

/**
 * Go text/template actions in text[0, end), as tern executes them (`evalMigration`): an include of a shared file
 * (`{{ template "shared/x.sql" . }}`) and a value of tern.conf's [data] (`{{ .key }}`) are evaluated, comments
 * (`{{/* … *\/}}`) dropped, a string constant written (`{{ "{{" }}`), the `{{-` / `-}}` trim markers applied; any other action (sprig functions, `if`, `range`,
 * `define`, `install_snapshot`...) is refused at its place: pgdrift does not guess what it writes.
 */
function evaluateTemplates(text: string, end: number, context: TemplateContext): Evaluated {
  const substitutions: Substitution[] = [];
  for (let at = text.indexOf('{{'); at !== -1 && at < end; at = text.indexOf('{{', at)) {
    const action = readAction(text, at, end);
    const where = positionIn(text, at);
    const refuse = (message: string, hint?: string): Evaluated => ({
      problem: { message, line: where.line, column: where.column, hint: hint ?? 'pgdrift evaluates only {{ template "<shared file>" . }} and {{ .key }} of tern.conf [data]: replay the project with these values written out, or check it with tern itself' },
    });
    if (!action) return refuse('tern parses this "{{" as the start of a Go template action and finds no "}}" closing it: tern stops loading the migrations (template: unclosed action)', 'write "{{" in SQL as {{ "{{" }} (a Go template string), or keep it out of the up step');
    let start = at;
    let stop = action.end;
    // never back into what the previous action's own trim took
    const floor = substitutions.length > 0 ? substitutions[substitutions.length - 1].end : 0;
    if (action.trimLeft) while (start > floor && /[ \t\r\n]/.test(text[start - 1])) start--;
    if (action.trimRight) while (stop < end && /[ \t\r\n]/.test(text[stop])) stop++;
    const body = action.body.trim();
    let value: string;
    const include = /^template\s+("(?:[^"\\\n]|\\.)*"|`[^`]*`)(?:\s+(\.))?$/.exec(body);
    const field = /^\.([\p{L}_][\p{L}\p{N}_]*)$/u.exec(body);
    const constant = /^("(?:[^"\\\n]|\\.)*"|`[^`]*`)$/.exec(body);
    if (body.startsWith('/*') && body.endsWith('*/')) value = '';
    // a string constant writes itself (how a Go template writes "{{": {{ "{{" }})
    else if (constant) value = goString(constant[1]);
    else if (include) {
      const shared = goString(include[1]);
      const file = sharedFiles(context.folder).includes(shared) ? path.join(context.folder, ...shared.split('/')) : undefined;
      if (!file) return refuse(`{{ ${body} }} includes "${shared}", which is no .sql file in a sub-folder of the migrations folder: tern fails (no template "${shared}"), or it is a {{ define }} pgdrift does not evaluate`);
      if (context.stack.includes(shared)) return refuse(`{{ ${body} }} includes ${shared} inside itself (${[...context.stack, shared].join(' → ')}): tern's template never ends`);
      const inner = readFileSync(file, 'utf8');
      const evaluated = evaluateTemplates(inner, inner.length, { ...context, dot: include[2] ? context.dot : 'nil', stack: [...context.stack, shared] });
      if ('problem' in evaluated) return refuse(`in ${shared}:${evaluated.problem.line}:${evaluated.problem.column}, included here: ${evaluated.problem.message}`, evaluated.problem.hint);
      value = substitute(inner, evaluated.substitutions).text;
    } else if (field) {
      const key = field[1];
      if (context.dot === 'nil') return refuse(`{{ ${body} }} in a shared file included without "." ({{ template "…" }}): tern writes "<no value>" there`, 'include the file with {{ template "<file>" . }} to pass tern.conf\'s [data] to it');
      const conf = readTernConf(context.folder, context.options);
      if (!conf) return refuse(`{{ ${body} }} reads tern.conf [data] ${key}, and there is no tern.conf (tern reads -c, TERN_CONFIG or ./tern.conf): its value is unknown here`, 'put the tern.conf tern runs with in the migrations folder or the project root, or set TERN_CONFIG');
      if (conf.unknown.includes(`[data] ${key}`)) return refuse(`{{ ${body} }}: ${conf.file} sets [data] ${key} with a template only tern evaluates: its value is unknown here`);
      const found = conf.data.get(key);
      if (found === undefined) return refuse(`{{ ${body} }}: ${conf.file} has no [data] ${key}: tern writes "<no value>" there`, `add ${key} = … to the [data] section of ${conf.file}`);
      value = found;
    } else return refuse(`tern executes {{ ${body} }} as a Go template action, which pgdrift does not evaluate: replay refused rather than guessed`);
    substitutions.push({ start, end: stop, value });
    at = stop;
  }
  return { substitutions };
}

/** The first `{{` from `from` on that no `}}` closes (Go's parser fails there: "unclosed action"). */
function unclosedAction(text: string, from: number): { line: number; column: number } | undefined {
  for (let at = text.indexOf('{{', from); at !== -1; ) {
    const action = readAction(text, at, text.length);
    if (!action) return positionIn(text, at);
    at = text.indexOf('{{', action.end);
  }
  return undefined;
}

/** A Go string literal: a raw `…` one as written, a "…" one with its escapes (JSON's, for the ones SQL needs). */
function goString(literal: string): string {
  return literal.startsWith('`') ? literal.slice(1, -1) : (JSON.parse(literal) as string);
}

/**
 * One action from its `{{` (text/template/parse/lex.go): the trim markers (`{{- ` and ` -}}`, a space beside the
 * dash), and its end past the `}}` that closes it outside quoted strings, raw strings and characters.
 */
function readAction(text: string, at: number, end: number): { body: string; end: number; trimLeft: boolean; trimRight: boolean } | undefined {
  let i = at + 2;
  const trimLeft = text[i] === '-' && /[ \t\r\n]/.test(text[i + 1] ?? '');
  if (trimLeft) i += 2;
  const bodyStart = i;
  if (text.startsWith('/*', i)) {
    const close = text.indexOf('*/', i + 2);
    if (close === -1 || close >= end) return undefined;
    i = close + 2;
  }
  while (i < end) {
    const c = text[i];
    if (c === '"' || c === "'") {
      for (i++; i < end && text[i] !== c && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
      i++;
    } else if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close === -1 || close >= end) return undefined;
      i = close + 1;
    } else if (text.startsWith(' -}}', i) || text.startsWith('\t-}}', i) || text.startsWith('\n-}}', i) || text.startsWith('\r-}}', i)) {
      return { body: text.slice(bodyStart, i), end: i + 4, trimLeft, trimRight: true };
    } else if (text.startsWith('}}', i)) {
      return { body: text.slice(bodyStart, i), end: i + 2, trimLeft, trimRight: false };
    } else i++;
  }
  return undefined;
}

/** migrate/migrate.go LoadMigrations: every `.sql` file below a sub-folder of the migrations folder, by its path. */
export function sharedFiles(folder: string): string[] {
  const found: string[] = [];
  const visit = (relative: string) => {
    let entries;
    try {
      entries = readdirSync(path.join(folder, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(name);
      // filepath.Ext(path) == ".sql": case-sensitive, and only files below a sub-folder
      else if (relative && entry.name.endsWith('.sql')) found.push(name);
    }
  };
  visit('');
  return found.sort();
}

function readMigration(folder: string, name: string): string {
  try {
    return readFileSync(path.join(folder, name), 'utf8').replace(/^\uFEFF/, '');
  } catch {
    return '';
  }
}

export interface TernConf {
  /** relative to the project root */
  file: string;
  data: Map<string, string>;
  versionTable?: string;
  /** settings whose line is a template only tern evaluates (`[data] key`, `[database] version_table`) */
  unknown: string[];
}

/**
 * The tern.conf tern would read (main.go LoadConfig): TERN_CONFIG (relative to the project root), else the nearest
 * tern.conf from the migrations folder up to the project root. Parsed as vaughan0/go-ini parses it (ini.go
 * parseFile): lines trimmed, `;` and `#` comments, `[section]`, `key = value` (both trimmed; the last one wins).
 */
export function readTernConf(folder: string, options: RunnerOptions): TernConf | undefined {
  const root = options.projectRoot ?? path.dirname(folder);
  const env = options.env ?? process.env;
  // the tern.conf files of the project's tern command that migrates this folder (its -c, or its TERN_CONFIG)
  const command = ternCommands(root, env).folder;
  const fromCommand = command && path.resolve(command.path) === path.resolve(folder) && command.configs.length > 0 ? command.configs.filter(isFile) : undefined;
  // a Dockerfile's ENV TERN_CONFIG, when the image's TERN_MIGRATIONS is the folder (or it names none): tern in that image reads it
  const image = command || env.TERN_CONFIG ? undefined : ternDockerfileSettings(root);
  const imageConfig = image?.config && (!image.migrations || path.resolve(image.migrations.path) === path.resolve(folder)) ? image.config.path : undefined;
  const candidates = env.TERN_CONFIG ? [path.resolve(root, env.TERN_CONFIG)] : imageConfig ? [imageConfig] : foldersUpTo(folder, root).map((dir) => path.join(dir, 'tern.conf'));
  const files = fromCommand ?? [candidates.find((candidate) => isFile(candidate))].filter((file) => file !== undefined);
  if (files.length === 0) return undefined;
  const shown = (file: string) => path.relative(root, file).split(path.sep).join('/') || 'tern.conf';
  const conf: TernConf = { file: files.map(shown).join(', '), data: new Map(), unknown: [] };
  // each file over the ones before it (appendConfigFromFile)
  for (const file of files) readTernConfFile(file, conf);
  return conf;
}

/** One tern.conf's [data] values and version_table into `conf` (a later file's value wins). */
function readTernConfFile(file: string, conf: TernConf): void {
  let section = '';
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const assign = /^([^=]+)=(.*)$/.exec(line);
    if (assign) {
      const key = assign[1].trim();
      const value = assign[2].trim();
      const templated = raw.includes('{{');
      if (section === 'data') {
        if (templated) conf.unknown.push(`[data] ${key}`);
        else conf.data.set(key, value);
      } else if (section === 'database' && key === 'version_table') {
        if (templated) conf.unknown.push('[database] version_table');
        else conf.versionTable = value;
      }
      continue;
    }
    const header = /^\[(.*)\]$/.exec(line);
    if (header) section = header[1].trim();
  }
}
