import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UNKNOWN } from './makefile.js';
import { programCalls, projectCommandNotices } from './project-commands.js';
import { type ShellWord } from './package-scripts.js';

export type AtlasTxMode = 'none' | 'file' | 'all';

/** A setting with where it was read (`Makefile:12 (target migrate)`, `atlas.hcl env "prod"`). */
interface Setting<T> {
  value: T;
  where: string;
}

/** What the project's `atlas migrate apply` runs with, as far as its Makefile, Taskfile, justfile, package.json scripts and atlas.hcl say. */
export interface AtlasSettings {
  dir?: { folder: string; where: string };
  txMode?: Setting<AtlasTxMode>;
  revisionsSchema?: Setting<string>;
  baseline?: { version: string; where: string };
  /** --dir-format (or the dir URL's `?format=`), when not `atlas` */
  format?: { value: string; where: string };
  /** the project's `atlas migrate apply` that applies this very folder (not an atlas.hcl env alone, nor diff or lint) */
  appliedBy?: string;
  /** the database the project's URLs (url, dev) name when none is PostgreSQL: Atlas writes and applies that dialect */
  otherDatabase?: { name: string; where: string };
  notices: string[];
}

/** One `atlas migrate apply` the project runs: its flags (cobra: `--name value`, `--name=value`, `-u value`). */
interface ApplyCall {
  where: string;
  flags: Map<string, ShellWord>;
  /** the folder the command runs in (relative --dir and the config file are read from there) */
  cwd: string;
}

/** cmdapi/migrate.go migrateApplyCmd and cmdapi.go: the flags that take no value. */
const BOOLEAN_FLAGS = new Set(['allow-dirty', 'dry-run', 'help', 'h']);
/** The short flags `atlas migrate apply` knows (cmdapi.go addFlagURL `-u`, the global `-c`). */
const SHORT_FLAGS: Record<string, string> = { u: 'url', c: 'config' };

/** An atlas command line's words: the positional ones (`migrate apply`) and the flags with their values. */
function atlasArgs(args: ShellWord[]): { positional: string[]; flags: Map<string, ShellWord> } {
  const flags = new Map<string, ShellWord>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const flag = /^--?([^-=][^=]*)(?:=(.*))?$/s.exec(word.text);
    if (!flag) {
      positional.push(word.text);
      continue;
    }
    const name = SHORT_FLAGS[flag[1]] ?? flag[1];
    // (a switch of another subcommand taken as a flag with a value only shifts words after `migrate <command>`)
    if (BOOLEAN_FLAGS.has(name)) continue;
    const value = flag[2] !== undefined ? { text: flag[2], dynamic: word.dynamic } : args[++i];
    if (value) flags.set(name, value);
  }
  return { positional, flags };
}

function applyFlags(args: ShellWord[]): Map<string, ShellWord> | undefined {
  const { positional, flags } = atlasArgs(args);
  return positional[0] === 'migrate' && positional[1] === 'apply' ? flags : undefined;
}

/** Every `atlas migrate apply` of the Makefile, Taskfile and justfile recipes and the package.json scripts in the project root. */
function applyCalls(root: string, env: Record<string, string | undefined>): ApplyCall[] {
  // the recipes' calls first, then the scripts' (the first one's setting is replayed when they disagree)
  const calls = programCalls(root, env, 'atlas');
  return [...calls.filter((call) => call.tool), ...calls.filter((call) => !call.tool)].flatMap((call) => {
    const flags = applyFlags(call.args);
    return flags && call.cwd ? [{ where: call.where, flags, cwd: call.cwd }] : [];
  });
}

/**
 * The literal `--dir` file:// folders of the project's `atlas migrate <command>` calls other than apply (diff, lint,
 * status, validate, hash, new...), with where each is; a value only the shell or the tool knows is left out.
 */
function otherMigrateDirs(root: string, env: Record<string, string | undefined>): { folder: string; where: string; command: string; dir: string }[] {
  const found: { folder: string; where: string; command: string; dir: string }[] = [];
  for (const call of programCalls(root, env, 'atlas')) {
    if (!call.cwd) continue;
    const { positional, flags } = atlasArgs(call.args);
    const dir = flags.get('dir');
    if (positional[0] !== 'migrate' || positional[1] === 'apply' || !dir || dir.dynamic || dir.text.includes(UNKNOWN)) continue;
    const folder = dirFolder(dir.text, call.cwd);
    if (folder) found.push({ folder, where: call.where, command: positional[1] ?? '', dir: dir.text });
  }
  return found;
}

