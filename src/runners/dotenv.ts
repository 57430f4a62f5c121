import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunnerOptions } from './types.js';

/**
 * The environment a Go migration CLI runs with (goose, dbmate: joho/godotenv): the process's variables over those of
 * `.env` in its working directory, the project root here (godotenv.Load never overrides a variable already set).
 * `options.env` (tests, the library API) is taken as it is.
 */
export function environmentWithDotEnv(folder: string | undefined, options: RunnerOptions): Record<string, string | undefined> {
  if (options.env) return options.env;
  const root = options.projectRoot ?? (folder ? path.dirname(folder) : undefined);
  const file = root ? path.join(root, '.env') : undefined;
  if (!file || !existsSync(file)) return process.env;
  try {
    return { ...readDotEnv(readFileSync(file, 'utf8')), ...process.env };
  } catch {
    return process.env; // a .env the CLI could not read either (a folder, no permission): goose loads it best effort
  }
}

/** A `.env` file's variables; undefined when there is no such file or it cannot be read (goose loads it best effort). */
export function readDotEnvFile(file: string): Record<string, string> | undefined {
  try {
    return existsSync(file) ? readDotEnv(readFileSync(file, 'utf8')) : undefined;
  } catch {
    return undefined;
  }
}

/** `.env` lines as godotenv reads them: `[export ]KEY=value`, values unquoted (a ` #` starts a comment), '...' or "..." (with \\n). */
export function readDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*[=:]\s*(.*)$/.exec(raw);
    if (!match) continue;
    const value = match[2].trim();
    const quoted = /^'([^']*)'|^"((?:[^"\\]|\\.)*)"/.exec(value);
    out[match[1]] = quoted ? (quoted[1] ?? quoted[2].replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1')) : value.replace(/\s+#.*$/, '');
  }
  return out;
}
