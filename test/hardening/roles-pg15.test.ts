import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { cleanup } from '../../src/commands/cleanup.js';
import { dump } from '../../src/commands/dump.js';
import { openServerEngine } from '../../src/engine/server.js';
import type { Engine } from '../../src/engine/types.js';
import type { MigrationFile } from '../../src/migrations/discover.js';
import { prepareHistory, replayHistory } from '../../src/replay/replay.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { adminQuery, leftovers, SERVER_URL, serverAvailable, serverDescribe } from '../helpers/postgres.js';
import { tempProject } from '../helpers/project.js';

vi.setConfig({ testTimeout: 300_000 });

/**
 * Issue 11 "Roles" on a PostgreSQL 15 server (the local one): the replay role stays NOCREATEROLE; the engine runs
 * the migrations' top-level role statements on its admin session, checked like a PostgreSQL 16 CREATEROLE role,
 * drops exactly the roles it created, never touches one that existed before, and parallel runs take turns.
 * Role names carry a random tag: the local server is shared with other test runs.
 */

const tag = `r15${randomBytes(3).toString('hex')}`;
const r = (name: string) => `${tag}_${name}`;
let serverMajor = 0;

beforeAll(async () => {
  await loadSqlParser();
  if (!serverAvailable) return;
  serverMajor = Number((await adminQuery<{ v: string }>(`SELECT current_setting('server_version_num') AS v`))[0].v) / 10000;
  if (serverMajor >= 16) console.warn(`[pgdrift tests] roles-pg15.test.ts: the local server is PostgreSQL ${Math.floor(serverMajor)}: its replay role has CREATEROLE, the < 16 path is not what runs here`);
  await adminQuery(`DROP ROLE IF EXISTS ${r('team')}`);
  await adminQuery(`CREATE ROLE ${r('team')} NOLOGIN`);
  await adminQuery(`COMMENT ON ROLE ${r('team')} IS 'made by the team'`);
});

afterAll(async () => {
  if (!serverAvailable) return;
  await adminQuery(`DROP ROLE IF EXISTS ${r('team')}`);
  expect(await leftovers()).toEqual([]);
  expect(await tagged()).toEqual([]);
});

