import { describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { tempProjects } from '../helpers/project.js';

// A cast the migrations create and the snapshot lacks (or the snapshot has and a migration dropped) was drift with "no
// source position": drift names it `cast (public.mood AS pg_catalog.int4)` from pg_dump's `(public.mood AS integer)`,
// while the migration wrote `(mood AS int)`. Both are keyed by the types' last names, as other unmodelled objects are.
const project = tempProjects();

const snapshotHeader = `--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);

CREATE TYPE public.mood AS ENUM (
    'a',
    'b'
);

CREATE FUNCTION public.mood_to_int(public.mood) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 1 $$;
`;

const withCast = `${snapshotHeader}
CREATE CAST (public.mood AS integer) WITH FUNCTION public.mood_to_int(public.mood);
`;

const createTypeAndFunction = `CREATE TYPE mood AS ENUM ('a', 'b');
CREATE FUNCTION mood_to_int(mood) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT 1 $$;
`;

describe('drift of a cast names the migration line', () => {
  it('a cast the migrations create and the snapshot lacks: at its CREATE CAST', async () => {
    const cwd = project({
      'pgdrift.config.json': JSON.stringify({ snapshot: 'schema.sql' }),
      'schema.sql': snapshotHeader,
      'migrations/001_mood.sql': createTypeAndFunction,
      'migrations/002_cast.sql': '-- the cast\nCREATE CAST (mood AS int) WITH FUNCTION mood_to_int(mood);\n',
    }).root;
    const result = await check({ cwd, lint: false, noCache: true });
    expect(result.migrationFailures).toEqual([]);
    expect(result.drift.map((item) => [item.name, item.change, item.source.migration?.file, item.source.migration?.line])).toEqual([
      ['cast (public.mood AS pg_catalog.int4)', 'added', 'migrations/002_cast.sql', 2],
    ]);
  }, 120_000);

  it('a cast the snapshot has and a migration dropped: at its DROP CAST', async () => {
    const cwd = project({
      'pgdrift.config.json': JSON.stringify({ snapshot: 'schema.sql' }),
      'schema.sql': withCast,
      'migrations/001_mood.sql': `${createTypeAndFunction}CREATE CAST (mood AS integer) WITH FUNCTION mood_to_int(mood);\n`,
      'migrations/002_drop.sql': '\n\nDROP CAST (public.mood AS int4);\n',
    }).root;
    const result = await check({ cwd, lint: false, noCache: true });
    expect(result.migrationFailures).toEqual([]);
    expect(result.drift.map((item) => [item.name, item.change, item.source.migration?.file, item.source.migration?.line])).toEqual([
      ['cast (public.mood AS pg_catalog.int4)', 'removed', 'migrations/002_drop.sql', 3],
    ]);
  }, 120_000);
});
