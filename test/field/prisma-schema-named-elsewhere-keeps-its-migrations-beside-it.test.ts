import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Sweep of Prisma projects (sweep-prisma-drizzle; shape of baptisteArno/typebot.io packages/prisma, whose scripts pass
 * `--schema postgresql/schema.prisma`, and trigger.dev internal-packages/run-ops-database, `prisma migrate deploy
 * --schema prisma/schema.prisma`): `prisma migrate deploy --schema db/schema.prisma` (or package.json's
 * `"prisma": { "schema": "db/schema.prisma" }`) applies db/migrations, the folder beside the schema (prisma/prisma
 * inferDirectoryConfig). pgdrift took prisma/migrations, a folder name it knows, left from before the schema moved:
 * the stale history's schema, not the team's, with no word of it.
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

const files = (packageJson: object) => ({
  'package.json': JSON.stringify(packageJson),
  'db/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n',
  'db/migrations/migration_lock.toml': 'provider = "postgresql"\n',
  'db/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "User" ("id" SERIAL PRIMARY KEY);\n',
  'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
  'prisma/migrations/20230101000000_old/migration.sql': 'CREATE TABLE "OldUser" ("id" SERIAL PRIMARY KEY);\n',
});

describe('a Prisma schema named elsewhere than prisma/schema.prisma', () => {
  it('the --schema of the migrate deploy script: the migrations beside it are replayed', async () => {
    const p = project(files({ scripts: { 'db:deploy': 'prisma migrate deploy --schema=./db/schema.prisma' } }));
    const notices: string[] = [];
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(result.sql).toContain('CREATE TABLE public."User"');
    expect(result.sql).not.toContain('OldUser');
    expect(notices.join('\n')).toContain('using db/migrations/, named by package.json script "db:deploy" --schema (db/schema.prisma), not prisma/migrations/');
  });

  it('package.json "prisma.schema" too; two scripts naming two schemas leave the folder found', async () => {
    const named = project(files({ prisma: { schema: 'db/schema.prisma' } }));
    expect((await dump({ cwd: named.root, engine: 'pglite', noCache: true })).sql).toContain('CREATE TABLE public."User"');
    const two = project(files({ scripts: { a: 'prisma migrate deploy --schema db/schema.prisma', b: 'prisma migrate deploy --schema analytics/schema.prisma' } }));
    expect((await dump({ cwd: two.root, engine: 'pglite', noCache: true })).sql).toContain('CREATE TABLE public."OldUser"');
  });
});
