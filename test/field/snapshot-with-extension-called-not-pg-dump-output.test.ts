import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { leftovers, SERVER_URL, serverAvailable } from '../helpers/postgres.js';
import { tempProject } from '../helpers/project.js';

/**
 * Issue 9 item 5: `check` against a snapshot with an extension the engine lacks said "the dump must be plain
 * pg_dump --schema-only output" (it was). The result now names the snapshot file and the real cause, and the
 * differences are reported (expression-text ones unconfirmed). Neither PGlite nor the local server has PostGIS.
 */
const POSTGIS = 'CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public;\n';
// pg_dump output (its header): a hand-written file is loaded first, and one the engine cannot load is an error
const A = `--\n-- PostgreSQL database dump\n--\n\n${POSTGIS}CREATE TABLE public.t (\n    id integer NOT NULL,\n    s text DEFAULT 'a'::text\n);\n`;

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

describe.each(engines)('the snapshot cannot be reloaded on $name', ({ options, because }) => {
  it('check: a snapshot with the extension names the snapshot file and the real cause, never "plain pg_dump output"', async () => {
    const p = project({
      'migrations/001_t.sql': "CREATE TABLE public.t (id integer NOT NULL, s text DEFAULT 'b');\n",
      'docs/architecture/schema-actual-2026-01-01.sql': A,
    });
    const result = await check({ cwd: p.root, lint: false, ...options });
    expect(result.exitCode).toBe(1);
    expect(result.comparison).toBe('unconfirmed');
    expect(result.unconfirmed?.reason).toContain('docs/architecture/schema-actual-2026-01-01.sql');
    expect(result.unconfirmed?.reason).toContain(because);
    expect(result.unconfirmed?.reason).not.toContain('plain');
    expect(result.drift.find((item) => item.kind === 'extension')).toMatchObject({ name: 'postgis', change: 'removed' });
    expect(result.drift.find((item) => item.name === 'public.t.s')).toMatchObject({ confirmed: false });
  });
});
