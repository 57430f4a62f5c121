import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { detectRunner, listFolder } from '../../src/runners/index.js';
import { discoverPostgrator, parsePostgratorName, postgrator, postgratorSettings, splitPattern } from '../../src/runners/postgrator.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Postgrator (rickbergfalk/postgrator@a3079b0, postgrator.js getMigrations / getRunnableMigrations; postgrator-cli
 * lib/postgrator-cli.js): `<version>.<action>.<description>.sql`, only `do` files run up, by version as a number.
 * Field report: such a folder was detected as numbered, which replayed the undo files too: an empty schema, exit 0.
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

const README_FOLDER = {
  'migrations/001.do.create-a.sql': 'CREATE TABLE a (id int);\n',
  'migrations/001.undo.create-a.sql': 'DROP TABLE a;\n',
  'migrations/002.do.b.sql': 'CREATE TABLE b (id int);\n',
  'migrations/002.undo.b.sql': 'DROP TABLE b;\n',
};

describe('postgrator file names', () => {
  it('splits <version>.<action>.<description>.<ext> as getMigrations does (Number(version), extension case-sensitive)', () => {
    expect(parsePostgratorName('001.do.create-a.sql')).toMatchObject({ version: 1, action: 'do', description: 'create-a', code: false });
    expect(parsePostgratorName('004.undo.js')).toMatchObject({ version: 4, action: 'undo', description: '', code: true });
    expect(parsePostgratorName('7.do.x.mjs')?.code).toBe(true);
    expect(parsePostgratorName('1.do.x.SQL')).toBeUndefined();
    expect(parsePostgratorName('abc.do.x.sql')?.version).toBeNaN();
  });

  it('runs only do files, by version as a number (10 after 2), undo files ignored by design', () => {
    const p = project({ 'migrations/1.do.a.sql': '', 'migrations/1.undo.a.sql': '', 'migrations/10.do.c.sql': '', 'migrations/2.do.b.sql': '', 'migrations/20240105120000.do.d.sql': '' });
    const found = discoverPostgrator(`${p.root}/migrations`);
    expect(found.migrations.map((m) => m.name)).toEqual(['1.do.a.sql', '2.do.b.sql', '10.do.c.sql', '20240105120000.do.d.sql']);
    expect(found.ignored).toEqual([expect.objectContaining({ name: '1.undo.a.sql', expected: true })]);
    expect(found.problems).toEqual([]);
  });

  it('two files with one version and action stop postgrator ("Two migrations found"), 001 and 1 being one version', () => {
    const p = project({ 'migrations/001.do.a.sql': '', 'migrations/1.do.b.sql': '', 'migrations/2.do.c.sql': '', 'migrations/2.do.c.js': 'module.exports.generateSql = () => ""' });
    const found = discoverPostgrator(`${p.root}/migrations`);
    expect(found.problems).toEqual([
      expect.stringMatching(/^1\.do\.b\.sql: Two migrations found with version 1 and action do \(001\.do\.a\.sql too\)/),
      expect.stringMatching(/^2\.do\.c\.sql: Two migrations found with version 2 and action do \(2\.do\.c\.js too\)/),
    ]);
  });

  it('a version its bigint column cannot record (Infinity, 2^63, 1e-1) stops postgrator after the file ran: refused', () => {
    const p = project({ 'migrations/1.do.a.sql': '', 'migrations/Infinity.do.b.sql': '', 'migrations/9223372036854775808.do.c.sql': '', 'migrations/1e-1.do.d.sql': '', 'migrations/9007199254740993.do.e.sql': '' });
    const found = discoverPostgrator(`${p.root}/migrations`);
    expect(found.problems.map((m) => m.slice(0, m.indexOf(':')))).toEqual(['1e-1.do.d.sql', '9223372036854775808.do.c.sql', 'Infinity.do.b.sql']);
  });

  it('a name whose version is not a number is dropped by postgrator, and named; other actions and version 0 never run', () => {
    const p = project({ 'migrations/1.do.a.sql': '', 'migrations/v2.do.b.sql': '', 'migrations/3.up.c.sql': '', 'migrations/0.do.d.sql': '', 'migrations/4.sql': '' });
    const found = discoverPostgrator(`${p.root}/migrations`);
    expect(found.migrations.map((m) => m.name)).toEqual(['1.do.a.sql']);
    expect(found.ignored.map((f) => f.name).sort()).toEqual(['0.do.d.sql', '3.up.c.sql', '4.sql', 'v2.do.b.sql']);
    expect(found.ignored.every((f) => !f.expected)).toBe(true);
  });

  it('a JavaScript do migration is applied by postgrator but not replayed (no JS is run); an undo one is ignored by design', () => {
    const p = project({ 'migrations/1.do.a.sql': '', 'migrations/2.do.seed.js': 'module.exports.generateSql = () => process.env.SEED_SQL;\n', 'migrations/2.undo.seed.cjs': '', 'migrations/3.do.c.sql': '' });
    const found = discoverPostgrator(`${p.root}/migrations`);
    expect(found.migrations.map((m) => m.name)).toEqual(['1.do.a.sql', '3.do.c.sql']);
    expect(found.ignored).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: '2.do.seed.js', appliedByRunner: true, appliedBefore: '3.do.c.sql' }),
        expect.objectContaining({ name: '2.undo.seed.cjs', expected: true }),
      ]),
    );
  });
});

