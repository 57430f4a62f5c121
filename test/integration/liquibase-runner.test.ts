import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { diffModels } from '../../src/diff/diff.js';
import { PgdriftError } from '../../src/errors.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { adminQuery, SERVER_URL, serverDescribe } from '../helpers/postgres.js';

/**
 * The Liquibase fixture (test/fixtures/runners/liquibase): a Spring Boot layout whose YAML master includes a formatted
 * SQL changelog (a dbms:oracle changeset, a function with splitStatements:false, a runInTransaction:false index), an
 * XML changelog relative to it (sql with an entity, sqlFile, CDATA with a <comment>), a changeset of its own and a
 * dbms:mysql one, then includeAll of changes/ (a-status.yaml before b-tags.sql, readme.txt skipped). The oracle is
 * the SQL Liquibase sends, written here by hand in its order and applied with psql.
 */
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'runners', 'liquibase');
const CHANGELOG = 'src/main/resources/db/changelog';
const PSQL = '/usr/lib/postgresql/15/bin/psql';
const PG_DUMP = '/usr/lib/postgresql/15/bin/pg_dump';

/** Liquibase's bookkeeping DDL on PostgreSQL (CreateDatabaseChangeLogLockTableGenerator, CreateDatabaseChangeLogTableGenerator). */
const BOOKKEEPING = `CREATE TABLE public.databasechangeloglock (id INTEGER NOT NULL, locked BOOLEAN NOT NULL, lockgranted TIMESTAMP WITHOUT TIME ZONE, lockedby VARCHAR(255), CONSTRAINT databasechangeloglock_pkey PRIMARY KEY (id));
CREATE TABLE public.databasechangelog (id VARCHAR(255) NOT NULL, author VARCHAR(255) NOT NULL, filename VARCHAR(255) NOT NULL, dateexecuted TIMESTAMP WITHOUT TIME ZONE NOT NULL, orderexecuted INTEGER NOT NULL, exectype VARCHAR(10) NOT NULL, md5sum VARCHAR(35), description VARCHAR(255), comments VARCHAR(255), tag VARCHAR(255), liquibase VARCHAR(20), contexts VARCHAR(255), labels VARCHAR(255), deployment_id VARCHAR(10));`;

/** Each changeset Liquibase runs, in changelog order: [transaction, SQL]. */
const CHANGESETS: [boolean, string][] = [
  [true, 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\nCREATE INDEX users_email_idx ON users (email);'],
  [true, 'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.email := lower(NEW.email);\n  RETURN NEW;\nEND;\n$$;\nCREATE TRIGGER users_touch BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION touch();'],
  [false, 'CREATE INDEX CONCURRENTLY users_id_email_idx ON users (id, email);'],
  [true, 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id), total numeric CHECK (total >= 0));\nCREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;'],
  [true, 'CREATE FUNCTION order_count(u bigint) RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM orders WHERE user_id = u AND total > 0; $$;'],
  [true, "CREATE TABLE audit (\n  id bigserial PRIMARY KEY,\n  note text NOT NULL DEFAULT 'a;b'\n);\nCOMMENT ON TABLE audit IS 'audit trail';"],
  [true, 'ALTER TABLE users ADD COLUMN status text'],
  [true, 'CREATE TABLE tags (name text PRIMARY KEY);'],
];

const made: string[] = [];
function copy(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-liquibase-'));
  cpSync(FIXTURE, root, { recursive: true });
  made.push(root);
  return root;
}

async function refusal(cwd: string): Promise<{ message: string; position?: unknown }> {
  try {
    await dump({ cwd, engine: 'pglite', noCache: true });
  } catch (error) {
    if (error instanceof PgdriftError) return { message: error.message, position: error.position };
    throw error;
  }
  throw new Error('the project was replayed');
}

function edit(root: string, file: string, change: (text: string) => string): void {
  const at = path.join(root, CHANGELOG, file);
  writeFileSync(at, change(readFileSync(at, 'utf8')));
}

const differences = (ours: string, oracle: string) => diffModels(buildSchemaModel(ours, 'pgdrift'), buildSchemaModel(oracle, 'psql')).map((item) => `${item.kind} ${item.name}`);

