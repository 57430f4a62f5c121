import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { adminQuery, SERVER_URL, serverDescribe, serverTest } from '../helpers/postgres.js';
import { tempProject } from '../helpers/project.js';

// Field report: a Hasura project (hasura/config.yaml, config v3: hasura/migrations/default/<version>_<name>/up.sql +
// down.sql) was not found from its root ("no migrations folder found"); pointed at migrations/default it was taken for
// Diesel, which orders the versions as text and adds __diesel_schema_migrations to public. The committed snapshot here
// is a pg_dump of a database the Hasura CLI's way applied (hasura/graphql-engine cli/migrate: versions as integers,
// each up.sql one run_sql request the server runs in BEGIN ... COMMIT, `-- hasura:no-transaction` without one; the
// server's hdb_catalog schema with the CLI's schema_migrations table, an event trigger's trigger on a table): `pgdrift
// check` must replay only the up.sql
// files, on PGlite, and find it clean.
const MIGRATIONS: [string, string, string][] = [
  // version 1 is applied first: 1 < 1654696186008 as integers, though "1_" sorts after "1654..." as text
  ['1_init', 'CREATE TABLE public.users (id serial PRIMARY KEY, name text NOT NULL);\n', 'DROP TABLE public.users;\n'],
  ['1654696186008_create_table_public_posts', 'CREATE TABLE public.posts (id serial PRIMARY KEY, user_id integer NOT NULL REFERENCES public.users (id), title text NOT NULL);\n', 'DROP TABLE public.posts;\n'],
  ['1654698227514_posts_user_index', '-- hasura:no-transaction\nCREATE INDEX CONCURRENTLY posts_user_id_idx ON public.posts (user_id);\n', 'DROP INDEX public.posts_user_id_idx;\n'],
];
const files: Record<string, string> = {
  'hasura/config.yaml': 'version: 3\nendpoint: http://localhost:8080\nmetadata_directory: metadata\nactions:\n  kind: synchronous\n  handler_webhook_baseurl: http://localhost:3000\n',
  'hasura/metadata/databases/databases.yaml': '- name: default\n  kind: postgres\n  configuration:\n    connection_info:\n      database_url:\n        from_env: HASURA_GRAPHQL_DATABASE_URL\n  tables: "!include default/tables/tables.yaml"\n',
  'hasura/metadata/databases/default/tables/tables.yaml': '[]\n',
};
for (const [folder, up, down] of MIGRATIONS) {
  files[`hasura/migrations/default/${folder}/up.sql`] = up;
  files[`hasura/migrations/default/${folder}/down.sql`] = down;
}
const project = tempProject(files);
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-hasura-cache-'));
const env = { PGDRIFT_CACHE_DIR: cacheDir };
const database = `hasura_field_${process.pid}`;
const base = SERVER_URL.replace(/\/[^/]*$/, '');

