import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { serverTest, SERVER_URL } from '../helpers/postgres.js';
import { tempProjects } from '../helpers/project.js';

/**
 * A small graphile-migrate project replayed on PGlite, as `graphile-migrate reset` builds it (commands/reset.ts: the
 * afterReset actions, then migrate: the committed migrations in order, on a connection with the .gmrc pgSettings).
 * Inspired by graphile/starter and zarybnicky/Sirimbo: an afterReset pg_dump whose set_config('search_path', '', false)
 * stays on its own connection, pgSettings' search_path reaching the migrations' unqualified names, placeholders, a
 * --! no-transaction migration, and a current.sql that `migrate` never applies.
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

/** What `graphile-migrate commit` writes (migration.ts serializeMigration, hash.ts calculateHash). */
function committed(bodies: string[]): Record<string, string> {
  const files: Record<string, string> = {};
  let previous: string | null = null;
  bodies.forEach((raw, i) => {
    const body = `${raw.trim()}\n`;
    const hash = `sha1:${createHash('sha1').update(`${`${previous ?? ''}\n${body.trim()}`.trim()}\n`).digest('hex')}`;
    files[`migrations/committed/${String(i + 1).padStart(6, '0')}.sql`] = `--! Previous: ${previous ?? '-'}\n--! Hash: ${hash}\n--! Message: m${i + 1}\n\n${body}`;
    previous = hash;
  });
  return files;
}

const FILES = {
  '.gmrc': `{
  "pgSettings": { "search_path": "app_public,public" },
  "placeholders": { ":ITEM_KIND": "widget" },
  "afterReset": ["!afterReset.sql", { "_": "command", "command": "yarn worker --schema-only" }],
}`,
  'migrations/afterReset.sql': "SELECT pg_catalog.set_config('search_path', '', false);\nCREATE SCHEMA app_public;\n",
  ...committed([
    "create table items (id int primary key, kind text not null default ':ITEM_KIND');",
    'alter table items add column name text;',
    '--! no-transaction\ncreate index concurrently items_name on items (name);',
  ]),
  'migrations/current.sql': '-- Enter migration here\ncreate table wip (id int);\n',
};

const EXPECTED = `CREATE SCHEMA app_public;
CREATE TABLE app_public.items (id int PRIMARY KEY, kind text NOT NULL DEFAULT 'widget', name text);
CREATE INDEX items_name ON app_public.items (name);
`;

describe('graphile-migrate replay on PGlite', () => {
  it('afterReset, then the committed migrations with the pgSettings and placeholders; current.sql and the bookkeeping left out of drift', async () => {
    const p = project({ ...FILES, 'schema/expected.sql': EXPECTED });
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.report.migrationFailures).toEqual([]);
    expect(replayed.sql).toContain("kind text DEFAULT 'widget'::text NOT NULL");
    expect(replayed.sql).toContain('CREATE INDEX items_name ON app_public.items USING btree (name);');
    expect(replayed.sql).toContain('CREATE TABLE graphile_migrate.migrations (');
    expect(replayed.sql).not.toContain('wip');
    const checked = await check({ cwd: p.root, snapshot: 'schema/expected.sql', engine: 'pglite', noCache: true, lint: false, acceptAssumptions: true });
    expect(checked.drift).toEqual([]);
  });

  it('an edited committed migration is refused at its --! Hash line, as graphile-migrate refuses it', async () => {
    const second = 'migrations/committed/000002.sql';
    const p = project({ ...FILES, [second]: FILES[second as keyof typeof FILES].replace('name text', 'name varchar') });
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.report.migrationFailures.map((f) => [f.file, f.line])).toEqual([['migrations/committed/000002.sql', 2]]);
    expect(replayed.report.migrationFailures[0].message).toMatch(/^the file's hash is sha1:\w+, not its --! Hash: sha1:\w+: graphile-migrate refuses it/);
  });
});

/**
 * A .gmrc whose connectionString names the team's database and owner (as graphile/starter's DATABASE_URL does):
 * `:DATABASE_NAME` is the database graphile-migrate migrates, which in the replay is the replay's own (the team's
 * "myapp" does not exist there: `GRANT CONNECT ON DATABASE myapp` failed with 3D000), and `:DATABASE_OWNER` is a role
 * every such database has, since `graphile-migrate reset` creates it OWNER that role (the GRANT failed with 42704).
 */
const OWNED = {
  '.gmrc': `{
  "connectionString": "postgres://app_owner:secret@localhost/myapp",
  "afterReset": ["afterReset.sql"],
}`,
  'migrations/afterReset.sql': 'GRANT CONNECT ON DATABASE :DATABASE_NAME TO :DATABASE_OWNER;\n',
  ...committed(["alter database :DATABASE_NAME set statement_timeout = '5s';\ncreate table t (id int);\ngrant select on t to :DATABASE_OWNER;"]),
};

describe('graphile-migrate :DATABASE_NAME and :DATABASE_OWNER', () => {
  it('name the replay database and an owner role that exists (PGlite)', async () => {
    const replayed = await dump({ cwd: project(OWNED).root, engine: 'pglite', noCache: true, keepGoing: true });
    expect(replayed.report.migrationFailures).toEqual([]);
    expect(replayed.sql).toContain('GRANT SELECT ON TABLE public.t TO app_owner;');
  });

  serverTest('name the throwaway database on a server (ALTER DATABASE needs its owner: the server\'s postgres database would be refused)', async () => {
    const replayed = await dump({ cwd: project(OWNED).root, engine: 'server', databaseUrl: SERVER_URL, noCache: true, keepGoing: true });
    expect(replayed.report.migrationFailures).toEqual([]);
    expect(replayed.sql).toContain('GRANT SELECT ON TABLE public.t TO app_owner;');
  });
});

/**
 * The committed migrations run on migrate's one connection (commands/migrate.ts), each in its own transaction: a plain
 * SET in one reaches the next. The SQL actions run on connections of their own, so the replay puts the session back
 * before an action and before the first migration after one, and only there (it reset before every file, and the
 * second migration's table landed in public).
 */
describe('graphile-migrate session across committed migrations', () => {
  it("a SET in one committed migration reaches the next; an action's SET does not reach the migrations", async () => {
    const p = project({
      '.gmrc': '{ "afterReset": ["afterReset.sql"] }',
      'migrations/afterReset.sql': "CREATE SCHEMA app;\nSELECT pg_catalog.set_config('search_path', '', false);\n",
      ...committed(['set search_path to app, public;\ncreate table first_t (id int);', 'create table second_t (id int);']),
    });
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.report.migrationFailures).toEqual([]);
    // the first migration starts from the reset session (the action's empty search_path is gone): its SET holds
    expect(replayed.sql).toContain('CREATE TABLE app.first_t (');
    expect(replayed.sql).toContain('CREATE TABLE app.second_t (');
  });
});
