import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';
import { SERVER_URL } from '../helpers/server-url.js';

// Field report: MattDevy/brownbag-outbox-pattern (sql-migrate, dbconfig.yml `dbname=brownbag`) starts its history
// with `ALTER DATABASE brownbag SET timezone TO 'UTC'`. sql-migrate, connected to brownbag, applies it; pgdrift's
// replay runs in a throwaway database of another name and stopped there (`database "brownbag" does not exist`), so
// the project could not be checked at all. What such a statement sets is not part of the schema pg_dump prints (nor
// of the replay's session): the replay now leaves it out, blanked in place, and says so once, in the output and JSON.
const project = tempProjects();

const sqlMigrate = (dbname: string, up: string) => ({
  'dbconfig.yml': `development:\n  dialect: postgres\n  datasource: host=127.0.0.1 dbname=${dbname} sslmode=disable\n  dir: migrations\n`,
  'migrations/20240101000000-init.sql': `-- +migrate Up\n${up}-- +migrate Down\nDROP TABLE orders;\n`,
});

describe('a migration that acts on the team database by its name', () => {
  it('replays: the statement is left out, the rest applies, and it is said once with its place (embedded engine)', async () => {
    const p = project(sqlMigrate('shop', "CREATE TABLE orders (id bigint PRIMARY KEY);\n\nALTER DATABASE shop SET timezone TO 'UTC';\nCREATE TABLE lines (id bigint);\n"));
    const notices: string[] = [];
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.orders');
    expect(result.sql).toContain('CREATE TABLE public.lines');
    expect(result.report.databaseStatements).toEqual({
      databases: ['shop'],
      statements: 1,
      first: { file: 'migrations/20240101000000-init.sql', line: 4, text: "ALTER DATABASE shop SET timezone TO 'UTC'" },
    });
    const said = notices.filter((n) => n.includes('on the team\'s database "shop"'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('at migrations/20240101000000-init.sql:4');
  });

  it('leaves out every kind (comment, grant, revoke, owner, connection limit) and keeps later failure positions exact', async () => {
    const up = [
      'CREATE ROLE shop_reader;',
      "COMMENT ON DATABASE shop IS 'the shop';",
      'GRANT CONNECT, TEMP ON DATABASE shop TO shop_reader;',
      'REVOKE ALL ON DATABASE "Shop Two" FROM PUBLIC;',
      'ALTER DATABASE shop OWNER TO shop_reader;',
      'ALTER DATABASE shop WITH CONNECTION LIMIT 5;',
      'ALTER DATABASE shop RESET ALL; CREATE VIEW v AS SELECT nosuch FROM pg_class;',
      '',
    ].join('\n');
    const p = project(sqlMigrate('shop', up));
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    const [failure] = result.report.migrationFailures;
    // the failure is the migration's own, at its place in the file as written (Postgres's position, in the text sent)
    expect(failure).toMatchObject({ file: 'migrations/20240101000000-init.sql', line: 8, sqlstate: '42703', message: 'column "nosuch" does not exist' });
    expect(failure.column).toBe('ALTER DATABASE shop RESET ALL; CREATE VIEW v AS SELECT '.length + 1);
    // the ones above the failure were left out; the failing statement is not one of them
    expect(result.report.databaseStatements).toMatchObject({ databases: ['shop', 'Shop Two'], statements: 6 });
  });

  it('a rename of another database still runs, and its failure says why', async () => {
    const p = project(sqlMigrate('shop', 'CREATE TABLE orders (id bigint PRIMARY KEY);\nALTER DATABASE shop_old RENAME TO shop_archive;\n'));
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    const [failure] = result.report.migrationFailures;
    expect(failure).toMatchObject({ file: 'migrations/20240101000000-init.sql', line: 3, column: 1, sqlstate: '3D000' });
    expect(failure.hint).toContain('this statement names a database, "shop_old", of the team\'s server');
    expect(result.report.databaseStatements).toBeUndefined();
  });

  it('a missing database in a statement that names no database gets no such hint', async () => {
    const p = project(sqlMigrate('shop', "SELECT pg_database_size('nowhere');\n"));
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    const [failure] = result.report.migrationFailures;
    expect(failure.sqlstate).toBe('3D000');
    expect(failure.hint ?? '').not.toContain('names a database');
  });

  it('a run from the replay cache says it as the first run did', async () => {
    const p = project(sqlMigrate('shop', "CREATE TABLE orders (id bigint PRIMARY KEY);\nALTER DATABASE shop SET timezone TO 'UTC';\n"));
    const cacheDir = path.join(p.root, '.cache');
    const first = await dump({ cwd: p.root, engine: 'pglite', cacheDir });
    const again = await dump({ cwd: p.root, engine: 'pglite', cacheDir });
    expect(again.report.engine.replayCache).toBe('dump');
    expect(again.report.databaseStatements).toEqual(first.report.databaseStatements);
    expect(again.report.databaseStatements?.statements).toBe(1);
  });
});

describe('on a server, a database of that name that exists is never touched', () => {
  const victim = `pgdrift_test_team_db_${process.pid}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  beforeAll(async () => {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${victim}`);
    await admin.query(`CREATE DATABASE ${victim}`);
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${victim}`);
    await admin.end();
  });

  it('replays, and the real database keeps its settings, comment and privileges', async () => {
    const up = `CREATE TABLE orders (id bigint PRIMARY KEY);\nALTER DATABASE ${victim} SET timezone TO 'Asia/Tokyo';\nCOMMENT ON DATABASE ${victim} IS 'replayed';\nREVOKE CONNECT ON DATABASE ${victim} FROM PUBLIC;\n`;
    const p = project(sqlMigrate(victim, up));
    const result = await dump({ cwd: p.root, engine: 'server', databaseUrl: SERVER_URL, noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.orders');
    expect(result.report.databaseStatements).toMatchObject({ databases: [victim], statements: 3 });
    const { rows } = await admin.query(
      `SELECT (SELECT count(*)::int FROM pg_db_role_setting s WHERE s.setdatabase = d.oid) AS settings, shobj_description(d.oid, 'pg_database') AS comment, d.datacl IS NULL AS default_acl
         FROM pg_database d WHERE d.datname = $1`,
      [victim],
    );
    expect(rows).toEqual([{ settings: 0, comment: null, default_acl: true }]);
  });
});
