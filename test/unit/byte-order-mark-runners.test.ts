import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';

const project = tempProjects();
const BOM = '\uFEFF';

/**
 * A migration saved with a UTF-8 byte order mark (an editor's "UTF-8 with BOM"). Each runner below keeps the mark:
 * golang-migrate (golang-migrate/migrate#1136), drizzle, Prisma and the Supabase CLI send it to Postgres, goose's and dbmate's readers take it for text
 * where they look for their annotations and fail. The replay must fail there too, at 1:1, not apply the file as
 * pgdrift reads it (without the mark) and call the history clean.
 */
describe('a migration that starts with a byte order mark', () => {
  const cases: Array<{ runner: string; files: Record<string, string>; failing: string; says: RegExp }> = [
    {
      runner: 'golang-migrate',
      files: {
        'migrations/000001_t.up.sql': 'CREATE TABLE t (a int);\n',
        'migrations/000001_t.down.sql': 'DROP TABLE t;\n',
        'migrations/000002_u.up.sql': `${BOM}CREATE TABLE u (a int);\n`,
        'migrations/000002_u.down.sql': 'DROP TABLE u;\n',
      },
      failing: 'migrations/000002_u.up.sql',
      says: /which golang-migrate sends to Postgres with the SQL/,
    },
    {
      runner: 'drizzle',
      files: {
        'drizzle/meta/_journal.json': JSON.stringify({
          version: '7',
          dialect: 'postgresql',
          entries: [
            { idx: 0, version: '7', when: 1700000000000, tag: '0000_t', breakpoints: true },
            { idx: 1, version: '7', when: 1700000001000, tag: '0001_u', breakpoints: true },
          ],
        }),
        'drizzle/0000_t.sql': 'CREATE TABLE t (a int);\n',
        'drizzle/0001_u.sql': `${BOM}CREATE TABLE u (a int);\n`,
      },
      failing: 'drizzle/0001_u.sql',
      says: /which drizzle sends to Postgres with the SQL/,
    },
    {
      runner: 'supabase',
      files: {
        'supabase/migrations/20240101000000_t.sql': 'CREATE TABLE t (a int);\n',
        'supabase/migrations/20240102000000_u.sql': `${BOM}-- the second\nCREATE TABLE u (a int);\n`,
      },
      failing: 'supabase/migrations/20240102000000_u.sql',
      says: /which supabase sends to Postgres with the SQL/,
    },
    {
      runner: 'prisma',
      files: {
        'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
        'prisma/migrations/20240101000000_t/migration.sql': 'CREATE TABLE t (a int);\n',
        'prisma/migrations/20240102000000_u/migration.sql': `${BOM}-- CreateTable\nCREATE TABLE u (a int);\n`,
      },
      failing: 'prisma/migrations/20240102000000_u/migration.sql',
      says: /which prisma sends to Postgres with the SQL/,
    },
    {
      // diesel_migrations file_based_migrations.rs run_sql_from_file: read_to_string, then batch_execute of the text
      runner: 'diesel',
      files: {
        'migrations/2024-01-01-000000_t/up.sql': 'CREATE TABLE t (a int);\n',
        'migrations/2024-01-02-000000_u/up.sql': `${BOM}-- Your SQL goes here\nCREATE TABLE u (a int);\n`,
        'migrations/2024-01-02-000000_u/down.sql': 'DROP TABLE u;\n',
      },
      failing: 'migrations/2024-01-02-000000_u/up.sql',
      says: /which diesel sends to Postgres with the SQL/,
    },
    {
      runner: 'goose',
      files: {
        'migrations/00001_t.sql': '-- +goose Up\nCREATE TABLE t (a int);\n',
        'migrations/00002_u.sql': `${BOM}-- +goose Up\nCREATE TABLE u (a int);\n\n-- +goose Down\nDROP TABLE u;\n`,
      },
      failing: 'migrations/00002_u.sql',
      says: /which goose refuses: .*"-- \+goose" annotation/,
    },
    {
      runner: 'dbmate',
      files: {
        'db/migrations/20240101000000_t.sql': '-- migrate:up\nCREATE TABLE t (a int);\n\n-- migrate:down\nDROP TABLE t;\n',
        'db/migrations/20240102000000_u.sql': `${BOM}-- migrate:up\nCREATE TABLE u (a int);\n\n-- migrate:down\nDROP TABLE u;\n`,
      },
      failing: 'db/migrations/20240102000000_u.sql',
      says: /which dbmate refuses: .*-- migrate:up/,
    },
    {
      // tern's LoadMigrations reads the file with fs.ReadFile; strings.TrimSpace keeps U+FEFF (not a space to Go)
      runner: 'tern',
      files: {
        'migrations/001_t.sql': 'CREATE TABLE t (a int);\n\n---- create above / drop below ----\n\nDROP TABLE t;\n',
        'migrations/002_u.sql': `${BOM}CREATE TABLE u (a int);\n\n---- create above / drop below ----\n\nDROP TABLE u;\n`,
      },
      failing: 'migrations/002_u.sql',
      says: /which tern sends to Postgres with the SQL/,
    },
  ];

  for (const { runner, files, failing, says } of cases) {
    it(`fails at 1:1 with ${runner}, as ${runner} does, and applies nothing of it`, async () => {
      const p = project({ 'pgdrift.config.json': JSON.stringify({ runner }), ...files });
      const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, keepGoing: true });
      expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.column])).toEqual([[failing, 1, 1]]);
      expect(result.report.migrationFailures[0].message).toMatch(says);
      expect(result.sql).toContain('CREATE TABLE public.t');
      expect(result.sql).not.toContain('CREATE TABLE public.u');
    });
  }

  it('a byte order mark anywhere but at the start is no concern of the runners: goose applies such a file', async () => {
    const p = project({
      'pgdrift.config.json': JSON.stringify({ runner: 'goose' }),
      'migrations/00001_t.sql': `-- +goose Up\n-- ${BOM} in a comment\nCREATE TABLE t (a int);\n`,
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.t');
  });
});
