import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/fs.js';
import { InputError } from '../errors.js';
import type { EngineFinding } from './engine.js';
import { lazyBuiltin } from '../util/lazy-builtin.js';

const crypto = lazyBuiltin<typeof import('node:crypto')>('node:crypto');

export const DEFAULT_BASELINE_FILE = 'pgdrift-baseline.json';

/** One accepted legacy finding. `message` is for the reader; matching uses rule + fingerprint only. */
export interface BaselineEntry {
  rule: string;
  file: string;
  fingerprint: string;
  /** how many identical findings are accepted */
  count: number;
  message: string;
}

export interface BaselineFile {
  version: 1;
  entries: BaselineEntry[];
}

/** rule + file + (object | normalized statement text | message): never a line number, so edits above do not matter. */
export function fingerprint(finding: Pick<EngineFinding, 'rule' | 'file' | 'fingerprintKey'>): string {
  return crypto().createHash('sha256').update(`${finding.rule}\0${finding.file}\0${finding.fingerprintKey}`).digest('hex').slice(0, 16);
}

export function readBaseline(absolutePath: string, label: string): BaselineFile | undefined {
  if (!existsSync(absolutePath)) return undefined;
  let data: Partial<BaselineFile> | null;
  try {
    data = JSON.parse(readFileSync(absolutePath, 'utf8')) as Partial<BaselineFile> | null;
  } catch (error) {
    throw new InputError(`${label}: invalid JSON: ${(error as Error | undefined)?.message ?? error}`, { hint: 'regenerate it with pgdrift lint --write-baseline' });
  }
  if (data?.version !== 1 || !Array.isArray(data.entries)) {
    throw new InputError(`${label}: not a pgdrift lint baseline (expected {"version": 1, "entries": [...]})`, { hint: 'regenerate it with pgdrift lint --write-baseline' });
  }
  return data as BaselineFile;
}

/** Splits findings into new ones and those the baseline accepts (each entry accepts up to `count` findings). */
export function filterByBaseline(findings: EngineFinding[], baseline: BaselineFile | undefined): { fresh: EngineFinding[]; baselined: number } {
  if (!baseline) return { fresh: findings, baselined: 0 };
  const remaining = new Map<string, number>();
  for (const entry of baseline.entries) remaining.set(`${entry.rule}\0${entry.fingerprint}`, (remaining.get(`${entry.rule}\0${entry.fingerprint}`) ?? 0) + entry.count);
  const fresh: EngineFinding[] = [];
  let baselined = 0;
  for (const finding of findings) {
    const key = `${finding.rule}\0${fingerprint(finding)}`;
    const left = remaining.get(key) ?? 0;
    if (left > 0) {
      remaining.set(key, left - 1);
      baselined++;
    } else fresh.push(finding);
  }
  return { fresh, baselined };
}

/**
 * The baseline for the current findings. Entries of files outside `linted` (a partial run) are kept as they were;
 * everything else is rewritten from the findings, which prunes what no longer occurs.
 */
export function buildBaseline(findings: EngineFinding[], previous: BaselineFile | undefined, linted?: ReadonlySet<string>): BaselineFile {
  const entries = new Map<string, BaselineEntry>();
  if (previous && linted) for (const entry of previous.entries) if (!linted.has(entry.file)) entries.set(`${entry.rule}\0${entry.fingerprint}`, entry);
  for (const finding of findings) {
    const fp = fingerprint(finding);
    const key = `${finding.rule}\0${fp}`;
    const entry = entries.get(key);
    if (entry) entry.count++;
    else entries.set(key, { rule: finding.rule, file: finding.file, fingerprint: fp, count: 1, message: finding.message });
  }
  const sorted = [...entries.values()].sort(
    (a, b) => a.file.localeCompare(b.file) || a.rule.localeCompare(b.rule) || a.fingerprint.localeCompare(b.fingerprint),
  );
  return { version: 1, entries: sorted };
}

export function writeBaseline(absolutePath: string, baseline: BaselineFile): void {
  writeFileAtomic(absolutePath, `${JSON.stringify(baseline, null, 2)}\n`);
}