/** A value of atlas.hcl: a plain string, or an expression only Atlas evaluates (`var.dir`, `getenv("X")`). */
type HclValue = { text: string } | { expression: string };

interface HclEnv {
  name: string;
  url?: HclValue;
  dev?: HclValue;
  migration: Map<string, HclValue>;
}

/**
 * The `env "<name>" { url = ...  migration { dir = ... } }` blocks of an atlas.hcl (cmdapi/project.go Env and
 * Migration: dir, format, baseline, revisions_schema, exec_order). A small reader: strings without `${...}` are
 * values, anything else is an expression pgdrift does not evaluate.
 */
export function readAtlasHcl(text: string): HclEnv[] {
  const tokens = hclTokens(text);
  const envs: HclEnv[] = [];
  let i = 0;
  // walks one body; `path` is the chain of block types and labels above it
  const body = (path: string[], env: HclEnv | undefined): void => {
    while (i < tokens.length) {
      const token = tokens[i];
      if (token.kind === 'close') {
        i++;
        return;
      }
      if (token.kind !== 'ident') {
        i++;
        continue;
      }
      const name = token.text;
      i++;
      if (tokens[i]?.kind === 'equals') {
        i++;
        const value = expression();
        if (env && path.length === 1 && name === 'url') env.url = value;
        if (env && path.length === 1 && name === 'dev') env.dev = value;
        if (env && path.length === 2 && path[1] === 'migration') env.migration.set(name, value);
        continue;
      }
      const labels: string[] = [];
      while (tokens[i]?.kind === 'string' || tokens[i]?.kind === 'ident') labels.push(tokens[i++].text);
      if (tokens[i]?.kind !== 'open') continue;
      i++;
      if (path.length === 0 && name === 'env') {
        const block: HclEnv = { name: labels[0] ?? '', migration: new Map() };
        envs.push(block);
        body(['env'], block);
      } else body([...path, name], env);
    }
  };
  const expression = (): HclValue => {
    const start = i;
    let depth = 0;
    while (i < tokens.length && !(depth === 0 && (tokens[i].kind === 'newline' || tokens[i].kind === 'close'))) {
      if (tokens[i].kind === 'open' || tokens[i].kind === 'bracket-open') depth++;
      if (tokens[i].kind === 'close' || tokens[i].kind === 'bracket-close') depth--;
      i++;
    }
    const taken = tokens.slice(start, i);
    if (taken.length === 1 && taken[0].kind === 'string' && !taken[0].interpolated) return { text: taken[0].text };
    return { expression: taken.map((t) => (t.kind === 'string' ? JSON.stringify(t.text) : t.text)).join(' ') };
  };
  body([], undefined);
  return envs;
}

type HclToken =
  | { kind: 'ident' | 'equals' | 'open' | 'close' | 'bracket-open' | 'bracket-close' | 'newline' | 'other'; text: string }
  | { kind: 'string'; text: string; interpolated: boolean };

function hclTokens(text: string): HclToken[] {
  const tokens: HclToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      tokens.push({ kind: 'newline', text: '\n' });
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else if (c === '"') {
      let value = '';
      let interpolated = false;
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') {
        if (text[i] === '\\' && i + 1 < text.length) {
          const next = text[i + 1];
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
          i += 2;
          continue;
        }
        if ((text[i] === '$' || text[i] === '%') && text[i + 1] === '{') {
          if (text[i + 2] === text[i]) {
            // `$${` is a literal `${`
          } else interpolated = true;
        }
        value += text[i++];
      }
      i++;
      tokens.push({ kind: 'string', text: value, interpolated });
    } else if (c === '<' && text.startsWith('<<', i)) {
      // a heredoc: an expression pgdrift does not read
      const marker = /^<<-?([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i));
      const end = marker ? text.indexOf(`\n`, text.indexOf(`\n${marker[1]}`, i) + 1) : -1;
      tokens.push({ kind: 'other', text: '<<heredoc' });
      i = marker && end !== -1 ? end : text.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_\-.]*/.exec(text.slice(i))!;
      tokens.push({ kind: 'ident', text: match[0] });
      i += match[0].length;
    } else {
      const kind = c === '=' && text[i + 1] !== '=' ? 'equals' : c === '{' ? 'open' : c === '}' ? 'close' : c === '[' || c === '(' ? 'bracket-open' : c === ']' || c === ')' ? 'bracket-close' : 'other';
      tokens.push({ kind, text: c });
      i++;
    }
  }
  return tokens;
}

