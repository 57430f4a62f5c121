import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { resolveProject } from '../../src/config/project.js';
import { InputError } from '../../src/errors.js';
import { diesel, planDiesel } from '../../src/runners/diesel.js';
import { detectRunner, findNestedMigrationsFolders } from '../../src/runners/index.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Diesel (diesel-rs/diesel 2.3.x): migrations_internals discovery, version_from_string, pending_migrations order,
 * metadata.toml run_in_transaction, run_sql_from_file, __diesel_schema_migrations.
 */
const project = tempProjects();
const DIESEL_TOML = '[print_schema]\nfile = "src/schema.rs"\n\n[migrations_directory]\ndir = "migrations"\n';

beforeAll(() => loadSqlParser());

describe('diesel discovery', () => {
  it('one folder per migration, ordered by the name before its first _ with dashes removed (as text); only up.sql runs', () => {
    const p = project({
      'migrations/2024-01-02-120000_b/up.sql': '',
      'migrations/2024-01-02-120000_b/down.sql': '',
      'migrations/20240101120000_a/up.sql': '',
      'migrations/20240101120000_a/down.sql': '',
      'migrations/20240101120000_a/extra.sql': '',
      'migrations/20240101120000_a/metadata.toml': 'run_in_transaction = true\n',
      'migrations/00000000000000_diesel_initial_setup/up.sql': '',
      'migrations/2024-01-01-130000-0000_c/up.sql': '',
      'migrations/.hidden/up.sql': '',
      'migrations/README.md': '',
      'migrations/schema.sql': '',
    });
    mkdirSync(`${p.root}/migrations/2024-01-05-000000_empty`);
    const found = diesel.discover(`${p.root}/migrations`);
    expect(found.migrations.map((m) => [m.name, m.version])).toEqual([
      ['00000000000000_diesel_initial_setup/up.sql', '00000000000000'],
      ['20240101120000_a/up.sql', '20240101120000'],
      // '202401011300000000' sorts after '20240101120000' and before '20240102120000' as text
      ['2024-01-01-130000-0000_c/up.sql', '202401011300000000'],
      ['2024-01-02-120000_b/up.sql', '20240102120000'],
    ]);
    expect(found.ignored.map((f) => [f.name, f.expected ?? false])).toEqual([
      ['2024-01-02-120000_b/down.sql', true],
      ['20240101120000_a/down.sql', true],
      ['20240101120000_a/extra.sql', false],
      ['schema.sql', false],
    ]);
    expect(found.problems).toEqual([]);
  });

  it('a folder without up.sql stops Diesel on the whole folder (UnknownMigrationFormat); two folders with one version are refused', () => {
    const p = project({
      'migrations/2024-01-01-000000_a/up.sql': '',
      'migrations/20240101000000_b/up.sql': '',
      'migrations/2024-01-02-000000_c/down.sql': '',
    });
    const { problems } = diesel.discover(`${p.root}/migrations`);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain("2024-01-02-000000_c/: Invalid migration directory: the directory's name should be <timestamp>_<name_of_migration>");
    expect(problems[1]).toContain('2024-01-01-000000_a, 20240101000000_b have the same version 20240101000000');
  });

  it('a symbolic link to a migration folder is read through, as DirEntry::metadata does not follow links', () => {
    const p = project({ 'shared/2024-01-01-000000_a/up.sql': 'CREATE TABLE a (id int);\n', 'migrations/2024-01-02-000000_b/up.sql': '' });
    symlinkSync(path.join(p.root, 'shared/2024-01-01-000000_a'), path.join(p.root, 'migrations/2024-01-01-000000_a'));
    expect(diesel.discover(`${p.root}/migrations`).migrations.map((m) => m.name)).toEqual(['2024-01-01-000000_a/up.sql', '2024-01-02-000000_b/up.sql']);
  });
});

