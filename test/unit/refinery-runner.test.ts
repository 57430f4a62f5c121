import { describe, expect, it } from 'vitest';
import { detectRunner, findNestedMigrationsFolders } from '../../src/runners/index.js';
import { refinery } from '../../src/runners/refinery.js';
import { InputError } from '../../src/errors.js';
import { tempProjects } from '../helpers/project.js';

/** refinery (rust-db/refinery@14354f5): util.rs names and walk, runner.rs order, traits/ transactions, detection. */
const project = tempProjects();
const CARGO = '[package]\nname = "app"\n\n[dependencies]\nrefinery = { version = "0.8", features = ["tokio-postgres"] }\n';
const MAIN = 'mod embedded {\n    use refinery::embed_migrations;\n    embed_migrations!("migrations");\n}\nfn main() {}\n';

describe('refinery discovery', () => {
  it('V and U files alike, in sub-folders too, by version as a number; names outside [U|V]<n>__<\\w+>.sql are skipped', () => {
    const p = project({
      'migrations/V1__initial.sql': '',
      'migrations/U2__merge.sql': '',
      'migrations/V10__later.sql': '',
      'migrations/nested/deeper/V3__nested.sql': '',
      'migrations/.hidden/V4__dot_folder.sql': '',
      'migrations/V5__add-users.sql': '',
      'migrations/v6__lower.sql': '',
      'migrations/V7__upper.SQL': '',
      'migrations/R__view.sql': '',
      'migrations/V8__a.b.sql': '',
      'migrations/README.md': '',
    });
    const found = refinery.discover(`${p.root}/migrations`);
    expect(found.migrations.map((m) => [m.name, m.version])).toEqual([
      ['V1__initial.sql', '1'],
      ['U2__merge.sql', '2'],
      ['nested/deeper/V3__nested.sql', '3'],
      ['.hidden/V4__dot_folder.sql', '4'],
      ['V10__later.sql', '10'],
    ]);
    expect(found.ignored.map((f) => f.name)).toEqual(['R__view.sql', 'V5__add-users.sql', 'V7__upper.SQL', 'V8__a.b.sql', 'v6__lower.sql']);
    expect(found.problems).toEqual([]);
  });

  it('refuses what stops refinery: a version that is no i32 (1.1, too large), one version twice, a `|` prefix', () => {
    const p = project({
      'migrations/V1__a.sql': '',
      'migrations/sub/V1__b.sql': '',
      'migrations/V1.1__dotted.sql': '',
      'migrations/V3000000000__big.sql': '',
      'migrations/|7__pipe.sql': '',
    });
    const { migrations, problems } = refinery.discover(`${p.root}/migrations`);
    expect(migrations.map((m) => m.name)).toEqual(['V1__a.sql', 'sub/V1__b.sql']);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toContain('V1.1__dotted.sql: version "1.1" is not an i32');
    expect(problems[1]).toContain('V3000000000__big.sql: version "3000000000" is not an i32');
    expect(problems[1]).toContain('int8-versions');
    expect(problems[2]).toContain('|7__pipe.sql');
    expect(problems[3]).toContain('sub/V1__b.sql has the same version as V1__a.sql');
  });

  it('with the int8-versions feature a version is an i64, and the history table has an int8 version', () => {
    const cargo = CARGO.replace('features = ["tokio-postgres"]', 'features = ["tokio-postgres", "int8-versions"]');
    const p = project({ 'Cargo.toml': cargo, 'migrations/U20240504090241__initial.sql': '', 'migrations/U20240504090301__cars.sql': '' });
    const found = refinery.discover(`${p.root}/migrations`, { projectRoot: p.root });
    expect(found.problems).toEqual([]);
    expect(found.migrations.map((m) => m.name)).toEqual(['U20240504090241__initial.sql', 'U20240504090301__cars.sql']);
    expect(refinery.forProject!(`${p.root}/migrations`, { projectRoot: p.root }).bookkeepingSetup?.sql).toContain('version int8 PRIMARY KEY');
  });

  it('a .rs migration is code refinery runs: named as not replayable, before the SQL migration that follows it', () => {
    const p = project({ 'migrations/V1__a.sql': '', 'migrations/V2__code.rs': 'pub fn migration() -> String { String::new() }\n', 'migrations/V3__c.sql': '', 'migrations/mod.rs': '' });
    const found = refinery.discover(`${p.root}/migrations`);
    expect(found.migrations.map((m) => m.name)).toEqual(['V1__a.sql', 'V3__c.sql']);
    expect(found.ignored).toEqual([expect.objectContaining({ name: 'V2__code.rs', appliedByRunner: true, appliedBefore: 'V3__c.sql' })]);
  });

  it('every file runs in a transaction, CREATE INDEX CONCURRENTLY too (no per-file opt-out), and ${x} is no placeholder', () => {
    for (const text of ['CREATE INDEX CONCURRENTLY i ON t (a);\n', '-- no-transaction\nCREATE TABLE t (a text DEFAULT \'${x}\');\n']) {
      const plan = refinery.plan(text, 'V1__a.sql', '/tmp');
      expect(plan.parts.map((part) => part.transaction)).toEqual(['wrapped']);
      expect(plan.substitutions).toBeUndefined();
    }
  });

  it("lint's file-name follows refinery's names, sub-folders included", () => {
    for (const name of ['V1__init.sql', 'U20240101__x.sql', 'sub/V2__b.sql']) expect(refinery.lint.fileNamePattern.test(name), name).toBe(true);
    for (const name of ['V1__add-users.sql', 'V1.1__x.sql', 'R__view.sql', '1_init.sql', 'V1_init.sql']) expect(refinery.lint.fileNamePattern.test(name), name).toBe(false);
  });
});

