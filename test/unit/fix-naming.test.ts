import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { migrationSlug, migrationText, migrationTitle, newMigrationPath, nextMigration } from '../../src/fix/migration-file.js';
import { isWidening } from '../../src/fix/type-change.js';
import { runnerByName } from '../../src/runners/index.js';
import { loadSqlParser } from '../../src/sql/parse.js';

const NOW = new Date('2026-12-01T21:30:05Z');
const next = (runner: string, versions: string[]) =>
  nextMigration(runnerByName(runner), versions.map((version) => ({ name: `${version}_x.sql`, version })), 'add_index', NOW);

describe('the next migration file follows the runner and the existing files', () => {
  test.each([
    ['numbered', ['001', '002', '024'], '025_add_index.sql'],
    ['numbered', ['1', '2', '9'], '10_add_index.sql'],
    ['flyway', ['1', '2'], 'V3__add_index.sql'],
    ['golang-migrate', ['000001', '000002'], '000003_add_index.up.sql'],
    ['golang-migrate', ['20240101120000'], '20261201213005_add_index.up.sql'],
    ['dbmate', ['20240101120000', '20250101120000'], '20261201213005_add_index.sql'],
    ['goose', ['00001', '00002'], '00003_add_index.sql'],
    ['supabase', ['20240101120000'], '20261201213005_add_index.sql'],
    ['prisma', ['20240101120000'], '20261201213005_add_index/migration.sql'],
    ['postgres-migrations', ['1', '2'], '3_add_index.sql'],
    // postgrator: `<version>.do.<description>.sql`, its README's 001 for a first one
    ['postgrator', ['001', '002', '010'], '011.do.add_index.sql'],
    ['postgrator', [], '001.do.add_index.sql'],
    // diesel_cli 2.3 create_migration_dir: `%Y-%m-%d-%H%M%S-0000_<name>/up.sql`, never a top-level file Diesel ignores
    ['diesel', ['00000000000000', '20240101120000'], '2026-12-01-213005-0000_add_index/up.sql'],
    // its version (dashes removed) compared as text: one from the future still sorts before the new one
    ['diesel', ['29990101000000'], '299901010000001_add_index/up.sql'],
    // a file stamped in the future still sorts before the new one
    ['dbmate', ['29990101000000'], '29990101000001_add_index.sql'],
  ])('%s after %j → %s', (runner, versions, expected) => {
    expect(next(runner, versions).name).toBe(expected);
  });

  test('drizzle: none is written, drizzle-kit writes its migrations (journal, or 1.0 folders with snapshot.json)', () => {
    expect(() => next('drizzle', ['0000', '0001'])).toThrow(/cannot add a drizzle migration: drizzle-kit writes them, with its journal \(meta\/_journal\.json\) or each folder's snapshot\.json/);
  });

  test('graphile-migrate: none is written, `graphile-migrate commit` writes committed files with their hash chain', () => {
    expect(() => next('graphile-migrate', ['000001', '000002'])).toThrow(/cannot add a graphile-migrate migration: `graphile-migrate commit` writes committed\/ files/);
  });

  test('sqitch: none is written, a change is a sqitch.plan line and scripts that `sqitch add` writes (a deploy script alone never runs)', () => {
    expect(() => next('sqitch', [])).toThrow(/cannot add a Sqitch change: sqitch deploy runs only what sqitch.plan names/);
  });

  test('liquibase: none is written, a file runs only where a changelog the master reaches includes it', () => {
    expect(() => next('liquibase', [])).toThrow(/cannot add a Liquibase changeset: liquibase update runs a file only when a changelog the master changelog reaches includes it/);
  });

  test("flyway: the project's naming settings (an empty sqlMigrationPrefix, OpenLMIS's) name the new file", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-fix-naming-'));
    try {
      writeFileSync(path.join(dir, 'flyway.conf'), 'flyway.sqlMigrationPrefix=\nflyway.sqlMigrationSuffixes=.pgsql\n');
      const runner = runnerByName('flyway');
      const configured = { ...runner, ...runner.forProject!(path.join(dir, 'db'), { projectRoot: dir }) };
      expect(nextMigration(configured, [{ name: '20170206205240748__init.pgsql', version: '20170206205240748' }], 'add_index', NOW).name).toBe('20170206205240749__add_index.pgsql');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('names and titles', () => {
    expect(migrationSlug('Add timezone & login index!')).toBe('add_timezone_login_index');
    expect(migrationTitle('add_timezone_login_index')).toBe('Add Timezone Login Index');
    expect(() => migrationSlug('——')).toThrow(/empty file name/);
  });

  test('the header and the sections the runner runs', () => {
    const base = { version: '025', title: 'Add Index', purpose: 'p', created: '2026-12-01', sql: 'CREATE INDEX i ON t (c);\n' };
    expect(migrationText({ ...base, runner: runnerByName('numbered'), header: true })).toBe('-- Migration 025: Add Index\n-- Purpose: p\n-- Created: 2026-12-01\n\nCREATE INDEX i ON t (c);\n');
    expect(migrationText({ ...base, runner: runnerByName('dbmate'), header: false })).toBe('-- migrate:up\nCREATE INDEX i ON t (c);\n\n-- migrate:down\n');
    expect(migrationText({ ...base, runner: runnerByName('goose'), header: false })).toBe('-- +goose Up\n-- +goose StatementBegin\nCREATE INDEX i ON t (c);\n-- +goose StatementEnd\n');
  });

  test('an existing file is never overwritten', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-fix-'));
    try {
      writeFileSync(path.join(folder, '025_add_index.sql'), 'SELECT 1;');
      expect(() => newMigrationPath(folder, '025_add_index.sql')).toThrow(/already exists/);
      expect(newMigrationPath(folder, '026_add_index.sql')).toBe(path.join(folder, '026_add_index.sql'));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('type changes that cannot lose data', () => {
  beforeAll(loadSqlParser);
  test.each([
    ['integer', 'bigint', true],
    ['bigint', 'integer', false],
    ['smallint', 'numeric', true],
    ['character varying(20)', 'character varying(40)', true],
    ['character varying(40)', 'character varying(20)', false],
    ['character varying(20)', 'text', true],
    ['text', 'character varying(20)', false],
    ['numeric(10,2)', 'numeric(12,2)', true],
    ['numeric(10,2)', 'numeric(12,4)', true],
    ['numeric(10,2)', 'numeric(10,3)', false],
    ['numeric(10,2)', 'numeric', true],
    ['numeric', 'numeric(10,2)', false],
    ['timestamp with time zone', 'timestamp without time zone', false],
    ['integer[]', 'bigint[]', true],
    ['integer[]', 'bigint', false],
    ['text', 'integer', false],
  ])('%s → %s: %s', (from, to, widening) => {
    expect(isWidening(from, to)).toBe(widening);
  });
});
