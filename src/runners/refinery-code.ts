import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UNKNOWN } from './makefile.js';
import { programCalls } from './project-commands.js';
import { forEachCrateSource } from './sqlx-macro.js';
import { cargoDependsOn } from './sqlx.js';

/**
 * What a refinery project says about its runs outside the migrations folder, rust-db/refinery@14354f5:
 * - in its Rust code (the `src/` of crates whose Cargo.toml depends on refinery): `embed_migrations!("<dir>")`
 *   (refinery_macros/src/lib.rs: the folder relative to the crate, CARGO_MANIFEST_DIR; `migrations` without an
 *   argument), and the Runner's settings refinery_core/src/runner.rs `set_grouped(bool)` and
 *   `set_migration_table_name(str)`, read only when written as literals;
 * - in the project's commands (package.json scripts, Makefile, Taskfile, justfile): `refinery migrate` of refinery_cli
 *   (refinery_cli/src/cli.rs MigrateArgs: `-p <dir>` default ./migrations, `-g` grouped, `--table-name <name>`).
 * The Rust text is searched, never compiled: a path or value built by other code is named in a notice instead.
 */
const EMBED = /\bembed_migrations!\s*[([{]\s*(?:"((?:[^"\\\n]|\\.)*)"\s*)?[)\]}]/g;
const EMBED_ANY = /\bembed_migrations!/g;
const GROUPED = /\.\s*set_grouped\s*\(\s*([^)]*?)\s*\)/g;
const TABLE_NAME = /\.\s*set_migration_table_name\s*\(\s*([^)]*?)\s*\)/g;

export interface RefineryCodeSetting<T> {
  value: T | undefined;
  /** where it is written (`src/db.rs:12`, `package.json script "migrate"`) */
  at: string;
  /** the text as written, when it is not a literal pgdrift can read */
  unread?: string;
}

export interface RefineryProjectSettings {
  /** folders named by `embed_migrations!` (absolute) and where */
  embedded: RefineryCodeSetting<string>[];
  /** `refinery migrate -p` folders (absolute) and where */
  cliFolders: RefineryCodeSetting<string>[];
  grouped: RefineryCodeSetting<boolean>[];
  tableName: RefineryCodeSetting<string>[];
}

export function cargoDependsOnRefinery(text: string): boolean {
  return cargoDependsOn(text, 'refinery');
}

/** The Cargo.toml of a crate that depends on refinery enables its `int8-versions` feature (i64 versions, int8 column). */
export function enablesInt8Versions(text: string): boolean {
  return cargoDependsOnRefinery(text) && /["']int8-versions["']|refinery\/int8-versions/.test(text);
}

export function readRefineryProject(root: string, env: Record<string, string | undefined>): RefineryProjectSettings {
  const settings: RefineryProjectSettings = { embedded: [], cliFolders: [], grouped: [], tableName: [] };
  forEachCrateSource(root, cargoDependsOnRefinery, (file, crate) => readRustFile(file, crate, root, settings));
  readCliCalls(root, env, settings);
  return settings;
}

function readRustFile(file: string, crate: string, root: string, settings: RefineryProjectSettings): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return;
  }
  if (!text.includes('embed_migrations!') && !text.includes('set_grouped') && !text.includes('set_migration_table_name')) return;
  const relative = path.relative(root, file).split(path.sep).join('/');
  const at = (index: number) => `${relative}:${text.slice(0, index).split('\n').length}`;
  const commented = (index: number) => text.slice(text.lastIndexOf('\n', index) + 1, index).includes('//');
  const literals = new Set<number>();
  for (const match of text.matchAll(EMBED)) {
    if (commented(match.index)) continue;
    literals.add(match.index);
    const literal = match[1] === undefined ? 'migrations' : match[1].replace(/\\(.)/g, '$1');
    settings.embedded.push({ value: path.resolve(crate, literal), at: at(match.index) });
  }
  for (const match of text.matchAll(EMBED_ANY)) {
    if (literals.has(match.index) || commented(match.index)) continue;
    settings.embedded.push({ value: undefined, at: at(match.index), unread: text.slice(match.index, text.indexOf('\n', match.index) >>> 0).trim() });
  }
  for (const match of text.matchAll(GROUPED)) {
    if (commented(match.index)) continue;
    const value = match[1] === 'true' ? true : match[1] === 'false' ? false : undefined;
    settings.grouped.push({ value, at: at(match.index), ...(value === undefined ? { unread: `set_grouped(${match[1]})` } : {}) });
  }
  for (const match of text.matchAll(TABLE_NAME)) {
    if (commented(match.index)) continue;
    const literal = /^"((?:[^"\\\n]|\\.)+)"$/.exec(match[1]);
    settings.tableName.push(literal ? { value: literal[1].replace(/\\(.)/g, '$1'), at: at(match.index) } : { value: undefined, at: at(match.index), unread: `set_migration_table_name(${match[1]})` });
  }
}

/** refinery_cli/src/cli.rs MigrateArgs (clap): short flags may be bundled (`-gp migrations`), values follow or are attached. */
function readCliCalls(root: string, env: Record<string, string | undefined>, settings: RefineryProjectSettings): void {
  for (const { where, cwd, args } of programCalls(root, env, 'refinery')) {
    if (args[0]?.text !== 'migrate') continue;
    let folder: { text: string; dynamic: boolean } | undefined = { text: './migrations', dynamic: false };
    let grouped = false;
    let table: { text: string; dynamic: boolean } | undefined;
    // refinery_cli before 0.8.8 had `refinery migrate files -p <dir>`
    const rest = args.slice(args[1]?.text === 'files' ? 2 : 1);
    for (let i = 0; i < rest.length; i++) {
      const word = rest[i].text;
      if (word === '--table-name') table = rest[++i];
      else if (word.startsWith('--table-name=')) table = { ...rest[i], text: word.slice('--table-name='.length) };
      else if (/^-[^-]/.test(word)) {
        for (let k = 1; k < word.length; k++) {
          const flag = word[k];
          if (flag === 'g') grouped = true;
          else if ('cpet'.includes(flag)) {
            const attached = word.slice(k + 1).replace(/^=/, '');
            const value = attached !== '' ? { ...rest[i], text: attached } : rest[++i];
            if (flag === 'p') folder = value;
            break;
          }
        }
      }
    }
    const known = (word: { text: string; dynamic: boolean } | undefined) => word !== undefined && !word.dynamic && !word.text.includes(UNKNOWN);
    settings.cliFolders.push(known(folder) && cwd !== undefined ? { value: path.resolve(cwd, folder!.text), at: where } : { value: undefined, at: where, unread: `-p ${folder?.text ?? ''}` });
    settings.grouped.push({ value: grouped, at: where });
    if (table) settings.tableName.push(known(table) ? { value: table.text, at: where } : { value: undefined, at: where, unread: `--table-name ${table.text}` });
  }
}
