import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { drizzleMigrateCalls } from '../../src/runners/drizzle-calls.js';
import { tempProjects } from '../helpers/project.js';

// drizzle-orm src/migrator.ts MigrationConfig, read from the project's code without running it (drizzle-calls.ts)
const project = tempProjects();

describe('drizzleMigrateCalls', () => {
  it('reads migrate() of a PostgreSQL migrator however it is imported, with the folder resolved as the program runs', () => {
    const p = project({
      'package.json': '{}',
      'api/package.json': '{}',
      'api/src/a.ts': "import { migrate as run } from 'drizzle-orm/neon-http/migrator';\n\nawait run(db, { migrationsFolder: 'drizzle', migrationsTable: 'a_log' });\n",
      'api/src/b.cjs': "const { migrate } = require('drizzle-orm/node-postgres/migrator');\nmigrate(db, { migrationsFolder: __dirname + '/../drizzle', migrationsSchema: `public` });\n",
      'api/src/c.mjs': "const { migrate } = await import('drizzle-orm/pglite/migrator');\nawait migrate(db, {\n  migrationsFolder: path.resolve(import.meta.dirname, '..', 'drizzle'),\n  migrationsTable: tableName,\n});\n",
      'api/src/d.ts': "import { migrate } from 'drizzle-orm/postgres-js/migrator';\nawait migrate(db, { migrationsFolder: join(process.cwd(), 'drizzle') });\nawait migrate(db, { migrationsFolder: process.env.DIR! });\n",
      // not PostgreSQL, not the project's code, not a call of drizzle's migrate
      'api/src/e.ts': "import { migrate } from 'drizzle-orm/mysql2/migrator';\nawait migrate(db, { migrationsFolder: 'drizzle', migrationsTable: 'x' });\n",
      'api/dist/a.js': "import { migrate } from 'drizzle-orm/node-postgres/migrator';\nawait migrate(db, { migrationsFolder: 'drizzle', migrationsTable: 'x' });\n",
      'node_modules/x/a.js': "import { migrate } from 'drizzle-orm/node-postgres/migrator';\nawait migrate(db, { migrationsFolder: 'drizzle', migrationsTable: 'x' });\n",
      'api/src/f.ts': "import { migrate } from './my-migrator';\nawait migrate(db, { migrationsFolder: 'drizzle', migrationsTable: 'x' });\n",
    });
    const folder = path.join(p.root, 'api', 'drizzle');
    const calls = drizzleMigrateCalls(p.root).sort((a, b) => a.where.localeCompare(b.where));
    expect(calls).toEqual([
      { where: 'api/src/a.ts:3', folder: { path: folder }, table: { literal: 'a_log' }, schema: { absent: true } },
      { where: 'api/src/b.cjs:2', folder: { path: folder }, table: { absent: true }, schema: { literal: 'public' } },
      { where: 'api/src/c.mjs:2', folder: { path: folder }, table: { computed: 'tableName' }, schema: { absent: true } },
      { where: 'api/src/d.ts:2', folder: { path: folder }, table: { absent: true }, schema: { absent: true } },
      { where: 'api/src/d.ts:3', folder: { computed: 'process.env.DIR!' }, table: { absent: true }, schema: { absent: true } },
    ]);
  });
});
