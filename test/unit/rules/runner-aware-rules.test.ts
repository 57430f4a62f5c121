import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../../src/commands/lint.js';
import { loadSqlParser } from '../../../src/sql/parse.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { tempProject } from '../../helpers/project.js';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'runners');
const byRule = <F extends { rule: string }>(findings: F[], rule: string) => findings.filter((f) => f.rule === rule);

beforeAll(() => loadSqlParser());

describe('lint follows the runner', () => {
  it.each(['flyway', 'golang-migrate', 'dbmate', 'goose', 'supabase', 'prisma', 'drizzle', 'postgres-migrations'])(
    "%s: no 'file-name', 'number-gap' or 'duplicate-number' finding on the runner's own layout (recommended preset)",
    async (runner) => {
      const result = await lint({ cwd: path.join(FIXTURES, runner), today: '2026-01-01' });
      expect(result.preset).toBe('recommended');
      for (const rule of ['file-name', 'number-gap', 'duplicate-number']) expect(byRule(result.findings, rule), rule).toEqual([]);
    },
  );

  it("'file-name' takes names with dots that the runner applies (golang-migrate 0002_1.7.0_schema.up.sql, field report: goharbor/harbor)", async () => {
    const project = tempProject({
      'db/migrations/0001_1.6.0_schema.up.sql': 'CREATE TABLE a (id int);\n',
      'db/migrations/0001_1.6.0_schema.down.sql': 'DROP TABLE a;\n',
      'db/migrations/0002_add users.up.sql': 'CREATE TABLE b (id int);\n',
      'db/migrations/0002_add users.down.sql': 'DROP TABLE b;\n',
    });
    try {
      const result = await lint({ cwd: project.root, today: '2026-01-01' });
      expect(byRule(result.findings, 'file-name').map((f) => f.file)).toEqual(['db/migrations/0002_add users.up.sql']);
    } finally {
      project.cleanup();
    }
  });

  it("'transaction-control' accepts a golang-migrate file that stays one transaction: a lone COMMIT last, statements before BEGIN (field: reportportal/migrations, hyperledger/firefly)", async () => {
    const project = tempProject({
      'db/migrations/1_init.up.sql': "CREATE TYPE e AS ENUM ('a');\nCREATE TABLE a (id int);\n\nCOMMIT;\n",
      'db/migrations/2_ext.up.sql': 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";\n\nBEGIN;\nCREATE TABLE b (id int);\nCOMMIT;\n',
      'db/migrations/3_split.up.sql': 'CREATE TABLE c (id int);\nCOMMIT;\nCREATE TABLE d (id int);\n',
      'db/migrations/4_twice.up.sql': 'BEGIN;\nCREATE TABLE f (id int);\nCOMMIT;\nBEGIN;\nCREATE TABLE g (id int);\nCOMMIT;\n',
    });
    try {
      const result = await lint({ cwd: project.root, today: '2026-01-01' });
      // a COMMIT that is not last, or a second BEGIN, splits the file: still reported
      expect(byRule(result.findings, 'transaction-control').map((f) => `${path.basename(f.file)}:${f.line}`)).toEqual([
        '3_split.up.sql:2',
        '4_twice.up.sql:3',
        '4_twice.up.sql:4',
      ]);
    } finally {
      project.cleanup();
    }
  });

  it("'transaction-control' still reports a lone COMMIT last where the runner wraps the file (sqlx: it ends sqlx's own transaction)", async () => {
    const project = tempProject({ 'Cargo.toml': '[dependencies]\nsqlx = "0.8"\n', 'migrations/20240101000000_init.sql': 'CREATE TABLE a (id int);\nCOMMIT;\n' });
    try {
      const result = await lint({ cwd: project.root, today: '2026-01-01' });
      expect(byRule(result.findings, 'transaction-control').map((f) => f.line)).toEqual([2]);
    } finally {
      project.cleanup();
    }
  });

  it("'version-order' warns once where name order and version order part", async () => {
    const golang = await lint({ cwd: path.join(FIXTURES, 'golang-migrate'), today: '2026-01-01' });
    expect(byRule(golang.findings, 'version-order').map((f) => f.message)).toEqual([
      '10_orders_status_index.up.sql sorts before 1_create_users.up.sql by name, but golang-migrate applies 1_create_users.up.sql first (version order)',
    ]);
    const flyway = await lint({ cwd: path.join(FIXTURES, 'flyway'), today: '2026-01-01' });
    // Flyway's own convention is unpadded versions (V1__ ... V10__): not reported (field report: hmcts wa-task-management-api)
    expect(byRule(flyway.findings, 'version-order')).toEqual([]);
    const supabase = await lint({ cwd: path.join(FIXTURES, 'supabase'), today: '2026-01-01' });
    expect(byRule(supabase.findings, 'version-order')).toEqual([]);
  });

  it("'transaction-control' states the runner's real semantics", async () => {
    const supabase = await lint({ cwd: path.join(FIXTURES, 'supabase'), today: '2026-01-01' });
    expect(supabase.findings.filter((f) => f.file.startsWith('pgdrift:')), 'nothing reported in the built-in platform baseline').toEqual([]);
    expect(byRule(supabase.findings, 'require-concurrent-index')[0].help).toContain('make it the first statement of a migration file: the Supabase CLI runs each file as one transactional batch');
    expect(byRule(supabase.findings, 'transaction-control')[0].message).toBe('BEGIN inside a migration: the Supabase CLI sends each file as one batch, which runs as one transaction');
    // a COMMIT mid-file (one that wraps the whole file is golang-migrate's own advice, and not reported)
    const project = tempProject({
      'db/migrations/1_a.up.sql': 'BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nCREATE TABLE b (id int);\n',
      'db/migrations/1_a.down.sql': 'DROP TABLE a;\n',
      'db/migrations/2_b.up.sql': 'BEGIN;\nCREATE TABLE c (id int);\nCOMMIT;\n',
      'db/migrations/2_b.down.sql': 'DROP TABLE c;\n',
    });
    try {
      const golang = await lint({ cwd: project.root, today: '2026-01-01' });
      expect(byRule(golang.findings, 'transaction-control')[0].message).toContain('golang-migrate sends each file as one query with no transaction of its own');
      expect(byRule(golang.findings, 'transaction-control').map((f) => f.file)).toEqual(['db/migrations/1_a.up.sql', 'db/migrations/1_a.up.sql']);
    } finally {
      project.cleanup();
    }
  });

  it("'duplicate-number' compares versions as the runner does (Flyway 1.0 = 1), and 'number-gap' still works for sequential runners", async () => {
    const project = tempProject({
      'sql/V1__a.sql': 'CREATE TABLE a (id int);\n',
      'sql/V1.0__b.sql': 'CREATE TABLE b (id int);\n',
      'sql/R__c.sql': 'CREATE OR REPLACE VIEW c AS SELECT 1;\n',
      'sql/R__d.sql': 'CREATE OR REPLACE VIEW d AS SELECT 1;\n',
    });
    const pm = tempProject({ 'migrations/1_a.sql': 'CREATE TABLE a (id int);\n', 'migrations/3_b.sql': 'CREATE TABLE b (id int);\n' });
    try {
      const flyway = await lint({ cwd: project.root, migrations: 'sql', today: '2026-01-01' });
      expect(byRule(flyway.findings, 'duplicate-number').map((f) => f.file)).toEqual(['sql/V1__a.sql']);
      const gaps = await lint({ cwd: pm.root, runner: 'postgres-migrations', today: '2026-01-01' });
      expect(byRule(gaps.findings, 'number-gap').map((f) => f.message)).toEqual(['migration numbers jump from 1 to 3 (missing 2)']);
    } finally {
      project.cleanup();
      pm.cleanup();
    }
  });

  it("'duplicate-number' leaves Prisma and drizzle alone: they know a migration by its folder name / journal entry, not by the number (field report: langfuse's 24 errors)", async () => {
    const prisma = tempProject({
      'prisma/migrations/20240528214728_add_cursor_index_01/migration.sql': 'CREATE TABLE a (id int);\n',
      'prisma/migrations/20240528214728_add_cursor_index_02/migration.sql': 'CREATE TABLE b (id int);\n',
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
    });
    const entry = (idx: number, tag: string) => ({ idx, version: '7', when: 1704067200000 + idx, tag, breakpoints: true });
    const drizzle = tempProject({
      'drizzle/0000_init.sql': 'CREATE TABLE "a" ("id" integer);\n',
      'drizzle/0001_one.sql': 'CREATE TABLE "b" ("id" integer);\n',
      'drizzle/0001_two.sql': 'CREATE TABLE "c" ("id" integer);\n',
      'drizzle/meta/_journal.json': JSON.stringify({ version: '7', dialect: 'postgresql', entries: [entry(0, '0000_init'), entry(1, '0001_one'), entry(2, '0001_two')] }),
    });
    try {
      const p = await lint({ cwd: prisma.root, today: '2026-01-01' });
      expect(byRule(p.findings, 'duplicate-number')).toEqual([]);
      const d = await lint({ cwd: drizzle.root, today: '2026-01-01' });
      expect(byRule(d.findings, 'duplicate-number')).toEqual([]);
      expect(d.exitCode).toBe(0);
    } finally {
      prisma.cleanup();
      drizzle.cleanup();
    }
  });

  it("'duplicate-number' leaves node-pg-migrate alone: it knows a migration by its file name, and runs both of two files with one number (field: kmnx/multitune@cd00a03 apps/backend/migrations/003_*)", async () => {
    const p = tempProject({
      'package.json': JSON.stringify({ dependencies: { 'node-pg-migrate': '^7.1.0' } }),
      'migrations/001_init.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n',
      'migrations/003_password_hash_nullable.sql': 'ALTER TABLE a ADD COLUMN h text;\n',
      'migrations/003_playlists_youtube.sql': 'CREATE TABLE b (id int PRIMARY KEY);\n',
    });
    try {
      const result = await lint({ cwd: p.root, today: '2026-01-01' });
      expect(byRule(result.findings, 'duplicate-number')).toEqual([]);
      expect(result.exitCode).toBe(0);
    } finally {
      p.cleanup();
    }
  });
});
