import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';

const project = tempProjects();
const DATA_DUMP = 'CREATE TABLE codes (id int, name text);\n\nCOPY public.codes (id, name) FROM stdin;\n1\tone\n2\tO\'Brien\n\\.\n\nCREATE INDEX codes_id ON codes (id);\n';

/**
 * A pg_dump with data (a baseline, or a seed migration) holds `COPY ... FROM stdin;` followed by its rows: psql loads
 * them through the COPY protocol. pgdrift cannot replay them; it says so at the COPY, where the first row's
 * "syntax error at or near" read as if the file were broken.
 */
describe('rows inline after COPY ... FROM STDIN', () => {
  it('a baseline that is a pg_dump with data fails at the COPY, saying what it is and what to do', async () => {
    const p = project({ 'base/schema.sql': DATA_DUMP, 'migrations/001_note.sql': 'ALTER TABLE codes ADD COLUMN note text;\n' });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, baseline: ['base/schema.sql'] });
    const [failure] = result.report.migrationFailures;
    expect([failure.file, failure.line, failure.column]).toEqual(['base/schema.sql', 3, 1]);
    expect(failure.message).toContain('COPY public.codes (id, name) FROM stdin: its rows follow it in the file');
    expect(failure.hint).toContain('pg_dump --schema-only');
  });

  it('in a golang-migrate migration too (migrate sends the file as one query, where the rows are a syntax error)', async () => {
    const p = project({ 'pgdrift.config.json': JSON.stringify({ runner: 'golang-migrate' }), 'migrations/000001_codes.up.sql': DATA_DUMP, 'migrations/000001_codes.down.sql': 'DROP TABLE codes;\n' });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, keepGoing: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.column])).toEqual([['migrations/000001_codes.up.sql', 3, 1]]);
    expect(result.report.migrationFailures[0].message).toContain('cannot replay inline COPY data');
  });

  it('a syntax error after a COPY from a file, or after other SQL, stays the syntax error it is', async () => {
    const p = project({ 'migrations/001_a.sql': "CREATE TABLE codes (id int);\nCOPY codes FROM '/tmp/codes.txt';\nCREAT TABLE x (a int);\n" });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    const [failure] = result.report.migrationFailures;
    expect([failure.line, failure.column]).toEqual([3, 1]);
    expect(failure.message).toMatch(/syntax error at or near "CREAT"/);
  });
});
