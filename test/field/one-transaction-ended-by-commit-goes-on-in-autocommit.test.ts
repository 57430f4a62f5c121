import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { SERVER_URL } from '../helpers/postgres.js';
import { tempProjects } from '../helpers/project.js';

// Field: simstudioai/sim packages/db/migrations (drizzle, 300 files) ends drizzle's one transaction with a
// `COMMIT;--> statement-breakpoint` chunk before each CREATE/DROP INDEX CONCURRENTLY (its scripts/migrate.ts says so).
// drizzle-orm pg-core dialect.ts migrate() executes every chunk as a query of its own inside one
// session.transaction(): after the COMMIT each chunk runs in autocommit, the later files too (no new BEGIN). The
// replay sent the file as one query (the CONCURRENTLY statement then sat in the query's implicit transaction block:
// 25001) and opened a new transaction two files later: 23 false failures on that history. node-pg-migrate sends BEGIN
// once (runner.ts) and no other (migration.ts `_apply` in single-transaction mode): the same for its later files.
const project = tempProjects();
const journal = (tags: string[]) =>
  JSON.stringify({ version: '7', dialect: 'postgresql', entries: tags.map((tag, idx) => ({ idx, version: '7', when: 1700000000000 + idx, tag, breakpoints: true })) });

const init = `CREATE TYPE "status" AS ENUM('active', 'inactive');--> statement-breakpoint\nCREATE TABLE "items" ("id" serial PRIMARY KEY, "status" "status", "n" int);\n`;
const drizzleFiles = {
  '0000_init': init,
  // sim's convention: COMMIT, then CONCURRENTLY in later chunks of the same file
  '0001_index': `ALTER TABLE "items" ADD COLUMN "m" int;--> statement-breakpoint\nCOMMIT;--> statement-breakpoint\nSET lock_timeout = 0;--> statement-breakpoint\nCREATE INDEX CONCURRENTLY IF NOT EXISTS "items_n_idx" ON "items" USING btree ("n");--> statement-breakpoint\nSET lock_timeout = '5s';\n`,
  '0002_more': `CREATE TABLE "more" ("id" int);\n`,
  // two files after the COMMIT: drizzle opened no other transaction, so this applies too
  '0003_index': `CREATE INDEX CONCURRENTLY IF NOT EXISTS "more_id_idx" ON "more" USING btree ("id");\n`,
  // and an enum value added after the COMMIT is committed before the next file uses it
  '0004_value': `ALTER TYPE "status" ADD VALUE 'archived';\n`,
  '0005_use': `ALTER TABLE "items" ALTER COLUMN "status" SET DEFAULT 'archived';\n`,
};

function drizzleProject() {
  const files: Record<string, string> = { 'drizzle/meta/_journal.json': journal(Object.keys(drizzleFiles)) };
  for (const [tag, text] of Object.entries(drizzleFiles)) files[`drizzle/${tag}.sql`] = text;
  return project(files).root;
}

describe.each([
  ['pglite', {}],
  ['server', { databaseUrl: SERVER_URL }],
] as const)('a file\'s own COMMIT ends the runner\'s one transaction, on %s', (engine, extra) => {
  it('drizzle: the chunks after it and every later file run in autocommit, as migrate() sends them', async () => {
    const result = await dump({ cwd: drizzleProject(), engine, ...extra, noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.status)).toEqual(Array(6).fill('applied'));
    expect(result.sql).toContain('CREATE INDEX items_n_idx ON public.items');
    expect(result.sql).toContain('CREATE INDEX more_id_idx ON public.more');
    expect(result.sql).toContain("DEFAULT 'archived'::public.status");
  });

  it('drizzle: a failing chunk after the COMMIT is reported at its line; the chunks before it stay committed', async () => {
    const cwd = project({
      'drizzle/meta/_journal.json': journal(['0000_init', '0001_commit']),
      'drizzle/0000_init.sql': init,
      'drizzle/0001_commit.sql': `COMMIT;--> statement-breakpoint\nCREATE TABLE "kept" ("id" int);--> statement-breakpoint\nALTER TABLE "missing" ADD COLUMN "x" int;\n`,
    }).root;
    const result = await dump({ cwd, engine, ...extra, noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['drizzle/0001_commit.sql', 3, '42P01']]);
    expect(result.sql).toContain('CREATE TABLE public.items');
    expect(result.sql).toContain('CREATE TABLE public.kept');
  });

  it('node-pg-migrate: the files after it run with no transaction around them (one query each)', async () => {
    const cwd = project({
      'package.json': JSON.stringify({ dependencies: { 'node-pg-migrate': '^7.6.1' } }),
      'migrations/1700000000000_init.sql': `-- Up Migration\nCREATE TABLE items (id int, n int);\nCOMMIT;\n-- Down Migration\nDROP TABLE items;\n`,
      'migrations/1700000000001_more.sql': `-- Up Migration\nCREATE TABLE more (id int);\n`,
      'migrations/1700000000002_index.sql': `-- Up Migration\nCREATE INDEX CONCURRENTLY items_n_idx ON items (n);\n`,
    }).root;
    const result = await dump({ cwd, engine, ...extra, noCache: true, runner: 'node-pg-migrate', migrations: 'migrations' });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE INDEX items_n_idx ON public.items');
  });
});

describe('before the COMMIT, the runner\'s one transaction still holds', () => {
  it('drizzle: CONCURRENTLY in a file before any COMMIT fails (25001)', async () => {
    const cwd = project({
      'drizzle/meta/_journal.json': journal(['0000_init', '0001_index']),
      'drizzle/0000_init.sql': init,
      'drizzle/0001_index.sql': `SET lock_timeout = 0;--> statement-breakpoint\nCREATE INDEX CONCURRENTLY "items_n_idx" ON "items" ("n");\n`,
    }).root;
    const result = await dump({ cwd, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['drizzle/0001_index.sql', 2, '25001']]);
  });
});
