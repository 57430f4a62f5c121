import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { init } from '../../src/commands/init.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { SERVER_URL } from '../helpers/postgres.js';
import { tempProject } from '../helpers/project.js';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'runners');
const projects: { cleanup: () => void }[] = [];
afterAll(() => projects.forEach((p) => p.cleanup()));

function copyOf(runner: string) {
  const project = tempProject();
  projects.push(project);
  cpSync(path.join(FIXTURES, runner), project.root, { recursive: true });
  return project;
}

describe('flags override the config', () => {
  it('--migrations, --runner and --baseline (repeatable) replay another folder with other baseline files', async () => {
    const project = tempProject({
      'pgdrift.config.json': JSON.stringify({ migrations: 'db/migrations', runner: 'numbered' }),
      'db/migrations/001_x.sql': 'CREATE TABLE x (id int);\n',
      'other/1_a.up.sql': 'CREATE TABLE a (id int REFERENCES base_one (id), b int REFERENCES base_two (id));\n',
      'other/1_a.down.sql': 'DROP TABLE a;\n',
      'sql/one.sql': 'CREATE TABLE base_one (id int PRIMARY KEY);\n',
      'sql/two.sql': 'CREATE TABLE base_two (id int PRIMARY KEY);\n',
    });
    projects.push(project);
    const result = await runCli(
      ['dump', '--migrations', 'other', '--runner', 'golang-migrate', '--baseline', 'sql/one.sql', '--baseline', 'sql/two.sql', '--engine', 'server', '--database-url', SERVER_URL],
      { cwd: project.root },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('CREATE TABLE public.a (');
    expect(result.stdout).toContain('CREATE TABLE public.base_two (');
    expect(result.stdout).not.toContain('public.x ');
  });
});

describe('detection with no config', () => {
  it('pgdrift dump --migrations <folder> picks the runner, says so in one line, and applies only up sections', async () => {
    const result = await runCli(['dump', '--migrations', 'db/migrations'], { cwd: path.join(FIXTURES, 'dbmate') });
    expect(result.code).toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual(['no pgdrift.config.json: runner dbmate detected in db/migrations/: -- migrate:up / -- migrate:down sections (set "runner" or --runner to choose)']);
    expect(result.stdout).toContain('CREATE TABLE public.users (');
    expect(result.stdout).toContain('published boolean DEFAULT false NOT NULL');
  });

  it('init writes the detected runner (and dbmate\'s snapshot default), and a folder without migrations is an error', async () => {
    const project = copyOf('golang-migrate');
    const result = await init({ cwd: project.root, skipLint: true });
    expect(JSON.parse(readFileSync(result.configPath, 'utf8'))).toMatchObject({ migrations: 'db/migrations', runner: 'golang-migrate', preset: 'recommended' });
    expect(result.detected.notApplied.map((f) => f.name)).toContain('1_create_users.down.sql');

    const prisma = copyOf('prisma');
    expect((await init({ cwd: prisma.root, skipLint: true })).config).toMatchObject({ migrations: 'prisma/migrations', runner: 'prisma' });
    const flyway = copyOf('flyway');
    expect((await init({ cwd: flyway.root, skipLint: true })).config).toMatchObject({ migrations: 'src/main/resources/db/migration', runner: 'flyway' });
    // a Hasura v3 project: hasura/config.yaml names the folder and databases.yaml the database, so init leaves them to it
    const hasuraProject = copyOf('hasura');
    const hasuraInit = await init({ cwd: hasuraProject.root, skipLint: true });
    expect(hasuraInit.config).toMatchObject({ runner: 'hasura' });
    expect(hasuraInit.config.migrations).toBeUndefined();
    expect(hasuraInit.detected).toMatchObject({ migrationsFromRunnerSettings: true, runnerSetting: 'hasura/config.yaml migrations_directory, database default' });

    // postgrator's <version>.do./.undo. names: the do files only (the numbered fallback replayed the undo ones too)
    const postgratorProject = copyOf('postgrator');
    const postgratorInit = await init({ cwd: postgratorProject.root, skipLint: true });
    expect(postgratorInit.config).toMatchObject({ migrations: 'migrations', runner: 'postgrator' });
    expect(postgratorInit.detected.notApplied.map((f) => f.name)).toContain('10.undo.orders.sql');

    const empty = tempProject({ 'migrations/README.md': 'nothing here yet\n' });
    projects.push(empty);
    await expect(init({ cwd: empty.root, skipLint: true })).rejects.toThrow(/no \.sql files in migrations\/: there are no migrations to replay/);
  });

  it('a folder mixing two runners is an error naming files of each; --runner settles it', async () => {
    const project = tempProject({
      'db/migrations/1_a.up.sql': 'CREATE TABLE a (id int);\n',
      'db/migrations/1_a.down.sql': 'DROP TABLE a;\n',
      'db/migrations/2_b.sql': '-- migrate:up\nCREATE TABLE b (id int);\n-- migrate:down\nDROP TABLE b;\n',
    });
    projects.push(project);
    const mixed = await runCli(['lint'], { cwd: project.root });
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('db/migrations/ mixes the layouts of several migration runners');
    expect(mixed.stderr).toContain('golang-migrate (<version>_<name>.up.sql / .down.sql pairs): 1_a.down.sql, 1_a.up.sql');
    expect(mixed.stderr).toContain('dbmate (-- migrate:up / -- migrate:down sections): 2_b.sql');

    const ambiguous = tempProject({ 'db/migrations/1_a.up.sql': 'CREATE TABLE a (id int);\n', 'db/migrations/2_b.sql': 'CREATE TABLE b (id int);\n' });
    projects.push(ambiguous);
    const skipped = await runCli(['dump'], { cwd: ambiguous.root });
    expect(skipped.code).toBe(2);
    expect(skipped.stderr).toContain('db/migrations/ is ambiguous: it looks like golang-migrate');
    expect(skipped.stderr).toContain('2_b.sql');
    const chosen = await runCli(['dump', '--runner', 'golang-migrate'], { cwd: ambiguous.root });
    expect(chosen.code).toBe(0);
    expect(chosen.stdout).not.toContain('public.b');
  });
});
