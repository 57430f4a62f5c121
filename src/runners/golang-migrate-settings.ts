import path from 'node:path';
import { InputError } from '../errors.js';
import { redactUrl } from '../engine/url.js';
import { composeBindMounts, composeCommandWords, readComposeServices, type ComposeService } from './compose-file.js';
import { UNKNOWN } from './makefile.js';
import { projectCommands, toolName, type CommandTool } from './project-commands.js';
import { shellCommands, type ShellWord } from './package-scripts.js';
import { urlSearchPath, type UrlSearchPath } from './url-search-path.js';
import { goFlags } from './go-flags.js';

/**
 * How a project runs golang-migrate's CLI, read from its Makefile's recipes (`migrate -path db/migrations -database
 * "$(DB_URL)" up`, or the migrate/migrate Docker image), and what the database URL tells the Postgres driver.
 * golang-migrate@18966c7: internal/cli/main.go (flags), database/postgres/postgres.go (Open, WithConnection,
 * ensureVersionTable, Run), database/multistmt/parse.go.
 */

/** The driver settings of a `-database` URL (database/postgres/postgres.go Open; database/pgx/v5/pgx.go alike). */
export interface MigrateUrlSettings {
  /** the URL's `search_path` (lib/pq or pgx send it to the server as a run-time parameter of the session) */
  searchPath?: UrlSearchPath;
  /** `x-migrations-table`, as written */
  migrationsTable?: string;
  /** `x-migrations-table-quoted` */
  migrationsTableQuoted: boolean;
  /** `x-multi-statement` */
  multiStatement: boolean;
  /** `x-multi-statement-max-size` (bytes; default 10 MB) */
  multiStatementMaxSize: number;
  /**
   * The pgx v4 driver's lock table (`pgx://`, `pgx4://` with `x-lock-strategy=table`: `x-lock-table`, default
   * `schema_lock`), created in CURRENT_SCHEMA() before the migrations table; undefined with advisory locks.
   */
  lockTable?: string;
}

/** One `migrate … up` of the Makefile. */
export interface MigrateInvocation {
  /** `Makefile:12 (target migrate-up)` */
  where: string;
  /** the folder `-path` or `-source file://…` names, absolute; undefined when none is given or it is unknown */
  folder?: string;
  /** what was written for the folder (for messages) */
  folderText?: string;
  /** the -database URL after expansion; UNKNOWN marks what make or the shell would fill in */
  url?: string;
  /** why a setting cannot be read (a variable not set here...) */
  unknown: string[];
}

/** postgres.go: `DefaultMultiStatementMaxSize = 10 * 1 << 20` */
export const DEFAULT_MULTI_STATEMENT_MAX_SIZE = 10 * 1024 * 1024;

/** The URL schemes of golang-migrate's Postgres drivers (database/postgres, database/pgx, database/pgx/v5). */
export const POSTGRES_SCHEMES = ['postgres', 'postgresql', 'pgx', 'pgx4', 'pgx5'];

/** internal/cli/main.go: the global flags; the boolean ones take no separate value (Go's flag package). */
export const BOOLEAN_FLAGS = new Set(['help', 'version', 'verbose']);

/**
 * Every `migrate … up` in the project's Makefile recipes and Taskfile tasks (project-commands.ts). `composeEnv` is what the Compose file is interpolated with
 * (the environment over `.env`), for a recipe that runs a Compose service (`docker compose run migrate -path …`).
 */
