import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { detectRunner } from '../../src/runners/index.js';
import { nodePgMigrate, planNodePgMigrate } from '../../src/runners/node-pg-migrate.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/** node-pg-migrate v7.9.1: migration.ts discovery and order, sqlMigration.ts sections, the CLI's single transaction. */
const project = tempProjects();
const PACKAGE = JSON.stringify({ devDependencies: { 'node-pg-migrate': '^7.9.1' } });

beforeAll(() => loadSqlParser());

describe('node-pg-migrate sections', () => {
  it('the up part runs from its marker to the down marker after it; without an up marker, the whole file', () => {
    // the down marker's match starts at the blank line before it (`^\s*--` in multiline mode): the up part ends before
    expect(planNodePgMigrate('-- Up Migration\nCREATE TABLE a (id int);\n\n-- Down Migration\nDROP TABLE a;\n').parts).toEqual([{ startLine: 0, endLine: 2, transaction: 'wrapped' }]);
    expect(planNodePgMigrate('-- a header\n--   up   MIGRATION\nCREATE TABLE a (id int);\n').parts).toEqual([{ startLine: 1, endLine: 4, transaction: 'wrapped' }]);
    expect(planNodePgMigrate('-- Down Migration\nDROP TABLE a;\n-- Up Migration\nCREATE TABLE a (id int);\n').parts).toEqual([{ startLine: 2, endLine: 5, transaction: 'wrapped' }]);
    expect(planNodePgMigrate('CREATE TABLE a (id int);\n-- Down Migration\nDROP TABLE a;\n').parts).toEqual([{ startLine: 0, endLine: 4, transaction: 'wrapped' }]);
  });
});

describe('node-pg-migrate discovery', () => {
  it('orders by the numeric prefix (17 digits: a UTC timestamp), skips dot files; a JS migration is named as not replayed', () => {
    const p = project({
      'migrations/1800000000000_c.sql': '',
      'migrations/20240101000000000_b.sql': '',
      'migrations/1700000000000_a.sql': '',
      'migrations/1750000000000_seed.js': 'exports.up = (pgm) => {};\n',
      'migrations/.eslintrc.json': '{}',
    });
    const found = nodePgMigrate.discover(`${p.root}/migrations`);
    expect(found.migrations.map((m) => m.name)).toEqual(['1700000000000_a.sql', '20240101000000000_b.sql', '1800000000000_c.sql']);
    expect(found.ignored).toEqual([expect.objectContaining({ name: '1750000000000_seed.js', appliedByRunner: true })]);
    expect(found.problems).toEqual([]);
  });

  it('a file without a numeric prefix, or one that is neither SQL nor a script, is refused as node-pg-migrate fails on it', () => {
    const p = project({ 'migrations/1_a.sql': '', 'migrations/README.md': '', 'migrations/2_notes.txt': '' });
    const { problems } = nodePgMigrate.discover(`${p.root}/migrations`);
    expect(problems).toEqual([expect.stringContaining('README.md: Cannot determine numeric prefix'), expect.stringContaining('2_notes.txt: node-pg-migrate loads every file')]);
  });
});