/** The folder a `--dir` / `migration.dir` URL names (cmdmigrate.DirURL: `file://path`, relative to the working folder). */
function dirFolder(url: string, cwd: string): string | undefined {
  const match = /^file:\/\/([^?#]*)(?:\?([^#]*))?/.exec(url);
  if (!match) return undefined;
  return path.resolve(cwd, decodeURIComponent(match[1]) || '.');
}

/**
 * The database a URL names by its scheme (sqlclient drivers: postgres, mysql, maria, sqlite, libsql, sqlserver,
 * clickhouse...; `docker://<image>/...` by the image), or undefined when pgdrift cannot tell (a variable, another scheme).
 */
export function urlDatabase(url: string): string | undefined {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?]*)/i.exec(url.trim());
  if (!match) return undefined;
  const scheme = match[1].toLowerCase();
  const name = scheme === 'docker' ? match[2].toLowerCase() : scheme.replace(/\+.*$/, '');
  if (/^(postgres|postgresql|postgis|pgvector|timescale|supabase|crdb|cockroach)/.test(name) || name === 'pg') return 'PostgreSQL';
  if (/^(sqlite|sqlite3|libsql)$/.test(name)) return 'SQLite';
  if (/^(mysql|maria|mariadb|tidb)$/.test(name)) return 'MySQL';
  if (/^(sqlserver|mssql|azuresql)$/.test(name)) return 'SQL Server';
  if (name === 'clickhouse') return 'ClickHouse';
  return undefined;
}

