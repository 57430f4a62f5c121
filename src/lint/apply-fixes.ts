import type { MigrationFile } from '../migrations/discover.js';
import { parseSql, SqlSyntaxError } from '../sql/parse.js';
import { writeFileAtomic } from '../util/fs.js';
import type { TextEdit } from './define-rule.js';
import type { EngineFinding } from './engine.js';

/** One fix `pgdrift lint --fix` applied: where the finding was, and what changed. */
export interface AppliedFix {
  file: string;
  line: number;
  column: number;
  rule: string;
  title: string;
}

export interface FixOutcome {
  applied: AppliedFix[];
  /** files whose fixed text would not parse (a pgdrift bug guard): left untouched */
  skipped: string[];
}

/**
 * Applies the findings' fixes to the files `eligible` accepts (new migrations only), one atomic write per file.
 * Fixes whose edits overlap an earlier fix in the same file wait for the next run; a file whose result does not
 * parse is left as it was.
 */
export function applyFixes(findings: readonly EngineFinding[], migrations: readonly MigrationFile[], eligible: (file: string) => boolean): FixOutcome {
  const byFile = new Map(migrations.map((m) => [m.file, m]));
  const perFile = new Map<string, Array<{ finding: EngineFinding; edits: TextEdit[] }>>();
  for (const finding of findings) {
    if (!finding.fix || !eligible(finding.file) || !byFile.has(finding.file)) continue;
    const edits = finding.fix.edits();
    if (!edits || edits.length === 0) continue;
    const list = perFile.get(finding.file) ?? [];
    list.push({ finding, edits });
    perFile.set(finding.file, list);
  }
  const applied: AppliedFix[] = [];
  const skipped: string[] = [];
  for (const [file, fixes] of perFile) {
    const migration = byFile.get(file)!;
    // Edits of a substituted text (Flyway placeholders, goose ENVSUB) do not fall on the file's bytes: left alone.
    if (migration.origin) {
      skipped.push(file);
      continue;
    }
    const taken: TextEdit[] = [];
    const kept: EngineFinding[] = [];
    for (const { finding, edits } of fixes) {
      if (edits.some((e) => taken.some((t) => overlaps(e, t)))) continue;
      taken.push(...edits);
      kept.push(finding);
    }
    // Edits count bytes of `text`, the part the runner runs (other lines emptied, line numbers kept); the file on disk
    // is `source`: move each edit to the same line and column there.
    const written = migration.source ?? migration.text;
    const edits = migration.source === undefined ? taken : taken.map((e) => moveEdit(e, migration.text, written));
    const fixed = applyEdits(written, edits);
    try {
      parseSql(migration.source === undefined ? fixed : applyEdits(migration.text, taken), file);
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error;
      skipped.push(file);
      continue;
    }
    writeFileAtomic(migration.path, fixed);
    for (const f of kept) applied.push({ file, line: f.line, column: f.column, rule: f.rule, title: f.fix!.title });
  }
  return { applied, skipped };
}

function lineStarts(bytes: Buffer): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) starts.push(i + 1);
  return starts;
}

/** The same line and byte column of `to` as a byte offset of `from` (lines the runner runs are identical in both). */
function moveEdit(edit: TextEdit, from: string, to: string): TextEdit {
  const fromStarts = lineStarts(Buffer.from(from, 'utf8'));
  const toStarts = lineStarts(Buffer.from(to, 'utf8'));
  const move = (byte: number) => {
    let line = 0;
    while (line + 1 < fromStarts.length && fromStarts[line + 1] <= byte) line++;
    return toStarts[line] + (byte - fromStarts[line]);
  };
  return { start: move(edit.start), end: move(edit.end), text: edit.text };
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start; // two inserts at one spot: order unclear
  return a.start < b.end && b.start < a.end || (a.start === a.end && a.start > b.start && a.start < b.end) || (b.start === b.end && b.start > a.start && b.start < a.end);
}

/** Applies byte-offset edits (UTF-8, as the parser counts) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const bytes = Buffer.from(text, 'utf8');
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const parts: Buffer[] = [];
  let at = 0;
  for (const edit of sorted) {
    parts.push(bytes.subarray(at, edit.start), Buffer.from(edit.text, 'utf8'));
    at = edit.end;
  }
  parts.push(bytes.subarray(at));
  return Buffer.concat(parts).toString('utf8');
}
