import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { lint } from '../../src/commands/lint.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * A dbmate project with a migrations folder per database, run on the one the URL names (field: kalbasit/ncps before
 * its move to goose: db/migrations/{postgres,mysql,sqlite}, a dbmate wrapper setting DBMATE_MIGRATIONS_DIR to
 * db/migrations/<the URL's scheme>, and .env's DATABASE_URL="sqlite:db/database.sqlite3" for development).
 * `--migrations db/migrations/postgres` was refused: "DATABASE_URL is a sqlite: URL ... this is not a PostgreSQL
 * project", though dbmate runs that folder only on PostgreSQL. dbmate picks its driver from the URL's scheme
 * (pkg/dbmate/db.go Driver), so the URL says which folder runs on SQLite.
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

const UP = (table: string, id: string) => `-- migrate:up\nCREATE TABLE ${table} (id ${id} PRIMARY KEY);\n\n-- migrate:down\nDROP TABLE ${table};\n`;

describe('dbmate: a folder per database', () => {
  it('the postgres folder beside a sqlite one is replayed though .env names SQLite', async () => {
    const p = project({
      '.env': 'DATABASE_URL="sqlite:db/database.sqlite3"\n',
      'db/migrations/postgres/20260101000000_init.sql': UP('config', 'BIGSERIAL'),
      'db/migrations/sqlite/20260101000000_init.sql': UP('config', 'INTEGER'),
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, migrations: 'db/migrations/postgres' });
    expect(result.sql).toContain('CREATE TABLE public.config (');
  });

  it('still refused: the sqlite folder itself, and a postgres folder with no sibling for the URL\'s database', async () => {
    const sqlite = project({ '.env': 'DATABASE_URL="sqlite:db/database.sqlite3"\n', 'db/migrations/sqlite/20260101000000_init.sql': UP('config', 'INTEGER'), 'db/migrations/postgres/20260101000000_init.sql': UP('config', 'BIGSERIAL') });
    await expect(lint({ cwd: sqlite.root, migrations: 'db/migrations/sqlite' })).rejects.toThrow('this is not a PostgreSQL project');
    const alone = project({ '.env': 'DATABASE_URL="mysql://root@localhost/app"\n', 'db/migrations/postgres/20260101000000_init.sql': UP('config', 'BIGSERIAL') });
    await expect(lint({ cwd: alone.root, migrations: 'db/migrations/postgres' })).rejects.toThrow('these dbmate migrations are for MySQL');
  });
});