describe('refinery settings in the code and commands', () => {
  it('literal set_grouped(true) and set_migration_table_name("...") in the crate: one transaction, that history table', () => {
    const p = project({
      'Cargo.toml': CARGO,
      'src/main.rs': `${MAIN}\nfn run(c: &mut Client) {\n    embedded::migrations::runner()\n        .set_grouped(true)\n        .set_migration_table_name("app_history")\n        .run(c).unwrap();\n}\n`,
      'migrations/V1__a.sql': '',
    });
    const settings = refinery.forProject!(`${p.root}/migrations`, { projectRoot: p.root });
    expect(settings.oneTransaction).toBe(true);
    expect(settings.bookkeeping).toEqual(['public.app_history']);
    expect(settings.bookkeepingSetup?.sql).toContain('CREATE TABLE IF NOT EXISTS app_history(');
    expect(settings.notices).toBeUndefined();
  });

  it('a value pgdrift cannot read, or two that disagree, is a notice naming what the replay assumes', () => {
    const p = project({
      'Cargo.toml': CARGO,
      'src/main.rs': `${MAIN}\nfn run(c: &mut Client, grouped: bool) {\n    embedded::migrations::runner().set_grouped(grouped).run(c).unwrap();\n}\n// .set_grouped(true) in a comment does not count\n`,
      'migrations/V1__a.sql': '',
    });
    const settings = refinery.forProject!(`${p.root}/migrations`, { projectRoot: p.root });
    expect(settings.oneTransaction).toBeUndefined();
    expect(settings.notices).toEqual([expect.stringMatching(/set_grouped\(grouped\) \(src\/main\.rs:8\) is not a literal pgdrift reads: the replay assumes each migration in its own transaction/)]);
    expect(settings.bookkeeping).toEqual(['public.refinery_schema_history']);
    const q = project({
      'Cargo.toml': CARGO,
      'src/main.rs': `${MAIN}\nfn run(c: &mut Client) {\n    embedded::migrations::runner().set_grouped(true).run(c).unwrap();\n}\n`,
      'package.json': JSON.stringify({ scripts: { migrate: 'refinery migrate -p migrations' } }),
      'migrations/V1__a.sql': '',
    });
    const disagree = refinery.forProject!(`${q.root}/migrations`, { projectRoot: q.root });
    expect(disagree.oneTransaction).toBeUndefined();
    expect(disagree.notices).toEqual([expect.stringContaining('sets set_grouped differently (true at src/main.rs:8, false at package.json script "migrate")')]);
  });

  it('refinery migrate -g -p <dir> --table-name <t> in package.json scripts: the folder, one transaction, the table', () => {
    const p = project({
      'package.json': JSON.stringify({ scripts: { migrate: 'refinery migrate -c refinery.toml -g -p db/sql --table-name hist' } }),
      'refinery.toml': '[main]\ndb_type = "Postgres"\n',
      'db/sql/V1__a.sql': '',
    });
    expect(refinery.configuredFolders!(p.root, { projectRoot: p.root })).toEqual({ setting: 'refinery migrate -p in package.json script "migrate"', folders: [`${p.root}/db/sql`] });
    const settings = refinery.forProject!(`${p.root}/db/sql`, { projectRoot: p.root });
    expect(settings.oneTransaction).toBe(true);
    expect(settings.bookkeeping).toEqual(['public.hist']);
  });

  it('embed_migrations!("<dir>") names the folder, relative to the crate; embed_migrations!() names its migrations/', () => {
    const p = project({ 'Cargo.toml': CARGO, 'src/lib.rs': 'refinery::embed_migrations!("./db/migrations");\n', 'db/migrations/V1__a.sql': '' });
    expect(refinery.configuredFolders!(p.root, { projectRoot: p.root })).toEqual({ setting: 'embed_migrations! in src/lib.rs:1', folders: [`${p.root}/db/migrations`] });
    const q = project({ 'crates/db/Cargo.toml': CARGO, 'crates/db/src/lib.rs': 'embed_migrations!();\n', 'crates/db/migrations/V1__a.sql': '' });
    expect(refinery.configuredFolders!(q.root, { projectRoot: q.root })?.folders).toEqual([`${q.root}/crates/db/migrations`]);
  });
});

