import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { diff } from '../../src/commands/diff.js';
import { dump } from '../../src/commands/dump.js';
import { runCli } from '../helpers/cli.js';
import { leftovers, SERVER_URL, serverDescribe } from '../helpers/postgres.js';
import { tempProject } from '../helpers/project.js';

/**
 * A small project whose snapshot is written by the local server's pg_dump 15 (with owners, \restrict lines if the
 * client writes them), while check replays on PGlite 18: a different pg_dump and Postgres on each side.
 */
const MIGRATIONS = {
  'migrations/001_orgs.sql': `-- Migration 001: Organizations
-- Purpose: organizations
-- Created: 2025-01-06
CREATE TABLE IF NOT EXISTS organizations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  org_status text NOT NULL DEFAULT 'active' CHECK (org_status IN ('active', 'archived'))
);
`,
  'migrations/002_users.sql': `-- Migration 002: Users
-- Purpose: users
-- Created: 2025-01-07
CREATE TABLE IF NOT EXISTS users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  email text NOT NULL,
  user_status varchar(20) NOT NULL DEFAULT 'active'
);
CREATE INDEX IF NOT EXISTS idx_users_org ON users (organization_id) WHERE user_status::text IN ('active', 'staged');
CREATE OR REPLACE VIEW active_users AS SELECT id, email FROM users WHERE user_status = 'active';
COMMENT ON TABLE users IS 'People | who sign in';
`,
};

// The snapshot of these tests is written by the local server's pg_dump: without a server they are skipped.
serverDescribe('against a snapshot written by the local server', () => {
  let project: ReturnType<typeof tempProject>;

  beforeAll(async () => {
    project = tempProject(MIGRATIONS);
    const server = await dump({ cwd: project.root, engine: 'server', databaseUrl: SERVER_URL });
    expect(server.exitCode).toBe(0);
    project.write('docs/architecture/schema-actual-2025-01-07.sql', server.sql);
    project.write('docs/architecture/schema-actual-2024-12-01.sql', 'this older snapshot is not even SQL');
  });
  afterAll(async () => {
    project.cleanup();
    expect(await leftovers()).toEqual([]);
  });

  describe('pgdrift check', () => {
    it('no drift between a pg_dump 15 snapshot and the PGlite 18 replay; reports both versions', async () => {
      // --pg 18: without it a pg_dump 15 snapshot makes the embedded engine pick 16, the nearest newer major (issue 15)
      const result = await check({ cwd: project.root, lint: false, pg: 18 });
      expect(result.drift).toEqual([]);
      expect(result.exitCode).toBe(0);
      expect(result.snapshot).toMatchObject({ path: 'docs/architecture/schema-actual-2025-01-07.sql', pgDumpVersion: expect.stringMatching(/^15\./) });
      expect(result.engine).toMatchObject({ name: 'pglite', pgDumpVersion: expect.stringMatching(/^18\./) });
    });

    it('an edited migration: exit 1, one item naming the object and the file:line of the edit', async () => {
      const file = path.join(project.root, 'migrations/002_users.sql');
      const original = readFileSync(file, 'utf8');
      writeFileSync(file, original.replace('ON DELETE CASCADE', 'ON DELETE SET NULL'));
      try {
        const result = await check({ cwd: project.root, lint: false });
        expect(result.exitCode).toBe(1);
        expect(result.drift).toHaveLength(1);
        expect(result.drift[0]).toMatchObject({
          kind: 'constraint',
          name: 'public.users.users_organization_id_fkey',
          change: 'changed',
          source: { migration: { file: 'migrations/002_users.sql', line: 6 }, snapshot: { file: 'docs/architecture/schema-actual-2025-01-07.sql' } },
        });
        expect(JSON.stringify(result.drift[0].details)).toContain('set null');
      } finally {
        writeFileSync(file, original);
      }
    });

    it('an added migration: the new objects are "added", attributed to the new file', async () => {
      project.write('migrations/003_teams.sql', '-- Migration 003: Teams\nCREATE TABLE IF NOT EXISTS teams (id uuid PRIMARY KEY, team_name text);\nALTER TABLE users ADD COLUMN IF NOT EXISTS nickname text;\n');
      try {
        const result = await check({ cwd: project.root, lint: false });
        expect(result.drift.map((d) => [d.kind, d.name, d.change, d.source.migration?.file, d.source.migration?.line])).toEqual([
          ['table', 'public.teams', 'added', 'migrations/003_teams.sql', 2],
          ['column', 'public.users.nickname', 'added', 'migrations/003_teams.sql', 3],
        ]);
      } finally {
        project.write('migrations/003_teams.sql', '');
        // an empty migration file changes nothing
        const clean = await check({ cwd: project.root, lint: false });
        expect(clean.drift).toEqual([]);
      }
    });

    it('the same on the server engine', async () => {
      const result = await check({ cwd: project.root, lint: false, engine: 'server', databaseUrl: SERVER_URL });
      expect(result.drift).toEqual([]);
      expect(result.engine.name).toBe('server');
    });
  });

  describe('pgdrift diff', () => {
    it('snapshot vs a live database (read-only) and vs a dump file', async () => {
      const same = await diff('snapshot', 'migrations', { cwd: project.root });
      expect(same.drift).toEqual([]);
      expect(same.exitCode).toBe(0);
      const live = await diff('snapshot', SERVER_URL, { cwd: project.root });
      // the server's own postgres database has none of these tables: everything is "removed"
      expect(live.drift.map((d) => [d.kind, d.name, d.change])).toEqual(
        expect.arrayContaining([
          ['table', 'public.organizations', 'removed'],
          ['table', 'public.users', 'removed'],
        ]),
      );
      expect(live.sides.b.label).toBe(SERVER_URL);
    });
  });
});

