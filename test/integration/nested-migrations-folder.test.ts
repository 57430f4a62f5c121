import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { init } from '../../src/commands/init.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { findNestedMigrationsFolders } from '../../src/runners/index.js';
import { tempProjects } from '../helpers/project.js';

/**
 * A monorepo keeps its migrations in a package (packages/prisma/migrations, apps/web/supabase/migrations,
 * packages/db/drizzle): run at the repository root, pgdrift uses the one runner-specific folder below it and says so.
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

const PRISMA = { 'packages/prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "User" ("id" SERIAL PRIMARY KEY);\n' };

describe('a migrations folder below the root', () => {
  it('the only runner-specific folder below the root is used, with a notice naming it', async () => {
    const p = project({ ...PRISMA, 'node_modules/some-lib/prisma/migrations/1_x/migration.sql': 'CREATE TABLE ignored (id int);\n', 'README.md': '# app\n' });
    const notices: string[] = [];
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public."User" (');
    expect(notices.join('\n')).toContain('no migrations folder at the project root: using packages/prisma/migrations/, the only runner folder below it');
  });

  it('a runner folder inside a folder four levels down is found; one in a folder five levels down is not (field: Wsnusptr/Jaladri-news-website, apps/cms/packages/db/prisma/migrations)', () => {
    const migration = 'CREATE TABLE "User" ("id" SERIAL PRIMARY KEY);\n';
    expect(findNestedMigrationsFolders(project({ 'apps/cms/packages/db/prisma/migrations/20240101000000_init/migration.sql': migration }).root)).toEqual(['apps/cms/packages/db/prisma/migrations']);
    expect(findNestedMigrationsFolders(project({ 'a/b/c/d/e/prisma/migrations/20240101000000_init/migration.sql': migration }).root)).toEqual([]);
  });

  it('a drizzle folder is recognised by its meta/_journal.json', async () => {
    const p = project({
      'packages/db/src/migrations/0000_init.sql': 'CREATE TABLE "t" ("id" integer PRIMARY KEY);\n',
      'packages/db/src/migrations/meta/_journal.json': JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1704067200000, tag: '0000_init', breakpoints: true }] }),
    });
    const notices: string[] = [];
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(result.report.migrationFailures).toEqual([]);
    expect(notices.join('\n')).toContain('using packages/db/src/migrations/');
    expect(notices.join('\n')).toContain('runner drizzle detected');
  });

  it("a Prisma folder outside prisma/ is recognised by its migration_lock.toml, for dump and init alike (field: ayush080603/NotesGem, prisma.config.ts migrations.path src/db/migrations)", async () => {
    const lock = 'provider = "postgresql"\n';
    const p = project({ 'src/db/migrations/migration_lock.toml': lock, 'src/db/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "Note" ("id" SERIAL PRIMARY KEY);\n', 'src/db/schema.prisma': 'datasource db {\n  provider = "postgresql"\n}\n' });
    const notices: string[] = [];
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(result.sql).toContain('CREATE TABLE public."Note" (');
    expect(notices.join('\n')).toContain('using src/db/migrations/');
    expect(notices.join('\n')).toContain('runner prisma detected');
    expect((await init({ cwd: p.root, skipLint: true })).config).toMatchObject({ migrations: 'src/db/migrations', runner: 'prisma' });
    // a multi-file schema's migrations beside it
    expect(findNestedMigrationsFolders(project({ 'prisma/schema/migrations/migration_lock.toml': lock, 'prisma/schema/migrations/20240101000000_init/migration.sql': 'SELECT 1;\n' }).root)).toEqual(['prisma/schema/migrations']);
  });

  it('a Hasura project below the root is found by its config.yaml, and its database folder follows from the config (field: Acaisoft/bolt-api subsystems/hasura)', async () => {
    const p = project({
      'subsystems/hasura/config.yaml': 'version: 3\nendpoint: http://localhost:8080\nmetadata_directory: metadata\nmigrations_directory: migrations\n',
      'subsystems/hasura/migrations/default/1561381226173_init/up.sql': 'CREATE TABLE public.runs (id int PRIMARY KEY);\n',
      'subsystems/hasura/migrations_backup/1_old.up.sql': 'CREATE TABLE public.old (id int);\n',
    });
    expect(findNestedMigrationsFolders(p.root)).toEqual(['subsystems/hasura/migrations']);
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['subsystems/hasura/migrations/default/1561381226173_init/up.sql']);
  });

  it("prisma.config.ts migrations.path names the folder, a literal or path.join of literals (its reference's example), over another Prisma folder; a dot folder too (field: formbricks/formbricks)", async () => {
    const lock = 'provider = "postgresql"\n';
    const files = {
      '.prisma-migrations/migration_lock.toml': lock,
      '.prisma-migrations/20240101000000_init/migration.sql': 'CREATE TABLE configured (id int PRIMARY KEY);\n',
      'prisma/migrations/migration_lock.toml': lock,
      'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE stale (id int PRIMARY KEY);\n',
    };
    for (const config of [
      'export default defineConfig({\n  schema: "prisma/schema.prisma",\n  migrations: { path: ".prisma-migrations", seed: "tsx seed.ts" },\n});\n',
      'import path from "node:path";\nexport default {\n  migrations: {\n    path: path.join(".prisma-migrations"),\n  },\n} satisfies PrismaConfig;\n',
      // the config's own folder first (field: lukevella/rallly, path.join(__dirname, "prisma/migrations"))
      'import path from "node:path";\nexport default defineConfig({\n  schema: path.join(__dirname, "prisma"),\n  migrations: { path: path.join(__dirname, ".prisma-migrations") },\n});\n',
      'import path from "node:path";\nexport default defineConfig({\n  migrations: { path: path.resolve(import.meta.dirname, ".prisma-migrations") },\n});\n',
    ]) {
      const notices: string[] = [];
      const result = await dump({ cwd: project({ ...files, 'prisma.config.ts': config }).root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
      expect(result.sql).toContain('CREATE TABLE public.configured (');
      expect(result.sql).not.toContain('stale');
    }
    // a value only Prisma computes leaves the folder to detection
    const computed = await dump({ cwd: project({ ...files, 'prisma.config.ts': 'export default defineConfig({ migrations: { path: process.env.MIGRATIONS } });\n' }).root, engine: 'pglite', noCache: true });
    expect(computed.sql).toContain('CREATE TABLE public.stale (');
  });

  it('a history for another database (a Prisma lock file\'s sqlite, a drizzle journal\'s mysql) is no candidate beside the PostgreSQL one; alone it is still named and refused (field: teableio/teable)', async () => {
    const init = 'CREATE TABLE "t" ("id" integer PRIMARY KEY);\n';
    const p = project({
      'packages/db-main-prisma/prisma/postgres/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'packages/db-main-prisma/prisma/postgres/migrations/20240101000000_init/migration.sql': init,
      'packages/db-main-prisma/prisma/sqlite/migrations/migration_lock.toml': 'provider = "sqlite"\n',
      'packages/db-main-prisma/prisma/sqlite/migrations/20240101000000_init/migration.sql': init,
      'packages/lite/drizzle/0000_init.sql': init,
      'packages/lite/drizzle/meta/_journal.json': JSON.stringify({ version: '7', dialect: 'mysql', entries: [{ idx: 0, version: '7', when: 1, tag: '0000_init', breakpoints: true }] }),
    });
    expect(findNestedMigrationsFolders(p.root)).toEqual(['packages/db-main-prisma/prisma/postgres/migrations']);
    const alone = project({ 'apps/api/prisma/migrations/migration_lock.toml': 'provider = "sqlite"\n', 'apps/api/prisma/migrations/20240101000000_init/migration.sql': init });
    await expect(dump({ cwd: alone.root, engine: 'pglite', noCache: true })).rejects.toThrow('this is not a PostgreSQL project');
  });

  it("a Maven module's src/main/resources/db/migration is found (its own five levels do not count against the four)", async () => {
    const p = project({ 'services/billing/src/main/resources/db/migration/V1__init.sql': 'CREATE TABLE invoices (id bigint PRIMARY KEY);\n', 'pom.xml': '<project/>\n' });
    const notices: string[] = [];
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.invoices (');
    expect(notices.join('\n')).toContain('using services/billing/src/main/resources/db/migration/');
  });

  it('a conventional folder that is a symbolic link to nothing here is named in the error', async () => {
    // field: passionseed/ps_app and chuck146/authority-engine commit supabase/migrations -> /Users/<someone>/...
    const p = project({ 'supabase/config.toml': 'project_id = "x"\n' });
    const target = path.join(p.root, 'elsewhere', 'supabase', 'migrations'); // never created
    mkdirSync(path.join(p.root, 'supabase'), { recursive: true });
    symlinkSync(target, path.join(p.root, 'supabase', 'migrations'));
    const error = await dump({ cwd: p.root, engine: 'pglite', noCache: true }).catch((e) => e);
    expect(error.message).toContain(`supabase/migrations -> ${target} is a symbolic link to a folder that does not exist here`);
    expect(error.hint).toContain('--migrations <folder>');
  });

  it('several such folders: one clear error naming them all', async () => {
    const p = project({ ...PRISMA, 'apps/web/supabase/migrations/20240101000000_init.sql': 'create table t (id int);\n' });
    await expect(dump({ cwd: p.root, engine: 'pglite', noCache: true })).rejects.toThrow(
      'no migrations folder at the root of ' + p.root + ', and several below it: apps/web/supabase/migrations, packages/prisma/migrations',
    );
  });

  it('a folder at the root still wins, and generic names below the root are not searched', async () => {
    const p = project({ ...PRISMA, 'migrations/001_init.sql': 'CREATE TABLE root_table (id int);\n', 'services/api/migrations/001_x.sql': 'CREATE TABLE other (id int);\n' });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.sql).toContain('CREATE TABLE public.root_table (');
    expect(result.sql).not.toContain('"User"');
  });

  it("a Rust workspace crate's sqlx migrations (beside its Cargo.toml) are found by dump and init alike (field: rust-lang/docs.rs crates/lib/docs_rs_database/migrations)", async () => {
    const files = {
      'Cargo.toml': '[workspace]\nmembers = ["crates/lib/*"]\n[workspace.dependencies]\nsqlx = { version = "0.8" }\n',
      'crates/lib/app_database/Cargo.toml': '[package]\nname = "app_database"\n[dependencies]\nsqlx = { workspace = true }\n',
      'crates/lib/app_database/migrations/20231021111635_initial.up.sql': 'CREATE TABLE releases (id integer PRIMARY KEY);\n',
      'crates/lib/app_database/migrations/20231021111635_initial.down.sql': 'DROP TABLE releases;\n',
      // a crate without sqlx: its migrations folder is not sqlx's
      'crates/lib/other/Cargo.toml': '[package]\nname = "other"\n',
      'crates/lib/other/migrations/001_x.sql': 'CREATE TABLE ignored (id int);\n',
    };
    const notices: string[] = [];
    const result = await dump({ cwd: project(files).root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.releases (');
    expect(notices.join('\n')).toContain('using crates/lib/app_database/migrations/');
    const initialized = await init({ cwd: project(files).root });
    expect(initialized.detected).toMatchObject({ migrations: 'crates/lib/app_database/migrations', runner: 'sqlx', migrationCount: 1 });
    expect(initialized.config.migrations).toBe('crates/lib/app_database/migrations');
  });
});

describe("an sqlc project's schema folder", () => {
  const GOOSE = { 'sql/schema/20241022132347_users.sql': '-- +goose Up\nCREATE TABLE users (id uuid PRIMARY KEY);\n\n-- +goose Down\nDROP TABLE users;\n' };

  it('the folder sqlc.yaml names as its schema is the migrations folder, for dump and init alike (field: belovetech/gator@16c7d16, goose -dir only in a Makefile)', async () => {
    const p = project({ ...GOOSE, 'sqlc.yaml': "version: '2'\nsql:\n  - schema: 'sql/schema'\n    queries: 'sql/queries'\n    engine: 'postgresql'\n" });
    const notices: string[] = [];
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(result.sql).toContain('CREATE TABLE public.users (');
    expect(notices.join('\n')).toContain('no migrations folder at the project root: using sql/schema/, the schema folder sqlc.yaml names');
    const initialized = await init({ cwd: p.root, skipLint: true });
    expect(initialized.detected).toMatchObject({ migrations: 'sql/schema', migrationsFromSqlc: 'sqlc.yaml', runner: 'goose', migrationCount: 1 });
  });

  it('a schema file, another engine, or several folders are not taken as one history', async () => {
    const file = project({ ...GOOSE, 'sqlc.json': JSON.stringify({ version: '2', sql: [{ schema: 'sql/schema/20241022132347_users.sql', engine: 'postgresql' }, { schema: 'sql', engine: 'mysql' }] }) });
    await expect(dump({ cwd: file.root, engine: 'pglite', noCache: true })).rejects.toThrow('no migrations folder found');
    const several = project({ ...GOOSE, 'db/other/1_a.sql': 'CREATE TABLE a (id int);\n', 'sqlc.yml': 'version: "1"\npackages:\n  - schema: ["sql/schema", "db/other"]\n    engine: postgresql\n' });
    await expect(dump({ cwd: several.root, engine: 'pglite', noCache: true })).rejects.toThrow('sqlc.yml names several schema folders: sql/schema, db/other');
  });

  it('a migrations folder sqlc reads as a SQLite or MySQL schema is refused in one message, by dump and init (field: KompocikDot/cadeau@74d474b, 3 syntax errors at AUTOINCREMENT)', async () => {
    const p = project({
      'sqlc.yml': 'version: "2"\nsql:\n  - engine: "sqlite"\n    queries: "db/query.sql"\n    schema: "db/migrations/*.sql"\n',
      'db/migrations/20251224124538_users.sql': '-- migrate:up\nCREATE TABLE users(\nid INTEGER PRIMARY KEY AUTOINCREMENT\n);\n-- migrate:down\n',
    });
    const message = 'sqlc.yml reads db/migrations/ as the schema of a sqlite database: this is not a PostgreSQL project';
    await expect(dump({ cwd: p.root, engine: 'pglite', noCache: true })).rejects.toThrow(message);
    await expect(init({ cwd: p.root, skipLint: true })).rejects.toThrow(message);
  });
});