describe('diesel transactions (metadata.toml) and empty files', () => {
  const planIn = (metadata: string | undefined, text = 'CREATE TABLE t (a int);\n') => {
    const p = project({ 'migrations/2024-01-01-000000_a/up.sql': text, ...(metadata === undefined ? {} : { 'migrations/2024-01-01-000000_a/metadata.toml': metadata }) });
    return planDiesel(text, '2024-01-01-000000_a/up.sql', `${p.root}/migrations`);
  };

  it('in a transaction by default; run_in_transaction = false sends the file as one query; the TomlMetadata fallbacks', () => {
    expect(planIn(undefined).parts[0].transaction).toBe('wrapped');
    expect(planIn('run_in_transaction = false\n').parts[0].transaction).toBe('implicit');
    expect(planIn('run_in_transaction = true\n').parts[0].transaction).toBe('wrapped');
    // #[serde(default)] bool: a file that parses without the key is false
    expect(planIn('# nothing here\n').parts[0].transaction).toBe('implicit');
    // not TOML, or not the struct: unwrap_or_default(), in a transaction
    expect(planIn('run_in_transaction = \n').parts[0].transaction).toBe('wrapped');
    expect(planIn('run_in_transaction = "false"\n').parts[0].transaction).toBe('wrapped');
  });

  it('an empty up.sql is refused as Diesel refuses it (EmptyMigration); a comment-only one is not', () => {
    expect(planIn(undefined, '').problem?.message).toBe('Failed to run 2024-01-01-000000_a with: Attempted to run an empty migration.');
    expect(planIn(undefined, '-- Your SQL goes here\n').problem).toBeUndefined();
  });

  it("a file that ends Diesel's transaction itself (COMMIT, ROLLBACK, END not followed by BEGIN) is refused there: Diesel's own COMMIT fails (NotInTransaction)", async () => {
    const ended = planIn(undefined, 'BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\n');
    expect(ended.problem).toMatchObject({ line: 3, column: 1 });
    expect(ended.problem?.message).toContain('Cannot perform this operation outside of a transaction');
    expect(planIn(undefined, 'CREATE TABLE t (a int);\nROLLBACK;\n').problem?.line).toBe(2);
    expect(planIn(undefined, 'CREATE TABLE t (a int);\nCOMMIT;\nBEGIN;\nCREATE TABLE u (a int);\n').problem).toBeUndefined();
    expect(planIn('run_in_transaction = false\n', 'BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\n').problem).toBeUndefined();
    const p = project({ 'migrations/2024-01-01-000000_a/up.sql': 'CREATE TABLE a (id int);\n', 'migrations/2024-01-02-000000_b/up.sql': '-- mine\nBEGIN;\nCREATE TABLE b (id int);\nCOMMIT;\n' });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.column])).toEqual([['migrations/2024-01-02-000000_b/up.sql', 4, 1]]);
  });

  it('replay: CREATE INDEX CONCURRENTLY fails in the transaction (25001) and applies with run_in_transaction = false', async () => {
    const files = {
      'diesel.toml': DIESEL_TOML,
      'migrations/2024-01-01-000000_t/up.sql': 'CREATE TABLE t (a int);\n',
      'migrations/2024-01-01-000000_t/down.sql': 'DROP TABLE t;\n',
      'migrations/2024-01-02-000000_index/up.sql': '-- build it without locking\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n',
      'migrations/2024-01-02-000000_index/down.sql': 'DROP INDEX t_a;\n',
    };
    const wrapped = await dump({ cwd: project(files).root, engine: 'pglite', noCache: true });
    expect(wrapped.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['migrations/2024-01-02-000000_index/up.sql', 2, '25001']]);
    const outside = await dump({ cwd: project({ ...files, 'migrations/2024-01-02-000000_index/metadata.toml': 'run_in_transaction = false\n' }).root, engine: 'pglite', noCache: true });
    expect(outside.report.migrationFailures).toEqual([]);
    expect(outside.sql).toContain('CREATE INDEX t_a ON public.t USING btree (a);');
  });

  it('a folder without up.sql is refused by name before anything is replayed', async () => {
    const p = project({ 'migrations/2024-01-01-000000_a/up.sql': 'CREATE TABLE a (id int);\n', 'migrations/2024-01-02-000000_b/down.sql': 'DROP TABLE a;\n' });
    const error = await dump({ cwd: p.root, engine: 'pglite', noCache: true }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toContain('the diesel runner would refuse migrations/');
    expect(String(error)).toContain('2024-01-02-000000_b/: Invalid migration directory');
  });
});

