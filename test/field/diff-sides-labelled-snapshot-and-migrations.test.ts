import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diff } from '../../src/commands/diff.js';
import { renderReport } from '../../src/report/index.js';
import { leftovers, SERVER_URL, serverTest } from '../helpers/postgres.js';
import { tempProject } from '../helpers/project.js';

/**
 * Issue 9 item 7: `diff` headers read "A: migrations migrations", and a diff of two dumps labelled the sides
 * "snapshot / migrations" (the DDL diff's ---/+++ lines, "snapshot line N"). Each side is now named by what it is:
 * its path, its URL without the password, or "migrations folder X".
 */
const A = 'CREATE TABLE public.t (\n    id integer NOT NULL\n);\n';
const B = 'CREATE TABLE public.t (\n    id bigint NOT NULL\n);\n';
const projects: ReturnType<typeof tempProject>[] = [];
afterAll(async () => {
  for (const p of projects) p.cleanup();
  expect(await leftovers()).toEqual([]);
});
const project = (files: Record<string, string>) => {
  const p = tempProject(files);
  projects.push(p);
  return p;
};
const text = (result: Awaited<ReturnType<typeof diff>>) =>
  renderReport({ command: 'diff', migrationFailures: result.migrationFailures, drift: result.drift, sides: result.sides, exitCode: result.exitCode }, 'text');

describe('a side that is not there', () => {
  it('names the path it looked for: a relative one is read from the project folder (-C), not from the shell (field report)', async () => {
    const p = project({ 'a.sql': A });
    const error = await diff('rw/migrations', 'a.sql', { cwd: p.root }).catch((e) => e);
    expect(error.message).toBe('diff: rw/migrations is neither a file, a folder, a postgres:// URL nor the word "snapshot"');
    expect(error.hint).toBe(`relative paths are read from the project folder: looked for ${path.join(p.root, 'rw', 'migrations')}`);
  });
});

describe('diff side labels', () => {
  it('two dump files: their paths, in the header, the DDL diff and the line reference; never "snapshot" or "migrations"', async () => {
    const p = project({ 'old/a.sql': A, 'new/b.sql': B });
    const result = await diff('old/a.sql', 'new/b.sql', { cwd: p.root });
    const out = text(result);
    expect(out).toContain('A: old/a.sql');
    expect(out).toContain('B: new/b.sql');
    expect(out).toContain('--- old/a.sql');
    expect(out).toContain('+++ new/b.sql');
    // A's line, then B's (a diff of two files found B's lines too: "no source position" for what B added)
    expect(out).toContain('~ column public.t.id  old/a.sql:1 → new/b.sql:1');
    const added = await diff('old/a.sql', 'new/c.sql', { cwd: project({ 'old/a.sql': A, 'new/c.sql': `${A}CREATE TABLE public.u (\n    id integer\n);\n` }).root });
    expect(text(added)).toContain('+ table public.u  → new/c.sql:4');
    expect(out).not.toMatch(/snapshot|migrations/);
  });

  serverTest('a migrations folder: "migrations folder <path>"; a URL: without its password', async () => {
    const p = project({ 'migrations/001_t.sql': 'CREATE TABLE public.t (id bigint NOT NULL);\n', 'a.sql': A });
    const withPassword = SERVER_URL.replace('postgres@', 'postgres:s3cret-pw@');
    const result = await diff(withPassword, 'migrations', { cwd: p.root, engine: 'server', databaseUrl: SERVER_URL });
    expect(result.sides.b.label).toBe('migrations folder migrations');
    expect(result.sides.a.label).toBe(withPassword.replace('s3cret-pw', '***'));
    const out = text(result);
    expect(out).toContain('B: migrations folder migrations');
    expect(out).not.toContain('s3cret-pw');
    expect(out).not.toContain('migrations migrations');
  });
});
