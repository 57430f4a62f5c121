import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { InputError } from '../../src/errors.js';
import { findNestedMigrationsFolders } from '../../src/runners/index.js';
import { tempProjects } from '../helpers/project.js';

// Field report: 66HEX/lunarbase is a Diesel project for SQLite only (Cargo.toml `diesel = { features = ["chrono",
// "r2d2", "sqlite"] }`, diesel.toml naming a folder on its author's machine). pgdrift stopped on the diesel.toml folder,
// and with --migrations it replayed the SQLite migrations on PostgreSQL, failing on AUTOINCREMENT, where sqlx crates
// were already refused by name. Diesel's backends (diesel/Cargo.toml features postgres, sqlite, mysql) and refinery's
// drivers (refinery/Cargo.toml: postgres, tokio-postgres, sqlx-postgres, rusqlite, mysql, mysql_async, tiberius)
// say which database a crate's migrations run on.
const project = tempProjects();

describe('a Rust crate whose diesel or refinery is for another database', () => {
  it('a Diesel crate for SQLite only is refused by name, even when its diesel.toml names a missing folder', async () => {
    const p = project({
      'Cargo.toml': '[package]\nname = "app"\n\n[dependencies]\ndiesel = { version = "2.2", features = ["chrono", "r2d2", "sqlite"], default-features = false }\ndiesel_migrations = "2.2"\n',
      'diesel.toml': '[migrations_directory]\ndir = "/Users/someone/app/migrations"\n',
      'migrations/2025-01-01-000000_create_tokens/up.sql': 'CREATE TABLE tokens (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL);\n',
      'migrations/2025-01-01-000000_create_tokens/down.sql': 'DROP TABLE tokens;\n',
    });
    for (const migrations of [undefined, 'migrations']) {
      const error = await dump({ cwd: p.root, engine: 'pglite', noCache: true, ...(migrations ? { migrations } : {}) }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(InputError);
      expect(String(error)).toContain('Cargo.toml enables diesel only for sqlite (features "chrono", "r2d2", "sqlite"): these are SQLite migrations, not PostgreSQL ones');
    }
  });

  it('a refinery crate for MySQL only is refused by name; one for PostgreSQL is replayed', async () => {
    const mysql = project({
      'Cargo.toml': '[package]\nname = "app"\n\n[dependencies]\nrefinery = { version = "0.8", features = ["mysql_async"] }\n',
      'migrations/V1__create_users.sql': 'CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY);\n',
    });
    const error = await dump({ cwd: mysql.root, engine: 'pglite', noCache: true }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toContain('Cargo.toml enables refinery only for mysql_async (features "mysql_async"): these are MySQL migrations, not PostgreSQL ones');

    const postgres = project({
      'Cargo.toml': '[package]\nname = "app"\n\n[dependencies]\nrefinery = { version = "0.8", features = ["tokio-postgres"] }\n',
      'migrations/V1__create_users.sql': 'CREATE TABLE users (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\n',
    });
    const result = await dump({ cwd: postgres.root, engine: 'pglite', noCache: true });
    expect(result.sql).toContain('CREATE TABLE public.users');
  });

  it("refinery_cli's refinery.toml naming SQLite is refused by name", async () => {
    const p = project({
      'refinery.toml': '[main]\ndb_type = "Sqlite"\ndb_path = "app.db"\n',
      'migrations/V1__create_users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT);\n',
    });
    const error = await dump({ cwd: p.root, engine: 'pglite', noCache: true }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toContain('refinery.toml [main] db_type = "Sqlite": refinery migrate runs these migrations on SQLite, not PostgreSQL');
  });

  it('in a workspace, the SQLite crate is no candidate beside the PostgreSQL one', () => {
    const p = project({
      'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\n',
      'crates/lite/Cargo.toml': '[package]\nname = "lite"\n\n[dependencies]\ndiesel = { version = "2", features = ["sqlite"] }\n',
      'crates/lite/migrations/2024-01-01-000000_a/up.sql': 'CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT);\n',
      'crates/pg/Cargo.toml': '[package]\nname = "pg"\n\n[dependencies]\ndiesel = { version = "2", features = ["postgres"] }\n',
      'crates/pg/migrations/2024-01-01-000000_a/up.sql': 'CREATE TABLE a (id serial PRIMARY KEY);\n',
    });
    expect(findNestedMigrationsFolders(p.root)).toEqual(['crates/pg/migrations']);
  });
});
