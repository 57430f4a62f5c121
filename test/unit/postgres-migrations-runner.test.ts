import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { detectRunner } from '../../src/runners/index.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * postgres-migrations' README names its files `1_create-table.sql`, `2_alter-table.sql`: plain numbered names, in a
 * project that depends on it (package.json, or a Deno project's deno.json `npm:` import). Field report: such a
 * project was replayed by the numbered runner, in name order, so `10_x.sql` ran before `2_x.sql`.
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

/** 1_create-table.sql, then 2..9 adding columns, then 10 renaming the ninth: fails in name order (10 sorts first). */
function readmeStyleHistory(): Record<string, string> {
  const files: Record<string, string> = { 'migrations/1_create-table.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n' };
  for (let i = 2; i <= 9; i++) files[`migrations/${i}_add-c${i}.sql`] = `ALTER TABLE t ADD COLUMN c${i} int;\n`;
  files['migrations/10_rename-c9.sql'] = 'ALTER TABLE t RENAME COLUMN c9 TO renamed;\n';
  return files;
}

describe('postgres-migrations detection by the project dependency', () => {
  it.each([
    ['package.json', JSON.stringify({ dependencies: { 'postgres-migrations': '^5.3.0' } })],
    ['deno.json', JSON.stringify({ imports: { 'postgres-migrations': 'npm:postgres-migrations@5.3.0' } })],
    ['deno.jsonc', '{\n  // the migrator\n  "imports": { "pm": "npm:postgres-migrations" }\n}\n'],
  ])('%s: detected', (manifest, text) => {
    const p = project({ [manifest]: text, ...readmeStyleHistory() });
    expect(detectRunner(`${p.root}/migrations`, p.root).runner.name).toBe('postgres-migrations');
  });

  it('the ten files replay in id order (10 last)', async () => {
    const p = project({ 'package.json': JSON.stringify({ devDependencies: { 'postgres-migrations': '5' } }), ...readmeStyleHistory() });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file).at(-1)).toBe('migrations/10_rename-c9.sql');
    expect(result.sql).toContain('renamed integer');
  });

  it('without the dependency the files stay numbered (name order), and another package is no evidence', () => {
    const plain = project(readmeStyleHistory());
    expect(detectRunner(`${plain.root}/migrations`, plain.root).runner.name).toBe('numbered');
    const other = project({ 'package.json': JSON.stringify({ dependencies: { 'postgres-migrations-extra': '1' } }), 'deno.json': '{"imports":{"x":"npm:postgres-migrationsx"}}', ...readmeStyleHistory() });
    expect(detectRunner(`${other.root}/migrations`, other.root).runner.name).toBe('numbered');
  });
});

describe('postgres-migrations file text', () => {
  it('a file starting with a UTF-8 byte order mark fails at 1:1, as the tool sends it (migration-file.ts readFile "utf8")', async () => {
    const p = project({
      'package.json': JSON.stringify({ dependencies: { 'postgres-migrations': '^5.3.0' } }),
      'migrations/1_create-table.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n',
      'migrations/2_add-column.sql': '\uFEFFALTER TABLE t ADD COLUMN c int;\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, keepGoing: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.column, f.sqlstate])).toEqual([['migrations/2_add-column.sql', 1, 1, '42601']]);
  });
});

describe('postgres-migrations detection from <id>-<name>.sql names alone', () => {
  // a weak guess the runner would refuse outright is no guess: dated file names are another runner's (a shell loop
  // over the files), which postgres-migrations refuses ("non-consecutive migration ID")
  const detect = (files: Record<string, string>) => {
    const { root } = project({ ...Object.fromEntries(Object.entries(files).map(([name, text]) => [`migrations/${name}`, text])) });
    return detectRunner(path.join(root, 'migrations'), root).runner.name;
  };
  it('takes ids 1, 2, 3... (.sql and .js together) for postgres-migrations', () => {
    expect(detect({ '1-create-a.sql': 'create table a (id int);', '2-b.js': 'module.exports.generateSql = () => ""', '3-create-c.sql': 'create table c (id int);' })).toBe('postgres-migrations');
  });
  it('leaves dated names to the numbered runner', () => {
    expect(detect({ '2024-01-05-create-a.sql': 'create table a (id int);', '2024-02-10-create-b.sql': 'create table b (id int);' })).toBe('numbered');
  });
});