describe('check: bad input is one clear message, exit 2 (3 for the engine), nothing written', () => {
  const cases: Array<[string, (p: ReturnType<typeof tempProject>) => void, string[], number, RegExp]> = [
    ['a missing snapshot', () => {}, [], 2, /no snapshot matches docs\/architecture\/schema-actual-\*\.sql(.|\n)*pgdrift snapshot/],
    ['an empty snapshot', (p) => p.write('docs/architecture/schema-actual-2025-02-01.sql', '  \n'), [], 2, /schema-actual-2025-02-01\.sql is empty/],
    ['a snapshot that is not SQL', (p) => p.write('docs/architecture/schema-actual-2025-02-01.sql', '<html>\n<body>oops</body>\n'), [], 2, /schema-actual-2025-02-01\.sql:1:1: not valid SQL/],
    [
      'a URL that cannot connect',
      (p) => p.write('docs/architecture/schema-actual-2025-02-01.sql', 'CREATE TABLE t (id int);\n'),
      ['--engine', 'server', '--database-url', 'postgres://nobody:pw@127.0.0.1:1/x'],
      3,
      /cannot connect to postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/x/,
    ],
  ];
  it.each(cases)('%s', async (_name, setup, args, code, message) => {
    const p = tempProject({ 'migrations/001_a.sql': 'CREATE TABLE t (id int);\n' });
    try {
      setup(p);
      const before = readdirSync(p.root, { recursive: true }).sort();
      const result = await runCli(['check', '--no-lint', ...args], { cwd: p.root });
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(code);
      expect(readdirSync(p.root, { recursive: true }).sort()).toEqual(before);
    } finally {
      p.cleanup();
    }
  });

  it('no snapshot and nothing to replay: the migrations are named first (the advice to run pgdrift snapshot would fail too)', async () => {
    const p = tempProject({
      'package.json': JSON.stringify({ name: 'x', scripts: { migrate: 'node-pg-migrate up' }, devDependencies: { 'node-pg-migrate': '^7.0.0' } }),
      'migrations/1700000000000_init.js': 'exports.up = (pgm) => { pgm.createTable("t", { id: "id" }); };\n',
    });
    try {
      const result = await runCli(['check', '--no-lint'], { cwd: p.root });
      expect(result.stderr).toMatch(/migrations\/ holds 1 migration the node-pg-migrate runner applies and no SQL one pgdrift can replay/);
      expect(result.stderr).not.toMatch(/no snapshot matches/);
      expect(result.code).toBe(2);
    } finally {
      p.cleanup();
    }
  });
});