describe('postgrator JavaScript migrations that are one string literal', () => {
  it('CommonJS (module.exports / exports, arrow or function) and ES module (.mjs, .js in a "type": "module" package) forms are replayed, errors at the .js file\'s line', async () => {
    const p = project({
      'migrations/1.do.a.cjs': 'module.exports.generateSql = () => `\nCREATE TABLE a (id int);\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n`;\n',
      'migrations/2.do.b.js': '"use strict";\nexports.generateSql = function () {\n  return "CREATE TABLE b (id int)";\n};\n',
      'migrations/3.do.c.mjs': "export function generateSql() {\n  return 'CREATE TABLE c (id int)';\n}\n",
      'migrations/4.do.d.sql': 'CREATE TABLE d (id int);\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['migrations/1.do.a.cjs', 'migrations/2.do.b.js', 'migrations/3.do.c.mjs', 'migrations/4.do.d.sql']);
    for (const table of ['a', 'b', 'c', 'd']) expect(result.sql).toContain(`CREATE TABLE public.${table} (`);
    expect(result.sql).toContain('CREATE FUNCTION public.f()');

    const broken = project({ 'migrations/1.do.a.js': 'module.exports.generateSql = () => `\nCREATE TABLE a (id int);\nCREATE TABLE a (id int);\n`;\n' });
    const failed = await dump({ cwd: broken.root, engine: 'pglite', noCache: true, keepGoing: true });
    expect(failed.report.migrationFailures.map((f) => [f.file, f.line, f.column, f.sqlstate])).toEqual([['migrations/1.do.a.js', 3, 1, '42P07']]);
  });

  it('anything more (a ${} or an escape, a comment, the environment, ES syntax in a CommonJS .js) is not replayed: applied by postgrator, not by pgdrift', () => {
    const p = project({
      'package.json': JSON.stringify({ type: 'commonjs' }),
      'migrations/1.do.a.js': 'module.exports.generateSql = () => `CREATE ROLE ${process.env.ROLE}`;\n',
      'migrations/2.do.b.js': "// seed\nmodule.exports.generateSql = () => 'CREATE TABLE b ()';\n",
      'migrations/3.do.c.js': "module.exports.generateSql = () => 'CREATE TABLE \\'c\\' ()';\n",
      'migrations/4.do.d.js': "export function generateSql() { return 'CREATE TABLE d ()'; }\n",
      'migrations/5.do.e.mjs': "module.exports.generateSql = () => 'CREATE TABLE e ()';\n",
    });
    const found = discoverPostgrator(`${p.root}/migrations`);
    expect(found.migrations).toEqual([]);
    expect(found.ignored.map((f) => [f.name, f.appliedByRunner])).toEqual(['1.do.a.js', '2.do.b.js', '3.do.c.js', '4.do.d.js', '5.do.e.mjs'].map((name) => [name, true]));
    const esm = project({ 'package.json': JSON.stringify({ type: 'module' }), 'migrations/1.do.a.js': "export const generateSql = () => 'CREATE TABLE a ()';\n" });
    expect(discoverPostgrator(`${esm.root}/migrations`).migrations.map((m) => m.name)).toEqual(['1.do.a.js']);
  });
});

describe('postgrator detection', () => {
  it('the README layout is postgrator, and its replay keeps both tables (the field report: numbered dumped an empty schema)', async () => {
    const p = project(README_FOLDER);
    expect(detectRunner(`${p.root}/migrations`, p.root).runner.name).toBe('postgrator');
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.sql).toContain('CREATE TABLE public.a');
    expect(result.sql).toContain('CREATE TABLE public.b');
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['migrations/001.do.create-a.sql', 'migrations/002.do.b.sql']);
  });

  it('the numbered fallback, chosen by name, never replays the undo halves either', async () => {
    const p = project({ ...README_FOLDER, 'migrations/003.up.c.sql': 'CREATE TABLE c (id int);\n', 'migrations/003.down.c.sql': 'DROP TABLE c;\n' });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, runner: 'numbered' });
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['migrations/001.do.create-a.sql', 'migrations/002.do.b.sql', 'migrations/003.up.c.sql']);
    expect(result.sql).toContain('CREATE TABLE public.c');
  });

  it("takes no other runner's fixture folder (postgrator's evidence is only its do/undo names)", () => {
    const fixtures = path.join(REPO_ROOT, 'test', 'fixtures');
    const folders: string[] = [];
    const walk = (dir: string) => {
      const entries = readdirSync(dir, { withFileTypes: true });
      if (entries.some((e) => e.isFile() && e.name.endsWith('.sql'))) folders.push(dir);
      for (const e of entries) if (e.isDirectory()) walk(path.join(dir, e.name));
    };
    walk(fixtures);
    expect(folders.length).toBeGreaterThan(20);
    const taken = folders.filter((f) => postgrator.evidence(listFolder(f, fixtures)) !== undefined).map((f) => path.relative(fixtures, f));
    expect(taken).toEqual(['runners/postgrator/migrations']);
  });
});

