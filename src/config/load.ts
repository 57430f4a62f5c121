import { existsSync } from 'node:fs';
import path from 'node:path';
import { parse as parseJson, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { InputError } from '../errors.js';
import { readProjectFile } from '../util/project-paths.js';
import { configSchema, type PgdriftConfig } from './schema.js';

export const CONFIG_FILE_NAME = 'pgdrift.config.json';

export interface LoadedConfig {
  config: PgdriftConfig;
  /** where it came from, relative to the root, e.g. "pgdrift.config.json" or "package.json#pgdrift"; undefined when none */
  source?: string;
}

/** Finds and validates the configuration: --config file, else pgdrift.config.json, else package.json "pgdrift". */
export function loadConfig(root: string, explicitFile?: string): LoadedConfig {
  if (explicitFile) {
    const file = path.resolve(root, explicitFile);
    if (!existsSync(file)) throw new InputError(`config file not found: ${explicitFile}`);
    // --config is given by whoever runs pgdrift, so it may live outside the project (never in /proc)
    return { config: validateConfig(readJson(file, explicitFile, root, true), explicitFile), source: explicitFile };
  }
  const file = path.join(root, CONFIG_FILE_NAME);
  if (existsSync(file)) return { config: validateConfig(readJson(file, CONFIG_FILE_NAME, root), CONFIG_FILE_NAME), source: CONFIG_FILE_NAME };
  const packageFile = path.join(root, 'package.json');
  if (existsSync(packageFile)) {
    const pkg = readJson(packageFile, 'package.json', root) as Record<string, unknown>;
    if (pkg && typeof pkg === 'object' && 'pgdrift' in pkg) {
      return { config: validateConfig(pkg.pgdrift, 'package.json#pgdrift'), source: 'package.json#pgdrift' };
    }
  }
  return { config: {} };
}

/** Deeper nesting than any config needs; deeper input is refused before the parser can run out of stack. */
const MAX_JSON_DEPTH = 64;

function readJson(file: string, label: string, root: string, allowOutside?: boolean): unknown {
  // A UTF-8 byte order mark (Windows editors write one) is not part of the JSON.
  const text = readProjectFile(file, label, root, allowOutside).toString('utf8').replace(/^\uFEFF/, '');
  const depth = nestingDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    throw new InputError(`${label}: JSON nested ${depth} levels deep (at most ${MAX_JSON_DEPTH})`, { hint: 'a pgdrift config is a flat object with a few nested sections' });
  }
  const errors: ParseError[] = [];
  const value = parseJson(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0) {
    const first = errors[0];
    const before = text.slice(0, first.offset).split('\n');
    const position = { line: before.length, column: before[before.length - 1].length + 1 };
    throw new InputError(`${label}:${position.line}:${position.column}: invalid JSON: ${printParseErrorCode(first.error)}`, {
      position: { file: label, ...position },
    });
  }
  return value;
}

/** Validates a config object, reporting every problem at once with its key path. */
export function validateConfig(value: unknown, label: string): PgdriftConfig {
  const result = configSchema().safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => {
    const keyPath = issue.path.length ? issue.path.join('.') : '(root)';
    if (issue.code === 'unrecognized_keys') {
      const base = issue.path.length ? `${issue.path.join('.')}.` : '';
      return issue.keys.map((key) => `  ${base}${key}: unknown key`);
    }
    return [`  ${keyPath}: ${issue.message}`];
  });
  problems.sort();
  throw new InputError(`invalid configuration in ${label}:\n${problems.join('\n')}`, {
    hint: 'see schema/pgdrift.config.schema.json or the README configuration reference',
  });
}

/** The deepest [ / { nesting outside strings (a linear scan, no recursion). */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}