afterAll(async () => {
  project.cleanup();
  rmSync(cacheDir, { recursive: true, force: true });
  await adminQuery(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
});

serverDescribe('a Hasura project', () => {
  beforeAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${database}`);
    await adminQuery(`CREATE DATABASE ${database}`);
    const psql = (sql: string) => execFileSync('/usr/lib/postgresql/15/bin/psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', `${base}/${database}`, '-c', sql], { stdio: 'pipe' });
    // the server's catalog, and the CLI's state table in it (migration_state_sql.go PrepareMigrationsStateStore)
    // (setting it up, the server creates pgcrypto in public: server/src-lib/Hasura/Server/Migrate.hs initialize)
    psql('CREATE SCHEMA hdb_catalog; CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA public; CREATE TABLE hdb_catalog.hdb_version (hasura_uuid uuid PRIMARY KEY, version text NOT NULL, cli_state jsonb NOT NULL DEFAULT \'{}\'::jsonb);');
    psql('CREATE TABLE hdb_catalog.schema_migrations (version bigint not null primary key, dirty boolean not null)');
    for (const [folder, up] of MIGRATIONS) {
      const version = folder.split('_')[0];
      if (up.startsWith('-- hasura:no-transaction')) psql(up);
      else psql(`BEGIN;\n${up}\nCOMMIT;`);
      psql(`INSERT INTO hdb_catalog.schema_migrations (version, dirty) VALUES (${version}, false)`);
    }
    // an event trigger of the metadata: the server's trigger on the table, calling its function in hdb_catalog
    // (server/src-lib/Hasura/Backends/Postgres/DDL/EventTrigger.hs: notify_hasura_<name>_<OP>)
    psql('CREATE FUNCTION hdb_catalog."notify_hasura_users_all_INSERT"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;');
    psql('CREATE TRIGGER "notify_hasura_users_all_INSERT" AFTER INSERT ON public.users FOR EACH ROW EXECUTE FUNCTION hdb_catalog."notify_hasura_users_all_INSERT"();');
    const snapshot = execFileSync('/usr/lib/postgresql/15/bin/pg_dump', ['--schema-only', '--no-owner', '-d', `${base}/${database}`], { encoding: 'utf8' });
    project.write('docs/architecture/schema-actual-2026-01-01.sql', snapshot);
  }, 60_000);

  serverTest('check from the project root: detected as Hasura in hasura/migrations/default, only up.sql replayed in version order, no drift', async () => {
    const result = await runCli(['check', '-C', project.root, '--no-lint', '--format', 'json'], { env });
    expect(result.stderr).toContain('runner hasura detected in hasura/migrations/default/: Hasura migrations beside hasura/config.yaml (config v3)');
    const report = JSON.parse(result.stdout);
    expect(report.drift).toEqual([]);
    expect(report.skippedFiles).toBeUndefined(); // down.sql is never applied, by design: no notice
    // -- hasura:no-transaction is replayed as run_sql's no_transaction flag: an assumption, so not a clean pass yet
    expect(report.notices).toEqual([expect.stringContaining('1654698227514_posts_user_index/up.sql starts with `-- hasura:no-transaction`')]);
    expect(result.code).toBe(1);
    const accepted = await runCli(['check', '-C', project.root, '--no-lint', '--accept-assumptions', '--format', 'json'], { env });
    expect(JSON.parse(accepted.stdout).drift).toEqual([]);
    expect(accepted.code).toBe(0);
  }, 120_000);

  serverTest('dump: each up.sql in integer version order, nothing of Diesel; a change to an up.sql is drift', async () => {
    const dumped = await runCli(['dump', '-C', project.root, '--format', 'json'], { env });
    expect(dumped.code).toBe(0);
    // the server's catalog setup first (pgcrypto), then each up.sql
    expect(JSON.parse(dumped.stdout).files.map((f: { file: string }) => f.file)).toEqual(['pgdrift:hasura-bookkeeping.sql', ...MIGRATIONS.map(([folder]) => `hasura/migrations/default/${folder}/up.sql`)]);
    const sql = (await runCli(['dump', '-C', project.root], { env })).stdout;
    expect(sql).toContain('CREATE INDEX posts_user_id_idx ON public.posts USING btree (user_id);');
    expect(sql).not.toContain('__diesel_schema_migrations');
    const upFile = path.join(project.root, 'hasura/migrations/default/1654696186008_create_table_public_posts/up.sql');
    const before = readFileSync(upFile, 'utf8');
    project.write('hasura/migrations/default/1654696186008_create_table_public_posts/up.sql', before.replace('title text NOT NULL', 'title text NOT NULL, body text'));
    const drifted = await runCli(['check', '-C', project.root, '--no-lint', '--accept-assumptions', '--format', 'json'], { env });
    expect(drifted.code).toBe(1);
    expect(JSON.stringify(JSON.parse(drifted.stdout).drift)).toContain('body');
    project.write('hasura/migrations/default/1654696186008_create_table_public_posts/up.sql', before);
  }, 120_000);
});
