import { afterAll, describe, expect } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { leftovers, SERVER_URL, serverTest } from '../helpers/postgres.js';
import { tempProject } from '../helpers/project.js';

// Field report (usebasejump/basejump's ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC): on the
// server engine the dump said FOR ROLE pgdrift_<pid>_<start>_<random>, the throwaway replay role, new on every run:
// a snapshot written by one run drifted from the next under --include privileges, and from the embedded engine.
const project = tempProject({
  'migrations/001_init.sql': 'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\nCREATE TABLE t (id int PRIMARY KEY);\n',
});
afterAll(async () => {
  project.cleanup();
  expect(await leftovers()).toEqual([]);
});
const server = ['--engine', 'server', '--database-url', SERVER_URL];

describe('the server replay role does not reach the dump', () => {
  serverTest('default privileges are dumped FOR ROLE postgres, as on the embedded engine, and a second run is clean', async () => {
    const dumped = await runCli(['dump', '-C', project.root, ...server]);
    expect(dumped.code).toBe(0);
    expect(dumped.stdout).toMatch(/ALTER DEFAULT PRIVILEGES FOR ROLE postgres REVOKE ALL ON FUNCTIONS +FROM PUBLIC;/); // pg_dump 15 prints two spaces
    expect(dumped.stdout).not.toContain('pgdrift_');
    expect((await runCli(['snapshot', '-C', project.root, ...server])).code).toBe(0);
    const again = await runCli(['check', '-C', project.root, '--no-lint', '--include', 'privileges', ...server]);
    expect(again.stdout).toContain('no drift');
    expect(again.code).toBe(0);
    const embedded = await runCli(['check', '-C', project.root, '--no-lint', '--include', 'privileges', '--engine', 'pglite']);
    expect(embedded.stdout).toContain('no drift');
    expect(embedded.code).toBe(0);
  }, 180_000);
});
