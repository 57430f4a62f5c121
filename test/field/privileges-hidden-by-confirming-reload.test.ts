import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { diff } from '../../src/commands/diff.js';
import { leftovers, SERVER_URL, serverAvailable } from '../helpers/postgres.js';
import { tempProject } from '../helpers/project.js';

/**
 * Issue 9 item 1: with `--include privileges`, a GRANT or REVOKE difference was confirmed through a reload that
 * drops grants to roles the throwaway database lacks, so `diff` and `check` said "no differences". Privileges are
 * now compared from the model; each case runs with and without an expression-text difference (which makes the
 * reload run) on both engines.
 */
// pg_dump output (its header): a hand-written file is compared as pg_dump prints it once loaded, where the
// no-op REVOKE ALL ... FROM PUBLIC on a table leaves no trace
const TABLE = '--\n-- PostgreSQL database dump\n--\n\nCREATE TABLE public.t (\n    id integer NOT NULL,\n    status text DEFAULT \'new\'::text\n);\n';
const OTHER_DEFAULT = TABLE.replace("'new'", "'old'");
const GRANT = 'GRANT SELECT ON TABLE public.t TO reporting;\n';
const REVOKE = 'REVOKE ALL ON TABLE public.t FROM PUBLIC;\n';

const engines = [
  { name: 'pglite', options: { engine: 'pglite' as const } },
  { name: 'server', options: { engine: 'server' as const, databaseUrl: SERVER_URL } },
].filter((engine) => engine.name !== 'server' || serverAvailable); // server cases skip where no server answers

const projects: ReturnType<typeof tempProject>[] = [];
afterAll(async () => {
  for (const project of projects) project.cleanup();
  expect(await leftovers()).toEqual([]);
});

const privilegeItems = (drift: { kind: string; name: string; change: string }[]) =>
  drift.filter((item) => /^(GRANT|REVOKE)/.test(item.name)).map(({ name, change }) => ({ name, change }));

describe.each(engines)('diff a.sql b.sql --include privileges on $name', ({ options }) => {
  for (const withReload of [false, true]) {
    it(`reports a GRANT added and a REVOKE removed${withReload ? ', also when a default difference makes the reload run' : ''}`, async () => {
      const project = tempProject({
        'a.sql': TABLE + REVOKE,
        'b.sql': (withReload ? OTHER_DEFAULT : TABLE) + GRANT,
      });
      projects.push(project);
      const result = await diff('a.sql', 'b.sql', { cwd: project.root, includePrivileges: true, ...options });
      expect(privilegeItems(result.drift)).toEqual([
        { name: 'GRANT SELECT ON public.t TO reporting', change: 'added' },
        { name: 'REVOKE ALL ON public.t FROM PUBLIC RESTRICT', change: 'removed' },
      ]);
      expect(result.drift.some((item) => item.name === 'public.t.status')).toBe(withReload);
      expect(result.exitCode).toBe(1);
    }, 300_000);
  }

  it('without --include privileges the same files differ only in the default', async () => {
    const project = tempProject({ 'a.sql': TABLE + REVOKE, 'b.sql': OTHER_DEFAULT + GRANT });
    projects.push(project);
    const result = await diff('a.sql', 'b.sql', { cwd: project.root, ...options });
    expect(result.drift.map((item) => item.name)).toEqual(['public.t.status']);
  });
});

describe.each(engines)('check --include privileges on $name', ({ options }) => {
  for (const withReload of [false, true]) {
    it(`reports a GRANT that only the snapshot has${withReload ? ', also when a default difference makes the reload run' : ''}`, async () => {
      const project = tempProject({
        'migrations/001_t.sql': "CREATE TABLE public.t (id integer NOT NULL, status text DEFAULT 'new');\n",
        'docs/architecture/schema-actual-2026-01-01.sql': (withReload ? OTHER_DEFAULT : TABLE) + GRANT,
      });
      projects.push(project);
      const result = await check({ cwd: project.root, includePrivileges: true, lint: false, ...options });
      expect(privilegeItems(result.drift)).toEqual([{ name: 'GRANT SELECT ON public.t TO reporting', change: 'removed' }]);
      expect(result.drift.some((item) => item.name === 'public.t.status')).toBe(withReload);
      expect(result.exitCode).toBe(1);
      const plain = await check({ cwd: project.root, lint: false, ...options });
      expect(privilegeItems(plain.drift)).toEqual([]);
    }, 300_000);
  }
});
