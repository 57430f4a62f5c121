import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { adminQuery, SERVER_URL, serverDescribe, serverTest } from '../helpers/postgres.js';
import { tempProject } from '../helpers/project.js';

// Field report: on a Diesel repository (migrations/<version>_<name>/up.sql + down.sql, diesel.toml) pgdrift said
// "no migrations ... its .sql files are one folder down" and hinted to point --migrations at one version folder, which
// would replay up.sql AND down.sql. The committed snapshot here is a pg_dump of a database Diesel's way applied
// (diesel-rs/diesel 2.3.x: __diesel_schema_migrations first, each up.sql in BEGIN ... COMMIT with its history row,
// run_in_transaction = false as one query): `pgdrift check` must replay only the up.sql files and find it clean.
const INITIAL_SETUP = `CREATE OR REPLACE FUNCTION diesel_manage_updated_at(_tbl regclass) RETURNS VOID AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER set_updated_at BEFORE UPDATE ON %s
                    FOR EACH ROW EXECUTE PROCEDURE diesel_set_updated_at()', _tbl);
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION diesel_set_updated_at() RETURNS trigger AS $$
BEGIN
    IF (
        NEW IS DISTINCT FROM OLD AND
        NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at
    ) THEN
        NEW.updated_at := current_timestamp;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
`;
const MIGRATIONS: [string, string, string, string?][] = [
  ['00000000000000_diesel_initial_setup', INITIAL_SETUP, 'DROP FUNCTION IF EXISTS diesel_manage_updated_at(_tbl regclass);\nDROP FUNCTION IF EXISTS diesel_set_updated_at();\n'],
  ['2024-01-01-120000_create_users', "-- Your SQL goes here\nCREATE TABLE users (id SERIAL PRIMARY KEY, name VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL DEFAULT NOW());\nSELECT diesel_manage_updated_at('users');\n", 'DROP TABLE users;\n'],
  ['2024-01-02-120000-0000_create_posts', '-- Your SQL goes here\nCREATE TABLE posts (id SERIAL PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), title VARCHAR NOT NULL);\n', 'DROP TABLE posts;\n'],
  ['2024-01-03-120000-0000_posts_user_index', 'CREATE INDEX CONCURRENTLY posts_user_id_idx ON posts (user_id);\n', 'DROP INDEX posts_user_id_idx;\n', 'run_in_transaction = false\n'],
];
const files: Record<string, string> = { 'diesel.toml': '[print_schema]\nfile = "src/schema.rs"\n\n[migrations_directory]\ndir = "migrations"\n', 'Cargo.toml': '[package]\nname = "app"\n\n[dependencies]\ndiesel = { version = "2.3", features = ["postgres"] }\ndiesel_migrations = "2.3"\n' };
for (const [folder, up, down, metadata] of MIGRATIONS) {
  files[`migrations/${folder}/up.sql`] = up;
  files[`migrations/${folder}/down.sql`] = down;
  if (metadata) files[`migrations/${folder}/metadata.toml`] = metadata;
}
const project = tempProject(files);
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-diesel-cache-'));
const env = { PGDRIFT_CACHE_DIR: cacheDir };
const database = `diesel_field_${process.pid}`;
const base = SERVER_URL.replace(/\/[^/]*$/, '');

afterAll(async () => {
  project.cleanup();
  rmSync(cacheDir, { recursive: true, force: true });
  await adminQuery(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
});

serverDescribe('a Diesel project', () => {
  beforeAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${database}`);
    await adminQuery(`CREATE DATABASE ${database}`);
    const psql = (sql: string) => execFileSync('/usr/lib/postgresql/15/bin/psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', `${base}/${database}`, '-c', sql], { stdio: 'pipe' });
    psql('CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);');
    for (const [folder, up, , metadata] of MIGRATIONS) {
      const version = folder.split('_')[0].replace(/-/g, '');
      if (metadata) {
        psql(up);
        psql(`INSERT INTO __diesel_schema_migrations (version) VALUES ('${version}')`);
      } else psql(`BEGIN;\n${up}\nINSERT INTO __diesel_schema_migrations (version) VALUES ('${version}');\nCOMMIT;`);
    }
    const snapshot = execFileSync('/usr/lib/postgresql/15/bin/pg_dump', ['--schema-only', '--no-owner', '-d', `${base}/${database}`], { encoding: 'utf8' });
    project.write('docs/architecture/schema-actual-2026-01-01.sql', snapshot);
  }, 60_000);

  serverTest('check: detected as Diesel, only up.sql replayed, no drift against the team database dump', async () => {
    const result = await runCli(['check', '-C', project.root, '--no-lint', '--format', 'json'], { env });
    expect(result.stderr).toContain('runner diesel detected in migrations/: <version>_<name>/up.sql folders beside diesel.toml');
    expect(result.stderr).not.toContain('one folder down');
    const report = JSON.parse(result.stdout);
    expect(report.drift).toEqual([]);
    expect(report.skippedFiles).toBeUndefined(); // down.sql is never applied, by design: no notice
    expect(result.code).toBe(0);
  }, 120_000);

  serverTest('dump: the history table first, then each up.sql in version order; a change to an up.sql is drift', async () => {
    const dumped = await runCli(['dump', '-C', project.root, '--format', 'json'], { env });
    expect(dumped.code).toBe(0);
    const report = JSON.parse(dumped.stdout);
    expect(report.files.map((f: { file: string }) => f.file)).toEqual(['pgdrift:diesel-bookkeeping.sql', ...MIGRATIONS.map(([folder]) => `migrations/${folder}/up.sql`)]);
    const sql = (await runCli(['dump', '-C', project.root], { env })).stdout;
    expect(sql).toContain('CREATE TABLE public.posts (');
    expect(sql).toContain('CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.users');
    expect(sql).toContain('CREATE INDEX posts_user_id_idx ON public.posts USING btree (user_id);');
    const upFile = path.join(project.root, 'migrations/2024-01-02-120000-0000_create_posts/up.sql');
    const before = readFileSync(upFile, 'utf8');
    project.write('migrations/2024-01-02-120000-0000_create_posts/up.sql', before.replace('title VARCHAR NOT NULL', 'title VARCHAR NOT NULL, body TEXT'));
    const drifted = await runCli(['check', '-C', project.root, '--no-lint', '--format', 'json'], { env });
    expect(drifted.code).toBe(1);
    expect(JSON.stringify(JSON.parse(drifted.stdout).drift)).toContain('body');
    project.write('migrations/2024-01-02-120000-0000_create_posts/up.sql', before);
  }, 120_000);
});
