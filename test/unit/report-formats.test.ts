import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emitReport, parseFormats } from '../../src/cli/formats.js';
import { InputError } from '../../src/errors.js';
import { checkReport } from '../fixtures/report/reports.js';

describe('parseFormats', () => {
  it('defaults to text on stdout', () => {
    expect(parseFormats(undefined)).toEqual([{ format: 'text' }]);
    expect(parseFormats([])).toEqual([{ format: 'text' }]);
  });

  it('reads repeatable name[=file] values', () => {
    expect(parseFormats(['text', 'sarif=pgdrift.sarif', 'markdown=out/summary.md'])).toEqual([
      { format: 'text' },
      { format: 'sarif', file: 'pgdrift.sarif' },
      { format: 'markdown', file: 'out/summary.md' },
    ]);
    expect(parseFormats('JSON')).toEqual([{ format: 'json' }]);
  });

  it('-o sends a single format to a file', () => {
    expect(parseFormats(['sarif'], 'pgdrift.sarif')).toEqual([{ format: 'sarif', file: 'pgdrift.sarif' }]);
    expect(parseFormats(undefined, 'report.txt')).toEqual([{ format: 'text', file: 'report.txt' }]);
  });

  const usage = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).exitCode).toBe(2);
      return error as InputError;
    }
    throw new Error('expected an InputError');
  };

  it('rejects unknown names with the list and a suggestion', () => {
    const error = usage(() => parseFormats(['sarf=x.sarif']));
    expect(error.message).toBe('unknown format "sarf"; choose one of text, json, github, sarif, markdown');
    expect(error.hint).toBe('did you mean --format sarif=x.sarif?');
  });

  it('rejects two formats on stdout, -o with several formats, a missing file name, the same file twice', () => {
    expect(usage(() => parseFormats(['text', 'json'])).message).toBe('only one format can go to stdout, got text and json');
    expect(usage(() => parseFormats(['text', 'json'], 'x.json')).message).toBe('-o/--output applies to a single --format');
    expect(usage(() => parseFormats(['json=a.json'], 'b.json')).message).toContain('already names a file');
    expect(usage(() => parseFormats(['sarif='])).message).toBe('--format sarif= needs a file name after "="');
    expect(usage(() => parseFormats(['json=a.json', 'sarif=./a.json'])).message).toBe('two formats write to the same file: ./a.json');
  });
});

describe('emitReport', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('writes one format to stdout and the others to files, atomically and without colors', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pgdrift-formats-'));
    let stdout = '';
    const specs = await emitReport(checkReport, ['text', 'sarif=reports/pgdrift.sarif', 'markdown=summary.md'], {
      baseDir: dir,
      colors: true,
      stdout: { write: (text: string) => (stdout += text) },
    });
    expect(specs.map((spec) => spec.format)).toEqual(['text', 'sarif', 'markdown']);
    expect(stdout).toMatch(/\x1b\[/);
    expect(stdout).toContain('public.users.email');
    const sarif = JSON.parse(readFileSync(path.join(dir, 'reports/pgdrift.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    // descriptions come from the lint rule registry when the caller gives none
    const dropTable = sarif.runs[0].tool.driver.rules.find((rule: { id: string }) => rule.id === 'drop-table');
    expect(dropTable.shortDescription.text).not.toBe('pgdrift lint rule drop-table');
    expect(readFileSync(path.join(dir, 'summary.md'), 'utf8')).toMatch(/^## pgdrift check/);
    expect(readdirSync(dir).sort()).toEqual(['reports', 'summary.md']);
  });

  it('-o writes text without escape codes even when colors are on', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pgdrift-formats-'));
    let stdout = '';
    await emitReport(checkReport, undefined, { output: 'report.txt', baseDir: dir, colors: true, stdout: { write: (text: string) => (stdout += text) } });
    expect(stdout).toBe('');
    expect(readFileSync(path.join(dir, 'report.txt'), 'utf8')).not.toMatch(/\x1b\[/);
  });

  it('NO_COLOR turns colors off on stdout when the caller does not decide', async () => {
    const saved = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR };
    process.env.NO_COLOR = '1';
    process.env.FORCE_COLOR = '1';
    try {
      let stdout = '';
      await emitReport(checkReport, ['text'], { stdout: { write: (text: string) => (stdout += text) } });
      expect(stdout).toContain('public.users.email');
      expect(stdout).not.toMatch(/\x1b\[/);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