beforeAll(() => loadSqlParser());
afterAll(() => {
  for (const root of made) rmSync(root, { recursive: true, force: true });
});

serverDescribe('liquibase runner: replay against psql', () => {
  let oracle = '';
  const database = `liquibase_oracle_${process.pid}`;
  const url = `${SERVER_URL.replace(/\/[^/]*$/, '')}/${database}`;
  beforeAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${database}`);
    await adminQuery(`CREATE DATABASE ${database}`);
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-liquibase-oracle-'));
    made.push(scratch);
    const psql = (args: string[]) => execFileSync(PSQL, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, ...args], { stdio: 'pipe' });
    psql(['-c', BOOKKEEPING]);
    for (const [transaction, sql] of CHANGESETS) {
      const file = path.join(scratch, 'changeset.sql');
      writeFileSync(file, `${sql}\n`);
      psql(transaction ? ['-1', '-f', file] : ['-f', file]);
    }
    oracle = execFileSync(PG_DUMP, ['--schema-only', '--no-owner', '-d', url], { encoding: 'utf8' });
    await adminQuery(`DROP DATABASE IF EXISTS ${database}`);
  }, 60_000);

  it('is detected with no config and replays on PGlite to the schema psql gives in changelog order', async () => {
    const notices: string[] = [];
    const result = await dump({ cwd: copy(), engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(result.report.migrationFailures).toEqual([]);
    expect(notices.join('\n')).toContain(`runner liquibase detected in ${CHANGELOG}/`);
    // Liquibase's own behaviour (dbms skipped, readme.txt skipped by includeAll) is no assumption: no notice, so check can be clean
    expect(notices.filter((m) => !m.includes('runner liquibase detected'))).toEqual([]);
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file.slice(CHANGELOG.length + 1))).toEqual([
      '001-users.sql',
      '001-users.sql',
      '001-users.sql',
      '002-orders.xml',
      'sql/orders-view.sql',
      '002-orders.xml',
      'db.changelog-master.yaml',
      'changes/a-status.yaml',
      'changes/b-tags.sql',
    ]);
    expect(result.sql).not.toContain('only_mysql');
    expect(result.sql).not.toContain('oracle_only');
    expect(differences(result.sql, oracle)).toEqual([]);
  });

  it('replays on the local server to the same schema', async () => {
    const result = await dump({ cwd: copy(), engine: 'server', databaseUrl: SERVER_URL, noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(differences(result.sql, oracle)).toEqual([]);
  });
});

describe('liquibase runner: settings beside the master', () => {
  it("spring.liquibase.default-schema: Liquibase's tables go there and unqualified names too; a schema nobody creates fails the bookkeeping as it fails liquibase update", async () => {
    const root = copy();
    writeFileSync(path.join(root, 'src/main/resources/application.yml'), 'spring:\n  liquibase:\n    default-schema: app\n');
    const missing = await dump({ cwd: root, engine: 'pglite', noCache: true });
    expect(missing.report.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['pgdrift:liquibase-bookkeeping.sql', '3F000']]);
    expect(missing.report.migrationFailures[0].hint).toContain('spring.liquibase.default-schema in src/main/resources/application.yml');
    writeFileSync(path.join(root, 'schema.sql'), 'CREATE SCHEMA app;\n');
    writeFileSync(path.join(root, 'pgdrift.config.json'), JSON.stringify({ baseline: ['schema.sql'] }));
    const result = await dump({ cwd: root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE app.databasechangelog (');
    expect(result.sql).toContain('CREATE TABLE app.users (');
    expect(result.sql).not.toContain('CREATE TABLE public.');
  });

  it('contexts given by Spring filter the changesets that carry one, as Liquibase evaluates them; with none given, a notice', async () => {
    const root = copy();
    edit(root, 'changes/b-tags.sql', (text) => text.replace('--changeset carl:tags', '--changeset carl:tags context:dev'));
    const notices: string[] = [];
    const all = await dump({ cwd: root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(all.sql).toContain('CREATE TABLE public.tags (');
    expect(notices.join('\n')).toContain('changesets carry contexts or labels (src/main/resources/db/changelog/changes/b-tags.sql:2 context dev): the replay runs every changeset');
    writeFileSync(path.join(root, 'src/main/resources/application.yml'), 'spring:\n  liquibase:\n    contexts: prod\n');
    notices.length = 0;
    const prod = await dump({ cwd: root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(prod.report.migrationFailures).toEqual([]);
    expect(prod.sql).not.toContain('CREATE TABLE public.tags (');
    expect(notices.join('\n')).not.toContain('contexts or labels');
    writeFileSync(path.join(root, 'src/main/resources/application.yml'), 'spring:\n  liquibase:\n    contexts: prod, dev\n');
    expect((await dump({ cwd: root, engine: 'pglite', noCache: true })).sql).toContain('CREATE TABLE public.tags (');
  });
});

describe('liquibase runner: refusals at their place', () => {
  it('a change type pgdrift does not generate (executeCommand) is refused at file:line:column, with update-sql suggested', async () => {
    const root = copy();
    edit(root, '002-orders.xml', (text) => text.replace('<changeSet id="orders-2" author="bob">', '<changeSet id="orders-2" author="bob">\n        <executeCommand executable="ls"/>'));
    const result = await dump({ cwd: root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.column])).toEqual([[`${CHANGELOG}/002-orders.xml`, 8, 9]]);
    expect(result.report.migrationFailures[0].message).toContain('change type executeCommand');
    expect(result.report.migrationFailures[0].hint).toContain('liquibase update-sql');
  });

  it('a YAML change Liquibase\'s validation refuses (addColumn without columns) is refused at its key', async () => {
    const root = copy();
    edit(root, 'changes/a-status.yaml', (text) => `${text}  - changeSet:\n      id: more\n      author: carl\n      changes:\n        - addColumn:\n            tableName: users\n`);
    const result = await dump({ cwd: root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.column])).toEqual([[`${CHANGELOG}/changes/a-status.yaml`, 12, 11]]);
    expect(result.report.migrationFailures[0].message).toContain("addColumn without columns: Liquibase's validation refuses it");
  });

  it("a function body Liquibase cuts at a ; (splitStatements on) is refused where Liquibase cuts it", async () => {
    const root = copy();
    edit(root, '001-users.sql', (text) => text.replace('--changeset ann:2 splitStatements:false', '--changeset ann:2'));
    const result = await dump({ cwd: root, engine: 'pglite', noCache: true });
    // BEGIN ... END hold the body's first semicolons; the one after END is a cut inside $$ ... $$
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.column])).toEqual([[`${CHANGELOG}/001-users.sql`, 14, 4]]);
    expect(result.report.migrationFailures[0].hint).toContain('splitStatements:false');
  });

  it('a circular include is refused at the include that closes it', async () => {
    const root = copy();
    writeFileSync(path.join(root, CHANGELOG, 'changes', 'c-loop.yaml'), 'databaseChangeLog:\n  - include:\n      file: db/changelog/db.changelog-master.yaml\n');
    const error = await refusal(root);
    expect(error.message).toMatch(/^src\/main\/resources\/db\/changelog\/changes\/c-loop\.yaml:2:5: .*db\.changelog-master\.yaml includes itself/);
    expect(error.position).toEqual({ file: `${CHANGELOG}/changes/c-loop.yaml`, line: 2, column: 5 });
  });

  it('an include of a file that does not exist is refused', async () => {
    const root = copy();
    edit(root, 'db.changelog-master.yaml', (text) => text.replace('file: 002-orders.xml', 'file: 002-missing.xml'));
    expect((await refusal(root)).message).toBe(`${CHANGELOG}/002-missing.xml does not exist`);
  });
});

/**
 * Liquibase runs all the changes of a changeset in one transaction (runInTransaction defaults to true;
 * ChangeSet.execute commits after the last change and rolls back on an error). Ground truth: `liquibase update` of
 * Liquibase 4.28.0 (npm liquibase@4.28.0) on PostgreSQL 15 ran these same changelogs: the enum changeset failed with
 * 55P04 at CREATE TABLE t; the changeset whose sqlFile fails left no table x; the runInTransaction:false changeset
 * applied CREATE INDEX CONCURRENTLY; and the same two changes with runInTransaction on failed with 25001, leaving no z.
 */
describe('liquibase runner: the changes of a changeset share its transaction', () => {
  const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">\n';
  function project(changeSets: string, files: Record<string, string> = {}): string {
    const root = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-liquibase-tx-'));
    made.push(root);
    const folder = path.join(root, CHANGELOG);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'db.changelog-master.xml'), `${XML_HEAD}${changeSets}</databaseChangeLog>\n`);
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(folder, name), text);
    return root;
  }
  const failures = (result: Awaited<ReturnType<typeof dump>>) => result.report.migrationFailures.map((f) => [f.file, f.line, f.column, f.sqlstate]);
  const statuses = (result: Awaited<ReturnType<typeof dump>>) => result.report.files.filter((f) => f.role === 'migration').map((f) => `${f.file.replace(`${CHANGELOG}/`, '')} ${f.status}`);

  it('a later change cannot use the enum value an earlier change of the changeset added (55P04, as under Liquibase)', async () => {
    const root = project(`    <changeSet id="1" author="t">
        <sql>CREATE TYPE mood AS ENUM ('a')</sql>
    </changeSet>
    <changeSet id="2" author="t">
        <sql>ALTER TYPE mood ADD VALUE 'b'</sql>
        <sql>CREATE TABLE t (m mood DEFAULT 'b')</sql>
    </changeSet>
`);
    const result = await dump({ cwd: root, engine: 'pglite', noCache: true });
    // at the 'b' PostgreSQL points to (Liquibase: Position: 32 of the statement)
    expect(failures(result)).toEqual([[`${CHANGELOG}/db.changelog-master.xml`, 8, 45, '55P04']]);
    expect(statuses(result)).toEqual(['db.changelog-master.xml applied', 'db.changelog-master.xml rolled-back', 'db.changelog-master.xml failed']);
  });

  it('a failing change (in a sqlFile) rolls back the changes before it in its changeset; runInTransaction:false runs CREATE INDEX CONCURRENTLY', async () => {
    const root = project(`    <changeSet id="1" author="t" runInTransaction="false">
        <sql>CREATE TABLE z (id int)</sql>
        <sql>CREATE INDEX CONCURRENTLY z_i ON z (id)</sql>
    </changeSet>
    <changeSet id="2" author="t">
        <createTable tableName="x"><column name="id" type="int"/></createTable>
        <sqlFile path="bad.sql" relativeToChangelogFile="true"/>
    </changeSet>
`, { 'bad.sql': 'CREATE TABLE y (id int REFERENCES nope (id));\n' });
    const result = await dump({ cwd: root, engine: 'server', databaseUrl: SERVER_URL, noCache: true });
    expect(failures(result)).toEqual([[`${CHANGELOG}/bad.sql`, 1, 1, '42P01']]);
    expect(statuses(result)).toEqual(['db.changelog-master.xml applied', 'db.changelog-master.xml applied', 'db.changelog-master.xml rolled-back', 'bad.sql failed']);
    expect(result.sql).toContain('CREATE INDEX z_i ON public.z');
    expect(result.sql).not.toContain('CREATE TABLE public.x');
  });

  it('CREATE INDEX CONCURRENTLY in a changeset that runs in a transaction fails (25001) and undoes the changeset', async () => {
    const root = project(`    <changeSet id="1" author="t">
        <sql>CREATE TABLE z (id int)</sql>
        <sql>CREATE INDEX CONCURRENTLY z_i ON z (id)</sql>
    </changeSet>
`);
    const result = await dump({ cwd: root, engine: 'server', databaseUrl: SERVER_URL, noCache: true });
    expect(failures(result).map(([file, line, , sqlstate]) => [file, line, sqlstate])).toEqual([[`${CHANGELOG}/db.changelog-master.xml`, 5, '25001']]);
    expect(statuses(result)).toEqual(['db.changelog-master.xml rolled-back', 'db.changelog-master.xml failed']);
    expect(result.sql).not.toContain('CREATE TABLE public.z');
  });
});
