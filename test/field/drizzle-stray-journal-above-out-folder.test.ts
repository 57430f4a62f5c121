import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field (nodexxplorer/realityX): frontend/drizzle.config.ts writes to ./drizzle/migrations (its .sql files beside its
 * meta/_journal.json), and frontend/drizzle holds a stray meta/_journal.json with no entries. Both journals say
 * "dialect": "postgres" (the snapshot beside them says "postgresql"). Run at the root, pgdrift took frontend/drizzle
 * (a journal, and .sql files one folder down) and refused it: "drizzle-kit wrote these migrations for postgres, this
 * is not a PostgreSQL project". Now a journal's folder is a candidate only with its .sql files beside meta/ (or
 * drizzle-kit 1.0's <name>/migration.sql), and "postgres" is PostgreSQL.
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

const journal = (tags: string[]) =>
  JSON.stringify({ version: '7', dialect: 'postgres', entries: tags.map((tag, idx) => ({ idx, version: '7', when: 1760800771572 + idx, tag, breakpoints: true })) });

describe('drizzle: a stray journal above the out folder, and "dialect": "postgres"', () => {
  it('the folder with the .sql files beside its journal is replayed, from the repository root', async () => {
    const p = project({
      'frontend/drizzle/meta/_journal.json': journal([]),
      'frontend/drizzle/migrations/meta/_journal.json': journal(['0000_living_kang']),
      'frontend/drizzle/migrations/0000_living_kang.sql': 'CREATE TABLE "users" ("id" serial PRIMARY KEY NOT NULL);\n',
      'backend/db/notes.txt': 'python side\n',
    });
    const notices: string[] = [];
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(notices.join('\n')).toContain('using frontend/drizzle/migrations/, the only runner folder below it');
    expect(result.sql).toContain('CREATE TABLE public.users');
  });

  it('"dialect": "postgres" is PostgreSQL; "mysql" is still refused', async () => {
    const pg = project({ 'db/drizzle/meta/_journal.json': journal(['0000_init']), 'db/drizzle/0000_init.sql': 'CREATE TABLE "t" ("id" integer);\n' });
    expect((await dump({ cwd: pg.root, engine: 'pglite', noCache: true, migrations: 'db/drizzle' })).sql).toContain('CREATE TABLE public.t');
    const mysql = project({ 'db/drizzle/meta/_journal.json': journal(['0000_init']).replace('"postgres"', '"mysql"'), 'db/drizzle/0000_init.sql': 'CREATE TABLE `t` (`id` int);\n' });
    await expect(dump({ cwd: mysql.root, engine: 'pglite', noCache: true, migrations: 'db/drizzle' })).rejects.toThrow('this is not a PostgreSQL project');
  });

  it('a folder two runners claim names just those two in its hint', async () => {
    const p = project({
      'package.json': JSON.stringify({ scripts: { migrate: 'node-pg-migrate' }, dependencies: { 'node-pg-migrate': '^8.0.3', 'drizzle-orm': '^0.44.5' } }),
      'drizzle/meta/_journal.json': journal(['0000_init']).replace('"postgres"', '"postgresql"'),
      'drizzle/0000_init.sql': 'CREATE TABLE "t" ("id" integer);\n',
    });
    const error = await dump({ cwd: p.root, engine: 'pglite', noCache: true }).then(
      () => undefined,
      (e: Error & { hint?: string }) => e,
    );
    expect(error?.message).toContain('mixes the layouts of several migration runners');
    expect(error?.hint).toContain('--runner drizzle or --runner node-pg-migrate');
    expect(error?.hint).not.toContain('sqitch');
  });
});
