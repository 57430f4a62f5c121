import { describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { checkReport } from '../../src/cli/commands/check.js';
import { renderReport } from '../../src/report/index.js';
import { SERVER_URL } from '../helpers/postgres.js';
import { tempProjects } from '../helpers/project.js';

// Field: sushiibot/sushii-db (graphile-migrate, data/schema.sql from pg_dump, with timescaledb). On the server engine
// the first file failed (a role the replay lacks), so no migration applied and check compared nothing (README "How
// replay works"), but it still printed "⚠ 0 differences could not be confirmed ... why: the server engine could not
// load data/schema.sql: extension "timescaledb" is not available": the reload that was to confirm the whole snapshot
// read as missing (what differed there came from before the failure: a baseline file, the runner's setup). With no difference reported there is nothing unconfirmed to speak of, in the text or the JSON.
const projects = tempProjects();

const snapshot = `--
-- PostgreSQL database dump
--

-- Dumped from database version 17.5
-- Dumped by pg_dump version 17.5

SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);

CREATE EXTENSION IF NOT EXISTS no_such_extension_here WITH SCHEMA public;

CREATE TABLE public.words (
    w text DEFAULT lower('A'::text)
);
`;

describe.each([
  ['pglite', {}],
  ['server', { databaseUrl: SERVER_URL }],
] as const)('no migration applied, a snapshot the engine cannot load, on %s', (engine, extra) => {
  it('says drift was not compared, and nothing of unconfirmed differences', async () => {
    const p = projects({
      'db/schema.sql': snapshot,
      'db/base.sql': "CREATE TABLE words (w text DEFAULT upper('A'));\n",
      'db/migrations/20240101000000_init.sql': "-- migrate:up\nGRANT app_visitor TO app_admin;\nSELECT 1;\n-- migrate:down\n",
    });
    const result = await check({ cwd: p.root, engine, ...extra, lint: false, baseline: ['db/base.sql'] });
    expect(result.migrationFailures.map((f) => f.sqlstate)).toEqual(['42704']);
    expect(result.drift).toEqual([]);
    expect(result.unconfirmed).toBeUndefined();
    const text = renderReport(checkReport(result), 'text');
    expect(text).toMatch(/drift not compared/);
    expect(text).not.toMatch(/could not be confirmed/);
  }, 120_000);
});
