import { EnvsubError, envsubLine } from './goose-envsub.js';
import type { Substitution } from './substitution.js';
import { compareIntegers, duplicateVersions, filesIn, isSql, type FilePlan, type Runner, type RunnerOptions } from './types.js';

/**
 * goose (https://pressly.github.io/goose/documentation/annotations/), pressly/goose@520411a.
 * - Discovery (provider_collect.go + migration.go `NumericComponent`): `*.sql` files whose name starts with a
 *   positive integer followed by `_`; other names are skipped; two files with one version are refused.
 * - Order: numeric version.
 * - Sections (internal/sqlparser/parser.go): `-- +goose Up` starts the up part, `-- +goose Down` ends it (the down
 *   part never runs on `goose up`); no statement may come before `-- +goose Up`. Statements end at a line ending
 *   with `;`, or span `-- +goose StatementBegin` … `-- +goose StatementEnd`; each is executed on its own.
 * - Transactions: all statements of a file in one transaction, unless `-- +goose NO TRANSACTION` (then each
 *   statement commits alone).
 * - `-- +goose ENVSUB ON` / `OFF` (parser.go `useEnvsub`): the lines after ON are expanded line by line from the
 *   environment (goose-envsub.ts, a port of mfridman/interpolate); the lines pgdrift runs are the up section's.
 *   Comment lines are left as written: goose drops those between statements before expanding (one inside a
 *   statement is expanded by goose, which can only matter for a `$` error there).
 * - Bookkeeping `goose_db_version`.
 */
export const goose: Runner = {
  name: 'goose',
  docs: 'https://pressly.github.io/goose/documentation/annotations/',
  folders: ['db/migrations', 'migrations'],
  discover(folder) {
    const migrations = [];
    const ignored = [];
    for (const name of filesIn(folder)) {
      if (!isSql(name) || !name.endsWith('.sql')) continue;
      const version = /^(\d+)_/.exec(name)?.[1];
      if (version && BigInt(version) > 0n) migrations.push({ name, version });
      else ignored.push({ name, reason: 'not <positive version>_<name>.sql: goose skips it' });
    }
    migrations.sort((a, b) => compareIntegers(a.version, b.version));
    return { migrations, ignored, problems: duplicateVersions(migrations, (v) => BigInt(v).toString()) };
  },
  evidence(listing) {
    const files = listing.files.filter((name) => !name.includes('/') && isSql(name) && /^--\s*\+goose\s+up\b/im.test(listing.read(name)));
    return files.length > 0 ? { files, what: '-- +goose Up annotations' } : undefined;
  },
  plan: planGoose,
  compareVersions: compareIntegers,
  bookkeeping: ['public.goose_db_version'],
  lint: {
    fileNamePattern: /^\d+_[A-Za-z0-9_\-]+\.sql$/,
    example: '20240131120000_add_orders.sql',
    sequentialVersions: false,
    transactions: 'goose runs the statements of the -- +goose Up section in one transaction unless the file says -- +goose NO TRANSACTION',
    outsideTransaction: 'put it in a file that says -- +goose NO TRANSACTION',
  },
};

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
  let lineStart = 0;
  for (const [i, line] of lines.entries()) {
    const start = lineStart;
    lineStart += line.length + 1;
    const command = annotation(line);
    if (command === undefined) {
      // goose drops comment lines between statements unexpanded; one inside a statement changes nothing that runs
      if (envsub && up !== undefined && down === undefined && !line.trim().startsWith('--')) {
        try {
          for (const s of envsubLine(line, options.env ?? process.env)) substitutions.push({ start: start + s.start, end: start + s.end, value: s.value });
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
  const parts = [{ startLine: up + 1, endLine: down ?? lines.length, transaction: noTransaction ? ('none' as const) : ('wrapped' as const) }];
  return substitutions.length > 0 ? { parts, substitutions } : { parts };
}
