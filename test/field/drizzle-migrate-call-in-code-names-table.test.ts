import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { resolveProject } from '../../src/config/project.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Many drizzle projects never run `drizzle-kit migrate`: their server calls drizzle-orm's migrator itself,
 * `migrate(db, { migrationsFolder: './drizzle', migrationsTable: 'my_migrations', migrationsSchema: 'public' })`
 * (drizzle-orm src/migrator.ts MigrationConfig; src/pg-core/dialect.ts migrate keeps its log in
 * migrationsSchema.migrationsTable, default drizzle.__drizzle_migrations, whatever drizzle.config says). pgdrift read
 * the log only from drizzle.config: the replay made drizzle.__drizzle_migrations, and `check` named the team's
 * public.my_migrations as drift. Now the project's migrate() call on the replayed folder names the log.
 */
const project = tempProjects();
beforeAll(() => loadSqlParser());

const journal = JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1704067200000, tag: '0000_init', breakpoints: true }] });
const migrateTs = (args: string) =>
  ["import { drizzle } from 'drizzle-orm/node-postgres';", "import { migrate } from 'drizzle-orm/node-postgres/migrator';", '', 'const db = drizzle(process.env.DATABASE_URL!);', `await migrate(db, ${args});`, ''].join('\n');
const files = (extra: Record<string, string>) => ({
  'package.json': JSON.stringify({ name: 'app', scripts: { 'db:generate': 'drizzle-kit generate', 'db:migrate': 'tsx src/db/migrate.ts' } }),
  'drizzle.config.ts': "import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'postgresql', schema: './src/db/schema.ts', out: './drizzle' });\n",
  'drizzle/meta/_journal.json': journal,
  'drizzle/0000_init.sql': 'CREATE TABLE "notes" ("id" integer PRIMARY KEY, "body" text);\n',
  ...extra,
});
// the team's database, as pg_dump has it: the app's migrate() made public.my_migrations, and no drizzle schema
const LOG = (table: string) => `CREATE TABLE public.${table} (\n    id integer NOT NULL,\n    hash text NOT NULL,\n    created_at bigint\n);\n`;
const SNAPSHOT = `--\n-- PostgreSQL database dump\n--\n\n${LOG('my_migrations')}CREATE TABLE public.notes (\n    id integer NOT NULL,\n    body text\n);\nALTER TABLE ONLY public.notes\n    ADD CONSTRAINT notes_pkey PRIMARY KEY (id);\n`;
const snapshotFile = 'docs/architecture/schema-actual-2024-01-01.sql';

