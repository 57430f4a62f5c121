import path from 'node:path';
import { describe, expect, it } from 'vitest';
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

  it('drizzle.config.json', () => {
    const p = project({ 'drizzle.config.json': JSON.stringify({ out: './db', migrations: { table: 'log', schema: 'ops' } }) });
    expect(drizzleMigrationsLog(path.join(p.root, 'db'), p.root)).toEqual({ file: 'drizzle.config.json', table: 'log', schema: 'ops' });
  });

  it('no config: undefined', () => {
    const p = project({ 'drizzle/meta/_journal.json': journal });
    expect(drizzleMigrationsLog(path.join(p.root, 'drizzle'), p.root)).toBeUndefined();
  });
});