export function makefileInvocations(root: string, env: Record<string, string | undefined>, composeEnv: Record<string, string | undefined> = env): MigrateInvocation[] {
  const found: MigrateInvocation[] = [];
  let services: ComposeService[] | undefined;
  const composeServices = () => (services ??= readComposeServices(root, composeEnv));
  for (const { where, words, expansion, cwd, env: shellEnv, from } of projectCommands(root, env)) {
    // a relative -path (or docker -v host folder) is the recipe's working directory's, after its `cd`
    const unresolved = from === 'make' ? [...new Set(expansion.unknown)] : [];
    const invocation = invocationOf(words, shellEnv, env, from, cwd ?? root, unresolved, composeServices, root);
    if (!invocation) continue;
    if (cwd === undefined && invocation.result.folder !== undefined && invocation.result.folderText !== undefined && !/^(?:file:\/\/)?\//.test(invocation.result.folderText)) {
      delete invocation.result.folder;
      invocation.unknown.push(`the migrations source ${invocation.result.folderText} is relative to a folder a \`cd\` of the recipe goes to, which only the shell knows: the folder found is replayed`);
    }
    const conditional = [...new Set(expansion.conditional)].map((name) => `${name} is set under an ifeq/ifdef of the Makefile, which pgdrift does not evaluate: its last value is used`);
    found.push({ where, ...invocation.result, unknown: [...invocation.unknown, ...conditional] });
  }
  return found;
}

/**
 * Every service of the project's Compose file that runs `migrate … up`: the migrate/migrate image (its entrypoint is
 * migrate, so `command:` holds migrate's arguments) or a `command:`/`entrypoint:` starting with migrate, or a shell's
 * `-c` script that runs it (`entrypoint: ["/bin/sh", "-c"]`, which replaces the image's entrypoint, with the script as
 * `command:`); an in-container -path is mapped back through the service's `volumes:` (`./db/migrations:/migrations`,
 * relative to the file's folder).
 */
export function composeInvocations(root: string, env: Record<string, string | undefined>): MigrateInvocation[] {
  const found: MigrateInvocation[] = [];
  for (const service of readComposeServices(root, env)) {
    const where = `${service.file}:${service.line} (service ${service.name})`;
    const image = service.keys.get('image');
    const migrateImage = typeof image === 'string' && isMigrateProgram(image);
    // compose-spec: `entrypoint:` overrides the image's ENTRYPOINT; `command:` is then the new entrypoint's arguments
    const byImage = migrateImage && !service.keys.has('entrypoint');
    const words = [...composeCommandWords(service.keys.get('entrypoint')), ...composeCommandWords(service.keys.get('command'))];
    const unreadable = [service.keys.get('command'), service.keys.get('entrypoint')].find((value): value is { unreadable: string } => typeof value === 'object' && !Array.isArray(value));
    if (migrateImage && unreadable) {
      found.push({ where, unknown: [`its command: is ${unreadable.unreadable}: its settings are not read`] });
      continue;
    }
    const script = byImage ? undefined : shellScriptCommands(words);
    const commands = byImage ? [[{ text: 'migrate', dynamic: false }, ...words]] : (script ?? [words]);
    const volumes = composeBindMounts(service, root);
    for (const command of commands) {
      // a script's command may start with `NAME=value` assignments (or `exec`); Compose's own command is the program
      const at = script ? command.findIndex((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word.text) && word.text !== 'exec') : 0;
      const program = at < 0 ? undefined : command[at];
      if (!program || program.dynamic || !isMigrateProgram(program.text)) continue;
      const parsed = migrateArguments(command.slice(at + 1), { root, volumes, value: containerShellValue, known: 'Compose or the container\'s shell', names: ' (a variable set neither in the environment nor in .env)' });
      if (parsed) found.push({ where, ...parsed.result, unknown: parsed.unknown });
    }
  }
  return found;
}

/** The shells a container runs a `-c` script with. */
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);

/** The commands of a `sh -c '<script>'` (the script split as the shell splits it); undefined for any other command. */
function shellScriptCommands(words: ShellWord[]): ShellWord[][] | undefined {
  if (words.length < 3 || !SHELLS.has(path.posix.basename(words[0].text)) || words[1].text !== '-c' || words[2].dynamic) return undefined;
  return shellCommands(words[2].text);
}