describe('postgrator-cli settings', () => {
  it('.postgratorrc.json: migrationPattern and schemaTable (schema.table)', () => {
    const p = project({ '.postgratorrc.json': JSON.stringify({ migrationPattern: 'db/sql/*.sql', schemaTable: 'meta.versions', currentSchema: 'app' }) });
    const settings = postgratorSettings(p.root);
    expect(settings.patterns).toEqual([`${p.root}/db/sql/*.sql`]);
    expect(settings.schemaTable).toBe('meta.versions');
    expect(settings.notices).toEqual([expect.stringContaining('currentSchema, which postgrator-cli does not pass')]);
    const runner = { ...postgrator, ...postgrator.forProject!(`${p.root}/db/sql`, { projectRoot: p.root }) };
    expect(runner.bookkeeping).toEqual(['meta.versions']);
    expect(runner.bookkeepingSetup?.sql).toContain('CREATE SCHEMA IF NOT EXISTS "meta";');
  });

  it('.postgratorrc.js is read, never run: the literals of its exported object (field: beefreguglia/blog-ai)', async () => {
    const p = project({
      '.postgratorrc.js': 'const { hostname } = new URL(process.env.DATABASE_URL);\n\nexport default {\n  driver: "pg",\n  migrationPattern: "src/db/migrations/*",\n  host: hostname,\n};\n',
      'src/db/migrations/001.do.users.sql': 'CREATE TABLE users (id int);\n',
      'src/db/migrations/001.undo.users.sql': 'DROP TABLE users;\n',
    });
    const settings = postgratorSettings(p.root);
    expect(settings.patterns).toEqual([`${p.root}/src/db/migrations/*`]);
    expect(settings.notices).toEqual([]);
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['src/db/migrations/001.do.users.sql']);
    expect(result.sql).toContain('CREATE TABLE public.users');
  });

  it('a code config: a setting computed at run time is named and left at the default; no exported object literal is said', () => {
    const p = project({ '.postgratorrc.cjs': "module.exports = {\n  migrationPattern: './sql/**',\n  schemaTable: process.env.TABLE,\n  driver: process.env.DB_DRIVER ?? 'pg',\n};\n" });
    const settings = postgratorSettings(p.root);
    expect(settings.patterns).toEqual([`${p.root}/sql/**`]);
    expect(settings.schemaTable).toBeUndefined();
    expect(settings.notices).toEqual(['postgrator: .postgratorrc.cjs computes schemaTable and driver when it runs, which pgdrift does not do: schemaTable schemaversion, driver pg (postgrator\'s default) is used']);
    const q = project({ 'postgrator.config.js': "module.exports = require('./config').postgrator;\n" });
    expect(postgratorSettings(q.root)).toMatchObject({ notices: [expect.stringContaining('postgrator.config.js is code that exports no object literal')] });
    expect(postgratorSettings(q.root).patterns).toBeUndefined();
  });

  it('package.json "postgrator" key, then the scripts\' flags over it', () => {
    const p = project({ 'package.json': JSON.stringify({ postgrator: { migrationPattern: 'a/*', schemaTable: 'x' }, scripts: { migrate: 'postgrator --migration-pattern "db/migrations/*" -t versions' } }) });
    const settings = postgratorSettings(p.root);
    expect(settings.patterns).toEqual([`${p.root}/db/migrations/*`]);
    expect(settings.schemaTable).toBe('versions');
    expect(postgrator.configuredFolders!(`${p.root}/migrations`, { projectRoot: p.root })?.folders).toEqual([`${p.root}/db/migrations`]);
  });

  // postgrator-cli 4 and before (postgrator-cli@v4.0.0 postgrator-cli.js, command-line-options.js; postgrator < 5):
  // `-m, --migration-directory <dir>`, the config's `migrationDirectory`, and postgrator.json as the default config.
  // Field: mgwedd/noteful-api (postgrator-cli ^3.1.0, postgrator-config.js with migrationDirectory): the folder was
  // never read, so a project whose folder is not migrations/ met "no migrations folder found", and `-m src/migrations`
  // was taken for a glob of the files named src/migrations ("no migrations in src/").
  it('postgrator-cli 4 and before: -m is a folder, migrationDirectory names it, postgrator.json is the default config', async () => {
    const legacy = { 'postgrator-cli': '^3.1.0' };
    const flag = project({ 'package.json': JSON.stringify({ scripts: { migrate: 'postgrator -m src/migrations -d db' }, devDependencies: legacy }), 'src/migrations/001.do.b.sql': 'CREATE TABLE b (id int);\n', 'migrations/001.do.wrong.sql': 'CREATE TABLE wrong (id int);\n' });
    expect(postgratorSettings(flag.root).patterns).toEqual([`${flag.root}/src/migrations/*`]);
    const result = await dump({ cwd: flag.root, engine: 'pglite', noCache: true });
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['src/migrations/001.do.b.sql']);
    const config = project({ 'package.json': JSON.stringify({ scripts: { migrate: 'postgrator --config postgrator-config.js' }, devDependencies: legacy }), 'postgrator-config.js': "module.exports = {\n  migrationDirectory: 'db/sql',\n  driver: 'pg',\n  host: process.env.HOST,\n};\n" });
    expect(postgratorSettings(config.root)).toMatchObject({ patterns: [`${config.root}/db/sql/*`], source: 'migrationDirectory in postgrator-config.js', notices: [] });
    const json = project({ 'package.json': JSON.stringify({ scripts: { migrate: 'postgrator' }, devDependencies: { 'postgrator-cli': '4.0.0' } }), 'postgrator.json': '{"migrationDirectory": "sql", "schemaTable": "versions"}', '.postgratorrc.json': '{"migrationPattern": "other/*"}' });
    expect(postgratorSettings(json.root)).toMatchObject({ patterns: [`${json.root}/sql/*`], schemaTable: 'versions' });
  });

  it('postgrator-cli 5 and later ignore migrationDirectory (postgrator 5 removed it): said, the default pattern kept', () => {
    const p = project({ 'package.json': JSON.stringify({ devDependencies: { 'postgrator-cli': '^9.0.0' } }), '.postgratorrc.json': '{"migrationDirectory": "db/sql"}' });
    const settings = postgratorSettings(p.root);
    expect(settings.patterns).toBeUndefined();
    expect(settings.notices).toEqual([expect.stringContaining('sets migrationDirectory db/sql, an option postgrator 5 removed')]);
  });

  it('the migration pattern decides which files of the folder load', async () => {
    const p = project({ 'package.json': JSON.stringify({ scripts: { migrate: 'postgrator -m "sql/*.do.*.sql"' } }), 'sql/1.do.a.sql': 'CREATE TABLE a ();\n', 'sql/2.do.b.sql': 'CREATE TABLE b ();\n', 'sql/notes.md': '' });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, runner: 'postgrator' });
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['sql/1.do.a.sql', 'sql/2.do.b.sql']);
    expect(splitPattern('/x/sql/**/*.sql')).toEqual({ base: '/x/sql', glob: '**/*.sql' });
  });

  it('another driver (--driver mysql, "driver" in the config) is refused as not PostgreSQL', async () => {
    const p = project({ ...README_FOLDER, 'package.json': JSON.stringify({ scripts: { migrate: 'postgrator --driver mysql' } }) });
    await expect(dump({ cwd: p.root, engine: 'pglite', noCache: true })).rejects.toThrow(/package.json script "migrate" \(--driver mysql\) runs postgrator with the mysql driver: this is not a PostgreSQL project/);
    const q = project({ ...README_FOLDER, '.postgratorrc.json': '{"driver": "sqlite3"}' });
    await expect(dump({ cwd: q.root, engine: 'pglite', noCache: true })).rejects.toThrow(/driver in \.postgratorrc\.json runs postgrator with the sqlite3 driver/);
  });

  it('a pattern only the shell knows is refused', () => {
    const p = project({ 'package.json': JSON.stringify({ scripts: { migrate: 'postgrator -m $DIR/*' } }) });
    expect(() => postgratorSettings(p.root)).toThrow(/a value only the shell knows/);
  });

  it('the default schemaversion table is created first and left out of drift', async () => {
    const p = project(README_FOLDER);
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.sql).toContain('CREATE TABLE public.schemaversion');
    expect(postgrator.bookkeeping).toEqual(['public.schemaversion']);
  });
});
