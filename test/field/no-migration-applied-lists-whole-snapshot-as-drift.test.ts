import { describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { checkReport } from '../../src/cli/commands/check.js';
import { renderReport } from '../../src/report/index.js';
import { SERVER_URL } from '../helpers/postgres.js';
import { tempProjects } from '../helpers/project.js';

// Field: ttab/elephant-user (tern, schema/ + a pg_dump in postgres/schema.sql), a migration with a syntax error
// added. When no migration applied (a syntax error, or a failure, in the first file), check compared an empty
// database with the snapshot and listed every table and type of the snapshot as drift ("Drift (11) ... of the files
// that applied"), under "⚠ no drift"-style wording when the snapshot was small: drift that is not there. With no
// migration applied there is nothing to compare: drift is not reported, and the verdict says so. The check still
// fails on the failed migration. A syntax error in a later file stops the replay there, as the runner stops, after
// the files before it applied (README "How replay works"): drift is compared for those, as for any later failure.
const project = tempProjects();

const schema = `--
-- PostgreSQL database dump
--

-- Dumped from database version 17.7
-- Dumped by pg_dump version 17.7

SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);

CREATE TYPE public.user_kind AS ENUM (
    'user',
    'org'
);

CREATE TABLE public."user" (
    sub text NOT NULL,
    kind public.user_kind DEFAULT 'user'::public.user_kind NOT NULL
);

ALTER TABLE ONLY public."user"
    ADD CONSTRAINT user_pkey PRIMARY KEY (sub);
`;

const files = (second: string) => ({
  'db/schema.sql': schema,
  'db/migrations/20240101000000_user.sql': `-- migrate:up\nCREATE TYPE user_kind AS ENUM ('user', 'org');\nCREATE TABLE "user" (sub text PRIMARY KEY, kind user_kind NOT NULL DEFAULT 'user');\n-- migrate:down\nDROP TABLE "user";\n`,
  'db/migrations/20240102000000_more.sql': `-- migrate:up\n${second}\n-- migrate:down\n`,
});

describe.each([
  ['pglite', {}],
  ['server', { databaseUrl: SERVER_URL }],
] as const)('check when no migration applied, on %s', (engine, extra) => {
  it('a syntax error in the first file: no drift listed, the verdict says drift was not compared', async () => {
    const broken = files('');
    broken['db/migrations/20240101000000_user.sql'] = broken['db/migrations/20240101000000_user.sql'].replace('CREATE TYPE', 'ALTER TABLE "user" ENABLE ALWAYS TRIGGER ALL;\nCREATE TYPE');
    const cwd = project(broken).root;
    const result = await check({ cwd, engine, ...extra, noCache: true });
    expect(result.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['db/migrations/20240101000000_user.sql', '42601']]);
    expect(result.files.filter((f) => f.role === 'migration' && f.status === 'applied')).toEqual([]);
    expect(result.drift).toEqual([]);
    expect(result.notCompared).toEqual([expect.stringContaining('no migration applied')]);
    expect(result.exitCode).toBe(1);
    const text = renderReport(checkReport(result), 'text');
    expect(text).not.toContain('Drift (');
    expect(text).not.toMatch(/no drift/);
    expect(text.trimEnd().split('\n').at(-1)).toBe('⚠ drift not compared against db/schema.sql: no migration applied (the replay stopped at the failure above)');
  });

  it('a syntax error in a later file: the earlier file applied, so drift is still compared', async () => {
    const cwd = project(files('ALTER TABLE "user" ENABLE ALWAYS TRIGGER ALL;')).root;
    const result = await check({ cwd, engine, ...extra, noCache: true });
    expect(result.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['db/migrations/20240102000000_more.sql', '42601']]);
    expect(result.files.filter((f) => f.role === 'migration').map((f) => f.status)).toEqual(['applied', 'failed']);
    expect(result.notCompared).toBeUndefined();
    expect(result.drift).toEqual([]);
    expect(result.exitCode).toBe(1);
    expect(renderReport(checkReport(result), 'text')).toContain('⚠ no drift against db/schema.sql (of the files that applied: the replay did not complete)');
  });

  it('a failure in a later file at run time: the earlier file applied, so drift is still compared', async () => {
    const cwd = project(files('ALTER TABLE missing ADD COLUMN x int;')).root;
    const result = await check({ cwd, engine, ...extra, noCache: true });
    expect(result.migrationFailures.map((f) => f.sqlstate)).toEqual(['42P01']);
    expect(result.notCompared).toBeUndefined();
    expect(result.drift).toEqual([]);
    expect(renderReport(checkReport(result), 'text')).toContain('⚠ no drift against db/schema.sql (of the files that applied: the replay did not complete)');
  });
});
