import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field (quickwit-oss/quickwit): quickwit-metastore/src/metastore/postgres/migrator.rs runs
 * `sqlx::migrate!("migrations/postgresql")` at start-up and `sqlx::migrate!("migrations/postgresql_deferred")` later in
 * a background task. The two named folders decided nothing, so the search went on to the crate's `migrations/`
 * beside its Cargo.toml (the default of `migrate!()`), which holds no .sql itself: pgdrift said "runner numbered
 * detected in quickwit-metastore/migrations/" and failed there. Each call is its own Migrator: pgdrift now lists the
 * calls and the folder each embeds, and the flags to check one.
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

const CARGO = '[package]\nname = "quickwit-metastore"\nversion = "0.8.0"\n\n[dependencies]\nsqlx = { version = "0.8", features = ["postgres", "runtime-tokio"] }\n';
const MIGRATOR =
  'fn get_migrations() -> Migrator {\n    sqlx::migrate!("migrations/postgresql")\n}\n\nfn get_deferred_migrations() -> Migrator {\n    sqlx::migrate!("migrations/postgresql_deferred")\n}\n';
const FILES = {
  'quickwit/Cargo.toml': '[workspace]\nmembers = ["quickwit-metastore"]\n',
  'quickwit/quickwit-metastore/Cargo.toml': CARGO,
  'quickwit/quickwit-metastore/src/metastore/postgres/migrator.rs': MIGRATOR,
  'quickwit/quickwit-metastore/migrations/postgresql/1_create-indexes.up.sql': 'CREATE TABLE indexes (index_id varchar(50) PRIMARY KEY);\n',
  'quickwit/quickwit-metastore/migrations/postgresql/1_create-indexes.down.sql': 'DROP TABLE indexes;\n',
  'quickwit/quickwit-metastore/migrations/postgresql_deferred/29_create-index.up.sql': '-- no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS indexes_idx ON indexes (index_id);\n',
  'quickwit/quickwit-metastore/migrations/postgresql_deferred/29_create-index.down.sql': '-- no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS indexes_idx;\n',
};

describe('sqlx: one crate whose code runs two migrate! folders', () => {
  it('lists both calls and their folders instead of replaying the crate migrations/ parent', async () => {
    const p = project(FILES);
    const error = (await dump({ cwd: p.root, engine: 'pglite', noCache: true }).catch((e: unknown) => e)) as Error & { hint?: string };
    expect(error.message).toBe(
      "the project's sqlx::migrate! calls embed 2 migrations folders, each its own Migrator: " +
        'quickwit/quickwit-metastore/src/metastore/postgres/migrator.rs:2: quickwit/quickwit-metastore/migrations/postgresql; ' +
        'quickwit/quickwit-metastore/src/metastore/postgres/migrator.rs:6: quickwit/quickwit-metastore/migrations/postgresql_deferred',
    );
    expect(error.hint).toContain('--migrations quickwit/quickwit-metastore/migrations/postgresql --runner sqlx');
  });

  it('the folder the hint names replays as sqlx', async () => {
    const p = project(FILES);
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, migrations: 'quickwit/quickwit-metastore/migrations/postgresql', runner: 'sqlx' });
    expect(result.sql).toContain('CREATE TABLE public.indexes');
  });

  it('a folder of a crate for another database does not count (one PostgreSQL folder is then the one)', async () => {
    const p = project({
      'Cargo.toml': '[workspace]\nmembers = ["server-postgres", "server-sqlite"]\n',
      'server-postgres/Cargo.toml': CARGO,
      'server-postgres/src/lib.rs': 'static M: Migrator = sqlx::migrate!("./sql");\n',
      'server-postgres/sql/20240101000000_init.sql': 'CREATE TABLE history (id bigserial PRIMARY KEY);\n',
      'server-sqlite/Cargo.toml': CARGO.replace('"postgres"', '"sqlite"'),
      'server-sqlite/src/lib.rs': 'static M: Migrator = sqlx::migrate!("./sql");\n',
      'server-sqlite/sql/20240101000000_init.sql': 'CREATE TABLE history (id integer PRIMARY KEY AUTOINCREMENT);\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.sql).toContain('CREATE TABLE public.history');
  });
});