/** Roles of this test file still on the server (the pre-existing team role aside). */
async function tagged(): Promise<string[]> {
  return (await adminQuery<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1) AND rolname <> $2 ORDER BY 1`, [tag, r('team')])).map((row) => row.rolname);
}

function file(name: string, text: string, role: 'baseline' | 'migration' = 'migration'): { migration: MigrationFile; role: 'baseline' | 'migration' } {
  return { migration: { path: `/nowhere/${name}`, file: `migrations/${name}`, name, text, header: {} } as MigrationFile, role };
}

/** 1-based line and column (in characters) of the first `needle` after `after` in a text. */
function at(text: string, needle: string, after = ''): [number, number] {
  const index = text.indexOf(needle, after ? text.indexOf(after) : 0);
  const before = [...text.slice(0, index)];
  const lineStart = before.lastIndexOf('\n');
  return [before.filter((c) => c === '\n').length + 1, before.length - lineStart];
}

/** Replays files on a fresh server engine and hands the still-open engine to `inspect`; always closes. */
async function replayed<T>(files: Array<ReturnType<typeof file>>, inspect: (engine: Engine, report: Awaited<ReturnType<typeof replayHistory>>) => Promise<T>, keepGoing = false): Promise<T> {
  const engine = await openServerEngine({ databaseUrl: SERVER_URL, dumper: async () => '' });
  try {
    const history = prepareHistory(
      files.filter((f) => f.role === 'baseline').map((f) => f.migration),
      files.filter((f) => f.role === 'migration').map((f) => f.migration),
    );
    return await inspect(engine, await replayHistory(engine, history, { keepGoing }));
  } finally {
    await engine.close();
  }
}

const HISTORY = {
  'migrations/001_roles.sql': `-- roles of the app, as a real project's first migration makes them
CREATE ROLE ${r('owner')} NOLOGIN;
CREATE ROLE ${r('reader')} NOLOGIN;
CREATE USER ${r('api')} WITH PASSWORD 'from-a-migration' CONNECTION LIMIT 5 IN ROLE ${r('reader')};
CREATE ROLE ${r('old')} NOLOGIN;
COMMENT ON ROLE ${r('reader')} IS 'reads everything';
ALTER ROLE ${r('api')} SET statement_timeout = '5s';
`,
  'migrations/002_tables.sql': `CREATE TABLE account (id bigint PRIMARY KEY, name text NOT NULL);
CREATE SCHEMA app AUTHORIZATION ${r('owner')};
GRANT USAGE, CREATE ON SCHEMA public TO ${r('owner')};
ALTER TABLE account OWNER TO ${r('owner')};
GRANT SELECT ON account TO ${r('reader')};
GRANT ${r('reader')} TO ${r('old')};
GRANT SELECT (name) ON account TO ${r('old')};
`,
  'migrations/003_rework.sql': `ALTER ROLE ${r('api')} NOLOGIN VALID UNTIL 'infinity';
ALTER ROLE ${r('reader')} RENAME TO ${r('viewer')};
GRANT INSERT ON account TO ${r('viewer')};
-- the old role goes, after its privileges
REVOKE SELECT (name) ON account FROM ${r('old')};
DROP ROLE ${r('old')};
DROP ROLE IF EXISTS ${r('never_made')};
CREATE TABLE audit (at timestamptz DEFAULT now());
`,
};

serverDescribe('roles on a PostgreSQL < 16 server (the engine runs role statements for the replay)', () => {
  it('a history that creates, alters, renames and drops its roles replays and dumps the expected schema', async () => {
    const project = tempProject(HISTORY);
    try {
      const result = await dump({ cwd: project.root, engine: 'server', databaseUrl: SERVER_URL });
      expect(result.report.migrationFailures).toEqual([]);
      expect(result.exitCode).toBe(0);
      expect(result.sql).toContain('CREATE TABLE public.account');
      expect(result.sql).toContain('CREATE TABLE public.audit');
      expect(result.sql).toContain('CREATE SCHEMA app;');
      expect(result.sql).toContain(`GRANT SELECT,INSERT ON TABLE public.account TO ${r('viewer')};`);
      expect(result.sql).not.toContain(r('old'));
      expect(result.sql).not.toContain(r('reader'));
    } finally {
      project.cleanup();
    }
    expect(await tagged()).toEqual([]);
  });

  it('what the replay sees: owners, memberships, attributes, settings and comments of the roles it made', async () => {
    const files = Object.entries(HISTORY).map(([name, text]) => file(name.replace('migrations/', ''), text));
    const seen = await replayed(files, async (engine, report) => {
      expect(report.migrationFailures).toEqual([]);
      return {
        owner: await engine.query(`SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relname = 'account'`),
        schemaOwner: await engine.query(`SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = 'app'`),
        roles: await engine.query(
          `SELECT rolname, rolcanlogin, rolconnlimit, rolvaliduntil IS NOT NULL AS valid_until, shobj_description(oid, 'pg_authid') AS comment,
                  (SELECT array_agg(g.rolname::text ORDER BY g.rolname) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid) AS member_of,
                  (SELECT setconfig FROM pg_db_role_setting s WHERE s.setrole = r.oid) AS settings
             FROM pg_roles r WHERE starts_with(rolname, $1) AND rolname <> $2 ORDER BY 1`,
          [tag, r('team')],
        ),
      };
    });
    expect(seen.owner).toEqual([{ owner: r('owner') }]);
    expect(seen.schemaOwner).toEqual([{ owner: r('owner') }]);
    expect(seen.roles).toEqual([
      { rolname: r('api'), rolcanlogin: false, rolconnlimit: 5, valid_until: true, comment: expect.stringMatching(/^pgdrift throwaway role of pgdrift_/), member_of: [r('viewer')], settings: ['statement_timeout=5s'] },
      { rolname: r('owner'), rolcanlogin: false, rolconnlimit: -1, valid_until: false, comment: expect.stringMatching(/^pgdrift throwaway role of pgdrift_/), member_of: null, settings: null },
      { rolname: r('viewer'), rolcanlogin: false, rolconnlimit: -1, valid_until: false, comment: 'reads everything', member_of: null, settings: null },
    ]);
    expect(await tagged()).toEqual([]);
  });

  it('three parallel runs that create the same roles take turns: each sees them, none remains', async () => {
    const files = [file('001_roles.sql', `CREATE ROLE ${r('app')} NOLOGIN;\nCREATE ROLE ${r('login')} LOGIN PASSWORD 'pw';\nGRANT ${r('app')} TO ${r('login')};\nCREATE TABLE t (id int);\nGRANT SELECT ON t TO ${r('app')};\n`)];
    const runs = [1, 2, 3].map(() =>
      replayed(files, async (engine, report) => {
        expect(report.migrationFailures).toEqual([]);
        const roles = await engine.query<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1) AND rolname <> $2 ORDER BY 1`, [tag, r('team')]);
        const grants = await engine.query<{ grantee: string }>(`SELECT grantee FROM information_schema.role_table_grants WHERE table_name = 't' AND privilege_type = 'SELECT' AND grantee <> current_user`);
        return { roles: roles.map((row) => row.rolname), grants: grants.map((row) => row.grantee) };
      }),
    );
    const results = await Promise.all(runs);
    expect(results).toEqual([1, 2, 3].map(() => ({ roles: [r('app'), r('login')], grants: [r('app')] })));
    expect(await tagged()).toEqual([]);
  });

  it('a role that existed before is never altered or dropped: each attempt fails with permission denied at its line', async () => {
    const team = r('team');
    const files = [
      file('001_alter.sql', `CREATE TABLE t (id int);\n\nALTER ROLE ${team} LOGIN;\n`),
      file('002_drop.sql', `-- gone?\nDROP ROLE ${team};\n`),
      file('003_comment.sql', `COMMENT ON ROLE ${team} IS 'hacked';\n`),
      file('004_rename.sql', `SELECT 1;\nALTER ROLE ${team} RENAME TO ${r('taken')};\n`),
      file('005_settings.sql', `ALTER ROLE ${team} SET work_mem = '1MB';\n`),
      file('006_member.sql', `CREATE ROLE ${r('mine')};\nALTER GROUP ${team} ADD USER ${r('mine')};\n`),
      file('007_both.sql', `CREATE ROLE ${r('mine2')};\nDROP ROLE ${r('mine2')}, ${team};\n`),
      file('008_self.sql', `GRANT pg_execute_server_program TO CURRENT_USER;\n`),
    ];
    const report = await replayed(files, async (_engine, report) => report, true);
    expect(report.migrationFailures.map((f) => [f.file, f.line, f.column, f.sqlstate])).toEqual([
      ['migrations/001_alter.sql', 3, 1, '42501'],
      ['migrations/002_drop.sql', 2, 1, '42501'],
      ['migrations/003_comment.sql', 1, 1, '42501'],
      ['migrations/004_rename.sql', 2, 1, '42501'],
      ['migrations/005_settings.sql', 1, 1, '42501'],
      ['migrations/006_member.sql', 2, 1, '42501'],
      ['migrations/007_both.sql', 2, 1, '42501'],
      ['migrations/008_self.sql', 1, 1, '42501'],
    ]);
    for (const failure of report.migrationFailures) expect(failure.hint, failure.file).toMatch(/only the roles it created itself/);
    expect(
      await adminQuery(
        `SELECT rolcanlogin, shobj_description(oid, 'pg_authid') AS comment,
                (SELECT count(*)::int FROM pg_db_role_setting s WHERE s.setrole = r.oid) AS settings,
                (SELECT count(*)::int FROM pg_auth_members m WHERE m.roleid = r.oid OR m.member = r.oid) AS memberships
           FROM pg_roles r WHERE rolname = $1`,
        [team],
      ),
    ).toEqual([{ rolcanlogin: false, comment: 'made by the team', settings: 0, memberships: 0 }]);
    expect(await tagged()).toEqual([]);
  });

  it('SUPERUSER, CREATEDB, CREATEROLE, REPLICATION, BYPASSRLS and IN ROLE of a role the run did not make are refused at their file:line:column', async () => {
    const refused: Array<[string, string, string, string]> = [
      ['001_super.sql', `-- an admin role\nCREATE ROLE ${r('boss')}\n  LOGIN SUPERUSER;\n`, 'SUPERUSER', 'permission denied to create role'],
      ['002_createdb.sql', `CREATE ROLE ${r('ci')} WITH NOSUPERUSER CREATEDB;\n`, ' CREATEDB', 'permission denied to create role'],
      ['003_createrole.sql', `CREATE ROLE ${r('hr')} CREATEROLE;\n`, 'CREATEROLE;', 'permission denied to create role'],
      ['004_replication.sql', `CREATE USER ${r('rep')} REPLICATION;\n`, 'REPLICATION', 'permission denied to create role'],
      ['005_bypass.sql', `CREATE ROLE ${r('rls')} BYPASSRLS;\n`, 'BYPASSRLS', 'permission denied to create role'],
      ['006_in_role.sql', `CREATE ROLE ${r('shell')} IN ROLE pg_execute_server_program;\n`, 'pg_execute_server_program', 'permission denied to grant role "pg_execute_server_program"'],
      ['007_alter_own.sql', `CREATE ROLE ${r('own')};\nALTER ROLE ${r('own')} CREATEDB;\n`, 'CREATEDB', 'permission denied to alter role'],
      ['008_current_user.sql', `CREATE ROLE ${r('cu')} ADMIN CURRENT_USER;\n`, 'CURRENT_USER', 'CURRENT_USER cannot name a role in this statement on PostgreSQL < 16'],
    ];
    const report = await replayed(
      refused.map(([name, text]) => file(name, text)),
      async (engine, report) => {
        // nothing of the refused statements happened; 007's CREATE ROLE (before the refused ALTER) did
        expect((await engine.query<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1) AND rolname <> $2`, [tag, r('team')])).map((row) => row.rolname)).toEqual([r('own')]);
        expect(await engine.query(`SELECT rolcreatedb FROM pg_roles WHERE rolname = $1`, [r('own')])).toEqual([{ rolcreatedb: false }]);
        return report;
      },
      true,
    );
    expect(report.migrationFailures.map((f) => [f.file, f.line, f.column, f.sqlstate, f.message])).toEqual(
      refused.map(([name, text, needle, message]) => {
        const [line, column] = at(text, needle.trim(), needle.startsWith(' ') ? needle : '');
        return [`migrations/${name}`, line, column, '42501', message];
      }),
    );
    expect(report.migrationFailures[0].detail).toBe('Only roles with the SUPERUSER attribute may create roles with the SUPERUSER attribute.');
    expect(report.migrationFailures[0].hint).toMatch(/never with SUPERUSER, CREATEDB, CREATEROLE, REPLICATION or BYPASSRLS/);
    expect(await tagged()).toEqual([]);
  });

  it('a failing statement after a role statement the engine ran reports its own line:column (multibyte text before it)', async () => {
    const text = `-- café ☕ 😀\nCREATE ROLE ${r('a')} NOLOGIN; CREATE TABLE "tä😀" (id int); GRANT SELECT ON "tä😀" TO ${r('a')};\nCREATE ROLE ${r('b')};\nSELECT '😀', nope FROM "tä😀";\n`;
    const report = await replayed([file('001_x.sql', text)], async (_engine, report) => report);
    expect(report.migrationFailures.map((f) => [f.line, f.column, f.sqlstate, f.message])).toEqual([[...at(text, 'nope'), '42703', 'column "nope" does not exist']]);
    // without a position from Postgres (a duplicate table), the statement is found by re-running: its start
    const noPosition = `CREATE ROLE ${r('c')};\nCREATE TABLE d (id int);\nCREATE ROLE ${r('d')}; CREATE TABLE e (id int); CREATE TABLE d (id int);\n`;
    const second = await replayed([file('001_y.sql', noPosition)], async (_engine, report) => report);
    expect(second.migrationFailures.map((f) => [f.line, f.column, f.sqlstate])).toEqual([[...at(noPosition, 'CREATE TABLE d', 'CREATE TABLE e'), '42P07']]);
    expect(await tagged()).toEqual([]);
  });

  it("in a runner's transaction (wrapped) and in the file's own BEGIN ... COMMIT, role statements run in file order", async () => {
    const wrapped = `CREATE TABLE t (id int);\nCREATE ROLE ${r('w')} NOLOGIN;\nGRANT SELECT ON t TO ${r('w')};\n`;
    const ownTransaction = `BEGIN;\nCREATE ROLE ${r('o')} NOLOGIN;\nCREATE TABLE u (id int);\nGRANT SELECT ON u TO ${r('o')};\nCOMMIT;\n`;
    const failing = `BEGIN;\nCREATE ROLE ${r('f')};\nSELECT nope;\nCOMMIT;\n`;
    const wrappedFile = file('001_wrapped.sql', wrapped);
    wrappedFile.migration.parts = [{ startLine: 0, endLine: 4, transaction: 'wrapped' }];
    const report = await replayed(
      [wrappedFile, file('002_own.sql', ownTransaction), file('003_failing.sql', failing), file('004_after.sql', `CREATE TABLE v (id int);\nGRANT SELECT ON v TO ${r('f')};\n`)],
      async (engine, report) => {
        const grants = await engine.query<{ grantee: string; table_name: string }>(
          `SELECT grantee, table_name FROM information_schema.role_table_grants WHERE starts_with(grantee, $1) ORDER BY 2`,
          [tag],
        );
        expect(grants).toEqual([
          { grantee: r('w'), table_name: 't' },
          { grantee: r('o'), table_name: 'u' },
          // a role statement runs on its own session: it stays when the rest of its file is rolled back (documented)
          { grantee: r('f'), table_name: 'v' },
        ]);
        return report;
      },
      true,
    );
    expect(report.migrationFailures.map((f) => [f.file, f.line, f.column, f.sqlstate])).toEqual([['migrations/003_failing.sql', ...at(failing, 'nope'), '42703']]);
    expect(await tagged()).toEqual([]);
  });

  it('DROP ROLE of a role that still has privileges fails as Postgres says, naming the table in the throwaway database', async () => {
    const text = `CREATE ROLE ${r('busy')};\nCREATE TABLE t (id int);\nGRANT SELECT ON t TO ${r('busy')};\n  DROP ROLE ${r('busy')};\n`;
    const report = await replayed([file('001_busy.sql', text)], async (_engine, report) => report);
    expect(report.migrationFailures).toEqual([
      expect.objectContaining({ line: 4, column: 3, sqlstate: '2BP01', message: `role "${r('busy')}" cannot be dropped because some objects depend on it`, detail: 'privileges for table public.t' }),
    ]);
    expect(await tagged()).toEqual([]);
  });

  it("the replay's database settings cannot change how the engine reads a role statement (standard_conforming_strings off)", async () => {
    // Read with backslash escapes, the password would end early and SUPERUSER become an option.
    const text = `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET standard_conforming_strings = off', current_database()); END $$;\nCREATE ROLE ${r('quote')} LOGIN PASSWORD 'p\\'' SUPERUSER --';\n`;
    const roles = await replayed([file('001_quote.sql', text)], async (engine, report) => {
      expect(report.migrationFailures).toEqual([]);
      return engine.query(`SELECT rolname, rolsuper FROM pg_roles WHERE rolname = $1`, [r('quote')]);
    });
    expect(roles).toEqual([{ rolname: r('quote'), rolsuper: false }]);
    expect(await tagged()).toEqual([]);
  });

  it('baselines (statement by statement) and DROP ROLE IF EXISTS before CREATE ROLE', async () => {
    const files = [
      file('baseline.sql', `DROP ROLE IF EXISTS ${r('anon')};\nCREATE ROLE ${r('anon')} NOLOGIN;\nCREATE ROLE ${r('service')} NOLOGIN IN ROLE ${r('anon')};\n`, 'baseline'),
      file('001_x.sql', `DROP ROLE IF EXISTS ${r('anon')}, ${r('service')};\nCREATE ROLE ${r('anon')};\nCREATE TABLE t (id int);\nGRANT SELECT ON t TO ${r('anon')};\n`),
    ];
    const roles = await replayed(files, async (engine, report) => {
      expect(report.migrationFailures).toEqual([]);
      return (await engine.query<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1) AND rolname <> $2`, [tag, r('team')])).map((row) => row.rolname);
    });
    expect(roles).toEqual([r('anon')]);
    expect(await tagged()).toEqual([]);
  });

  it("a platform role pgdrift made (a runner's baseline roles) is the replay's to act as; a role that existed before is not", async () => {
    const engine = await openServerEngine({ databaseUrl: SERVER_URL, dumper: async () => '' });
    try {
      const history = prepareHistory(
        [],
        [
          file('001_t.sql', `CREATE TABLE t (id int);\nGRANT CREATE ON SCHEMA public TO ${r('platform')};\nALTER TABLE t OWNER TO ${r('platform')};\n`).migration,
          file('002_u.sql', `CREATE TABLE u (id int);\nALTER TABLE u OWNER TO ${r('team')};\n`).migration,
        ],
        [r('platform'), r('team')],
      );
      const report = await replayHistory(engine, history, { keepGoing: true });
      expect(report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['migrations/002_u.sql', 2, '42501']]);
      expect(await engine.query(`SELECT tableowner FROM pg_tables WHERE tablename = 't'`)).toEqual([{ tableowner: r('platform') }]);
    } finally {
      await engine.close();
    }
    expect(await tagged()).toEqual([]);
    expect(await adminQuery(`SELECT shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = $1`, [r('team')])).toEqual([{ comment: 'made by the team' }]);
  });

  it('a role created in a DO block fails with a hint (out of scope before PostgreSQL 16)', async () => {
    const files = [file('001_do.sql', `DO $$ BEGIN\n  CREATE ROLE ${r('in_do')};\nEND $$;\n`)];
    const report = await replayed(files, async (_engine, report) => report);
    expect(report.migrationFailures).toEqual([expect.objectContaining({ sqlstate: '42501', message: 'permission denied to create role' })]);
    expect(report.migrationFailures[0].hint).toMatch(/DO block or function cannot be: write it as a top-level statement, or use a PostgreSQL 16\+ server or the embedded engine/);
  });

  it('roles a killed run created are found and removed by pgdrift cleanup', async () => {
    // The local server is shared: another test file's server engine reaps stale runs when it opens (reaper.ts), and
    // can take some of this run's objects between the "kill" and cleanup. Each such attempt must still leave nothing
    // behind; the scenario is repeated until cleanup alone removed all three (three races in a row do not happen).
    let cleanedAlone = false;
    for (let attempt = 1; attempt <= 3 && !cleanedAlone; attempt++) {
      const engine = await openServerEngine({ databaseUrl: SERVER_URL, dumper: async () => '' });
      try {
        const role = r(`crashed${attempt}`);
        const report = await replayHistory(engine, prepareHistory([], [file('001.sql', `CREATE ROLE ${r('crash')} NOLOGIN;\nALTER ROLE ${r('crash')} RENAME TO ${role};\n`).migration]));
        expect(report.migrationFailures).toEqual([]);
        // the run "dies": its sessions end (only this run's: the server is shared)
        const [{ comment }] = await adminQuery<{ comment: string }>(`SELECT shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = $1`, [role]);
        const run = comment.replace('pgdrift throwaway role of ', '');
        await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 OR datname = $2`, [`pgdrift ${run}`, run]);
        const result = await cleanup({ databaseUrl: SERVER_URL });
        const mine = result.dropped.filter((l) => l.run === run).map((l) => `${l.kind} ${l.name === l.run ? 'run' : l.name}`);
        const expected = ['database run', `role ${role}`, 'role run'];
        expect(expected).toEqual(expect.arrayContaining(mine));
        cleanedAlone = mine.length === expected.length;
        expect(await tagged()).toEqual([]);
        expect(await adminQuery(`SELECT datname FROM pg_database WHERE datname = $1`, [run])).toEqual([]);
      } finally {
        await engine.close();
      }
    }
    expect(cleanedAlone).toBe(true);
  });
});
