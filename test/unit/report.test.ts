import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { FORMAT_NAMES, renderReport, type FormatName } from '../../src/report/index.js';
import { escapeMarkdown, code } from '../../src/report/markdown.js';
import { reports, checkReport } from '../fixtures/report/reports.js';

const goldenDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../golden/report');
const EXTENSION: Record<FormatName, string> = { text: 'txt', json: 'json', github: 'github.txt', sarif: 'sarif', markdown: 'md' };
// Fixed so the golden files do not change with every release.
const options = { toolVersion: '0.0.0-test', rules: [{ id: 'drop-table', description: 'DROP TABLE on a table created by an earlier migration', docs: 'Dropping a table destroys its data.' }] };

/** Compares with test/golden/report/<name>; UPDATE_GOLDEN=1 rewrites the file instead. */
function expectGolden(name: string, actual: string): void {
  const file = path.join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`missing golden file ${name}; run with UPDATE_GOLDEN=1`);
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('renderReport golden output', () => {
  for (const [name, report] of Object.entries(reports)) {
    for (const format of FORMAT_NAMES) {
      it(`${name} as ${format}`, () => {
        expectGolden(`${name}.${EXTENSION[format]}`, renderReport(report, format, options));
      });
    }
  }
});

const ESCAPE = /\x1b\[/;

describe('colors', () => {
  it('text has no escape codes when colors are disabled or not given', () => {
    expect(renderReport(checkReport, 'text', { colors: pc.createColors(false) })).not.toMatch(ESCAPE);
    expect(renderReport(checkReport, 'text')).not.toMatch(ESCAPE);
  });

  it('text is colored when colors are enabled, and only in decoration: the words are the same', () => {
    const colored = renderReport(checkReport, 'text', { colors: pc.createColors(true) });
    expect(colored).toMatch(ESCAPE);
    expect(colored.replace(/\x1b\[[0-9;]*m/g, '')).toBe(renderReport(checkReport, 'text'));
  });

  it('no other format ever carries escape codes', () => {
    for (const format of FORMAT_NAMES.filter((f) => f !== 'text')) {
      expect(renderReport(checkReport, format, { ...options, colors: pc.createColors(true) })).not.toMatch(ESCAPE);
    }
  });
});

describe('text', () => {
  const text = renderReport(checkReport, 'text');

  it('groups drift by table with +/-/~ and attribution', () => {
    expect(text).toMatch(/^public\.users\n  ~ column public\.users\.email  ← migrations\/012_users_email\.sql:14:3 · snapshot line 120$/m);
    expect(text).toContain('  + index public.users.users_email_idx  ← migrations/013_users_email_index.sql:5');
    expect(text).toMatch(/^public\.legacy_sessions\n  - table public\.legacy_sessions  snapshot line 300$/m);
    expect(text).toMatch(/^\(not in a table\)\n  ~ function public\.touch_updated_at\(\)  no source position$/m);
  });

  it('shows a unified diff of a changed object\'s DDL', () => {
    expect(text).toContain('      -    email text NOT NULL,\n      +    email character varying(255),');
  });

  it('names the versions that wrote the snapshot, or says its dump has no version header (dbmate and supabase db dump strip it)', () => {
    expect(text).toContain('snapshot: docs/architecture/schema-actual-2025-11-06.sql · written by pg_dump 15.19 from Postgres 15.19');
    const headerless = renderReport({ ...checkReport, snapshot: { path: 'db/schema.sql' } }, 'text');
    expect(headerless).toContain('snapshot: db/schema.sql · no pg_dump version header');
  });

  it('says how many files a replay reused from its cache, in the singular for one', () => {
    const engineLine = (reusedFiles: number) =>
      renderReport({ ...reports['check-clean'], engine: { ...reports['check-clean'].engine!, replayCache: 'prefix', reusedFiles } }, 'text').split('\n')[0];
    expect(engineLine(1)).toContain('· 1 file reused from cache');
    expect(engineLine(1)).not.toContain('1 files');
    expect(engineLine(24)).toContain('· 24 files reused from cache');
  });

  it('ends with a summary line', () => {
    expect(text.trimEnd().split('\n').slice(-3)).toEqual([
      '✖ replay: 1 failed migration',
      '✖ lint: 1 error, 1 warning, 1 info',
      '✖ drift: 4 drift items against docs/architecture/schema-actual-2025-11-06.sql (of the files that applied: the replay did not complete)',
    ]);
    expect(renderReport(reports.lint, 'text').trimEnd().split('\n').at(-1)).toBe('✖ 1 error, 1 warning, 1 info (2 suppressed, 5 baselined)');
    expect(renderReport(reports['check-clean'], 'text').trimEnd().split('\n').at(-1)).toBe('✔ no drift: the migrations match docs/architecture/schema-actual-2025-11-06.sql');
  });
});

describe('json contracts', () => {
  const parse = (name: keyof typeof reports) => JSON.parse(renderReport(reports[name], 'json'));

  it('check: drift, migrationFailures, snapshot {path, pgDumpVersion}, engine, findings', () => {
    const json = parse('check');
    expect(Object.keys(json)).toEqual(['drift', 'migrationFailures', 'snapshot', 'engine', 'findings']);
    expect(json.snapshot).toMatchObject({ path: 'docs/architecture/schema-actual-2025-11-06.sql', pgDumpVersion: '15.19' });
    expect(json.drift[0]).toMatchObject({ kind: 'column', name: 'public.users.email', change: 'changed' });
    expect(Object.keys(json.drift[0])).toEqual(expect.arrayContaining(['kind', 'name', 'change', 'details', 'source']));
  });

  it('lint: findings (+ suppressed, baselined); diff: drift, sides; dump: engine, files, migrationFailures', () => {
    expect(Object.keys(parse('lint'))).toEqual(['findings', 'suppressed', 'baselined']);
    expect(Object.keys(parse('lint').findings[0])).toEqual(['rule', 'severity', 'message', 'help', 'file', 'line', 'column', 'object']);
    expect(Object.keys(parse('diff'))).toEqual(['drift', 'sides']);
    expect(Object.keys(parse('dump'))).toEqual(['engine', 'files', 'migrationFailures']);
  });
});

describe('markdown', () => {
  it('escapes table breakers and HTML', () => {
    expect(escapeMarkdown('a | b <script>\nc')).toBe('a \\| b &lt;script&gt;<br>c');
    expect(code('a|b')).toBe('`a\\|b`');
    expect(code('x `y` z')).toBe('``x `y` z``');
  });

  it('every table row of the summary has the header\'s number of cells', () => {
    const markdown = renderReport(checkReport, 'markdown');
    const tables = markdown.split('\n\n').filter((block) => block.startsWith('|'));
    expect(tables.length).toBe(4);
    for (const table of tables) {
      const rows = table.split('\n').map((row) => row.replace(/\\\|/g, '').split('|').length);
      expect(new Set(rows).size).toBe(1);
    }
    expect(markdown).toContain('<details>');
  });

  it('says what the verdict rests on and leaves out: assumptions (accepted or not), unconfirmed drift, what was not compared', () => {
    const clean = { ...checkReport, migrationFailures: [], drift: [], findings: [], exitCode: 0 };
    const notCompared = renderReport({ ...clean, notCompared: ['privileges (GRANT/REVOKE): 2 differences; compare them with --include privileges'] }, 'markdown');
    expect(notCompared.split('\n')[0]).toMatch(/^## pgdrift check: ✅ no drift.* \(apart from what was not compared, below\)$/);
    expect(notCompared).toContain('**Not compared**\n\n- privileges (GRANT/REVOKE): 2 differences; compare them with --include privileges');
    const assumed = renderReport({ ...clean, exitCode: 1, notices: ['goose: -dir … holds a value only make knows'], assumptionsAccepted: false }, 'markdown');
    expect(assumed).toContain("**Assumptions about the runner's settings** (not accepted: pass `--accept-assumptions` once checked)\n\n- goose: -dir … holds a value only make knows");
    const unconfirmed = renderReport({ ...clean, unconfirmed: { reason: 'the reload could not run', hint: 'use --engine server' } }, 'markdown');
    expect(unconfirmed).toContain('**Drift unconfirmed:** the reload could not run (use --engine server)');
    expect(renderReport(clean, 'markdown')).not.toMatch(/Not compared|Assumptions|unconfirmed/);
  });
});
