import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';

// field: elie222/inbox-zero apps/web/prisma.config.ts names its URL by a constant, `url: migrationUrl`, declared above
// as `process.env.PREVIEW_DATABASE_URL_UNPOOLED || process.env.DIRECT_URL || ... || process.env.DATABASE_URL`.
// Prisma runs the config, so `prisma migrate deploy` connects with that URL and its ?schema= (quaint's search_path,
// _prisma_migrations there); pgdrift read only a literal, env() or process.env chain written in the object itself and
// replayed into public: every table in the wrong schema.
const project = tempProjects();
const files = (config: string, env: string) => ({
  'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n}\n',
  'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
  'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "Note" ("id" SERIAL NOT NULL, CONSTRAINT "Note_pkey" PRIMARY KEY ("id"));\n',
  'prisma.config.ts': config,
  '.env': env,
});

describe("prisma.config's datasource.url given by a constant of the file", () => {
  it('the constant\'s chain gives the URL, and its ?schema= is where the migrations run', async () => {
    const config = `import "dotenv/config";
import { defineConfig } from "prisma/config";

const migrationUrl =
  process.env.PGDRIFT_TEST_UNSET_PREVIEW_URL ||
  process.env.PGDRIFT_TEST_NAMED_DIRECT_URL ||
  process.env.PGDRIFT_TEST_NAMED_URL;

export default defineConfig({
  schema: "./prisma/schema.prisma",
  datasource: {
    url: migrationUrl,
  },
  migrations: { path: "./prisma/migrations" },
});
`;
    const p = project(files(config, 'PGDRIFT_TEST_NAMED_DIRECT_URL="postgresql://u@db/app?schema=mail"\nPGDRIFT_TEST_NAMED_URL="postgresql://u@pool/app?schema=pooled"\n'));
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE mail."Note" (');
    expect(result.sql).toContain('CREATE TABLE mail._prisma_migrations (');
    expect(result.sql).not.toContain('public.');
  });

  it('a constant computed otherwise (a template, a call) is not read: public, as before', async () => {
    const config = 'const url = `${process.env.PGDRIFT_TEST_NAMED_URL}&x=1`;\nconst other = readUrl();\nexport default defineConfig({ datasource: { url } });\n';
    const p = project(files(config, 'PGDRIFT_TEST_NAMED_URL="postgresql://u@db/app?schema=mail"\n'));
    expect((await dump({ cwd: p.root, engine: 'pglite', noCache: true })).sql).toContain('CREATE TABLE public."Note" (');
    const call = 'const url = pick(process.env.PGDRIFT_TEST_NAMED_URL);\nexport default defineConfig({ datasource: { url: url } });\n';
    const q = project(files(call, 'PGDRIFT_TEST_NAMED_URL="postgresql://u@db/app?schema=mail"\n'));
    expect((await dump({ cwd: q.root, engine: 'pglite', noCache: true })).sql).toContain('CREATE TABLE public."Note" (');
  });
});
