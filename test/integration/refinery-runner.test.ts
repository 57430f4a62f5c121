import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { runCli } from '../helpers/cli.js';
import { tempProjects } from '../helpers/project.js';

/**
 * refinery (rust-db/refinery@14354f5) replayed on PGlite: a Rust crate's `embed_migrations!("migrations")` folder,
 * which Flyway's naming also matches. refinery sends each file as written (no `${...}` placeholders), applies `U`
 * files like `V` ones on a new database, walks sub-folders, and runs each file in its own transaction
 * (traits/sync.rs migrate) or all in one with set_grouped(true).
 */
const project = tempProjects();
const CARGO = '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nrefinery = { version = "0.8", features = ["tokio-postgres"] }\n';
const MAIN = 'mod embedded {\n    use refinery::embed_migrations;\n    embed_migrations!("migrations");\n}\n\nfn main() {}\n';

beforeAll(() => loadSqlParser());

function crate(migrations: Record<string, string>, main = MAIN) {
  return project({ 'Cargo.toml': CARGO, 'src/main.rs': main, ...Object.fromEntries(Object.entries(migrations).map(([name, text]) => [`migrations/${name}`, text])) });
}

describe('refinery replay', () => {
  it('sends ${x} as written, applies U files and sub-folders, in version order (V9 before V10)', async () => {
    const p = crate({
      'V1__initial.sql': "CREATE TABLE notes (id int PRIMARY KEY, body text DEFAULT '${x}');\n",
      'U2__merge_out_of_order.sql': 'ALTER TABLE notes ADD COLUMN merged boolean;\n',
      'V9__tags.sql': 'CREATE TABLE tags (id int PRIMARY KEY);\n',
      'V10__tag_fk.sql': 'ALTER TABLE notes ADD COLUMN tag int REFERENCES tags (id);\n',
      'later/V11__nested.sql': 'ALTER TABLE tags ADD COLUMN name text;\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.report.files.map((f) => f.file).filter((f) => f.startsWith('migrations/'))).toEqual([
      'migrations/V1__initial.sql',
      'migrations/U2__merge_out_of_order.sql',
      'migrations/V9__tags.sql',
      'migrations/V10__tag_fk.sql',
      'migrations/later/V11__nested.sql',
    ]);
    expect(result.sql).toContain("body text DEFAULT '${x}'::text");
    expect(result.sql).toContain('merged boolean');
    expect(result.sql).toContain('name text');
    // refinery's own history table, with its DDL (traits/mod.rs ASSERT_MIGRATIONS_TABLE_QUERY)
    expect(result.sql).toContain('CREATE TABLE public.refinery_schema_history (\n    version integer NOT NULL,');
  });

  it('the CLI says refinery was detected, and the dump exits 0 on a file Flyway would refuse for its placeholder', async () => {
    const p = crate({ 'V1__initial.sql': "CREATE TABLE a (id int, note text DEFAULT '${x}');\n", 'U2__b.sql': 'ALTER TABLE a ADD COLUMN b int;\n' });
    const result = await runCli(['dump'], { cwd: p.root });
    expect(result.stderr.trim()).toBe('no pgdrift.config.json: runner refinery detected in migrations/: [U|V]<version>__<name>.sql in a Rust project that depends on refinery (Cargo.toml) (set "runner" or --runner to choose)');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("note text DEFAULT '${x}'::text,\n    b integer");
  });

  it('CREATE INDEX CONCURRENTLY fails as it does under refinery: every file runs in a transaction (25001)', async () => {
    const p = crate({ 'V1__t.sql': 'CREATE TABLE t (a int);\n', 'V2__index.sql': 'CREATE INDEX CONCURRENTLY t_a ON t (a);\n' });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['migrations/V2__index.sql', '25001']]);
  });

  describe('transactions: one per file, or one for all with set_grouped(true)', () => {
    // an enum value added by one migration and used by a later one: fine in separate transactions, 55P04 in one
    const history = {
      'V1__type.sql': "CREATE TYPE mood AS ENUM ('ok');\n",
      'V2__value.sql': "ALTER TYPE mood ADD VALUE 'great';\n",
      'V3__use.sql': "CREATE TABLE moods (m mood DEFAULT 'great');\n",
    };

    it('by default each file commits on its own: the history applies', async () => {
      const result = await dump({ cwd: crate(history).root, engine: 'pglite', noCache: true });
      expect(result.report.migrationFailures).toEqual([]);
    });

    it('set_grouped(true) in the code: the later file fails (55P04) and the earlier ones roll back', async () => {
      const main = `${MAIN}\nfn migrate(client: &mut postgres::Client) {\n    embedded::migrations::runner().set_grouped(true).run(client).unwrap();\n}\n`;
      const result = await dump({ cwd: crate(history, main).root, engine: 'pglite', noCache: true });
      expect(result.report.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['migrations/V3__use.sql', '55P04']]);
      expect(result.report.files.filter((f) => f.file.startsWith('migrations/')).map((f) => f.status)).toEqual(['rolled-back', 'rolled-back', 'failed']);
    });
  });

  it('a .rs migration makes the replay incomplete: check fails even when the rest matches', async () => {
    const p = crate({ 'V1__a.sql': 'CREATE TABLE a (id int);\n', 'V2__seed.rs': 'pub fn migration() -> String { "INSERT INTO a VALUES (1)".into() }\n' });
    const first = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    p.write('schema.sql', first.sql);
    const checked = await check({ cwd: p.root, snapshot: 'schema.sql', engine: 'pglite', noCache: true, lint: false });
    expect(checked.drift).toEqual([]);
    expect(checked.exitCode).toBe(1);
    expect(checked.skippedFiles).toEqual([expect.objectContaining({ file: 'migrations/V2__seed.rs', appliedByRunner: true })]);
  });
});