describe('diesel detection and folder', () => {
  it('<version>_<name>/up.sql folders are Diesel, with or without diesel.toml', () => {
    const files = { 'migrations/2024-01-01-000000_a/up.sql': 'CREATE TABLE a (id int);\n', 'migrations/2024-01-01-000000_a/down.sql': 'DROP TABLE a;\n' };
    const bare = project(files);
    expect(detectRunner(`${bare.root}/migrations`, bare.root).evidence?.what).toBe('<version>_<name>/up.sql folders');
    const configured = project({ ...files, 'diesel.toml': DIESEL_TOML });
    expect(detectRunner(`${configured.root}/migrations`, configured.root)).toMatchObject({ runner: { name: 'diesel' }, evidence: { what: '<version>_<name>/up.sql folders beside diesel.toml' } });
    // one folder per database below the folder diesel.toml is in (field: dani-garcia/vaultwarden migrations/postgresql/)
    const perDatabase = project({ 'migrations/postgresql/2024-01-01-000000_a/up.sql': 'CREATE TABLE a (id int);\n', 'diesel.toml': DIESEL_TOML });
    expect(detectRunner(`${perDatabase.root}/migrations/postgresql`, perDatabase.root).evidence?.what).toBe('<version>_<name>/up.sql folders below a diesel.toml');
  });

  it("diesel.toml's [migrations_directory] dir names the folder (relative to diesel.toml), and a crate's folder below the root is found", async () => {
    const p = project({
      'diesel.toml': '[migrations_directory]\ndir = "src/db/migrations"\n',
      'src/db/migrations/2024-01-01-000000_a/up.sql': 'CREATE TABLE a (id int);\n',
    });
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.report.migrationFailures).toEqual([]);
    expect(replayed.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['src/db/migrations/2024-01-01-000000_a/up.sql']);
    const nested = project({ 'crates/db/diesel.toml': DIESEL_TOML, 'crates/db/migrations/2024-01-01-000000_a/up.sql': 'CREATE TABLE a (id int);\n' });
    expect(findNestedMigrationsFolders(nested.root)).toEqual(['crates/db/migrations']);
    // a crate's migrations beside a Cargo.toml that depends on diesel, the diesel.toml at the workspace root (diesel_cli,
    // run in the crate, finds `migrations` there; field: Aardwolf-Social/aardwolf aardwolf-models/migrations)
    const crate = { 'diesel.toml': '[print_schema]\nfile = "models/src/schema.rs"\n', 'models/migrations/2024-01-01-000000_a/up.sql': 'CREATE TABLE a (id int);\n' };
    expect(findNestedMigrationsFolders(project({ ...crate, 'models/Cargo.toml': '[package]\nname = "models"\n[dependencies.diesel]\nversion = "2"\n' }).root)).toEqual(['models/migrations']);
    expect(findNestedMigrationsFolders(project({ ...crate, 'models/Cargo.toml': '[package]\nname = "models"\n[dependencies]\nserde = "1"\n' }).root)).toEqual([]);
  });

  it('diesel_cli migrations_dir precedence: --migration-dir of a script or recipe, else MIGRATION_DIRECTORY (a recipe\'s, the environment, .env), else diesel.toml; the setting that won is named', async () => {
    const migration = (table: string) => `CREATE TABLE ${table} (id int);\n`;
    const base = {
      'diesel.toml': '[migrations_directory]\ndir = "from_toml"\n',
      'from_toml/2024-01-01-000000_a/up.sql': migration('from_toml'),
      'from_env/2024-01-01-000000_a/up.sql': migration('from_env'),
      'crates/db/from_flag/2024-01-01-000000_a/up.sql': migration('from_flag'),
    };
    const folderOf = (files: Record<string, string>) => {
      const p = project({ ...base, ...files });
      const resolved = resolveProject({ cwd: p.root });
      return { root: p.root, folder: path.relative(p.root, resolved.migrationsDir).split(path.sep).join('/'), runner: resolved.runner, setting: diesel.configuredFolders!(path.join(p.root, 'from_toml'), { projectRoot: p.root })?.setting };
    };
    // the flag wins over .env's MIGRATION_DIRECTORY and diesel.toml, in a script, a Makefile recipe after a cd, a justfile recipe
    const dotEnv = { '.env': 'MIGRATION_DIRECTORY=from_env\n' };
    const script = folderOf({ ...dotEnv, 'package.json': JSON.stringify({ scripts: { 'db:migrate': 'diesel migration run --migration-dir crates/db/from_flag' } }) });
    expect(script.folder).toBe('crates/db/from_flag');
    expect(script.setting).toBe('package.json script "db:migrate" (diesel migration run --migration-dir crates/db/from_flag)');
    const replayed = await dump({ cwd: script.root, engine: 'pglite', noCache: true });
    expect(replayed.sql).toContain('CREATE TABLE public.from_flag (');
    expect(replayed.sql).not.toContain('from_toml');
    expect(folderOf({ ...dotEnv, Makefile: 'migrate:\n\tcd crates/db && diesel --database-url "$(DATABASE_URL)" --migration-dir=from_flag migration run\n' }).folder).toBe('crates/db/from_flag');
    expect(folderOf({ justfile: 'migrate:\n    MIGRATION_DIRECTORY=crates/db/from_flag diesel setup\n' })).toMatchObject({ folder: 'crates/db/from_flag', setting: 'justfile:2 (recipe migrate) (MIGRATION_DIRECTORY=crates/db/from_flag diesel setup)' });
    expect(folderOf({ ...dotEnv, Makefile: 'export MIGRATION_DIRECTORY = crates/db/from_flag\nmigrate:\n\tdiesel migration run\n' }).setting).toBe('Makefile:3 (target migrate) (MIGRATION_DIRECTORY crates/db/from_flag in its environment)');
    // a command that applies nothing (generate) names no folder to replay
    expect(folderOf({ ...dotEnv, 'package.json': JSON.stringify({ scripts: { new: 'diesel migration generate --migration-dir crates/db/from_flag x' } }) }).folder).toBe('from_env');
    // MIGRATION_DIRECTORY (.env, then the process environment over it) wins over diesel.toml
    expect(folderOf(dotEnv)).toMatchObject({ folder: 'from_env', setting: '.env MIGRATION_DIRECTORY (from_env)' });
    process.env.MIGRATION_DIRECTORY = 'crates/db/from_flag';
    try {
      expect(folderOf(dotEnv)).toMatchObject({ folder: 'crates/db/from_flag', setting: 'MIGRATION_DIRECTORY (crates/db/from_flag)' });
    } finally {
      delete process.env.MIGRATION_DIRECTORY;
    }
    expect(folderOf({})).toMatchObject({ folder: 'from_toml', setting: 'diesel.toml [migrations_directory] dir (from_toml)' });
    // commands naming two folders, or one only the shell knows: none is followed, and a notice says so
    const two = folderOf({ 'package.json': JSON.stringify({ scripts: { a: 'diesel migration run --migration-dir from_env', b: 'diesel migration run --migration-dir crates/db/from_flag' } }) });
    expect(two.folder).toBe('from_toml');
    expect(two.runner.notices).toEqual([
      'diesel: the project\'s diesel commands name different migrations folders (package.json script "a" (diesel migration run --migration-dir from_env); package.json script "b" (diesel migration run --migration-dir crates/db/from_flag)): pgdrift followed none of them (name the one to check with --migrations or "migrations" in pgdrift.config.json); from_toml is replayed',
    ]);
    const shell = folderOf({ 'package.json': JSON.stringify({ scripts: { migrate: 'diesel migration run --migration-dir "$DIR"' } }) });
    expect(shell.folder).toBe('from_toml');
    expect(shell.runner.notices?.[0]).toContain('package.json script "migrate"');
    expect(shell.runner.notices?.[0]).toContain('a value only the shell knows: pgdrift did not follow it; from_toml is replayed');
  });

  it('a diesel.toml that is not valid TOML is refused at its place, as diesel_cli refuses it; a dir naming no folder is refused by name', async () => {
    const layout = { 'migrations/2024-01-01-000000_a/up.sql': 'CREATE TABLE a (id int);\n' };
    const broken = await dump({ cwd: project({ ...layout, 'diesel.toml': '[migrations_directory\ndir = "x"\n' }).root, engine: 'pglite', noCache: true }).catch((e: Error) => e);
    expect(String(broken)).toContain('diesel.toml:1:22: not valid TOML');
    const missing = await dump({ cwd: project({ ...layout, 'diesel.toml': '[migrations_directory]\ndir = "nowhere"\n' }).root, engine: 'pglite', noCache: true }).catch((e: Error) => e);
    expect(String(missing)).toContain('diesel.toml [migrations_directory] dir (nowhere) names nowhere: no such folder');
  });

  it('another runner named on a Diesel layout says to use the diesel runner, not to point --migrations at one version folder (which would replay its down.sql)', async () => {
    const p = project({ 'migrations/2024-01-01-000000_a/up.sql': 'CREATE TABLE a (id int);\n', 'migrations/2024-01-01-000000_a/down.sql': 'DROP TABLE a;\n' });
    const error = (await dump({ cwd: p.root, engine: 'pglite', noCache: true, runner: 'numbered' }).catch((e: Error) => e)) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('its sub-folders are Diesel migrations');
    expect(error.hint).toContain('--runner diesel');
    expect(error.hint).not.toContain('--migrations migrations/2024');
  });
});

describe('diesel bookkeeping', () => {
  it('__diesel_schema_migrations is created before the first migration and is not drift against a snapshot with or without it', async () => {
    const p = project({
      'diesel.toml': DIESEL_TOML,
      'migrations/00000000000000_diesel_initial_setup/up.sql': "CREATE OR REPLACE FUNCTION diesel_set_updated_at() RETURNS trigger AS $$\nBEGIN\n    RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\n",
      'migrations/2024-01-01-000000_users/up.sql': 'CREATE TABLE users (id SERIAL PRIMARY KEY);\n',
    });
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.report.migrationFailures).toEqual([]);
    expect(replayed.sql).toContain('CREATE TABLE public.__diesel_schema_migrations (');
    expect(replayed.report.files.map((f) => f.file)).toEqual(['pgdrift:diesel-bookkeeping.sql', 'migrations/00000000000000_diesel_initial_setup/up.sql', 'migrations/2024-01-01-000000_users/up.sql']);
    p.write('docs/architecture/schema-actual-2026-01-01.sql', replayed.sql.replace(/CREATE TABLE public\.__diesel_schema_migrations \([^;]*;/, ''));
    const checked = await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false });
    expect(checked.drift).toEqual([]);
  });
});