/** A word of a Compose command: as written, except what the container's shell would expand (`$DATABASE_URL`). */
function containerShellValue(word: ShellWord): string {
  return word.dynamic ? word.text.replace(/\$(?:\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)|\$\([^)]*\)|`[^`]*`/g, UNKNOWN) : word.text;
}

/** The folder and URL of one shell command when it runs migrate's `up` with -path/-source or -database. */
function invocationOf(
  words: ShellWord[],
  shellEnv: Record<string, string | undefined>,
  env: Record<string, string | undefined>,
  from: CommandTool,
  root: string,
  unresolved: string[],
  composeServices: () => ComposeService[],
  projectRoot: string = root,
): MigrateArguments | undefined {
  const names = unresolved.length > 0 ? ` (${unresolved.join(', ')}: set neither in the Makefile nor in the environment)` : '';
  const context = { root, value: (word: ShellWord) => shellExpand(word, shellEnv, env), known: `${toolName(from)} or the shell`, names };
  const run = composeRun(words);
  const service = run && composeServices().find((candidate) => candidate.name === run.service.text);
  // a service of another Compose file (`-f deploy/compose.yml`): read as before, migrate found among the words
  if (run && service) {
    // compose run: the service's bind mounts, then the run's own `-v` (compose-spec; docker compose run --volume)
    const volumes = new Map([...composeBindMounts(service, projectRoot), ...dockerVolumes(words.slice(0, run.at), root)]);
    const image = service.keys.get('image');
    // the words after the service replace its `command:`: migrate's arguments when the image's entrypoint is migrate
    // (the migrate/migrate image, neither `entrypoint:` nor `--entrypoint` replacing it), else a command naming migrate
    // a service without `image:` (`build:` from a Dockerfile) whose name is migrate: read as the image, as before
    const migrateImage = typeof image === 'string' ? isMigrateProgram(image) : isMigrateProgram(service.name);
    if (migrateImage && !service.keys.has('entrypoint') && !run.entrypoint) {
      return migrateArguments(words.slice(run.at + 1), { ...context, volumes });
    }
    const program = words[run.at + 1];
    if (!program || program.dynamic || !isMigrateProgram(program.text)) return undefined;
    return migrateArguments(words.slice(run.at + 2), { ...context, volumes });
  }
  const at = migrateAt(words);
  if (at < 0) return undefined;
  const inContainer = at > 0 && ['docker', 'podman', 'nerdctl'].includes(path.posix.basename(words[0].text));
  const volumes = inContainer ? dockerVolumes(words.slice(0, at), root) : undefined;
  return migrateArguments(words.slice(at + 1), { ...context, volumes });
}

/** `docker compose` / `docker-compose` options that take a value, before and after `run` (the others are flags). */
const COMPOSE_VALUE_OPTIONS = new Set([
  '-f', '--file', '-p', '--project-name', '--env-file', '--profile', '--project-directory', '--ansi', '--progress', '--parallel',
  '-e', '--env', '-v', '--volume', '-w', '--workdir', '-u', '--user', '--name', '--entrypoint', '-l', '--label', '-p', '--publish',
  '--env-from-file', '--pull', '--cap-add', '--cap-drop', '--network',
]);

/**
 * `docker compose [options] run [options] SERVICE [args…]` (also `docker-compose`, `podman compose`, `podman-compose`):
 * where the service name is, and whether `--entrypoint` replaces the image's. Undefined for any other command.
 */
function composeRun(words: ShellWord[]): { service: ShellWord; at: number; entrypoint: boolean } | undefined {
  let k = 0;
  while (k < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k].text)) k++;
  const program = words[k] && path.posix.basename(words[k].text);
  let i: number;
  if (program === 'docker-compose' || program === 'podman-compose') i = k + 1;
  else if ((program === 'docker' || program === 'podman') && words[k + 1]?.text === 'compose') i = k + 2;
  else return undefined;
  let entrypoint = false;
  let seenRun = false;
  for (; i < words.length; i++) {
    const text = words[i].text;
    if (text.startsWith('-')) {
      if (/^--entrypoint(=|$)/.test(text)) entrypoint = true;
      if (COMPOSE_VALUE_OPTIONS.has(text)) i++;
      continue;
    }
    if (!seenRun) {
      if (text !== 'run') return undefined;
      seenRun = true;
      continue;
    }
    return words[i].dynamic ? undefined : { service: words[i], at: i, entrypoint };
  }
  return undefined;
}

export interface MigrateArguments {
  result: Omit<MigrateInvocation, 'where' | 'unknown'>;
  unknown: string[];
}

/**
 * migrate's arguments (internal/cli/main.go, Go's flag package: `-name value`, `-name=value`, `--name…`; the global
 * flags end at the first other word, the command): undefined unless the command is `up` (or not known) and -path,
 * -source or -database is given (`manage.py migrate` is another program).
 */
export function migrateArguments(
  args: ShellWord[],
  context: { root: string; volumes: Map<string, string> | undefined; value: (word: ShellWord) => string; known: string; names: string },
): MigrateArguments | undefined {
  const { flags, rest } = goFlags(args, BOOLEAN_FLAGS);
  const command: ShellWord | undefined = rest[0];
  const database = flags.get('database');
  const source = flags.get('source') ?? flags.get('path');
  if (!database && !source) return undefined;
  const valueOf = (word: ShellWord | undefined) => (word ? context.value(word) : undefined);
  const commandText = valueOf(command);
  if (commandText !== undefined && commandText !== 'up' && !commandText.includes(UNKNOWN)) return undefined;
  const unknown: string[] = [];
  const url = valueOf(database);
  if (database && url?.includes(UNKNOWN)) unknown.push(`-database ${shownUrl(database.text)} holds a value only ${context.known} knows${context.names}: unless its query is known, golang-migrate's defaults are replayed`);
  const result: Omit<MigrateInvocation, 'where' | 'unknown'> = {};
  if (url !== undefined) result.url = url;
  const sourceText = valueOf(source);
  if (source && sourceText !== undefined) {
    result.folderText = source.text;
    const folder = sourceText.includes(UNKNOWN) ? undefined : sourceFolder(flags.has('source') ? sourceText : `file://${sourceText}`, context.root, context.volumes);
    if (folder) result.folder = folder;
    else unknown.push(`the migrations source ${source.text} is not a folder pgdrift can find: the folder found is replayed`);
  }
  return { result, unknown };
}

