import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { init } from '../../src/commands/init.js';
import { snapshot } from '../../src/commands/snapshot.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field (oliver-hohn/mealfriend): a goose project commits its migrations and a pg_dump `db/schema.sql`; goose names no
 * dump file, so check found no snapshot and advised `pgdrift snapshot`, which writes a new snapshot from the migrations:
 * it matches them by construction, and the team's dump (the thing to check) is never compared. The advice names the dump.
 */
const project = tempProjects();

const DUMP = `--
-- PostgreSQL database dump
--

-- Dumped from database version 15.3
-- Dumped by pg_dump version 15.3

SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);

CREATE TABLE public.recipes (
    id bigint NOT NULL,
    name text NOT NULL
);

--
-- PostgreSQL database dump complete
--
`;

const FILES = {
  'db/migrations/20211230191227_create_recipes.sql': '-- +goose Up\nCREATE TABLE recipes (id bigint NOT NULL, name text NOT NULL);\n\n-- +goose Down\nDROP TABLE recipes;\n',
  'db/schema.sql': DUMP,
  // not a dump: never offered
  'db/seed.sql': "INSERT INTO recipes VALUES (1, 'x');\n",
};

/** A graphile-migrate committed file as `graphile-migrate commit` writes it (hash.ts calculateHash, first migration). */
function firstCommitted(body: string): string {
  const hash = `sha1:${createHash('sha1').update(`${`\n${body.trim()}`.trim()}\n`).digest('hex')}`;
  return `--! Previous: -\n--! Hash: ${hash}\n\n${body.trim()}\n`;
}

describe('a committed pg_dump file pgdrift was not told about', () => {
  // field: regen-network/regen-server: .gmrc's afterAllMigrations runs pg_dump --file=./migrations/schema_snapshot.sql,
  // inside the folder graphile-migrate reads (it applies committed/ only); the advice left out everything in that folder
  it('check: a dump inside the migrations folder that the runner does not apply is named too', async () => {
    const p = project({
      '.gmrc': '{ "afterAllMigrations": [{ "_": "command", "command": "pg_dump --schema-only --file=./migrations/schema_snapshot.sql" }] }\n',
      'migrations/committed/000001.sql': firstCommitted('CREATE TABLE recipes (id bigint NOT NULL, name text NOT NULL);'),
      'migrations/current.sql': '-- Enter migration here\n',
      'migrations/schema_snapshot.sql': DUMP,
    });
    const error = await check({ cwd: p.root, lint: false }).catch((e: unknown) => e);
    const hint = (error as { hint?: string }).hint ?? '';
    expect(hint).toContain('migrations/schema_snapshot.sql is a pg_dump file');
    expect(hint).toContain('--snapshot migrations/schema_snapshot.sql');
    expect(hint).not.toContain('committed/000001.sql');
    // and init configures it as the snapshot
    expect((await init({ cwd: p.root })).config.snapshot).toBe('migrations/schema_snapshot.sql');
  });


  it('check: the hint names the dump and the flag that compares with it, not `pgdrift snapshot`', async () => {
    const p = project(FILES);
    const error = await check({ cwd: p.root, lint: false }).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: expect.stringMatching(/^no snapshot matches docs\/architecture\/schema-actual-\*\.sql/) });
    const hint = (error as { hint?: string }).hint ?? '';
    expect(hint).toContain('db/schema.sql is a pg_dump file');
    expect(hint).toContain('--snapshot db/schema.sql');
    expect(hint).not.toContain('db/seed.sql');
    expect(hint).not.toMatch(/^run `pgdrift snapshot`/);
  });

  it('check: with no dump in the project, the advice is still to write the first snapshot, after the detection line', async () => {
    const p = project({ 'db/migrations/20211230191227_create_recipes.sql': FILES['db/migrations/20211230191227_create_recipes.sql'] });
    const notices: string[] = [];
    const error = await check({ cwd: p.root, lint: false, onNotice: (m) => notices.push(m) }).catch((e: unknown) => e);
    expect((error as { hint?: string }).hint).toMatch(/^run `pgdrift snapshot` to write the first one/);
    // the check stopped before the replay, which says what was detected: it was not said at all
    expect(notices).toEqual([expect.stringContaining('runner goose detected in db/migrations/')]);
  });

  it('snapshot: writing a first snapshot beside the dump says the dump is not compared', async () => {
    const p = project(FILES);
    const notices: string[] = [];
    const result = await snapshot({ cwd: p.root, engine: 'pglite', date: '2026-12-05', onNotice: (m) => notices.push(m) });
    expect(existsSync(path.join(p.root, 'docs/architecture/schema-actual-2026-12-05.sql'))).toBe(true);
    expect(result.report.migrationFailures).toEqual([]);
    expect(notices.filter((n) => n.includes('db/schema.sql is a pg_dump file the runner does not replay'))).toHaveLength(1);
    expect(notices.join('\n')).toContain('--snapshot db/schema.sql');
  });
});