describe('refinery detection', () => {
  it('V<n>__ files are refinery in a crate that depends on refinery, Flyway without one', () => {
    const files = { 'migrations/V1__initial.sql': '', 'migrations/V2__b.sql': '' };
    const rust = project({ ...files, 'Cargo.toml': CARGO, 'src/main.rs': MAIN });
    expect(detectRunner(`${rust.root}/migrations`, rust.root).runner.name).toBe('refinery');
    const plain = project(files);
    expect(detectRunner(`${plain.root}/migrations`, plain.root).runner.name).toBe('flyway');
    // a Rust project that depends on something else (sqlx) is no refinery project
    const other = project({ ...files, 'Cargo.toml': CARGO.replace('refinery = { version = "0.8", features = ["tokio-postgres"] }', 'sqlx = "0.8"') });
    expect(detectRunner(`${other.root}/migrations`, other.root).runner.name).toBe('flyway');
  });

  it('a refinery.toml, or embed_migrations! naming a folder outside the crate, is evidence too', () => {
    const cli = project({ 'refinery.toml': '[main]\ndb_type = "Postgres"\ndb_host = "localhost"\n', 'migrations/V1__a.sql': '' });
    expect(detectRunner(`${cli.root}/migrations`, cli.root).evidence?.what).toContain('refinery.toml');
    const notRefinery = project({ 'refinery.toml': 'title = "a refinery of oil"\n', 'migrations/V1__a.sql': '' });
    expect(detectRunner(`${notRefinery.root}/migrations`, notRefinery.root).runner.name).toBe('flyway');
    const embedded = project({ 'crates/db/Cargo.toml': CARGO, 'crates/db/src/lib.rs': 'embed_migrations!("../../sql");\n', 'sql/V1__a.sql': '' });
    expect(detectRunner(`${embedded.root}/sql`, embedded.root).evidence?.what).toContain('embed_migrations!');
  });

  it("a workspace crate's migrations/ beside a Cargo.toml that depends on refinery is found below the root", () => {
    const p = project({ 'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\n', 'crates/db/Cargo.toml': CARGO, 'crates/db/migrations/V1__a.sql': '', 'crates/web/migrations/V1__b.sql': '' });
    expect(findNestedMigrationsFolders(p.root)).toEqual(['crates/db/migrations']);
  });

  it('never takes a Flyway project: with Flyway settings or a JVM build beside it, a refinery crate is a conflict to resolve', () => {
    const p = project({ 'Cargo.toml': CARGO, 'flyway.conf': 'flyway.locations=filesystem:migrations\n', 'migrations/V1__a.sql': '' });
    expect(() => detectRunner(`${p.root}/migrations`, p.root)).toThrow(InputError);
    expect(() => detectRunner(`${p.root}/migrations`, p.root)).toThrow(/flyway .*\n.*refinery|refinery .*\n.*flyway/);
  });
});
