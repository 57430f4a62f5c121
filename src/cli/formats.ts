import path from 'node:path';
import pc from 'picocolors';
import type { Argv } from 'yargs';
import { InputError } from '../errors.js';
import { closest } from '../util/strings.js';
import { FORMAT_NAMES, type FormatName } from '../report/format-names.js';
import type { RuleMeta } from '../report/index.js';
import type { Report } from '../report/types.js';
import { writeFilesAtomic } from '../util/fs.js';
import { useColor } from './context.js';

/** One requested output: a format and where it goes (a file, or stdout when `file` is absent). */
export interface FormatSpec {
  format: FormatName;
  file?: string;
}

/** The flags `formatOption` adds. */
export interface FormatArgs {
  format?: string[];
  output?: string;
}

/** Adds the repeatable `--format name[=file]` and `-o/--output <file>` flags to a command. */
export function formatOption<T>(yargs: Argv<T>): Argv<T & FormatArgs> {
  return yargs
    .option('format', {
      alias: 'f',
      type: 'string',
      array: true,
      requiresArg: true,
      describe: `Output format, repeatable: ${FORMAT_NAMES.join(', ')}; name=<file> writes that format to a file (default: text to stdout)`,
    })
    .option('output', { alias: 'o', type: 'string', requiresArg: true, describe: 'Write the (single) format to this file instead of stdout' }) as Argv<T & FormatArgs>;
}

/**
 * Parses `--format` values (`text`, `sarif=pgdrift.sarif`) and `-o`: at most one format on
 * stdout, `-o` only with a single format, each file named once. Errors are InputErrors (exit 2).
 */
export function parseFormats(values: string | readonly string[] | undefined, output?: string, defaultFormat: FormatName = 'text'): FormatSpec[] {
  const raw = (values === undefined ? [] : typeof values === 'string' ? [values] : [...values])
    .map((value) => value.trim())
    .filter((value) => value !== '');
  const specs = raw.map(parseOne);
  if (specs.length === 0) specs.push({ format: defaultFormat });
  if (output !== undefined) {
    if (output.trim() === '') throw new InputError('-o/--output needs a file name');
    if (specs.length > 1) {
      throw new InputError('-o/--output applies to a single --format', { hint: `give each format its own file instead: --format ${specs[0].format}=<file>` });
    }
    if (specs[0].file !== undefined) throw new InputError(`--format ${specs[0].format}=${specs[0].file} already names a file; drop -o/--output`);
    specs[0] = { format: specs[0].format, file: output };
  }
  const toStdout = specs.filter((spec) => spec.file === undefined);
  if (toStdout.length > 1) {
    throw new InputError(`only one format can go to stdout, got ${toStdout.map((spec) => spec.format).join(' and ')}`, {
      hint: `write the others to files: --format ${toStdout[1].format}=<file>`,
    });
  }
  const seen = new Set<string>();
  for (const spec of specs) {
    if (spec.file === undefined) continue;
    const key = path.resolve(spec.file);
    if (seen.has(key)) throw new InputError(`two formats write to the same file: ${spec.file}`);
    seen.add(key);
  }
  return specs;
}

function parseOne(value: string): FormatSpec {
  const equals = value.indexOf('=');
  const name = (equals === -1 ? value : value.slice(0, equals)).trim().toLowerCase();
  const file = equals === -1 ? undefined : value.slice(equals + 1).trim();
  if (!(FORMAT_NAMES as readonly string[]).includes(name)) {
    const suggestion = closest(name, FORMAT_NAMES);
    throw new InputError(`unknown format "${name}"; choose one of ${FORMAT_NAMES.join(', ')}`, {
      hint: suggestion ? `did you mean --format ${suggestion}${file !== undefined ? `=${file}` : ''}?` : 'append =<file> to write a format to a file, e.g. --format sarif=pgdrift.sarif',
    });
  }
  if (file === '') throw new InputError(`--format ${name}= needs a file name after "="`);
  return { format: name as FormatName, file };
}

export interface EmitOptions {
  /** -o/--output: the file for a single format */
  output?: string;
  /** colors for text on stdout (default: stdout is a TTY, honouring NO_COLOR / FORCE_COLOR); files never get colors */
  colors?: boolean;
  /** relative file names are resolved against this folder (default: process.cwd()) */
  baseDir?: string;
  /** default: process.stdout */
  stdout?: { write(text: string): unknown };
  /** lint rule metadata for SARIF; default: loaded from the rule registry when SARIF is asked for */
  rules?: readonly RuleMeta[];
}

/**
 * Renders the report in every requested format and writes each to stdout or its file (atomically). `formats`
 * are raw `--format` values or parsed specs; returns the specs written, for a notice.
 */
export async function emitReport(report: Report, formats: string | readonly (string | FormatSpec)[] | undefined, options: EmitOptions = {}): Promise<FormatSpec[]> {
  const values = formats === undefined ? undefined : typeof formats === 'string' ? [formats] : formats;
  const specs = parseFormats(values?.map((value) => (typeof value === 'string' ? value : value.file === undefined ? value.format : `${value.format}=${value.file}`)), options.output);
  const stdout = options.stdout ?? process.stdout;
  const rules = specs.some((spec) => spec.format === 'sarif') ? (options.rules ?? (await loadRuleMeta())) : undefined;
  const { renderReport } = await import('../report/index.js'); // the renderers load when there is something to render
  const outputs = specs.map((spec) => {
    const toStdout = spec.file === undefined;
    const colors = pc.createColors(toStdout && (options.colors ?? useColor(process.stdout)));
    return { spec, text: renderReport(report, spec.format, { colors, rules }) };
  });
  // Every file is written (atomically, all or none) before anything goes to stdout.
  writeFilesAtomic(outputs.filter(({ spec }) => spec.file !== undefined).map(({ spec, text }) => [path.resolve(options.baseDir ?? process.cwd(), spec.file!), text] as const));
  for (const { spec, text } of outputs) if (spec.file === undefined) stdout.write(text);
  return specs;
}

/** The lint rule registry, loaded only when SARIF needs descriptions. */
async function loadRuleMeta(): Promise<RuleMeta[]> {
  try {
    const registry = (await import('../lint/rules/index.js')) as { rules?: readonly { id: string; description: string; docs?: string }[] };
    return (registry.rules ?? []).map(({ id, description, docs }) => ({ id, description, docs }));
  } catch {
    return [];
  }
}
