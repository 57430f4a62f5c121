import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';

const project = tempProjects();

/**
 * dbmate records each migration in `<current_schema()>.schema_migrations` when neither its table name nor the URL's
 * search_path names a schema (amacneil/dbmate pkg/driver/postgres/postgres.go migrationsTableNameParts, db.go
 * Migrate). Every expectation here is what dbmate 2.36.0 left in a new PostgreSQL 15 database for the same files.
 */
describe("dbmate's record of a migration whose SET search_path moves current_schema()", () => {
  const files = (up: string, extra: Record<string, string> = {}) => ({
    'db/migrations/20240101000000_a.sql': '-- migrate:up\nCREATE TABLE a1 (i int);\n-- migrate:down\n',
    'db/migrations/20240107000000_sp.sql': `${up}\nCREATE SCHEMA s1;\nSET search_path TO s1;\nCREATE TABLE a7 (i int);\n-- migrate:down\n`,
    'db/migrations/20240108000000_after.sql': '-- migrate:up\nCREATE TABLE a8 (i int);\n-- migrate:down\n',
    ...extra,
  });

  it('fails at the migration as dbmate does (42P01 on its INSERT), its transaction rolled back, nothing after it applied', async () => {
    const result = await dump({ cwd: project(files('-- migrate:up')).root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate, f.message])).toEqual([
      ['db/migrations/20240107000000_sp.sql', 2, '42P01', 'relation "s1.schema_migrations" does not exist'],
    ]);
    expect(result.sql).toContain('CREATE TABLE public.a1');
    expect(result.sql).not.toContain('s1');
  });

  it('with transaction:false what the section ran stays, and dbmate stops there', async () => {
    const result = await dump({ cwd: project(files('-- migrate:up transaction:false')).root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['db/migrations/20240107000000_sp.sql', '42P01']]);
    expect(result.sql).toContain('CREATE TABLE s1.a7');
    expect(result.sql).not.toContain('a8');
  });

  it('a schema in the table name (or the URL) is where dbmate records: the SET then reaches the next file on its one connection', async () => {
    const result = await dump({ cwd: project(files('-- migrate:up', { '.env': 'DBMATE_MIGRATIONS_TABLE=public.schema_migrations\n' })).root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE s1.a8');
  });

  it('a migration that sets search_path back records in public', async () => {
    const reset = project({ ...files('-- migrate:up'), 'db/migrations/20240107000000_sp.sql': '-- migrate:up\nCREATE SCHEMA s1;\nSET search_path TO s1;\nCREATE TABLE a7 (i int);\nRESET search_path;\n-- migrate:down\n' });
    const clean = await dump({ cwd: reset.root, engine: 'pglite', noCache: true });
    expect(clean.report.migrationFailures).toEqual([]);
    expect(clean.sql).toContain('CREATE TABLE s1.a7');
    expect(clean.sql).toContain('CREATE TABLE public.a8');
  });
});