/** Programs that run migrate with their own options first: `docker run … migrate/migrate`, `go run …/cmd/migrate`. */
const LAUNCHERS = new Set(['docker', 'podman', 'nerdctl', 'go', 'sudo', 'env', 'exec', 'command', 'time']);

/** Where migrate is in a command: its first word (after `NAME=value` assignments) or after a launcher; -1 when not. */
function migrateAt(words: ShellWord[]): number {
  let k = 0;
  while (k < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k].text)) k++;
  const first = words[k];
  if (!first || first.dynamic) return -1;
  if (isMigrateProgram(first.text)) return k;
  if (!LAUNCHERS.has(path.posix.basename(first.text))) return -1;
  return words.findIndex((word, n) => n > k && !word.dynamic && isMigrateProgram(word.text));
}

/** `migrate`, `/usr/local/bin/migrate`, `go run …/cmd/migrate@v4`, or the `migrate/migrate[:tag]` image. */
export function isMigrateProgram(word: string): boolean {
  if (/^(?:[\w.-]+(?::\d+)?\/)?migrate\/migrate(?::[\w.-]+)?(?:@sha256:[0-9a-f]+)?$/.test(word)) return true;
  return path.posix.basename(word).replace(/@[^@/]*$/, '') === 'migrate';
}

/** The `-v host:container` mounts of a `docker run` before the image: container folder → host folder. */
function dockerVolumes(words: ShellWord[], root: string): Map<string, string> {
  const volumes = new Map<string, string>();
  for (let i = 0; i < words.length; i++) {
    const inline = /^(?:-v|--volume)=?(.+)$/.exec(words[i].text);
    const spec = inline && inline[1] !== '' && words[i].text !== '-v' && words[i].text !== '--volume' ? inline[1] : words[i].text === '-v' || words[i].text === '--volume' ? words[++i]?.text : undefined;
    const parts = spec?.split(':');
    // a host path (`./db`, `/abs`, `$(PWD)/db` expanded); a bare name is a named volume, no project folder
    if (parts && parts.length >= 2 && parts[1].startsWith('/') && /^[./]/.test(parts[0])) volumes.set(path.posix.normalize(parts[1]), path.resolve(root, parts[0]));
  }
  return volumes;
}

