import { afterAll, describe, expect, it } from 'vitest';
import { diff } from '../../src/commands/diff.js';
import { runCli } from '../helpers/cli.js';
import { leftovers, SERVER_URL, serverAvailable } from '../helpers/postgres.js';
import { tempProject } from '../helpers/project.js';

/**
 * Issue 9 item 4: a file-vs-file diff whose confirming reload needed an extension the engine lacks exited 3 with
 * no result. Now the differences are reported: the structural ones as certain, the expression-text
 * ones with `confirmed: false`, with the reason (naming the file and Postgres's cause) and the engine option that
 * would confirm them. Neither PGlite nor the local server has PostGIS.
 */
const POSTGIS = 'CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public;\n';
// pg_dump output (its header): a hand-written file is loaded first, and one the engine cannot load is an error
const A = `--\n-- PostgreSQL database dump\n--\n\n${POSTGIS}CREATE TABLE public.t (\n    id integer NOT NULL,\n    s text DEFAULT 'a'::text\n);\n`;
const B = A.replace('id integer', 'id bigint').replace("'a'::text", "'b'::text");

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

const engines = [
  { name: 'pglite', options: { engine: 'pglite' as const }, because: 'does not ship the extension postgis', hint: '--engine server' },
  { name: 'server', options: { engine: 'server' as const, databaseUrl: SERVER_URL }, because: 'extension "postgis" is not available', hint: '--engine docker' },
].filter((engine) => engine.name !== 'server' || serverAvailable); // server cases skip where no server answers

describe.each(engines)('the confirming reload cannot run on $name', ({ options, because, hint }) => {
  it('diff a.sql b.sql: the type change is certain, the default change is reported unconfirmed, with the reason and the option', async () => {
    const p = project({ 'a.sql': A, 'b.sql': B });
    const result = await diff('a.sql', 'b.sql', { cwd: p.root, ...options });
    expect(result.drift.map(({ name, confirmed }) => ({ name, confirmed }))).toEqual([
      { name: 'public.t.id', confirmed: undefined },
      { name: 'public.t.s', confirmed: false },
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.unconfirmed?.reason).toMatch(/[ab]\.sql/);
    expect(result.unconfirmed?.reason).toContain(because);
    expect(result.unconfirmed?.hint).toContain(hint);
  });
});

it('the CLI: exit 1 (not 3), the unconfirmed item marked in text and JSON', async () => {
  const p = project({ 'a.sql': A, 'b.sql': B });
  const text = await runCli(['diff', 'a.sql', 'b.sql'], { cwd: p.root });
  expect(text.code).toBe(1);
  expect(text.stdout).toContain('~ column public.t.s (unconfirmed)');
  expect(text.stdout).toContain('1 difference could not be confirmed');
  expect(text.stdout).toContain('to confirm: ');
  expect(text.stdout).not.toContain('no differences');
  const json = await runCli(['diff', 'a.sql', 'b.sql', '--format', 'json'], { cwd: p.root });
  expect(json.code).toBe(1);
  const parsed = JSON.parse(json.stdout);
  expect(parsed.drift.find((item: any) => item.name === 'public.t.s').confirmed).toBe(false);
  expect(parsed.unconfirmed.hint).toContain('--engine');
});
