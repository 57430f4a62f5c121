import { afterAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { SERVER_URL } from '../helpers/postgres.js';
import { tempProject } from '../helpers/project.js';

// A file with its own BEGIN; … COMMIT; whose middle statement fails: PGlite crashed (exit 4, internal error), the
// server reported line 1 ("in: BEGIN"), and --keep-going failed the next file with a spurious 25P02.
const project = tempProject({
  'migrations/001_a.sql': 'CREATE TABLE a (id int);\n',
  'migrations/002_b.sql': 'BEGIN;\nCREATE TABLE b (id int);\nCREATE TABLE c (id int REFERENCES missing (id));\nCOMMIT;\n',
  'migrations/003_d.sql': 'CREATE TABLE d (id int);\n',
});
afterAll(() => project.cleanup());

describe.each([
  ['pglite', {}],
  ['server', { databaseUrl: SERVER_URL }],
] as const)('a failing statement inside the file\'s own BEGIN … COMMIT on %s', (engine, extra) => {
  it('is reported at its own line, and --keep-going applies the next file cleanly', async () => {
    const result = await dump({ cwd: project.root, engine, ...extra, keepGoing: true });
    expect(result.report.migrationFailures).toHaveLength(1);
    expect(result.report.migrationFailures[0]).toMatchObject({ file: 'migrations/002_b.sql', line: 3, column: 1, sqlstate: '42P01' });
    expect(result.report.migrationFailures[0].statement).toBe('CREATE TABLE c (id int REFERENCES missing (id))');
    expect(result.sql).toContain('CREATE TABLE public.d (');
    expect(result.sql).toContain('CREATE TABLE public.a (');
    expect(result.sql).not.toContain('CREATE TABLE public.b (');
  });

  it('stops at that file without --keep-going (no crash)', async () => {
    const result = await dump({ cwd: project.root, engine, ...extra });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line])).toEqual([['migrations/002_b.sql', 3]]);
    expect(result.report.files.map((f) => f.status)).toEqual(['applied', 'failed', 'skipped']);
  });
});