/** A `?format=` of a dir URL, or the env's `format` (cmdapi/migrate.go dirFormatBC). */
function dirFormat(url: string): string | undefined {
  const query = /\?([^#]*)/.exec(url)?.[1];
  return query ? (new URLSearchParams(query).get('format') ?? undefined) : undefined;
}

/** `search_path` of a postgres:// URL: where Atlas keeps its revisions table then (revisionSchemaName, sql/postgres ParseURL). */
function urlSchema(url: string): string | undefined {
  if (!/^postgres(ql)?:\/\//.test(url)) return undefined;
  const query = /\?([^#]*)/.exec(url)?.[1];
  return query ? (new URLSearchParams(query).get('search_path') ?? undefined) || undefined : undefined;
}

const TX_MODES = new Set(['none', 'file', 'all']);

/**
 * The project's `atlas migrate apply` settings: each call's flags (Makefile, Taskfile, justfile recipes, package.json scripts) over the
 * atlas.hcl env it selects with `--env` (cmdapi/migrate.go setMigrateEnvFlags: a flag given on the command line wins;
 * schema.go selectEnv: without `--env`, atlas.hcl is not read). With no call, the envs of atlas.hcl: what they agree on.
 */
export function atlasProjectSettings(root: string, folder: string, env: Record<string, string | undefined>): AtlasSettings {
  const notices: string[] = [];
  const hclAt = (cwd: string, config?: string): { file: string; envs: HclEnv[] } | undefined => {
    const file = config ? dirFolder(config, cwd) : path.join(cwd, 'atlas.hcl');
    if (!file) return undefined;
    try {
      return { file, envs: readAtlasHcl(readFileSync(file, 'utf8')) };
    } catch {
      return undefined;
    }
  };
  interface Resolved {
    where: string;
    cwd: string;
    dir?: string;
    format?: string;
    txMode?: string;
    revisionsSchema?: string;
    baseline?: string;
    /** url and dev URLs as written (`url = "sqlite://..."`, `--dev-url docker://mysql/8`) */
    urls?: { setting: string; url: string }[];
    /** from an `atlas migrate apply` the project runs (else from an atlas.hcl env alone) */
    apply?: boolean;
  }
  const resolved: Resolved[] = [];
  const fromEnv = (hcl: { file: string; envs: HclEnv[] }, block: HclEnv, cwd: string, where: string): Resolved => {
    const out: Resolved = { where, cwd };
    const text = (value: HclValue | undefined, setting: string): string | undefined => {
      if (!value) return undefined;
      if ('text' in value) return value.text;
      notices.push(`atlas: ${path.relative(root, hcl.file) || 'atlas.hcl'} env "${block.name}" sets ${setting} = ${value.expression}, which only Atlas evaluates: the replay uses Atlas's default there (give pgdrift the value: "migrations" in pgdrift.config.json, --migrations)`);
      return undefined;
    };
    out.dir = text(block.migration.get('dir'), 'migration.dir');
    // dirFormatBC: a `?format=` in the dir URL wins over the format setting (field: Cufee/aftermath's env "local",
    // `dir = "file://internal/database/migrations?format=golang-migrate"`, was read as an Atlas directory)
    const setFormat = text(block.migration.get('format'), 'migration.format');
    out.format = (out.dir !== undefined ? dirFormat(out.dir) : undefined) ?? setFormat;
    out.revisionsSchema = text(block.migration.get('revisions_schema'), 'migration.revisions_schema');
    out.baseline = text(block.migration.get('baseline'), 'migration.baseline');
    if (!out.revisionsSchema && block.url && 'text' in block.url) out.revisionsSchema = urlSchema(block.url.text);
    out.urls = [block.url && 'text' in block.url ? { setting: 'url', url: block.url.text } : undefined, block.dev && 'text' in block.dev ? { setting: 'dev', url: block.dev.text } : undefined].filter((u) => u !== undefined);
    return out;
  };
  // a Taskfile or justfile pgdrift could not read (broken YAML, an include it cannot follow): its atlas commands are unknown
  notices.push(...projectCommandNotices(root, env).map((notice) => `atlas: ${notice}`));
  for (const call of applyCalls(root, env)) {
    const value = (name: string): string | undefined => {
      const word = call.flags.get(name);
      if (!word) return undefined;
      if (word.dynamic || word.text.includes(UNKNOWN)) {
        // a URL from the environment is the rule ($DATABASE_URL): only its search_path would matter
        if (name === 'url') return undefined;
        notices.push(`atlas: ${call.where} runs atlas migrate apply --${name} with a value only the shell or make knows: the replay uses ${name === 'tx-mode' ? 'file' : "Atlas's default"} there`);
        return undefined;
      }
      return word.text;
    };
    let base: Resolved = { where: call.where, cwd: call.cwd };
    const envName = value('env');
    if (envName !== undefined) {
      const hcl = hclAt(call.cwd, value('config'));
      const block = hcl?.envs.find((e) => e.name === envName);
      if (hcl && block) base = fromEnv(hcl, block, call.cwd, `${call.where} (atlas.hcl env "${envName}")`);
      else notices.push(`atlas: ${call.where} runs atlas migrate apply --env ${envName}, and pgdrift found no env "${envName}" in ${hcl ? path.relative(root, hcl.file) : 'atlas.hcl'}: its settings are not replayed`);
    }
    const dir = value('dir');
    resolved.push({
      ...base,
      apply: true,
      ...(dir !== undefined ? { dir, format: dirFormat(dir) ?? value('dir-format') } : value('dir-format') !== undefined ? { format: value('dir-format') } : {}),
      ...(value('tx-mode') !== undefined ? { txMode: value('tx-mode') } : {}),
      ...(value('revisions-schema') !== undefined ? { revisionsSchema: value('revisions-schema') } : value('url') && urlSchema(value('url')!) ? { revisionsSchema: urlSchema(value('url')!) } : {}),
      ...(value('baseline') !== undefined ? { baseline: value('baseline') } : {}),
      ...(value('url') !== undefined ? { urls: [...(base.urls ?? []), { setting: '--url', url: value('url')! }] } : {}),
    });
  }
  if (resolved.length === 0) {
    const hcl = hclAt(root);
    for (const block of hcl?.envs ?? []) if (block.migration.size > 0) resolved.push(fromEnv(hcl!, block, root, `atlas.hcl env "${block.name}"`));
  }
  // the calls on this folder (or naming none) decide; a call on another folder is another history
  const here = resolved.filter((r) => r.dir === undefined || dirFolder(r.dir, r.cwd) === path.resolve(folder));
  const settings: AtlasSettings = { notices };
  // cmdapi.go addFlagDirURL: --dir defaults to file://migrations, of the folder the command runs in
  const applying = resolved.find((r) => r.apply && dirFolder(r.dir ?? 'file://migrations', r.cwd) === path.resolve(folder));
  if (applying) settings.appliedBy = applying.where;
  const named = resolved.filter((r) => r.dir !== undefined && dirFolder(r.dir, r.cwd) !== undefined);
  const folders = [...new Set(named.map((r) => dirFolder(r.dir!, r.cwd)!))];
  if (folders.length === 1) settings.dir = { folder: folders[0], where: `${named[0].where} (--dir ${named[0].dir})` };
  // no apply names the folder (guacsec/guac applies from a container's atlas.sh, --dir file:///app/migrations, while
  // its Makefile runs `atlas migrate diff|lint --dir "file://pkg/assembler/backends/ent/migrate/migrations"`): the
  // folder the other `atlas migrate` commands work on is the migration directory (cmdapi/migrate.go: every migrate
  // subcommand reads its history from --dir), when they all name one
  if (resolved.length === 0 && !settings.dir) {
    const others = otherMigrateDirs(root, env);
    const otherFolders = [...new Set(others.map((o) => o.folder))];
    if (otherFolders.length === 1) settings.dir = { folder: otherFolders[0], where: `${others[0].where} (atlas migrate ${others[0].command} --dir ${others[0].dir})` };
  }
  const pick = <K extends 'txMode' | 'revisionsSchema' | 'baseline' | 'format'>(key: K, label: string): { value: string; where: string } | undefined => {
    const set = here.filter((r) => r[key] !== undefined);
    if (set.length === 0) return undefined;
    const distinct = [...new Set(set.map((r) => r[key]!))];
    if (distinct.length > 1) notices.push(`atlas: the project runs atlas migrate apply with different ${label} values (${set.map((r) => `${r.where}: ${r[key]}`).join('; ')}): pgdrift replays as ${set[0].where} does`);
    return { value: set[0][key]!, where: set[0].where };
  };
  const txMode = pick('txMode', '--tx-mode');
  if (txMode) {
    if (TX_MODES.has(txMode.value)) settings.txMode = { value: txMode.value as AtlasTxMode, where: txMode.where };
    else notices.push(`atlas: ${txMode.where} runs atlas migrate apply --tx-mode ${txMode.value}, which Atlas refuses (unknown tx-mode): the replay uses file`);
  }
  const schema = pick('revisionsSchema', '--revisions-schema');
  if (schema) settings.revisionsSchema = schema;
  const baseline = pick('baseline', '--baseline');
  if (baseline) settings.baseline = { version: baseline.value, where: baseline.where };
  // the dialect: Atlas's dev database and target are of one driver (sqlclient.Open by the URL scheme); URLs naming only
  // another database (field: 110y/muxac, atlas.hcl env "local" dev = "sqlite://dev?mode=memory", its migrations
  // SQLite's AUTOINCREMENT) say the folder is not a PostgreSQL history
  const urls = here.flatMap((r) => (r.urls ?? []).map((u) => ({ ...u, where: r.where, database: urlDatabase(u.url) })));
  const other = urls.find((u) => u.database !== undefined && u.database !== 'PostgreSQL');
  if (other && !urls.some((u) => u.database === 'PostgreSQL')) settings.otherDatabase = { name: other.database!, where: `${other.where} ${other.setting} = "${other.url}"` };
  const format = pick('format', '--dir-format');
  if (format && format.value !== 'atlas') settings.format = format;
  // golang-migrate is read as Atlas reads it (atlas.ts discoverAtlas); goose, dbmate and Flyway folders are refused
  // there (their down sections and undo files would be replayed); another value is only named
  if (format && !['atlas', 'golang-migrate', 'goose', 'dbmate', 'flyway'].includes(format.value)) {
    notices.push(`atlas: ${format.where} applies the folder as a ${format.value} directory (--dir-format ${format.value}): pgdrift replays it as Atlas's own format; name the runner whose files these are with --runner, if that is closer`);
  }
  return settings;
}
