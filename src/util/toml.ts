import { createRequire } from 'node:module';
import { InputError } from '../errors.js';

/** A TOML table as smol-toml returns it (values: strings, numbers, booleans, dates, arrays, tables). */
export type TomlTable = Record<string, unknown>;

/**
 * smol-toml (a maintained TOML 1.0 reader), loaded on the first TOML file a project has: most projects have none,
 * and every command would otherwise load it (scripts/bundle-cli.mjs leaves it out of the CLI bundle).
 */
let reader: typeof import('smol-toml') | undefined;
const smolToml = () => (reader ??= createRequire(import.meta.url)('smol-toml') as typeof import('smol-toml'));

/** A TOML document, or undefined when the text is not valid TOML (for a file only looked at, not read for settings). */
export function tryParseToml(text: string): TomlTable | undefined {
  try {
    return smolToml().parse(text) as TomlTable;
  } catch {
    return undefined;
  }
}

/**
 * A TOML file's document. A file that is not valid TOML is an input error at its file:line:column (the tool that
 * reads it, `readBy`, would refuse it too), with the hint given.
 */
export function parseToml(text: string, file: string, readBy: string, hint: string): TomlTable {
  const toml = smolToml();
  try {
    return toml.parse(text) as TomlTable;
  } catch (error) {
    if (!(error instanceof toml.TomlError)) throw error;
    const reason = error.message.split('\n', 1)[0].replace(/^Invalid TOML document:\s*/, '');
    const position = { file, line: error.line, column: error.column };
    throw new InputError(`${file}:${error.line}:${error.column}: not valid TOML (${reason}): ${readBy} reads its settings there`, { hint, position });
  }
}

/** Whether a TOML value is a table (not an array, a date or a scalar). */
export function isTomlTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * Every leaf of a table as `[dotted.key, value]`, in document order: `{ flyway: { placeholders: { owner: 'app' } } }`
 * gives `['flyway.placeholders.owner', 'app']`. Arrays are leaves.
 */
export function tomlLeaves(table: TomlTable, prefix = ''): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(table)) {
    const dotted = prefix ? `${prefix}.${key}` : key;
    if (isTomlTable(value)) out.push(...tomlLeaves(value, dotted));
    else out.push([dotted, value]);
  }
  return out;
}