describe("drizzle's migrate() called from the project's code", () => {
  it('its migrationsTable / migrationsSchema name the log: check is clean against the team database', async () => {
    const p = project(files({ 'src/db/migrate.ts': migrateTs("{ migrationsFolder: './drizzle', migrationsTable: 'my_migrations', migrationsSchema: 'public' }"), [snapshotFile]: SNAPSHOT }));
    const replay = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replay.sql).toContain('CREATE TABLE public.my_migrations (');
    expect(replay.sql).not.toContain('__drizzle_migrations');
    const result = await check({ cwd: p.root, engine: 'pglite', lint: false });
    expect(result.drift).toEqual([]);
    expect(result.notices).toBeUndefined();
  });

  it('so does a path.join(__dirname, ...) folder, from a package of a monorepo', async () => {
    const p = project({
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['apps/*'] }),
      ...Object.fromEntries(Object.entries(files({})).map(([file, text]) => [`apps/api/${file}`, text])),
      'apps/api/src/db/index.ts': [
        "import path from 'node:path';",
        "import { migrate as runMigrations } from 'drizzle-orm/postgres-js/migrator';",
        'export async function migrateDb(db) {',
        "  await runMigrations(db, { migrationsFolder: path.join(__dirname, '../../drizzle'), migrationsTable: 'my_migrations', migrationsSchema: 'public' });",
        '}',
        '',
      ].join('\n'),
    });
    const runner = resolveProject({ cwd: p.root, migrations: 'apps/api/drizzle' }).runner;
    expect(runner.bookkeeping).toEqual(['public.my_migrations']);
    expect(runner.notices).toBeUndefined();
  });

  it('a call on another folder is ignored; the one on the replayed folder counts', async () => {
    const p = project(
      files({
        'src/db/audit.ts': migrateTs("{ migrationsFolder: './audit-migrations', migrationsTable: 'audit_log', migrationsSchema: 'audit' }"),
        'src/db/migrate.ts': migrateTs("{ migrationsFolder: 'drizzle', migrationsTable: 'my_migrations', migrationsSchema: 'public' }"),
        [snapshotFile]: SNAPSHOT,
      }),
    );
    const runner = resolveProject({ cwd: p.root }).runner;
    expect(runner.bookkeeping).toEqual(['public.my_migrations']);
    expect(runner.notices).toBeUndefined();
    const result = await check({ cwd: p.root, engine: 'pglite', lint: false });
    expect(result.drift).toEqual([]);
  });

  it('a migrationsTable that is not a literal: a notice says which log the replay assumed, and check does not pass silently', async () => {
    const p = project(files({ 'src/db/migrate.ts': migrateTs("{ migrationsFolder: './drizzle', migrationsTable: process.env.MIGRATIONS_TABLE, migrationsSchema: 'public' }"), [snapshotFile]: SNAPSHOT }));
    const runner = resolveProject({ cwd: p.root }).runner;
    expect(runner.bookkeeping).toEqual(['public.__drizzle_migrations']);
    expect(runner.notices).toEqual([
      "drizzle: src/db/migrate.ts:5: migrate() on this folder names its log with a value pgdrift cannot read (migrationsTable: process.env.MIGRATIONS_TABLE): the replay creates public.__drizzle_migrations (drizzle's default), and drift may name the team's log as extra",
    ]);
  });

  it('when package.json runs drizzle-kit migrate, drizzle.config wins: a notice names both, and drift ignores both', async () => {
    const p = project(
      files({
        'package.json': JSON.stringify({ name: 'app', scripts: { 'db:migrate': 'drizzle-kit migrate' } }),
        'drizzle.config.ts': "export default { dialect: 'postgresql', out: './drizzle', migrations: { table: 'kit_log', schema: 'public' } };\n",
        'src/db/migrate.ts': migrateTs("{ migrationsFolder: './drizzle', migrationsTable: 'my_migrations', migrationsSchema: 'public' }"),
        [snapshotFile]: SNAPSHOT + LOG('kit_log'),
      }),
    );
    const result = await check({ cwd: p.root, engine: 'pglite', lint: false });
    expect(result.drift).toEqual([]);
    expect(result.notices).toEqual([
      `drizzle: src/db/migrate.ts:5: migrate() on this folder keeps its log in public.my_migrations, and the project's drizzle-kit migrate (package.json script "db:migrate") uses drizzle.config.ts's migrations (public.kit_log): the replay creates public.kit_log, and drift ignores public.my_migrations too`,
    ]);
  });

  it('without a drizzle-kit migrate script, the code call wins over drizzle.config, with a notice', () => {
    const p = project(
      files({
        'drizzle.config.ts': "export default { dialect: 'postgresql', out: './drizzle', migrations: { table: 'kit_log' } };\n",
        'src/db/migrate.ts': migrateTs("{ migrationsFolder: './drizzle', migrationsTable: 'my_migrations', migrationsSchema: 'public' }"),
      }),
    );
    const runner = resolveProject({ cwd: p.root }).runner;
    expect(runner.bookkeeping).toEqual(['public.my_migrations', 'drizzle.kit_log']);
    expect(runner.notices?.join('\n')).toContain('no package.json script, Makefile, Taskfile or justfile recipe nor Dockerfile runs drizzle-kit migrate, so the replay creates public.my_migrations, as the code does, and drift ignores drizzle.kit_log too');
  });

  // drizzle-orm 0.45.4 with PGlite: `migrate(db, config)` and `migrate(db, { ...config, migrationsTable: 'y' })` keep
  // their log where the object says; a config from elsewhere is read at run time only
  it('a const config object passed by name (`as const`) names the log: check is clean against the team database', async () => {
    const source = migrateTs('config').replace('await migrate', "const config = {\n  migrationsFolder: './drizzle',\n  migrationsTable: 'my_migrations',\n  migrationsSchema: 'public',\n} as const;\nawait migrate");
    const p = project(files({ 'src/db/migrate.ts': source, [snapshotFile]: SNAPSHOT }));
    const result = await check({ cwd: p.root, engine: 'pglite', lint: false });
    expect(result.drift).toEqual([]);
    expect(result.notices).toBeUndefined();
  });

  it('a config pgdrift cannot read (imported): a notice says so, and check does not pass silently', async () => {
    const p = project(files({ 'src/db/migrate.ts': "import { config } from './config';\n" + migrateTs('config'), 'src/db/config.ts': "export const config = { migrationsFolder: './drizzle', migrationsTable: 'my_migrations', migrationsSchema: 'public' };\n", [snapshotFile]: SNAPSHOT }));
    const result = await check({ cwd: p.root, engine: 'pglite', lint: false });
    expect(result.drift.length).toBeGreaterThan(0);
    expect(result.notices).toEqual([
      "drizzle: src/db/migrate.ts:6: migrate() is given a config pgdrift cannot read (config): if it applies this folder with its own migrationsTable or migrationsSchema, the team's log is there, not in drizzle.__drizzle_migrations, and drift may name it as extra",
    ]);
  });

  it("a container's absolute folder (/app/drizzle, a Dockerfile's WORKDIR) is the project's drizzle/, with a notice", () => {
    const p = project(files({ 'src/db/migrate.ts': migrateTs("{ migrationsFolder: '/app/drizzle', migrationsTable: 'my_migrations', migrationsSchema: 'public' }"), Dockerfile: 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "dist/db/migrate.js"]\n' }));
    const runner = resolveProject({ cwd: p.root }).runner;
    expect(runner.bookkeeping).toEqual(['public.my_migrations']);
    expect(runner.notices).toEqual([
      "drizzle: src/db/migrate.ts:5: migrate() names migrationsFolder /app/drizzle, a path outside the repository (a container's copy of it): pgdrift takes it as drizzle, the project's folder of that name",
    ]);
  });

  it('drizzle-kit migrate in a Dockerfile RUN, CMD or ENTRYPOINT (shell or exec form) counts as in a package.json script: drizzle.config wins', () => {
    const dockerfiles = {
      shell: ['FROM node:20 AS deps', 'WORKDIR /app', 'COPY . .', 'RUN npm ci', '', 'FROM deps AS migrate', 'RUN cd /app \\', '    && npx drizzle-kit migrate', ''],
      exec: ['FROM node:20', 'WORKDIR /app', 'COPY . .', 'CMD ["npx", "drizzle-kit", "migrate"]', ''],
      entrypoint: ['FROM node:20', 'COPY . /app', 'ENTRYPOINT ["npx"]', 'CMD ["drizzle-kit", "migrate"]', ''],
      sh: ['FROM node:20', 'ENTRYPOINT ["/bin/sh", "-c", "pnpm drizzle-kit migrate && node dist/server.js"]', ''],
    };
    const where = { shell: 'Dockerfile:7 (RUN)', exec: 'Dockerfile:4 (CMD)', entrypoint: 'Dockerfile:3 (ENTRYPOINT with the CMD of line 4)', sh: 'Dockerfile:2 (ENTRYPOINT)' };
    for (const [form, lines] of Object.entries(dockerfiles)) {
      const p = project(
        files({
          'drizzle.config.ts': "export default { dialect: 'postgresql', out: './drizzle', migrations: { table: 'kit_log', schema: 'public' } };\n",
          Dockerfile: lines.join('\n'),
          'src/db/migrate.ts': migrateTs("{ migrationsFolder: './drizzle', migrationsTable: 'my_migrations', migrationsSchema: 'public' }"),
        }),
      );
      const runner = resolveProject({ cwd: p.root }).runner;
      expect(runner.bookkeeping, form).toEqual(['public.kit_log', 'public.my_migrations']);
      expect(runner.notices, form).toEqual([
        `drizzle: src/db/migrate.ts:5: migrate() on this folder keeps its log in public.my_migrations, and the project's drizzle-kit migrate (${where[form as keyof typeof where]}) uses drizzle.config.ts's migrations (public.kit_log): the replay creates public.kit_log, and drift ignores public.my_migrations too`,
      ]);
    }
  });

  it('drizzle-kit migrate in a Makefile recipe counts as in a package.json script: drizzle.config wins', () => {
    const p = project(
      files({
        'drizzle.config.ts': "export default { dialect: 'postgresql', out: './drizzle', migrations: { table: 'kit_log', schema: 'public' } };\n",
        Makefile: 'migrate:\n\tnpx drizzle-kit migrate\n',
        'src/db/migrate.ts': migrateTs("{ migrationsFolder: './drizzle', migrationsTable: 'my_migrations', migrationsSchema: 'public' }"),
      }),
    );
    const runner = resolveProject({ cwd: p.root }).runner;
    expect(runner.bookkeeping).toEqual(['public.kit_log', 'public.my_migrations']);
    expect(runner.notices).toEqual([
      "drizzle: src/db/migrate.ts:5: migrate() on this folder keeps its log in public.my_migrations, and the project's drizzle-kit migrate (Makefile:2 (target migrate)) uses drizzle.config.ts's migrations (public.kit_log): the replay creates public.kit_log, and drift ignores public.my_migrations too",
    ]);
  });
});
