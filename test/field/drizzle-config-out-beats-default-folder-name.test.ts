import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Sweep of drizzle-kit projects (sweep-prisma-drizzle; shape of ixartz/SaaS-Boilerplate and vercel/ai-chatbot, whose
 * drizzle.config.ts `out` names ./migrations and ./lib/db/migrations): a project whose drizzle.config.ts writes to
 * ./src/db/migrations and that still has an older drizzle/ folder with its own journal (drizzle-kit's default `out`,
 * left behind after the config moved). `drizzle-kit migrate` applies the config's `out` (drizzle-kit reads
 * drizzle.config.ts in the folder it runs in); pgdrift took drizzle/, a folder name it knows, and replayed the stale
 * history: a schema that is not the team's, with no word of the config.
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

const journal = (tag: string) => JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1700000000000, tag, breakpoints: true }] });

describe("drizzle.config.ts's out against a stale drizzle/ folder", () => {
  it('the folder the config names is replayed', async () => {
    const p = project({
      'drizzle.config.ts': 'import { defineConfig } from "drizzle-kit";\nexport default defineConfig({ out: "./src/db/migrations", dialect: "postgresql", schema: "./src/db/schema.ts" });\n',
      'drizzle/meta/_journal.json': journal('0000_old'),
      'drizzle/0000_old.sql': 'CREATE TABLE "old_users" ("id" serial PRIMARY KEY);\n',
      'src/db/migrations/meta/_journal.json': journal('0000_init'),
      'src/db/migrations/0000_init.sql': 'CREATE TABLE "users" ("id" serial PRIMARY KEY);\n',
    });
    const notices: string[] = [];
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(result.sql).toContain('CREATE TABLE public.users');
    expect(result.sql).not.toContain('old_users');
    expect(notices.join('\n')).toContain('src/db/migrations/, named by drizzle.config.ts out');
  });

  it('a config for another database, or whose out has no journal, leaves the folder found', async () => {
    const sqlite = project({
      'drizzle.config.ts': 'export default { out: "./local", dialect: "sqlite" };\n',
      'drizzle/meta/_journal.json': journal('0000_init'),
      'drizzle/0000_init.sql': 'CREATE TABLE "users" ("id" serial PRIMARY KEY);\n',
      'local/meta/_journal.json': journal('0000_local').replace('postgresql', 'sqlite'),
      'local/0000_local.sql': 'CREATE TABLE `other` (`id` integer);\n',
    });
    expect((await dump({ cwd: sqlite.root, engine: 'pglite', noCache: true })).sql).toContain('CREATE TABLE public.users');
    const missing = project({
      'drizzle.config.ts': 'export default { out: "./db/out", dialect: "postgresql" };\n',
      'drizzle/meta/_journal.json': journal('0000_init'),
      'drizzle/0000_init.sql': 'CREATE TABLE "users" ("id" serial PRIMARY KEY);\n',
    });
    const notices: string[] = [];
    expect((await dump({ cwd: missing.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) })).sql).toContain('CREATE TABLE public.users');
    // drizzle-kit migrate would fail on the config's out: the replayed drizzle/ may not be the team's history
    expect(notices.join('\n')).toContain('drizzle: drizzle.config.ts names out db/out/, which holds no migrations journal');
  });

  it("no word of the config's out when a migrate() call in the code applies the folder found", async () => {
    const p = project({
      'drizzle.config.ts': 'export default { out: "./db/out", dialect: "postgresql" };\n',
      'drizzle/meta/_journal.json': journal('0000_init'),
      'drizzle/0000_init.sql': 'CREATE TABLE "users" ("id" serial PRIMARY KEY);\n',
      'package.json': '{"dependencies":{"drizzle-orm":"0.45.0"}}',
      'src/migrate.ts': 'import { migrate } from "drizzle-orm/node-postgres/migrator";\nawait migrate(db, { migrationsFolder: "./drizzle" });\n',
    });
    const notices: string[] = [];
    await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(notices.join('\n')).not.toContain('holds no migrations journal');
  });
});
