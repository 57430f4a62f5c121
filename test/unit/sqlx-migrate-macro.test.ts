import { describe, expect, it } from 'vitest';
import { resolveProject } from '../../src/config/project.js';
import { tempProjects } from '../helpers/project.js';

// sqlx::migrate!("<path>") embeds the migrations of the folder it names, relative to the crate root (sqlx-macros-core
// common.rs resolve_path: CARGO_MANIFEST_DIR joined with the literal). A project that names its folder only there
// (no `migrations/`, no --source in a script, no sqlx.toml) met "no migrations folder found".
const project = tempProjects();
const CARGO = '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nsqlx = { version = "0.8", features = ["postgres", "runtime-tokio"] }\n';
const MIGRATION = 'CREATE TABLE t (id int PRIMARY KEY);\n';

describe('the folder sqlx::migrate!("...") names in the application code', () => {
  it('is the migrations folder, resolved against the crate root, and named as the setting', () => {
    const { root } = project({
      'Cargo.toml': '[workspace]\nmembers = ["crates/store"]\n',
      'crates/store/Cargo.toml': CARGO,
      'crates/store/src/lib.rs': 'pub async fn migrate(pool: &PgPool) {\n    // sqlx::migrate!("./old_migrations")\n    sqlx::migrate!("./sql/pg").run(pool).await.unwrap();\n}\n',
      'crates/store/sql/pg/20240101000000_init.sql': MIGRATION,
      'crates/store/old_migrations/20230101000000_old.sql': MIGRATION,
    });
    const resolved = resolveProject({ cwd: root });
    expect(resolved.migrationsDir).toBe(`${root}/crates/store/sql/pg`);
    expect(resolved.runner.name).toBe('sqlx');
  });

  it('is not followed in a crate that does not depend on sqlx, nor from a comment', () => {
    const { root } = project({
      'Cargo.toml': '[package]\nname = "app"\nversion = "0.1.0"\n',
      'src/main.rs': 'fn main() { sqlx::migrate!("./sql/pg"); }\n',
      'sql/pg/20240101000000_init.sql': MIGRATION,
    });
    expect(() => resolveProject({ cwd: root })).toThrow(/no migrations folder found/);
    const commented = project({ 'Cargo.toml': CARGO, 'src/main.rs': '// sqlx::migrate!("./sql/pg")\nfn main() {}\n', 'sql/pg/20240101000000_init.sql': MIGRATION });
    expect(() => resolveProject({ cwd: commented.root })).toThrow(/no migrations folder found/);
  });

  it('two crates naming two folders: no guess, both listed with the call naming each', () => {
    const { root } = project({
      'Cargo.toml': '[workspace]\nmembers = ["a", "b"]\n',
      'a/Cargo.toml': CARGO,
      'a/src/lib.rs': 'sqlx::migrate!("./pg");\n',
      'a/pg/20240101000000_a.sql': MIGRATION,
      'b/Cargo.toml': CARGO,
      'b/src/lib.rs': 'sqlx::migrate!("./pg");\n',
      'b/pg/20240101000000_b.sql': MIGRATION,
    });
    expect(() => resolveProject({ cwd: root })).toThrow("the project's sqlx::migrate! calls embed 2 migrations folders, each its own Migrator: a/src/lib.rs:1: a/pg; b/src/lib.rs:1: b/pg");
  });
});
