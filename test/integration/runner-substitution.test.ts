import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { runCli } from '../helpers/cli.js';
import { SERVER_URL, serverTest } from '../helpers/postgres.js';

/**
 * Flyway `${placeholder}` replacement and goose `-- +goose ENVSUB ON`: the replaced text runs (PGlite and the local
 * server), and every position reported is still the file's own line:column.
 */
const roots: string[] = [];
const setEnv: string[] = [];

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-subst-'));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

function env(name: string, value: string): void {
  process.env[name] = value;
  setEnv.push(name);
}

const flywayConfig = (extra: Record<string, unknown> = {}) => JSON.stringify({ runner: 'flyway', migrations: 'db/migration', ...extra });
const gooseConfig = JSON.stringify({ runner: 'goose', migrations: 'migrations' });
const failures = (result: Awaited<ReturnType<typeof dump>>) => result.report.migrationFailures.map((f) => [f.file, f.line, f.column, f.sqlstate]);

beforeAll(loadSqlParser);
afterEach(() => {
  for (const name of setEnv.splice(0)) delete process.env[name];
});
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('flyway placeholders', () => {
  it('takes values from pgdrift config, flyway.conf and FLYWAY_PLACEHOLDERS_* (env over conf, config over both), names case-insensitive', async () => {
    env('FLYWAY_PLACEHOLDERS_ENVNAME', 'from_env');
    env('FLYWAY_PLACEHOLDERS_BOTH', 'env_wins');
    const root = project({
      'pgdrift.config.json': flywayConfig({ placeholders: { fromConfig: 'from_config', overridden: 'config_wins' } }),
      'flyway.conf': 'flyway.placeholders.confName=from_conf\nflyway.placeholders.both=conf_loses\nflyway.placeholders.overridden=conf_loses\n',
      'db/migration/V1__init.sql':
        'CREATE TABLE ${FROMCONFIG} (id int);\nCREATE TABLE ${confname} (id int);\nCREATE TABLE ${envname} (id int);\nCREATE TABLE ${both} (id int);\nCREATE TABLE ${overridden} (id int);\n',
    });
    const result = await dump({ cwd: root, engine: 'pglite' });
    expect(failures(result)).toEqual([]);
    for (const table of ['from_config', 'from_conf', 'from_env', 'env_wins', 'config_wins']) expect(result.sql).toContain(`CREATE TABLE public.${table} (`);
    expect(result.sql).not.toContain('conf_loses');
  });

  it('reads conf/flyway.conf and flyway.toml too', async () => {
    const root = project({
      'pgdrift.config.json': flywayConfig(),
      'conf/flyway.conf': 'flyway.placeholders.a=from_conf_dir\n',
      'flyway.toml': '[flyway]\nlocations = ["filesystem:db/migration"]\n\n[flyway.placeholders]\nb = "from_toml"\n',
      'db/migration/V1__init.sql': 'CREATE TABLE ${a} (id int);\nCREATE TABLE ${b} (id int);\n',
    });
    const result = await dump({ cwd: root, engine: 'pglite' });
    expect(failures(result)).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.from_conf_dir (');
    expect(result.sql).toContain('CREATE TABLE public.from_toml (');
  });

  it('gives the built-ins replay values: defaultSchema, user, filename, table, environment', async () => {
    const root = project({
      'pgdrift.config.json': flywayConfig(),
      'flyway.conf': 'flyway.defaultSchema=app\n',
      'db/migration/V1__init.sql': [
        // Flyway has created its default schema before the first migration (DbSchemas): IF NOT EXISTS, as projects write it
        'CREATE SCHEMA IF NOT EXISTS ${flyway:defaultSchema};',
        "CREATE TABLE ${flyway:defaultSchema}.t (f text DEFAULT '${flyway:filename}', h text DEFAULT '${flyway:table}', e text DEFAULT '${flyway:environment}', s text DEFAULT '${flyway:timestamp}');",
        'ALTER TABLE app.t OWNER TO ${flyway:user};',
        '',
      ].join('\n'),
    });
    const result = await dump({ cwd: root, engine: 'pglite' });
    expect(failures(result)).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE app.t (');
    expect(result.sql).toContain("'V1__init.sql'::text");
    expect(result.sql).toContain("'flyway_schema_history'::text");
    expect(result.sql).toContain("'default'::text");
    expect(result.sql).toMatch(/'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d'::text/);
  });

  // ${flyway:database} is the database Flyway migrates: in the replay, the replay's own (on a server the throwaway
  // one, named before discovery; 'postgres' there named the server's own database, which ALTER DATABASE is refused on)
  for (const engine of ['pglite', 'server'] as const) {
    (engine === 'server' ? serverTest : it)(`\${flyway:database} names the replay database (${engine})`, async () => {
      const root = project({
        'pgdrift.config.json': flywayConfig(),
        'db/migration/V1__init.sql': "ALTER DATABASE ${flyway:database} SET statement_timeout = '5s';\nCREATE TABLE t (d text DEFAULT '${flyway:database}');\n",
      });
      const result = await dump({ cwd: root, engine, noCache: true, ...(engine === 'server' ? { databaseUrl: SERVER_URL } : {}) });
      expect(failures(result)).toEqual([]);
      // the server engine's dump names its throwaway role and database `postgres`, as the embedded engine's are
      expect(result.sql).toContain("d text DEFAULT 'postgres'::text");
    });
  }

  // the CLI starts the server's throwaway database before discovery (prestartEngine): its name is the one replaced
  serverTest('${flyway:database} names the database the CLI started early (server)', async () => {
    const root = project({
      'pgdrift.config.json': flywayConfig(),
      'db/migration/V1__init.sql': "ALTER DATABASE ${flyway:database} SET statement_timeout = '5s';\nCREATE TABLE t (id int);\n",
    });
    const result = await runCli(['dump', '--engine', 'server', '--database-url', SERVER_URL, '--no-cache'], { cwd: root });
    expect(result.stderr).not.toContain('must be owner');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('CREATE TABLE public.t (');
  });

  it('leaves the text alone with placeholderReplacement=false (global, or in the script config)', async () => {
    const root = project({
      'pgdrift.config.json': flywayConfig(),
      'flyway.conf': 'flyway.placeholderReplacement=false\n',
      'db/migration/V1__init.sql': "CREATE TABLE t (v text DEFAULT '${not_a_placeholder}');\n",
    });
    const result = await dump({ cwd: root, engine: 'pglite' });
    expect(failures(result)).toEqual([]);
    expect(result.sql).toContain("'${not_a_placeholder}'::text");
    const perScript = project({
      'pgdrift.config.json': flywayConfig(),
      'db/migration/V1__init.sql': "CREATE TABLE t (v text DEFAULT '${kept}');\n",
      'db/migration/V1__init.sql.conf': 'placeholderReplacement=false\n',
    });
    expect((await dump({ cwd: perScript, engine: 'pglite' })).sql).toContain("'${kept}'::text");
  });

  it('refuses a placeholder with no value at its file:line:column, in a comment too (Flyway replaces everywhere)', async () => {
    const root = project({
      'pgdrift.config.json': flywayConfig(),
      'db/migration/V1__init.sql': 'CREATE TABLE a (id int);\n-- owner: ${nope}\nCREATE TABLE b (id int);\n',
    });
    const result = await dump({ cwd: root, engine: 'pglite', keepGoing: true });
    expect(failures(result)).toEqual([['db/migration/V1__init.sql', 2, 11, '42601']]);
    expect(result.report.migrationFailures[0].message).toContain('No value provided for placeholder: ${nope}');
    const builtIn = project({ 'pgdrift.config.json': flywayConfig(), 'db/migration/V1__init.sql': 'SELECT 1;\n  SELECT ${flyway:nothing};\n' });
    const r2 = await dump({ cwd: builtIn, engine: 'pglite', keepGoing: true });
    expect(failures(r2)).toEqual([['db/migration/V1__init.sql', 2, 10, '42601']]);
    expect(r2.report.migrationFailures[0].message).toContain('Failed to populate value for default placeholder: ${flyway:nothing}');
  });

  // `${long}` (7 characters) becomes 29, `${s}` (4) becomes 1: the failing statement (ALTER: no position from Postgres) and the
  // failing name (SELECT: Postgres's position) stay at their columns in the file.
  const shifted = {
    'pgdrift.config.json': flywayConfig({ placeholders: { long: 'a_table_with_a_much_longer_nm', s: 'b' } }),
    'db/migration/V1__init.sql': 'CREATE TABLE ${long} (id int); CREATE TABLE ${s} (id int); ALTER TABLE missing ADD x int;\n',
    'db/migration/V2__next.sql': 'CREATE TABLE ${long} (id int);\n\n  SELECT ${long}.id, nope FROM ${long};\n',
  };
  it('reports a failure after a replaced placeholder at the column of the file as written (PGlite)', async () => {
    const result = await dump({ cwd: project(shifted), engine: 'pglite', keepGoing: true });
    expect(failures(result)).toEqual([
      ['db/migration/V1__init.sql', 1, 60, '42P01'],
      ['db/migration/V2__next.sql', 3, 22, '42703'],
    ]);
  });
  serverTest('reports a failure after a replaced placeholder at the column of the file as written (server)', async () => {
    const result = await dump({ cwd: project(shifted), engine: 'server', databaseUrl: SERVER_URL, keepGoing: true });
    expect(failures(result)).toEqual([
      ['db/migration/V1__init.sql', 1, 60, '42P01'],
      ['db/migration/V2__next.sql', 3, 22, '42703'],
    ]);
  });
});

describe('goose ENVSUB', () => {
  it('expands ${VAR}, $VAR, ${VAR:-default} and unset variables (empty) between ENVSUB ON and OFF only', async () => {
    env('PGDRIFT_TEST_TABLE', 'from_env');
    env('PGDRIFT_TEST_EMPTY', '');
    const root = project({
      'pgdrift.config.json': gooseConfig,
      'migrations/1_init.sql': [
        '-- +goose Up',
        '-- +goose ENVSUB ON',
        'CREATE TABLE ${PGDRIFT_TEST_TABLE} (id int);',
        'CREATE TABLE $PGDRIFT_TEST_TABLE${PGDRIFT_TEST_UNSET}_2 (id int);',
        'CREATE TABLE ${PGDRIFT_TEST_UNSET:-dflt} (id int);',
        'CREATE TABLE ${PGDRIFT_TEST_EMPTY:-empty_dflt} (id int);',
        'CREATE TABLE x${PGDRIFT_TEST_EMPTY-unset_only} (id int);',
        '-- +goose ENVSUB OFF',
        "CREATE TABLE kept (v text DEFAULT '${PGDRIFT_TEST_TABLE}');",
        '-- +goose Down',
        'DROP TABLE from_env;',
        '',
      ].join('\n'),
    });
    const result = await dump({ cwd: root, engine: 'pglite' });
    expect(failures(result)).toEqual([]);
    for (const table of ['from_env', 'from_env_2', 'dflt', 'empty_dflt', 'x']) expect(result.sql).toContain(`CREATE TABLE public.${table} (`);
    expect(result.sql).toContain("'${PGDRIFT_TEST_TABLE}'::text");
  });

  it('reports a failure after an expanded variable at the column of the file as written', async () => {
    env('PGDRIFT_TEST_LONG', 'a_much_longer_table_name_here');
    const root = project({
      'pgdrift.config.json': gooseConfig,
      'migrations/1_init.sql': '-- +goose Up\n-- +goose ENVSUB ON\nCREATE TABLE ${PGDRIFT_TEST_LONG} (id int); ALTER TABLE missing ADD x int;\n',
    });
    const result = await dump({ cwd: root, engine: 'pglite', keepGoing: true });
    expect(failures(result)).toEqual([['migrations/1_init.sql', 3, 45, '42P01']]);
  });

  it('stops where goose stops: a $ that starts no variable ($1) inside ENVSUB ON, at its line:column', async () => {
    const root = project({
      'pgdrift.config.json': gooseConfig,
      'migrations/1_init.sql': '-- +goose Up\n-- +goose ENVSUB ON\nCREATE TABLE a (id int);\nSELECT $1;\n',
    });
    const result = await dump({ cwd: root, engine: 'pglite', keepGoing: true });
    expect(failures(result)).toEqual([['migrations/1_init.sql', 4, 8, '42601']]);
    expect(result.report.migrationFailures[0].message).toContain('variable substitution failed');
  });
});
