import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';

// Field report: MattDevy/brownbag-outbox-pattern (sql-migrate, dbconfig.yml `dbname=brownbag`) starts its history
// with `ALTER DATABASE brownbag SET timezone TO 'UTC'`. sql-migrate, connected to brownbag, applies it; pgdrift's
// replay runs in a throwaway database of another name and failed with Postgres's bare `database "brownbag" does not
// exist`, which read as the migration's fault. The failure now says that the statement names a database by name and
// why the replay cannot run it.
const project = tempProjects();

describe('a migration that alters the team database by its name', () => {
  it('fails at its file:line:column with a hint that names the database and the replay limitation', async () => {
    const p = project({
      'dbconfig.yml': 'development:\n  dialect: postgres\n  datasource: host=127.0.0.1 dbname=shop sslmode=disable\n  dir: migrations\n',
      'migrations/20240101000000-init.sql': "-- +migrate Up\nCREATE TABLE orders (id bigint PRIMARY KEY);\n\nALTER DATABASE shop SET timezone TO 'UTC';\n-- +migrate Down\nDROP TABLE orders;\n",
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    const [failure] = result.report.migrationFailures;
    expect(failure).toMatchObject({ file: 'migrations/20240101000000-init.sql', line: 4, column: 1, sqlstate: '3D000' });
    expect(failure.hint).toContain('this statement names a database, "shop", probably the team\'s own one');
    expect(failure.hint).toContain('pgdrift replays into a throwaway database of another name');
  });

  it('a missing database in a statement that names no database gets no such hint', async () => {
    const p = project({
      'dbconfig.yml': 'development:\n  dialect: postgres\n  datasource: dbname=shop\n  dir: migrations\n',
      'migrations/20240101000000-init.sql': "-- +migrate Up\nSELECT pg_database_size('nowhere');\n",
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    const [failure] = result.report.migrationFailures;
    expect(failure.sqlstate).toBe('3D000');
    expect(failure.hint ?? '').not.toContain('names a database');
  });
});
