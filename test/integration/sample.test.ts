import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { diffModels } from '../../src/diff/diff.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { leftovers, SERVER_URL, serverTest } from '../helpers/postgres.js';
import { copyOfSample } from '../helpers/project.js';

beforeAll(loadSqlParser);
afterAll(async () => expect(await leftovers()).toEqual([]));

describe('the bundled sample project', () => {
  serverTest('replays to the same schema on PGlite (Postgres 18) and on the local server (Postgres 15)', async () => {
    const [embedded, server] = await Promise.all([dump({ cwd: REPO_ROOT }), dump({ cwd: REPO_ROOT, engine: 'server', databaseUrl: SERVER_URL })]);
    expect(embedded.exitCode).toBe(0);
    expect(server.exitCode).toBe(0);
    expect(embedded.report.engine.postgresVersion).toMatch(/^18\./);
    expect(server.report.engine.postgresVersion).toMatch(/^15\./);
    const [fromPglite, fromServer] = [buildSchemaModel(embedded.sql, 'pglite.sql'), buildSchemaModel(server.sql, 'server.sql')];
    // "no drift" between two empty models would prove nothing
    expect(fromPglite.tables).toHaveLength(15);
    expect(fromServer.tables).toHaveLength(15);
    expect(diffModels(fromPglite, fromServer)).toEqual([]);
  });

  it('`pgdrift check` in the repository root exits 0: no drift, lint clean, re-runnable', async () => {
    const result = await runCli(['check', '--idempotent']);
    expect(result.stdout).toContain('no drift');
    expect(result.code).toBe(0);
  });

  it('after an edit to a merged migration: exit 1 naming the column and the file:line of the edit', async () => {
    const project = copyOfSample();
    try {
      const file = path.join(project.root, 'migrations/012_user_status_system.sql');
      const text = readFileSync(file, 'utf8');
      const edited = text.replace("user_status text NOT NULL DEFAULT 'pending'", "user_status text DEFAULT 'pending'");
      expect(edited).not.toBe(text);
      writeFileSync(file, edited);
      const editLine = edited.split('\n').findIndex((line) => line.includes("user_status text DEFAULT 'pending'")) + 1;
      const result = await check({ cwd: project.root, lint: false });
      expect(result.exitCode).toBe(1);
      expect(result.drift.map((d) => [d.kind, d.name, d.change, d.source.migration?.file, d.source.migration?.line])).toEqual([
        ['column', 'public.organization_users.user_status', 'changed', 'migrations/012_user_status_system.sql', editLine],
      ]);
      expect(result.drift[0].details).toEqual([{ field: 'notNull', from: 'true', to: 'false' }]);
    } finally {
      project.cleanup();
    }
  });

  it('--idempotent: a file that fails or changes the schema when applied again is reported', async () => {
    const project = copyOfSample();
    try {
      project.write('migrations/025_reports.sql', '-- Migration 025: Reports\n-- Purpose: reports\n-- Created: 2025-10-20\nCREATE TABLE reports (id uuid PRIMARY KEY);\n');
      project.write('migrations/026_audit.sql', '-- Migration 026: Audit\n-- Purpose: audit\n-- Created: 2025-10-21\nALTER TABLE IF EXISTS organizations ADD COLUMN IF NOT EXISTS audit_note text;\nALTER TABLE organizations ALTER COLUMN audit_note TYPE varchar(10) USING audit_note::text;\n');
      const { snapshot } = await import('../../src/commands/snapshot.js');
      expect((await snapshot({ cwd: project.root, date: '2099-01-01', docs: false })).written).toBeDefined();
      const result = await check({ cwd: project.root, lint: false, idempotent: true });
      expect(result.drift).toEqual([]);
      expect(result.idempotency!.failures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['migrations/025_reports.sql', 4, '42P07']]);
      expect(result.exitCode).toBe(1);
    } finally {
      project.cleanup();
    }
  });
});
