import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/index.js';
import type { Report } from '../../src/report/types.js';
import type { Finding } from '../../src/lint/types.js';

/**
 * Issue 9 item 2: `check` with lint findings printed only "⚠ 55 warnings, 86 info", so a reader could not tell
 * whether the schema drifted or the replay passed. The text report now always ends with the replay, lint and
 * drift verdicts.
 */
const finding = (severity: Finding['severity'], n: number): Finding => ({
  rule: 'prefer-text',
  severity,
  message: `finding ${n}`,
  help: 'use text',
  file: 'migrations/001_a.sql',
  line: n,
  column: 1,
});

const base: Report = {
  command: 'check',
  engine: { name: 'pglite', postgresVersion: '18.3', pgDumpVersion: '18.3' },
  files: [
    { file: 'migrations/001_a.sql', role: 'migration', status: 'applied', ms: 3 },
    { file: 'migrations/002_b.sql', role: 'migration', status: 'applied', ms: 4 },
  ],
  migrationFailures: [],
  drift: [],
  findings: [...Array.from({ length: 55 }, (_, i) => finding('warning', i + 1)), ...Array.from({ length: 86 }, (_, i) => finding('info', i + 1))],
  snapshot: { path: 'docs/architecture/schema-actual-2026-01-01.sql' },
  exitCode: 0,
};

const tail = (report: Report) => renderReport(report, 'text').trimEnd().split('\n').slice(-3);

describe('check text report: the verdicts are stated whatever lint says', () => {
  it('no drift, many lint warnings: says "no drift" and that the replay passed', () => {
    expect(tail(base)).toEqual([
      '✔ replay: 2 files applied',
      '⚠ lint: 55 warnings, 86 info',
      '✔ no drift: the migrations match docs/architecture/schema-actual-2026-01-01.sql',
    ]);
  });

  it('drift and lint warnings: names the drift count', () => {
    const report: Report = {
      ...base,
      exitCode: 1,
      drift: [{ kind: 'table', name: 'public.t', change: 'added', details: ['table public.t'], source: {} }],
    };
    expect(tail(report)).toEqual([
      '✔ replay: 2 files applied',
      '⚠ lint: 55 warnings, 86 info',
      '✖ drift: 1 drift item against docs/architecture/schema-actual-2026-01-01.sql',
    ]);
    expect(renderReport(report, 'text')).toContain('+ table public.t');
  });

  it('a failed migration: the replay line says so, and "no drift" is qualified as partial', () => {
    const report: Report = {
      ...base,
      exitCode: 1,
      files: [base.files![0], { file: 'migrations/002_b.sql', role: 'migration', status: 'failed', ms: 4 }],
      migrationFailures: [{ file: 'migrations/002_b.sql', line: 1, column: 1, sqlstate: '42P01', message: 'relation "x" does not exist' }],
    };
    const lines = tail(report);
    expect(lines[0]).toBe('✖ replay: 1 failed migration (1 of 2 files applied)');
    expect(lines[2]).toBe('⚠ no drift against docs/architecture/schema-actual-2026-01-01.sql (of the files that applied: the replay did not complete)');
    expect(lines.join('\n')).not.toContain('✔ no drift');
  });

  it('--no-lint: no lint line, the replay and drift verdicts remain', () => {
    expect(tail({ ...base, findings: undefined }).slice(-2)).toEqual(['✔ replay: 2 files applied', '✔ no drift: the migrations match docs/architecture/schema-actual-2026-01-01.sql']);
  });

  it('counts the project\'s files, not pgdrift\'s own (a runner\'s bookkeeping table)', () => {
    const files = [{ file: 'pgdrift:golang-migrate-bookkeeping.sql', role: 'migration' as const, status: 'applied' as const, ms: 1 }, ...(base.files ?? [])];
    expect(tail({ ...base, files, findings: undefined }).slice(-2)).toEqual(['✔ replay: 2 files applied', '✔ no drift: the migrations match docs/architecture/schema-actual-2026-01-01.sql']);
  });
});
