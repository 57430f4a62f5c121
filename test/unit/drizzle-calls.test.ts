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

describe('drizzleMigrateCalls: a config that is not written inside the call', () => {
  const header = "import { migrate } from 'drizzle-orm/node-postgres/migrator';\n";
  const callsOf = (source: string, extra: Record<string, string> = {}) => {
    const p = project({ 'package.json': '{}', 'drizzle/meta/_journal.json': '{}', 'src/migrate.ts': header + source, ...extra });
    return { root: p.root, calls: drizzleMigrateCalls(p.root) };
  };

  it('a const object of the file, with `as const`, a type annotation or `satisfies`, and spread into the call', () => {
    const forms = [
      "const config = { migrationsFolder: './drizzle', migrationsTable: 'x_log' };\nawait migrate(db, config);\n",
      "const config = { migrationsFolder: './drizzle', migrationsTable: 'x_log' } as const\nawait migrate(db, config)\n",
      "const config: MigrationConfig = {\n  migrationsFolder: './drizzle',\n  migrationsTable: 'x_log',\n};\nawait migrate(db, config);\n",
      "const config = { migrationsFolder: './drizzle', migrationsTable: 'x_log' } satisfies MigrationConfig;\nawait migrate(db, { ...config });\n",
      "const base = { migrationsFolder: './drizzle', migrationsTable: 'other' };\nconst config = { ...base, migrationsTable: 'x_log' };\nawait migrate(db, (config));\n",
      "const folder = './drizzle';\nconst table = 'x_log';\nawait migrate(db, { migrationsFolder: folder, migrationsTable: table });\n",
    ];
    for (const source of forms) {
      const { root, calls } = callsOf(source);
      expect(calls, source).toEqual([{ where: expect.stringMatching(/^src\/migrate\.ts:\d+$/), folder: { path: path.join(root, 'drizzle') }, table: { literal: 'x_log' }, schema: { absent: true } }]);
    }
  });

  it('a config it cannot read: the call is kept, with the config as written', () => {
    expect(callsOf("import { config } from './config';\nawait migrate(db, config);\n").calls).toEqual([{ where: 'src/migrate.ts:3', config: { computed: 'config' } }]);
    expect(callsOf('await migrate(db, getConfig(process.env));\n').calls).toEqual([{ where: 'src/migrate.ts:2', config: { computed: 'getConfig(process.env)' } }]);
    // declared twice (two scopes): which one the call sees is not read
    expect(callsOf("function a() { const c = { migrationsFolder: 'a' }; }\nconst c = { migrationsFolder: 'drizzle' };\nawait migrate(db, c);\n").calls).toEqual([{ where: 'src/migrate.ts:4', config: { computed: 'c' } }]);
    // a spread it cannot read leaves each setting not written after it unknown
    const { root, calls } = callsOf("import { base } from './base';\nawait migrate(db, { ...base, migrationsFolder: './drizzle' });\n");
    expect(calls).toEqual([{ where: 'src/migrate.ts:3', folder: { path: path.join(root, 'drizzle') }, table: { computed: '...base' }, schema: { computed: '...base' } }]);
  });

  it('folders written as URLs of the file, path calls of literals, or a container path mapped into the project', () => {
    const extra = { 'src/drizzle/meta/_journal.json': '{}' };
    const folderOf = (value: string, files: Record<string, string> = extra) => {
      const { root, calls } = callsOf(`await migrate(db, { migrationsFolder: ${value} });\n`, files);
      const folder = (calls[0] as { folder: { path?: string; container?: string; computed?: string } }).folder;
      return 'path' in folder ? { ...folder, path: path.relative(root, folder.path!).split(path.sep).join('/') } : folder;
    };
    expect(folderOf("fileURLToPath(new URL('./drizzle', import.meta.url))")).toEqual({ path: 'src/drizzle' });
    expect(folderOf("url.fileURLToPath(new URL('../drizzle', import.meta.url))")).toEqual({ path: 'drizzle' });
    expect(folderOf("new URL('./drizzle', import.meta.url).pathname")).toEqual({ path: 'src/drizzle' });
    // a URL object is no folder to drizzle (readMigrationFiles: "Can't find meta/_journal.json file")
    expect(folderOf("new URL('./drizzle', import.meta.url)")).toEqual({ computed: "new URL('./drizzle', import.meta.url)" });
    expect(folderOf("path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'drizzle')")).toEqual({ path: 'drizzle' });
    expect(folderOf("path.resolve('drizzle')")).toEqual({ path: 'drizzle' });
    expect(folderOf("join('.', 'drizzle')")).toEqual({ path: 'drizzle' });
    // /app (a Dockerfile's WORKDIR) is the project: the longest tail of the path that is a folder of the project
    expect(folderOf("'/app/drizzle'")).toEqual({ path: 'drizzle', container: '/app/drizzle' });
    expect(folderOf("path.join('/usr/src/app', 'src/drizzle')")).toEqual({ path: 'src/drizzle', container: '/usr/src/app/src/drizzle' });
    // no such folder in the project: kept as written (no folder of the repository)
    expect(callsOf("await migrate(db, { migrationsFolder: '/app/none' });\n").calls).toEqual([{ where: 'src/migrate.ts:2', folder: { path: '/app/none' }, table: { absent: true }, schema: { absent: true } }]);
  });
});
