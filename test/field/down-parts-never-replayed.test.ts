import { afterAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { tempProject } from '../helpers/project.js';

// dbmate's down section was applied too (CREATE TABLE a … DROP TABLE a gave a clean exit and no table), and
// golang-migrate's .down.sql files were replayed (a syntax error in one blocked the whole replay).
const dbmate = tempProject({
  'db/migrations/20240101000000_a.sql': '-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\nDROP TABLE a;\n',
  'db/migrations/20240102000000_b.sql': '-- migrate:up\nCREATE TABLE b (id int);\nCREATE TABLE nope (id int REFERENCES missing (id));\n\n-- migrate:down\nDROP TABLE b;\n',
});
const golang = tempProject({
  'db/migrations/1_a.up.sql': 'CREATE TABLE a (id int);\n',
  'db/migrations/1_a.down.sql': 'DROP TABLE a;\n',
  'db/migrations/2_b.up.sql': 'CREATE TABLE b (id int);\n',
  'db/migrations/2_b.down.sql': 'DROP TABLE b (;\n',
});
afterAll(() => {
  dbmate.cleanup();
  golang.cleanup();
});

describe('down parts are never replayed', () => {
  it('dbmate: the table of a file whose down section drops it is kept; a failing up statement has its own line', async () => {
    const result = await dump({ cwd: dbmate.root, engine: 'pglite', keepGoing: true });
    expect(result.sql).toContain('CREATE TABLE public.a (');
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['db/migrations/20240102000000_b.sql', 3, '42P01']]);
    // the section ran in a transaction: b rolled back with it
    expect(result.sql).not.toContain('CREATE TABLE public.b (');
  });

  it('golang-migrate: .down.sql files are not applied (not even parsed)', async () => {
    const result = await dump({ cwd: golang.root, engine: 'pglite' });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['db/migrations/1_a.up.sql', 'db/migrations/2_b.up.sql']);
    expect(result.sql).toContain('CREATE TABLE public.a (');
    expect(result.sql).toContain('CREATE TABLE public.b (');
  });
});