describe('node-pg-migrate detection and replay', () => {
  it('is detected by its markers, or by package.json; plain numbered files without either stay numbered', () => {
    const marked = project({ 'migrations/1_a.sql': '-- Up Migration\nCREATE TABLE a (id int);\n' });
    expect(detectRunner(`${marked.root}/migrations`, marked.root).runner.name).toBe('node-pg-migrate');
    const byPackage = project({ 'package.json': PACKAGE, 'migrations/1_a.sql': 'CREATE TABLE a (id int);\n' });
    expect(detectRunner(`${byPackage.root}/migrations`, byPackage.root).runner.name).toBe('node-pg-migrate');
    const plain = project({ 'migrations/001_a.sql': 'CREATE TABLE a (id int);\n' });
    expect(detectRunner(`${plain.root}/migrations`, plain.root).runner.name).toBe('numbered');
  });

  it('a package.json script that runs node-pg-migrate shows it without a direct dependency (field: hirosystems/stacks-blockchain-api, through @stacks/api-toolkit)', async () => {
    // numbered TypeScript migrations and `"migrate": "node-pg-migrate -m migrations -j ts"`, node-pg-migrate installed
    // as a dependency of a dependency: was taken for the numbered runner, with "no migrations in migrations/"
    const files = { 'package.json': JSON.stringify({ scripts: { migrate: 'node-pg-migrate -m migrations -j ts' }, dependencies: { '@stacks/api-toolkit': '1.13.0' } }), 'migrations/1600000000000_blocks.ts': 'export const up = () => {};\n' };
    const ts = project(files);
    expect(detectRunner(`${ts.root}/migrations`, ts.root).runner.name).toBe('node-pg-migrate');
    await expect(dump({ cwd: ts.root })).rejects.toThrow(/1 migration the node-pg-migrate runner applies and no SQL one pgdrift can replay/);
    const sql = project({ 'package.json': JSON.stringify({ scripts: { 'db:up': 'dotenv -- npx node-pg-migrate up' } }), 'migrations/1_a.sql': 'CREATE TABLE a (id int);\n' });
    expect(detectRunner(`${sql.root}/migrations`, sql.root).runner.name).toBe('node-pg-migrate');
    // a script running another program is no evidence
    const other = project({ 'package.json': JSON.stringify({ scripts: { migrate: 'node scripts/migrate.js' } }), 'migrations/001_a.sql': 'CREATE TABLE a (id int);\n' });
    expect(detectRunner(`${other.root}/migrations`, other.root).runner.name).toBe('numbered');
  });

  it("a golang-migrate down file whose comment reads like a Down marker is not node-pg-migrate's (field report: openmeterio/openmeter, exit 2)", () => {
    const p = project({
      'migrations/20260326000000_normalize.up.sql': 'UPDATE t SET a = 1;\n',
      'migrations/20260326000000_normalize.down.sql': '-- Down migration is a no-op: the normalization is not reversible\nSELECT 1;\n',
    });
    expect(detectRunner(`${p.root}/migrations`, p.root).runner.name).toBe('golang-migrate');
  });

  it('the CLI applies every migration in one transaction: a file using an enum value an earlier file added fails (55P04)', async () => {
    const p = project({
      'package.json': PACKAGE,
      'migrations/1_status.sql': "-- Up Migration\nCREATE TYPE status AS ENUM ('active');\nCREATE TABLE items (id int, s status);\n",
      'migrations/2_archived.sql': "-- Up Migration\nALTER TYPE status ADD VALUE 'archived';\n",
      'migrations/3_default.sql': "-- Up Migration\nALTER TABLE items ALTER COLUMN s SET DEFAULT 'archived';\n",
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['migrations/3_default.sql', 2, '55P04']]);
    expect(result.sql).not.toContain('CREATE TABLE public.items');
    expect(result.sql).toContain('CREATE TABLE public.pgmigrations (');
  });

  it("a UTF-8 byte order mark fails where node-pg-migrate sends it: no up marker, or the marker on line 1 (sqlMigration.ts readFile 'utf8')", async () => {
    const p = project({
      'package.json': PACKAGE,
      'migrations/1_plain.sql': '\uFEFFCREATE TABLE a (id int);\n',
      'migrations/2_marked.sql': '\uFEFF-- Up Migration\nCREATE TABLE b (id int);\n-- Down Migration\nDROP TABLE b;\n',
      // the up part starts at its marker on line 2: the mark before it is never sent
      'migrations/3_header.sql': '\uFEFF-- adds c\n-- Up Migration\nCREATE TABLE c (id int);\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, keepGoing: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.column, f.sqlstate])).toEqual([
      ['migrations/1_plain.sql', 1, 1, '42601'],
      ['migrations/2_marked.sql', 1, 1, '42601'],
    ]);
    expect(result.report.migrationFailures[0].message).toMatch(/byte order mark .* which node-pg-migrate sends to Postgres/);
  });

  it('a JavaScript migration in the history makes check incomplete, never clean', async () => {
    const p = project({ 'package.json': PACKAGE, 'migrations/1_a.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n', 'migrations/2_b.js': 'exports.up = (pgm) => pgm.createTable("b", { id: "id" });\n' });
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    p.write('docs/architecture/schema-actual-2024-01-01.sql', replayed.sql);
    const result = await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false });
    expect(result.exitCode).toBe(1);
    expect(result.skippedFiles).toEqual([expect.objectContaining({ file: 'migrations/2_b.js', appliedByRunner: true })]);
  });
});

