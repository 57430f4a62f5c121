import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { init } from '../../src/commands/init.js';
import { lint } from '../../src/commands/lint.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field: gitroomhq/postiz-app keeps a PostgreSQL Prisma schema deep in a library and applies it with `prisma db push`
 * (no migrations committed); databuddy-analytics/Databuddy has drizzle.config.ts files whose `out` folders hold no
 * drizzle-kit migrations (`drizzle-kit push`). Both also have an unrelated git submodule not checked out, and pgdrift
 * said the migrations were missing because of it ("is a git submodule ... run pgdrift in the submodule"); rybbit-io/rybbit
 * (no submodule) got only "no migrations folder found (looked for ...)".
 */
const project = tempProjects();
const GITMODULES = '[submodule "apps/admin"]\n\tpath = apps/admin\n\turl = https://example.invalid/admin.git\n';

async function failure(run: () => Promise<unknown>): Promise<(Error & { hint?: string }) | undefined> {
  return run().then(
    () => undefined,
    (e: Error & { hint?: string }) => e,
  );
}

describe('an ORM schema in code with no migrations committed', () => {
  it('a Prisma schema without a migrations folder: prisma db push, not the empty submodule', async () => {
    const { root } = project({
      '.gitmodules': GITMODULES,
      'libs/core/src/database/prisma/schema.prisma': 'generator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel Post {\n  id String @id\n}\n',
    });
    mkdirSync(path.join(root, 'apps', 'admin'), { recursive: true });
    for (const run of [() => dump({ cwd: root, engine: 'pglite' }), () => init({ cwd: root }), () => lint({ cwd: root })]) {
      const error = await failure(run);
      expect(error?.message).toContain('libs/core/src/database/prisma/schema.prisma declares a PostgreSQL datasource, but there is no libs/core/src/database/prisma/migrations/ beside it');
      expect(error?.message).toContain('prisma db push');
      expect(error?.message).toContain('apps/admin/, a git submodule not checked out here, is empty too');
      expect(error?.hint).toContain('prisma migrate dev');
    }
  });

  it('a drizzle-kit config whose out folder holds no migrations (or does not exist): drizzle-kit push', async () => {
    const { root } = project({
      '.gitmodules': GITMODULES,
      'packages/db/drizzle.config.ts': "import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({\n  out: './src/drizzle',\n  schema: './src/drizzle/schema.ts',\n  dialect: 'postgresql',\n});\n",
      'packages/db/src/drizzle/schema.ts': "export const posts = pgTable('posts', { id: text('id').primaryKey() });\n",
    });
    mkdirSync(path.join(root, 'apps', 'admin'), { recursive: true });
    const error = await failure(() => dump({ cwd: root, engine: 'pglite' }));
    expect(error?.message).toContain('packages/db/drizzle.config.ts has drizzle-kit write migrations to packages/db/src/drizzle/, which holds none (no meta/_journal.json)');
    expect(error?.message).toContain('drizzle-kit push');
    expect(error?.hint).toContain('drizzle-kit generate');
    const missing = project({ 'server/drizzle.config.ts': 'export default { schema: "./src/schema.ts", dialect: "postgresql" };\n' });
    expect((await failure(() => dump({ cwd: missing.root, engine: 'pglite' })))?.message).toContain('server/drizzle.config.ts has drizzle-kit write migrations to server/drizzle/, which does not exist');
  });

  it('another database, or migrations in the submodule itself, keep the earlier messages', async () => {
    const mysql = project({ 'drizzle.config.ts': "export default { out: './drizzle', dialect: 'mysql' };\n", 'prisma/schema.prisma': 'datasource db {\n  provider = "sqlite"\n  url = "file:dev.db"\n}\n' });
    expect((await failure(() => dump({ cwd: mysql.root, engine: 'pglite' })))?.message).toContain('no migrations folder found in');
    expect((await failure(() => dump({ cwd: mysql.root, engine: 'pglite' })))?.message).not.toMatch(/push/);
    const { root } = project({ '.gitmodules': '[submodule "db"]\n\tpath = db\n\turl = https://example.invalid/db.git\n', 'drizzle.config.ts': "export default { out: './db/drizzle', dialect: 'postgresql' };\n" });
    mkdirSync(path.join(root, 'db'));
    expect((await failure(() => dump({ cwd: root, engine: 'pglite' })))?.message).toContain('db/ is a git submodule (.gitmodules) not checked out here');
  });
});
