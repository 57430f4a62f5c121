import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';

// Field: leg100/otf (tern, 24 migrations, a snapshot from Postgres 15 → the embedded 16). tern sends `reset all` after
// each migration, which the replay sends before each file; on the embedded 16 and 17 (PGlite 0.2, 0.3) RESET ALL sets
// search_path to pg_catalog, not the server's `"$user", public`: every table landed in pg_catalog, which pg_dump leaves
// out, and check reported all 62 tables as removed (none on the server).
const project = tempProjects();
const SPLIT = '---- create above / drop below ----';
const files = {
  'migrations/001_accounts.sql': `create table accounts (id int primary key);\n\n${SPLIT}\n\ndrop table accounts;\n`,
  'migrations/002_orders.sql': `create table orders (id int, account_id int references accounts);\n\n${SPLIT}\n\ndrop table orders;\n`,
};

describe('a tern history on the embedded 16 and 17', () => {
  for (const pg of ['16', '17']) {
    it(`keeps its tables in public on ${pg}, as on a server`, async () => {
      const result = await dump({ cwd: project(files).root, engine: 'pglite', pg, noCache: true });
      expect(result.report.migrationFailures).toEqual([]);
      expect(result.sql).toContain('CREATE TABLE public.accounts (');
      expect(result.sql).toContain('CREATE TABLE public.orders (');
    });
  }
});
