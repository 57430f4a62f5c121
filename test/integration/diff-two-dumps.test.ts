import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { diff } from '../../src/commands/diff.js';
import { InputError } from '../../src/errors.js';
import { readDumpFile, readDumpFileOffThread } from '../../src/pipeline/snapshot-side.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProject } from '../helpers/project.js';

/**
 * Issue 13: `diff a.sql b.sql` reads side A in a worker thread while the main thread reads B (two cores). The
 * worker must give exactly what readDumpFile gives, and the same errors: the file, line and column of a side
 * that is not a pg_dump, A's error first when both are bad.
 */
const SAMPLE = readFileSync('test/golden/majors/sample-pg18.sql', 'utf8');
const project = tempProject({
  'a.sql': SAMPLE,
  'b.sql': SAMPLE.replace(/(CREATE TABLE public\.\w+ \(\n\s+id )(\w+)/, '$1text'),
  'broken-a.sql': 'CREATE TABLE public.t (\n    id integer NOT NULL\n);\nCREATE TABEL public.u ();\n',
  'broken-b.sql': 'CREATE TABLE public.t (\n    id integer NOT NULL\n);\n\nALTER TABLE ONLY;\n',
  'data.sql': 'CREATE TABLE public.t (id integer);\nCOPY public.t (id) FROM stdin;\n1\n\\.\n',
});
afterAll(() => project.cleanup());

describe('diff of two dump files, one read off the main thread', () => {
  it('the worker reads a dump into the same text and model as readDumpFile', async () => {
    await loadSqlParser();
    const path = `${project.root}/a.sql`;
    expect(await readDumpFileOffThread(path, 'a.sql')).toEqual(readDumpFile(path, 'a.sql'));
  });

  it('finds the difference between the two files', async () => {
    const result = await diff('a.sql', 'b.sql', { cwd: project.root, canonicalize: false });
    expect(result.exitCode).toBe(1);
    expect(result.drift.length).toBeGreaterThan(0);
    expect(result.sides.a.label).toBe('a.sql');
    expect(result.sides.b.label).toBe('b.sql');
  });

  it('a bad side A is an input error at its line and column, from the worker', async () => {
    const error = await diff('broken-a.sql', 'a.sql', { cwd: project.root, canonicalize: false }).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^broken-a\.sql:4:\d+: not a pg_dump SQL file/);
    expect(error.position).toMatchObject({ file: 'broken-a.sql', line: 4 });
  });

  it('a bad side B is reported as B; when both are bad, A is reported (as when read in turn)', async () => {
    const onlyB = await diff('a.sql', 'broken-b.sql', { cwd: project.root, canonicalize: false }).catch((e) => e);
    expect(onlyB.message).toMatch(/^broken-b\.sql:5:\d+: not a pg_dump SQL file/);
    const both = await diff('broken-a.sql', 'broken-b.sql', { cwd: project.root, canonicalize: false }).catch((e) => e);
    expect(both.message).toMatch(/^broken-a\.sql:4:/);
    const data = await diff('data.sql', 'a.sql', { cwd: project.root, canonicalize: false }).catch((e) => e);
    expect(data).toBeInstanceOf(InputError);
    expect(data.message).toBe('data.sql:2:1: a data dump (COPY ... FROM stdin with table rows), not a schema dump');
  });
});
