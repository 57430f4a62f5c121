import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/commands/lint.js';
import { drizzleMigrationsLog } from '../../src/runners/drizzle-config.js';
import { tempProjects } from '../helpers/project.js';

/**
 * drizzle.config's `migrations: { table, schema }` (https://orm.drizzle.team/docs/drizzle-config-file#migrations),
 * read from the file as written, never run.
 */
const project = tempProjects();

const journal = JSON.stringify({ version: '7', dialect: 'postgresql', entries: [] });

describe('drizzleMigrationsLog', () => {
  it('reads table and schema from a defineConfig call with comments (Tanvir04khan/IM-Stack apps/imstack_api)', () => {
    const p = project({
      'drizzle.config.ts': `import { defineConfig } from "drizzle-kit";

const DB_URL = process.env.POSTGRES_URL;

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/database/schema.ts",
  migrations: {
    table: "migrations_custom", // default \`__drizzle_migrations\`,
    schema: "imstack",
  },
  out: "./src/database",
  dbCredentials: {
    url: DB_URL ?? "",
  },
});
`,
      'src/database/meta/_journal.json': journal,
    });
    expect(drizzleMigrationsLog(path.join(p.root, 'src/database'), p.root)).toEqual({ file: 'drizzle.config.ts', table: 'migrations_custom', schema: 'imstack' });
  });

  it('the config a package.json script `drizzle-kit migrate --config <file>` names, its out read from the script folder (field: Dokploy/dokploy apps/dokploy server/db/drizzle.config.ts)', () => {
    const config = `export default defineConfig({\n\tschema: "./server/db/schema/index.ts",\n\tdialect: "postgresql",\n\tout: "drizzle",\n\tmigrations: {\n\t\ttable: "migrations",\n\t\tschema: "public",\n\t},\n});\n`;
    const p = project({
      'apps/web/package.json': JSON.stringify({ scripts: { 'migration:generate': 'drizzle-kit generate --config ./server/db/drizzle.config.ts', 'db:migrate': 'drizzle-kit migrate --config ./server/db/drizzle.config.ts' } }),
      'apps/web/server/db/drizzle.config.ts': config,
      'apps/web/drizzle/meta/_journal.json': journal,
      'apps/api/package.json': JSON.stringify({ scripts: { 'migration:generate': 'drizzle-kit generate --config=./server/db/drizzle.config.ts' } }),
      'apps/api/server/db/drizzle.config.ts': config,
      'apps/api/drizzle/meta/_journal.json': journal,
    });
    expect(drizzleMigrationsLog(path.join(p.root, 'apps/web/drizzle'), p.root)).toEqual({ file: 'apps/web/server/db/drizzle.config.ts', table: 'migrations', schema: 'public' });
    // only `drizzle-kit generate` names it: the migrations are applied some other way (Dokploy: migrate() in migration.ts)
    expect(drizzleMigrationsLog(path.join(p.root, 'apps/api/drizzle'), p.root)).toBeUndefined();
  });

  it('the nearest config above the folder, one-line object (triggerdotdev/trigger.dev internal-packages/dashboard-agent-db)', () => {
    const p = project({
      'internal-packages/db/drizzle.config.ts': `export default defineConfig({
  schema: "./src/schema.ts",
  out: "./drizzle",
  // Own journal table so dev and deploy share one history; migrations: { table: "not_this" } in a comment is no setting
  migrations: { table: "__dashboard_agent_migrations", schema: "drizzle" },
  dbCredentials: { url },
});
`,
      'internal-packages/db/drizzle/meta/_journal.json': journal,
    });
    expect(drizzleMigrationsLog(path.join(p.root, 'internal-packages/db/drizzle'), p.root)).toEqual({
      file: 'internal-packages/db/drizzle.config.ts',
      table: '__dashboard_agent_migrations',
      schema: 'drizzle',
    });
  });

  it('a value computed at run time leaves drizzle\'s default; keys of nested objects do not count', () => {
    const p = project({
      'drizzle.config.ts': `export default {
  out: './drizzle',
  migrations: { table: process.env.MIGRATIONS_TABLE!, extra: { schema: 'nested' }, schema: \`app\` },
} satisfies Config;
`,
    });
    expect(drizzleMigrationsLog(path.join(p.root, 'drizzle'), p.root)).toEqual({ file: 'drizzle.config.ts', table: undefined, schema: 'app' });
  });

  it('a config whose out is another folder is not this one\'s; out left out means ./drizzle', () => {
    const p = project({
      'drizzle.config.ts': `export default { out: './migrations/landlord', migrations: { schema: 'landlord' } };\n`,
    });
    expect(drizzleMigrationsLog(path.join(p.root, 'drizzle'), p.root)).toBeUndefined();
    const q = project({ 'drizzle.config.js': `module.exports = { schema: './schema.js', migrations: { table: 'log' } };\n` });
    expect(drizzleMigrationsLog(path.join(q.root, 'drizzle'), q.root)).toEqual({ file: 'drizzle.config.js', table: 'log', schema: undefined });
  });

  it('a config drizzle-kit reads through --config (drizzle.auth.config.ts) whose literal out is the folder (field: rajput-hemant/lipi)', () => {
    // lipi: "db:auth": "drizzle-kit migrate --config drizzle.auth.config.ts", out ./lib/db/auth-migrations, beside the
    // default drizzle.config.ts for ./lib/db/migrations
    const p = project({
      'drizzle.config.ts': `export default { schema: "./lib/db/schema", out: "./lib/db/migrations", dialect: "postgresql" } satisfies Config;\n`,
      'drizzle.auth.config.ts': `export default {\n  schema: "./lib/db/schema/auth.ts",\n  out: "./lib/db/auth-migrations",\n  dialect: "postgresql",\n  migrations: { table: "__lipi_auth_migrations", schema: "drizzle" },\n} satisfies Config;\n`,
      'drizzle.config.prod.ts': `export default { out: "./elsewhere", migrations: { table: "other" } };\n`,
    });
    expect(drizzleMigrationsLog(path.join(p.root, 'lib/db/auth-migrations'), p.root)).toEqual({ file: 'drizzle.auth.config.ts', table: '__lipi_auth_migrations', schema: 'drizzle' });
    // the default config still decides its own folder; a named config without a literal out is no one's
    expect(drizzleMigrationsLog(path.join(p.root, 'lib/db/migrations'), p.root)).toEqual({ file: 'drizzle.config.ts', table: undefined, schema: undefined });
    const q = project({ 'drizzle.tenant.config.ts': `export default { out: process.env.OUT, migrations: { table: "t" } };\n` });
    expect(drizzleMigrationsLog(path.join(q.root, 'drizzle'), q.root)).toBeUndefined();
  });

  it('drizzle.config.json', () => {
    const p = project({ 'drizzle.config.json': JSON.stringify({ out: './db', migrations: { table: 'log', schema: 'ops' } }) });
    expect(drizzleMigrationsLog(path.join(p.root, 'db'), p.root)).toEqual({ file: 'drizzle.config.json', table: 'log', schema: 'ops' });
  });

  it('no config: undefined', () => {
    const p = project({ 'drizzle/meta/_journal.json': journal });
    expect(drizzleMigrationsLog(path.join(p.root, 'drizzle'), p.root)).toBeUndefined();
  });
});

