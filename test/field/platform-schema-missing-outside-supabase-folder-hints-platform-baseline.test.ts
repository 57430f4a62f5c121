import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';

// Prisma on a Supabase database (schema.prisma `schemas = ["auth", "public"]`, a pooler.supabase.com URL: a pattern
// the field's schema.prisma files and READMEs show) references auth.users from prisma/migrations: pgdrift cannot tell
// from the folder that the database is on Supabase, and the failure said only 3F000 schema "auth" does not exist,
// with no word of "platformBaseline", which makes auth.users. Other missing schemas get no such hint.
const project = tempProjects();
const lock = 'provider = "postgresql"\n';

describe('a Prisma migration that references the Supabase platform', () => {
  it('fails on the missing auth schema with a hint naming "platformBaseline"', async () => {
    const root = project({
      'prisma/migrations/migration_lock.toml': lock,
      'prisma/migrations/20240101000000_profiles/migration.sql':
        'CREATE TABLE "profiles" ("id" UUID NOT NULL, CONSTRAINT "profiles_pkey" PRIMARY KEY ("id"));\nALTER TABLE "profiles" ADD CONSTRAINT "profiles_id_fkey" FOREIGN KEY ("id") REFERENCES auth.users("id");\n',
    }).root;
    const { report } = await dump({ cwd: root, engine: 'pglite', noCache: true });
    expect(report.migrationFailures).toHaveLength(1);
    expect(report.migrationFailures[0].sqlstate).toBe('3F000');
    expect(report.migrationFailures[0].hint).toContain('auth is a schema of the Supabase platform: if the database is on Supabase, set "platformBaseline": true in pgdrift.config.json');
    // so set, it replays
    const on = await dump({ cwd: project({ 'pgdrift.config.json': '{"platformBaseline": true}', 'prisma/migrations/migration_lock.toml': lock, 'prisma/migrations/20240101000000_profiles/migration.sql': 'CREATE TABLE "profiles" ("id" UUID NOT NULL REFERENCES auth.users("id"));\n' }).root, engine: 'pglite', noCache: true });
    expect(on.report.migrationFailures).toEqual([]);
  });

  it('a schema of the team\'s own is not taken for the platform\'s', async () => {
    const root = project({
      'prisma/migrations/migration_lock.toml': lock,
      'prisma/migrations/20240101000000_a/migration.sql': 'CREATE TABLE billing.invoices (id int PRIMARY KEY);\n',
    }).root;
    const { report } = await dump({ cwd: root, engine: 'pglite', noCache: true });
    expect(report.migrationFailures[0].sqlstate).toBe('3F000');
    expect(report.migrationFailures[0].hint ?? '').not.toContain('platformBaseline');
  });
});