/**
 * The folder of a source URL (source/file/file.go parseURL: the URL's opaque part, else host + path; relative to the
 * working directory, the project root), through a container's mounts. Undefined for a source that is no folder.
 */
export function sourceFolder(url: string, root: string, volumes: Map<string, string> | undefined): string | undefined {
  const match = /^file:(?:\/\/)?(.*)$/.exec(url);
  if (!match) return undefined;
  const written = match[1].replace(/[?#].*$/, '') || '.';
  if (!volumes) return path.resolve(root, written);
  // in a container: a path inside one of the command's `-v` mounts (a relative one: to the image's working directory)
  const normalized = path.posix.normalize(written);
  for (const [container, host] of volumes) {
    if (normalized === container || normalized.startsWith(`${container.replace(/\/$/, '')}/`)) return path.join(host, path.posix.relative(container, normalized));
  }
  return undefined;
}

/**
 * A shell word's value: `$NAME` / `${NAME}` from the environment the command's shell gets (make's exported variables,
 * a task's `env:`; makefile.ts recipeEnvironment, taskfile.ts). A value make or Task set that still holds a `$` or an
 * unknown part is unknown; one the process's environment gave is used as it is.
 */
function shellExpand(word: ShellWord, shellEnv: Record<string, string | undefined>, env: Record<string, string | undefined>): string {
  if (!word.dynamic) return word.text;
  return word.text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))|\$\([^)]*\)|`[^`]*`/g, (whole, braced?: string, bare?: string) => {
    const name = braced ?? bare;
    if (!name) return UNKNOWN;
    const value = shellEnv[name];
    if (value === undefined) return UNKNOWN;
    if (value === env[name]) return value;
    return value.includes('$') || value.includes(UNKNOWN) ? UNKNOWN : value;
  });
}

/** A URL for messages: the password replaced by `***` (engine/url.ts), a value only the shell knows shown as `…`. */
export function shownUrl(url: string): string {
  return redactUrl(url).replaceAll(UNKNOWN, '…');
}

/**
 * What the Postgres driver reads from the URL (postgres.go Open): strconv.ParseBool for the booleans and strconv.Atoi
 * for the sizes (an unreadable value stops migrate before it connects: refused here too). Undefined when the URL is
 * not a Postgres one or its query is not known here.
 */
export function urlSettings(url: string, where: string): MigrateUrlSettings | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (!scheme || !POSTGRES_SCHEMES.includes(scheme)) return undefined;
  const queryAt = url.indexOf('?');
  const query = queryAt < 0 ? '' : url.slice(queryAt + 1).replace(/#.*$/s, '');
  if (query.includes(UNKNOWN)) return undefined;
  const params = new URLSearchParams(query); // Go's url.ParseQuery alike: `&` pairs, `+` a space, %XX escapes
  const fail = (message: string) => new InputError(`${where}: migrate would stop before connecting: ${message}`, { hint: `fix the -database URL (${shownUrl(url)})` });
  const bool = (name: string) => {
    const value = params.get(name);
    if (!value) return false;
    const parsed = parseGoBool(value);
    if (parsed === undefined) throw fail(`unable to parse option ${name}: strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
    return parsed;
  };
  const migrationsTable = params.get('x-migrations-table') || undefined;
  const migrationsTableQuoted = bool('x-migrations-table-quoted');
  if (migrationsTable && migrationsTableQuoted && !(migrationsTable.startsWith('"') && migrationsTable.endsWith('"'))) {
    throw fail(`x-migrations-table must be quoted (for instance '"migrate"."schema_migrations"') when x-migrations-table-quoted is enabled, current value is: ${migrationsTable}`);
  }
  let multiStatementMaxSize = DEFAULT_MULTI_STATEMENT_MAX_SIZE;
  const maxSize = params.get('x-multi-statement-max-size');
  if (maxSize) {
    if (!/^[+-]?\d+$/.test(maxSize)) throw fail(`strconv.Atoi: parsing ${JSON.stringify(maxSize)}: invalid syntax`);
    const parsed = Number(maxSize);
    if (parsed > 0) multiStatementMaxSize = parsed; // postgres.go: a size <= 0 means the default
  }
  // lib/pq sends search_path in the startup packet: the server reads it, and refuses a value that is not a list
  const searchPath = urlSearchPath(url);
  if (searchPath && !searchPath.schemas) throw fail(`pq: invalid value for parameter "search_path": ${JSON.stringify(searchPath.value)} (List syntax is invalid.)`);
  // database/pgx/pgx.go (the pgx v4 driver, registered as pgx and pgx4; postgres and pgx5 have no such option):
  // `x-lock-strategy=table` makes WithInstance run ensureLockTable, `CREATE TABLE "<x-lock-table>" (lock_id BIGINT NOT
  // NULL PRIMARY KEY)` unqualified (in CURRENT_SCHEMA()), before ensureVersionTable; Lock refuses any other strategy
  // than advisory (the default) and table: `unknown lock strategy "…"`, before the first migration
  let lockTable: string | undefined;
  if (scheme === 'pgx' || scheme === 'pgx4') {
    const strategy = params.get('x-lock-strategy') || 'advisory';
    if (strategy !== 'advisory' && strategy !== 'table') {
      throw new InputError(`${where}: migrate would stop before the first migration: unknown lock strategy ${JSON.stringify(strategy)}`, { hint: `x-lock-strategy is advisory or table (fix the -database URL ${shownUrl(url)})` });
    }
    if (strategy === 'table') lockTable = params.get('x-lock-table') || 'schema_lock';
  }
  return {
    ...(searchPath ? { searchPath } : {}),
    ...(migrationsTable ? { migrationsTable } : {}),
    migrationsTableQuoted,
    multiStatement: bool('x-multi-statement'),
    multiStatementMaxSize,
    ...(lockTable ? { lockTable } : {}),
  };
}

/** Go's strconv.ParseBool. */
function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/**
 * The bookkeeping table's schema and name (postgres.go WithConnection): the name as written, dots included (it is
 * quoted whole: `x-migrations-table=app.versions` is a table named "app.versions"), in CURRENT_SCHEMA() of the
 * session; with x-migrations-table-quoted the last `"…"` is the table and a first of two the schema.
 * Undefined schema: CURRENT_SCHEMA().
 */
export function migrationsTableOf(settings: MigrateUrlSettings | undefined, where: string): { schema?: string; table: string } {
  const written = settings?.migrationsTable ?? 'schema_migrations';
  if (!settings?.migrationsTableQuoted) return { table: written };
  const quoted = [...written.matchAll(/"(.*?)"/g)].map((match) => match[1]);
  if (quoted.length > 2) throw new InputError(`${where}: migrate would stop before connecting: "${written}" MigrationsTable contains too many dot characters`);
  return quoted.length === 2 ? { schema: quoted[0], table: quoted[1] } : { table: quoted[0] };
}