describe('migrations.prefix: the names drizzle-kit generate gives the files', () => {
  // drizzle-kit src/utils/words.ts prepareMigrationMetadata: timestamp/supabase YYYYMMDDHHMMSS, unix seconds, none ''
  const files = (prefix: string, tags: string[]) => ({
    'drizzle.config.ts': `export default defineConfig({\n  dialect: "postgresql",\n  out: "./db/migrations",\n  migrations: {\n    prefix: "${prefix}",\n    table: "__drizzle_migrations__",\n    schema: "public",\n  },\n});\n`,
    'db/migrations/meta/_journal.json': JSON.stringify({ version: '7', dialect: 'postgresql', entries: tags.map((tag, idx) => ({ idx, version: '7', when: 1710246896000 + idx, tag, breakpoints: true })) }),
    ...Object.fromEntries(tags.map((tag, i) => [`db/migrations/${tag}.sql`, i === 0 ? 'CREATE TABLE "t" ("id" bigint PRIMARY KEY);\n' : `ALTER TABLE "t" ADD COLUMN "c${i}" text;\n`])),
  });

  it('is read with table and schema', () => {
    const p = project(files('timestamp', []));
    expect(drizzleMigrationsLog(path.join(p.root, 'db/migrations'), p.root)).toMatchObject({ prefix: 'timestamp', table: '__drizzle_migrations__', schema: 'public' });
  });

  it.each([
    ['timestamp', ['20240312123456_brave_hero', '20240313123456_calm_storm']],
    ['supabase', ['20240312123456_brave_hero', '20240313123456_calm_storm']],
    ['unix', ['1710246896_brave_hero', '1710333296_calm_storm']],
    ['none', ['_brave_hero', '_calm_storm']],
  ])('%s: drizzle-kit\'s own names are not reported by file-name', async (prefix, tags) => {
    const result = await lint({ cwd: project(files(prefix, tags)).root, migrations: 'db/migrations' });
    expect(result.findings.filter((f) => f.rule === 'file-name')).toEqual([]);
  });

  it('the default (index) still reports a name drizzle-kit would not give', async () => {
    const p = project({ ...files('index', ['0000_brave_hero']), 'drizzle.config.ts': 'export default defineConfig({ out: "./db/migrations" });\n' });
    p.write('db/migrations/meta/_journal.json', JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1, tag: '0000_brave_hero', breakpoints: true }, { idx: 1, version: '7', when: 2, tag: '20240313123456_calm', breakpoints: true }] }));
    p.write('db/migrations/20240313123456_calm.sql', 'SELECT 1;\n');
    const result = await lint({ cwd: p.root, migrations: 'db/migrations' });
    expect(result.findings.filter((f) => f.rule === 'file-name').map((f) => f.file)).toEqual(['db/migrations/20240313123456_calm.sql']);
  });
});
