import { execFileSync } from 'node:child_process';
import { beforeAll, expect } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { adminQuery, serverDescribe, serverTest, SERVER_URL } from '../helpers/postgres.js';
import { tempProjects } from '../helpers/project.js';

/**
 * The sql-migrate runner replayed on PGlite against what psql gives on the local server for the statements
 * `sql-migrate up` sends (rubenv/sql-migrate@563a2f0 migrate.go applyMigrations: gorp's table first, then each
 * migration in Migration.Less order, its Up statements in one transaction unless `notransaction`).
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

const FILES = {
  'migrations/1_users.sql': '-- +migrate Up\n-- the users\ncreate table users (id int primary key, name text);\n\n-- +migrate Down\ndrop table users;\n',
  // numbered 10: after 2 (numbers compare as numbers, not as names)
  'migrations/10_orders_index.sql': '-- +migrate Up notransaction\ncreate index concurrently orders_user on orders (user_id);\n\n-- +migrate Down\ndrop index orders_user;\n',
  'migrations/2_orders.sql':
    '-- +migrate Up\ncreate table orders (id int primary key, user_id int references users);\n-- +migrate StatementBegin\ncreate function order_count(u int) returns bigint as $$\nbegin\n-- sql-migrate drops this line\n  return (select count(*) from orders where user_id = u);\nend $$ language plpgsql;\n-- +migrate StatementEnd\n-- +migrate Down\ndrop function order_count(int);\ndrop table orders;\n',
  // no number: after every numbered one
  'migrations/seed_views.sql': '-- +migrate Up\ncreate view user_orders as select u.id, order_count(u.id) as orders from users u;\n-- +migrate Down\ndrop view user_orders;\n',
};

/** What sql-migrate sends, in its order, as psql runs it (ON_ERROR_STOP; BEGIN/COMMIT where sql-migrate opens a transaction). */
const SENT = [
  'create table if not exists "gorp_migrations" ("id" text not null primary key, "applied_at" timestamp with time zone) ;',
  'BEGIN;',
  'create table users (id int primary key, name text);',
  "insert into gorp_migrations values ('1_users.sql', now());",
  'COMMIT;',
  'BEGIN;',
  'create table orders (id int primary key, user_id int references users);',
  'create function order_count(u int) returns bigint as $$\nbegin\n  return (select count(*) from orders where user_id = u);\nend $$ language plpgsql;',
  "insert into gorp_migrations values ('2_orders.sql', now());",
  'COMMIT;',
  'create index concurrently orders_user on orders (user_id);',
  "insert into gorp_migrations values ('10_orders_index.sql', now());",
  'BEGIN;',
  'create view user_orders as select u.id, order_count(u.id) as orders from users u;',
  "insert into gorp_migrations values ('seed_views.sql', now());",
  'COMMIT;',
].join('\n');

function psqlDump(sql: string): string {
  const db = `pgdrift_sqlmigrate_${process.pid}`;
  const url = new URL(SERVER_URL);
  const conn = ['-h', url.hostname, '-p', url.port || '5432', '-U', url.username || 'postgres'];
  execFileSync('createdb', [...conn, db]);
  try {
    execFileSync('psql', [...conn, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db], { input: sql });
    return execFileSync('pg_dump', [...conn, '-s', '--no-owner', db], { encoding: 'utf8' });
  } finally {
    execFileSync('dropdb', [...conn, db]);
  }
}

serverDescribe('sql-migrate replay against psql', () => {
  serverTest('PGlite replays what sql-migrate sends: check against the psql dump (gorp_migrations in it) is clean', async () => {
    const p = project({ ...FILES, 'docs/architecture/schema-actual-2024-01-01.sql': psqlDump(SENT) });
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.report.migrationFailures).toEqual([]);
    expect(replayed.sql).toContain('CREATE TABLE public.gorp_migrations');
    // the comment line sqlparse drops is not in the function body
    expect(replayed.sql).not.toContain('sql-migrate drops this line');
    const result = await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false });
    expect(result.drift).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  serverTest('a snapshot that lacks what a later Up section makes is drift, never clean', async () => {
    const p = project({ ...FILES, 'docs/architecture/schema-actual-2024-01-01.sql': psqlDump(SENT.replace(/BEGIN;\ncreate view[^]*$/, '')) });
    const result = await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false });
    expect(result.exitCode).not.toBe(0);
    expect(JSON.stringify(result.drift)).toContain('user_orders');
  });

  serverTest('the Down sections never run (the numbered fallback replayed them: an empty schema)', async () => {
    const p = project({ 'migrations/1_a.sql': '-- +migrate Up\ncreate table a (id int);\n-- +migrate Down\ndrop table a;\n', 'migrations/2_b.sql': '-- +migrate Up\ncreate table b (id int);\n-- +migrate Down\ndrop table b;\n' });
    const replayed = await dump({ cwd: p.root, engine: 'server', databaseUrl: SERVER_URL, noCache: true });
    expect(replayed.sql).toContain('CREATE TABLE public.a');
    expect(replayed.sql).toContain('CREATE TABLE public.b');
    expect(await adminQuery(`SELECT 1 FROM pg_database WHERE datname = 'pgdrift_sqlmigrate_${process.pid}'`)).toEqual([]);
  });
});