describe('node-pg-migrate settings in package.json scripts', () => {
  const scripts = (s: Record<string, string>) => JSON.stringify({ scripts: s, devDependencies: { 'node-pg-migrate': '^7.9.1' } });

  it('the folder -m names is the migrations folder (field: filipedeschamps/tabnews.com.br, -m infra/migrations/)', async () => {
    const p = project({
      'package.json': scripts({ 'migration:run': 'node wait.js && node-pg-migrate up --envPath ./.env -m infra/migrations/ 2>migrations.log', 'migration:dry-run': 'node-pg-migrate up --dry-run -m elsewhere' }),
      'infra/migrations/1700000000000_users.sql': '-- Up Migration\nCREATE TABLE users (id int PRIMARY KEY);\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.sql).toContain('CREATE TABLE public.users (');
  });

  it("an absolute -m outside the project (a container's path) is named as written, not as ../../app (field: decentraland/builder-server)", async () => {
    const p = project({
      'package.json': scripts({ 'migrate:docker': "./migrations/node-pg-migrate --migration-file-language ts --migrations-dir /pgdrift-no-such-app/migrations --ignore-pattern '\\..*|.*migrate(.ts)?'" }),
      'migrations/1564049477409_create-projects.sql': 'CREATE TABLE projects (id int PRIMARY KEY);\n',
    });
    const error = await dump({ cwd: p.root, engine: 'pglite', noCache: true }).catch((e: Error) => e);
    expect(String(error)).toContain('names /pgdrift-no-such-app/migrations: no such folder');
  });

  it('--migrations-table, --schema with --create-schema and --no-single-transaction are applied as the CLI applies them', async () => {
    const p = project({
      'package.json': scripts({ migrate: 'node-pg-migrate -m db/migrations --migrations-table log -s app --create-schema --no-single-transaction up' }),
      'db/migrations/1_status.sql': "CREATE TYPE status AS ENUM ('active');\nCREATE TABLE items (id int PRIMARY KEY, s status);\n",
      'db/migrations/2_archived.sql': "ALTER TYPE status ADD VALUE 'archived';\n",
      'db/migrations/3_default.sql': "ALTER TABLE items ALTER COLUMN s SET DEFAULT 'archived';\n",
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    // each file in its own transaction: the new enum value is committed before 3 uses it
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE app.items (');
    expect(result.sql).toContain("s app.status DEFAULT 'archived'::app.status");
    expect(result.sql).toContain('CREATE TABLE app.log (');
    expect(result.sql).not.toContain('pgmigrations');
  });

  it('--migrations-schema without --create-migrations-schema fails on a new database, as the CLI does (3F000)', async () => {
    const p = project({
      'package.json': scripts({ migrate: 'node-pg-migrate up --migrations-schema meta' }),
      'migrations/1_a.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['pgdrift:node-pg-migrate-bookkeeping.sql', '3F000']]);
  });

  it('scripts naming several folders, or one folder with different settings, are an error naming them', async () => {
    const several = project({
      'package.json': scripts({ up: 'node-pg-migrate -m db/a up', seed: 'node-pg-migrate -m db/b up' }),
      'db/a/1_a.sql': 'CREATE TABLE a (id int);\n',
      'db/b/1_b.sql': 'CREATE TABLE b (id int);\n',
    });
    await expect(dump({ cwd: several.root, engine: 'pglite', noCache: true })).rejects.toThrow('the package.json scripts run node-pg-migrate on 2 folders: db/a ("up"), db/b ("seed")');
    const differing = project({
      'package.json': scripts({ up: 'node-pg-migrate up -t one', 'up:ci': 'node-pg-migrate up -t two' }),
      'migrations/1_a.sql': 'CREATE TABLE a (id int);\n',
    });
    await expect(dump({ cwd: differing.root, engine: 'pglite', noCache: true })).rejects.toThrow('different --migrations-table: one (package.json script "up"); two (package.json script "up:ci")');
    const dynamic = project({ 'package.json': scripts({ up: 'node-pg-migrate up -m "$MIGRATIONS"' }), 'migrations/1_a.sql': 'CREATE TABLE a (id int);\n' });
    await expect(dump({ cwd: dynamic.root, engine: 'pglite', noCache: true })).rejects.toThrow('runs node-pg-migrate with --migrations-dir $MIGRATIONS, a value only the shell knows');
  });

  it('--ignore-pattern decides which files are migrations (getMigrationFilePaths: ^pattern$)', () => {
    const p = project({ 'package.json': scripts({ up: "node-pg-migrate up --ignore-pattern '.*\\.md'" }), 'migrations/1_a.sql': '', 'migrations/README.md': '' });
    const runner = { ...nodePgMigrate, ...nodePgMigrate.forProject!(`${p.root}/migrations`, { projectRoot: p.root }) };
    expect(runner.discover(`${p.root}/migrations`)).toEqual({ migrations: [{ name: '1_a.sql', version: '1' }], ignored: [], problems: [] });
  });
});
