import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { nodePgMigrate, planNodePgMigrate } from '../../src/runners/node-pg-migrate.js';
import type { RunnerOptions } from '../../src/runners/types.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * node-pg-migrate's settings from its config files (v7.9.1 bin/node-pg-migrate.ts readJson; v10 src/cli/config.ts
 * resolveConfig), its CRLF marker cut (sqlMigration.ts getActions) and its order before v9 (getNumericPrefix).
 */
const project = tempProjects();
const pkg = (scripts: Record<string, string>, version = '^8.0.4', extra: Record<string, string> = {}) =>
  JSON.stringify({ scripts, devDependencies: { 'node-pg-migrate': version, ...extra } });

beforeAll(() => loadSqlParser());

/** The runner as forProject sets it up for `<root>/<folder>`, with the given environment. */
function runnerFor(root: string, folder = 'migrations', env: Record<string, string | undefined> = {}) {
  const options: RunnerOptions = { projectRoot: root, env };
  return { ...nodePgMigrate, ...nodePgMigrate.forProject!(`${root}/${folder}`, options) };
}

describe('node-pg-migrate --config-file', () => {
  it('reads the folder, table, schema and ignore pattern of the -f JSON file; the dump follows them', async () => {
    const p = project({
      'package.json': pkg({ migrate: 'node-pg-migrate -f ./migrate.json up' }),
      'migrate.json': JSON.stringify({ 'migrations-dir': 'db/migrations', 'migrations-table': 'log', schema: 'app', 'create-schema': true, 'ignore-pattern': '.*\\.md' }),
      'db/migrations/1_items.sql': '-- Up Migration\nCREATE TABLE items (id int PRIMARY KEY);\n-- Down Migration\nDROP TABLE items;\n',
      'db/migrations/README.md': 'notes',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE app.items (');
    expect(result.sql).toContain('CREATE TABLE app.log (');
    expect(result.sql).not.toContain('pgmigrations');
  });

  it('a config file value wins over the flag (applyIf); v8+ reads the --config-value section, v7 the top level', () => {
    const files = {
      'cfg.json': JSON.stringify({ 'migrations-table': 'top', prod: { 'migrations-table': 'section' } }),
      'migrations/1_a.sql': 'CREATE TABLE a (id int);\n',
    };
    const v8 = project({ ...files, 'package.json': pkg({ up: 'node-pg-migrate up -t flag --config-file cfg.json --config-value prod' }) });
    expect(runnerFor(v8.root).bookkeeping).toEqual(['public.section']);
    const v7 = project({ ...files, 'package.json': pkg({ up: 'node-pg-migrate up -t flag --config-file cfg.json --config-value prod' }, '^7.9.1') });
    expect(runnerFor(v7.root).bookkeeping).toEqual(['public.top']);
    const unknown = project({ ...files, 'package.json': pkg({ up: 'node-pg-migrate up -t flag -f cfg.json --config-value=prod' }, 'latest') });
    const runner = runnerFor(unknown.root);
    expect(runner.bookkeeping).toEqual(['public.section']);
    expect(runner.notices).toEqual([expect.stringContaining('cfg.json has a "prod" section: node-pg-migrate 8 and later read it, 7 and earlier the file\'s top level')]);
  });

  it('what pgdrift cannot read is a notice: a JS config file, a file only the shell knows, keys node-pg-migrate ignores', () => {
    const js = project({ 'package.json': pkg({ up: 'node-pg-migrate up -f migrate.config.js' }), 'migrate.config.js': 'module.exports = {}', 'migrations/1_a.sql': '' });
    expect(runnerFor(js.root).notices).toEqual(['package.json script "up": node-pg-migrate reads its settings from migrate.config.js (--config-file), a module pgdrift does not run: settings written there are left out']);
    const shell = project({ 'package.json': pkg({ up: 'node-pg-migrate up -f "$CONFIG"' }), 'migrations/1_a.sql': '' });
    expect(runnerFor(shell.root).notices).toEqual([expect.stringContaining('--config-file $CONFIG, a file only the shell knows')]);
    const camel = project({ 'package.json': pkg({ up: 'node-pg-migrate up -f cfg.json' }), 'cfg.json': '{"migrationsTable": "log", "single-transaction": false}', 'migrations/1_a.sql': '' });
    const runner = runnerFor(camel.root);
    expect(runner.bookkeeping).toEqual(['public.pgmigrations']);
    expect(runner.oneTransaction).toBe(true);
    expect(runner.notices).toEqual([
      expect.stringContaining('cfg.json "migrationsTable": node-pg-migrate does not read it from a config file (it reads "migrations-table")'),
      expect.stringContaining('cfg.json "single-transaction": node-pg-migrate does not read it from a config file (only the --single-transaction flag)'),
    ]);
    const table = project({ 'package.json': pkg({ up: 'node-pg-migrate up -t "$TABLE"' }), 'migrations/1_a.sql': '' });
    expect(runnerFor(table.root).notices).toEqual([expect.stringContaining('--migrations-table $TABLE, a value only the shell knows: pgdrift replays with the CLI\'s default')]);
  });

  it('a missing or broken config file is an error naming it, as node-pg-migrate stops on it', () => {
    const missing = project({ 'package.json': pkg({ up: 'node-pg-migrate up -f nope.json' }), 'migrations/1_a.sql': '' });
    expect(() => runnerFor(missing.root)).toThrow('nope.json: the config file node-pg-migrate is run with (--config-file nope.json) does not exist');
    const broken = project({ 'package.json': pkg({ up: 'node-pg-migrate up -f cfg.json' }), 'cfg.json': '{"schema": ', 'migrations/1_a.sql': '' });
    expect(() => runnerFor(broken.root)).toThrow('cfg.json: not JSON');
  });
});

describe('node-pg-migrate and the config package', () => {
  const withConfig = (scripts: Record<string, string>) => pkg(scripts, '^8.0.4', { config: '^3.3.0' });

  it('reads the "db" section of config/default.json and NODE_ENV\'s file over it; -f over both', () => {
    const p = project({
      'package.json': withConfig({ up: 'node-pg-migrate up -t flag' }),
      'config/default.json': '{\n  // the app\'s database\n  "db": {"url": "postgres://x", "migrations-table": "base", "schema": ["app", "public"]}\n}\n',
      'config/production.json': JSON.stringify({ db: { 'migrations-table': 'prod' } }),
      'migrations/1_a.sql': '',
    });
    const dev = runnerFor(p.root, 'migrations', { NODE_ENV: 'development' });
    expect(dev.bookkeeping).toEqual(['app.base']);
    expect(dev.bookkeepingSetup?.sql).toContain('SET search_path TO "app", "public"');
    expect(runnerFor(p.root, 'migrations', { NODE_ENV: 'production' }).bookkeeping).toEqual(['app.prod']);
    // NODE_ENV unset: node-config's default (development), and a notice naming the other environment's file
    expect(runnerFor(p.root).notices).toEqual([expect.stringContaining('config/production.json sets migrations-table for NODE_ENV=production (or a host of that name); NODE_ENV is not set')]);
    // .env is loaded before the config package (tryRequire('dotenv'), then tryRequire('config')), when dotenv loads
    p.write('.env', 'NODE_ENV=production\n');
    expect(runnerFor(p.root).notices).toContainEqual(expect.stringContaining('.env sets NODE_ENV, which node-pg-migrate loads only when the project can load dotenv'));
    p.write('package.json', pkg({ up: 'node-pg-migrate up -t flag' }, '^8.0.4', { config: '^3.3.0', dotenv: '^16.0.0' }));
    expect(runnerFor(p.root).bookkeeping).toEqual(['app.prod']);
    p.write('cfg.json', JSON.stringify({ 'migrations-table': 'file' }));
    p.write('package.json', pkg({ up: 'node-pg-migrate up -t flag -f cfg.json' }, '^8.0.4', { config: '^3.3.0', dotenv: '^16.0.0' }));
    expect(runnerFor(p.root).bookkeeping).toEqual(['app.file']);
  });

  it('then NODE_CONFIG, then custom-environment-variables.json (a variable set and not empty), as node-config merges them', () => {
    const p = project({
      'package.json': withConfig({ up: 'node-pg-migrate up' }),
      'config/default.json': JSON.stringify({ db: { 'migrations-table': 'base' } }),
      'config/custom-environment-variables.json': JSON.stringify({ db: { 'migrations-table': 'MIGRATIONS_TABLE', schema: { __name: 'SCHEMAS', __format: 'json' } } }),
      'migrations/1_a.sql': '',
    });
    const NODE_CONFIG = JSON.stringify({ db: { 'migrations-table': 'node_config' } });
    expect(runnerFor(p.root, 'migrations', { NODE_ENV: 'test', NODE_CONFIG }).bookkeeping).toEqual(['public.node_config']);
    expect(runnerFor(p.root, 'migrations', { NODE_ENV: 'test', NODE_CONFIG, MIGRATIONS_TABLE: '' }).bookkeeping).toEqual(['public.node_config']);
    expect(runnerFor(p.root, 'migrations', { NODE_ENV: 'test', NODE_CONFIG, MIGRATIONS_TABLE: 'from_env', SCHEMAS: '["app"]' }).bookkeeping).toEqual(['app.from_env']);
  });

  it('without a package.json script, the CLI run in the project root reads the config package (folder included)', async () => {
    const p = project({
      'package.json': JSON.stringify({ dependencies: { config: '^3.3.0', 'node-pg-migrate': '^8.0.4' } }),
      'config/default.json': JSON.stringify({ db: { 'migrations-dir': 'db/sql', 'migrations-table': 'history' } }),
      'db/sql/1_items.sql': '-- Up Migration\nCREATE TABLE items (id int PRIMARY KEY);\n',
    });
    expect(nodePgMigrate.configuredFolders!(`${p.root}/migrations`, { projectRoot: p.root, env: {} })).toEqual({
      setting: 'config/ (config package, "db", NODE_ENV development) "migrations-dir": db/sql (node-pg-migrate\'s config, for the project root (no package.json script runs node-pg-migrate))',
      folders: [`${p.root}/db/sql`],
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.sql).toContain('CREATE TABLE public.items (');
    expect(result.sql).toContain('CREATE TABLE public.history (');
    // a project without node-pg-migrate: its app's config/ is none of the runner's business
    p.write('package.json', JSON.stringify({ dependencies: { config: '^3.3.0' } }));
    expect(nodePgMigrate.configuredFolders!(`${p.root}/migrations`, { projectRoot: p.root, env: {} })).toBeUndefined();
  });

  it('config/ files in a project that does not depend on the config package are left out, with a notice; YAML ones too', () => {
    const unloaded = project({ 'package.json': pkg({ up: 'node-pg-migrate up' }), 'config/default.json': JSON.stringify({ db: { 'migrations-table': 'x' } }), 'migrations/1_a.sql': '' });
    const runner = runnerFor(unloaded.root);
    expect(runner.bookkeeping).toEqual(['public.pgmigrations']);
    expect(runner.notices).toEqual([expect.stringContaining('config/default.json has a "db" section, which node-pg-migrate reads through the config package; the project does not depend on "config"')]);
    const yaml = project({ 'package.json': withConfig({ up: 'node-pg-migrate up' }), 'config/default.yml': 'db:\n  migrations-table: x\n', 'migrations/1_a.sql': '' });
    expect(runnerFor(yaml.root, 'migrations', { NODE_ENV: 'test' }).notices).toEqual([expect.stringContaining('config/default.yml is read by the config package')]);
  });
});

describe('node-pg-migrate SQL files and order, against its source', () => {
  it('a CRLF file: the line before the Down marker is in the up part, the line before the Up marker is not', () => {
    // lines: 0 a comment, 1 up marker, 2 CREATE, 3 down marker, 4 DROP
    const text = '-- header\r\n-- Up Migration\r\nCREATE TABLE a (id int);\r\n-- Down Migration\r\nDROP TABLE a;\r\n';
    expect(planNodePgMigrate(text).parts).toEqual([{ startLine: 1, endLine: 3, transaction: 'wrapped' }]);
    const code = 'SELECT 1;\r\n-- Up Migration\r\nCREATE TABLE a (id int);\r\n';
    expect(planNodePgMigrate(code).parts[0].startLine).toBe(1);
  });

  it('before v9 the number is the part before the first "_": other names sort as 0 and run first; v9 takes the leading digits', () => {
    const files = { 'migrations/3_b.sql': '', 'migrations/5-a.sql': '', 'migrations/init.sql': '' };
    const v7 = project({ ...files, 'package.json': pkg({ up: 'node-pg-migrate up' }, '^7.9.1') });
    const found = runnerFor(v7.root).discover(`${v7.root}/migrations`);
    expect(found.migrations.map((m) => m.name)).toEqual(['5-a.sql', 'init.sql', '3_b.sql']);
    expect(found.problems).toEqual([]);
    const v9 = project({ ...files, 'package.json': pkg({ up: 'node-pg-migrate up' }, '9.0.0') });
    const newer = runnerFor(v9.root).discover(`${v9.root}/migrations`);
    expect(newer.migrations.map((m) => m.name)).toEqual(['3_b.sql', '5-a.sql']);
    expect(newer.problems).toEqual([expect.stringContaining('init.sql: Cannot determine numeric prefix')]);
    const unknown = project({ ...files, 'package.json': JSON.stringify({ scripts: { up: 'npx node-pg-migrate up' } }) });
    expect(runnerFor(unknown.root).notices).toEqual([expect.stringContaining('node-pg-migrate before 9 orders these files differently')]);
  });

  it('an empty ignore pattern is the default one (files starting with a dot)', () => {
    const p = project({ 'package.json': pkg({ up: "node-pg-migrate up --ignore-pattern ''" }), 'migrations/1_a.sql': '', 'migrations/.keep': '' });
    expect(runnerFor(p.root).discover(`${p.root}/migrations`)).toEqual({ migrations: [{ name: '1_a.sql', version: '1' }], ignored: [], problems: [] });
  });
});
