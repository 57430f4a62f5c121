import { describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { tempProjects } from '../helpers/project.js';

// Field: sushiibot/sushii-db (graphile-migrate, data/schema.sql from pg_dump). Its afterReset.sql grants roles the
// replay lacks (GRANT :DATABASE_VISITOR TO :DATABASE_ADMIN, 42704 role does not exist) on line 3 and creates pg_trgm,
// uuid-ossp, pgcrypto and timescaledb further down. The replay stopped at the GRANT, so the snapshot's extensions were
// all "missing", and the failure's hint went on with "The snapshot has the extension pg_trgm, pgcrypto, ..., which no
// migration creates": wrong twice. A missing role is no missing extension object (42704 is also undefined_object for a
// role), and the files do create those extensions, below the failure. The hint names only extensions no file of the
// replay creates, and only for a missing function, type or operator class.
const projects = tempProjects();

const snapshot = `--
-- PostgreSQL database dump
--

-- Dumped from database version 17.5
-- Dumped by pg_dump version 17.5

SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;

CREATE TABLE public.words (
    w text
);
`;

describe('the hint of a snapshot extension no migration creates', () => {
  it('is not added to a missing role, and does not name an extension a later statement creates', async () => {
    const p = projects({
      'db/schema.sql': snapshot,
      'db/migrations/20240101000000_init.sql': '-- migrate:up\nGRANT app_visitor TO app_admin;\nCREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE EXTENSION IF NOT EXISTS citext;\nCREATE TABLE words (w text);\n-- migrate:down\n',
    });
    const result = await check({ cwd: p.root, engine: 'pglite', lint: false });
    expect(result.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['db/migrations/20240101000000_init.sql', '42704']]);
    expect(result.migrationFailures[0].hint ?? '').not.toMatch(/snapshot has the extension/);
  }, 120_000);

  it('a missing function: names the snapshot extension no file creates, not the one a file creates', async () => {
    const p = projects({
      'db/schema.sql': snapshot,
      'db/migrations/20240101000000_init.sql': "-- migrate:up\nSELECT similarity('word', 'words');\nCREATE EXTENSION IF NOT EXISTS citext;\nCREATE TABLE words (w text);\n-- migrate:down\n",
    });
    const result = await check({ cwd: p.root, engine: 'pglite', lint: false });
    expect(result.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['db/migrations/20240101000000_init.sql', '42883']]);
    expect(result.migrationFailures[0].hint).toMatch(/The snapshot has the extension pg_trgm, which no migration creates/);
    expect(result.migrationFailures[0].hint).not.toMatch(/citext/);
  }, 120_000);
});
