import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNKNOWN } from '../../src/runners/makefile.js';
import { tempProjects } from '../helpers/project.js';
import { resolveProject } from '../../src/config/project.js';
import { projectCommands } from '../../src/runners/project-commands.js';
import { readTaskfile, taskfileCommands, template } from '../../src/runners/taskfile.js';

/** The Taskfile reader (go-task/task v3: compiler.go getVariables, variables.go compiledTask, internal/env GetFromVars). */
const project = tempProjects();
const folder = (files: Record<string, string>) => project(files).root;

const words = (root: string, env: Record<string, string | undefined> = {}) =>
  taskfileCommands(root, env).map((command) => ({ where: command.where, words: command.words.map((w) => w.text).join(' '), cwd: command.cwd && path.relative(root, command.cwd) }));

describe('Taskfile commands', () => {
  it('renders {{.VAR}} from vars, env and the environment, in Task\'s order; a task\'s dir is the commands\' folder', () => {
    const root = folder({
      'Taskfile.yml': [
        "version: '3'",
        'env:',
        '  GOOSE_DRIVER: postgres',
        'vars:',
        '  DIR: ./db/migrations',
        '  TABLE: "{{.PREFIX}}_versions"',
        '  LIMIT: "{{.MISSING | default \\"10\\"}}"',
        'tasks:',
        '  migrate:up:',
        '    dir: backend',
        '    cmds:',
        '      - goose -dir {{.DIR}} -table {{.TABLE}} up',
        '      - cmd: echo {{ .LIMIT }} {{.MISSING}}end',
        '      - task: other',
        '  short: migrate -path {{.DIR}} up',
        '  listed:',
        '    - cd sub && dbmate up',
        '',
      ].join('\n'),
    });
    expect(words(root, { PREFIX: 'app' })).toEqual([
      { where: 'Taskfile.yml:12 (task migrate:up)', words: 'goose -dir ./db/migrations -table app_versions up', cwd: 'backend' },
      { where: 'Taskfile.yml:13 (task migrate:up)', words: 'echo 10 end', cwd: 'backend' },
      { where: 'Taskfile.yml:15 (task short)', words: 'migrate -path ./db/migrations up', cwd: '' },
      { where: 'Taskfile.yml:17 (task listed)', words: 'cd sub', cwd: '' },
      { where: 'Taskfile.yml:17 (task listed)', words: 'dbmate up', cwd: 'sub' },
    ]);
  });

  it("a command's environment: the Taskfile's env, dotenv and the task's env, a name already in the environment keeping its value", () => {
    const root = folder({
      'Taskfile.yaml': [
        'version: "3"',
        'dotenv: [".env", "missing.env"]',
        'env:',
        '  GOOSE_TABLE: from_taskfile',
        'tasks:',
        '  up:',
        '    env:',
        '      GOOSE_MIGRATION_DIR: sql/schema',
        '      DYNAMIC: { sh: "cat dir.txt" }',
        '    cmds: ["goose up"]',
        '',
      ].join('\n'),
      '.env': 'GOOSE_TABLE=from_dotenv\nGOOSE_DBSTRING=postgres://x/db\nDATABASE_URL=postgres://dotenv/db\n',
    });
    const [command] = taskfileCommands(root, { DATABASE_URL: 'postgres://process/db' });
    expect(command.env.GOOSE_TABLE).toBe('from_taskfile');
    expect(command.env.GOOSE_DBSTRING).toBe('postgres://x/db');
    expect(command.env.GOOSE_MIGRATION_DIR).toBe('sql/schema');
    expect(command.env.DATABASE_URL).toBe('postgres://process/db');
    expect(command.env.DYNAMIC).toBe(UNKNOWN);
  });

  it('a value only Task knows (sh:, CLI_ARGS, a template function) is unknown; no Taskfile, another version or bad YAML: no commands', () => {
    const root = folder({ 'taskfile.yml': "version: '3'\nvars:\n  DIR: { sh: 'echo x' }\ntasks:\n  up: goose -dir {{.DIR}} {{.CLI_ARGS}} {{ printf \"%s\" .X }} up\n" });
    expect(words(root)[0].words).toBe(`goose -dir ${UNKNOWN} ${UNKNOWN} ${UNKNOWN} up`);
    expect(words(folder({ 'Makefile': 'up:\n\tgoose up\n' }))).toEqual([]);
    expect(words(folder({ 'Taskfile.yml': "version: '2'\ntasks:\n  up: goose up\n" }))).toEqual([]);
    expect(words(folder({ 'Taskfile.yml': "version: '3'\ntasks: [\n" }))).toEqual([]);
  });

  it('the first of Task\'s default names is read', () => {
    const root = folder({ 'Taskfile.yml': "version: '3'\ntasks:\n  a: echo first\n", 'Taskfile.dist.yml': "version: '3'\ntasks:\n  a: echo dist\n" });
    expect(words(root).map((c) => c.words)).toEqual(['echo first']);
  });

  it('includes (taskfile/reader.go, ast/tasks.go Merge): ns:task names, a folder path, dir: of the map form, the include\'s vars, flatten, excludes, nested', () => {
    const root = folder({
      'Taskfile.yml': [
        "version: '3'",
        'vars:',
        '  BIN: goose',
        'includes:',
        '  db: ./db',
        '  api:',
        '    taskfile: ./services/api/Tasks.yml',
        '    dir: ./services/api',
        '    vars:',
        '      TABLE: api_versions',
        '  tools:',
        '    taskfile: tools/Taskfile.yml',
        '    flatten: true',
        '    excludes: [skip]',
        'tasks:',
        '  up: "{{.BIN}} up"',
        '',
      ].join('\n'),
      'db/Taskfile.yml': "version: '3'\nincludes:\n  seed: ./seed\ntasks:\n  migrate: '{{.BIN}} -dir migrations up'\n",
      'db/seed/Taskfile.yaml': "version: '3'\ntasks:\n  load: migrate -path seeds up\n",
      'services/api/Tasks.yml': "version: '3'\nvars:\n  TABLE: '{{.TABLE | default \"goose_db_version\"}}'\ntasks:\n  migrate:\n    dir: sql\n    cmds: ['goose -table {{.TABLE}} -dir . up']\n",
      'tools/Taskfile.yml': "version: '3'\ntasks:\n  dbmate: dbmate -d db/migrations up\n  skip: echo left out\n",
    });
    const read = readTaskfile(root, {});
    expect(read.notices).toEqual([]);
    expect(words(root)).toEqual([
      { where: 'Taskfile.yml:16 (task up)', words: 'goose up', cwd: '' },
      // a path-form include's tasks run in the root Taskfile's folder (Task's docs, "Including other Taskfiles")
      { where: 'db/Taskfile.yml:5 (task db:migrate)', words: 'goose -dir migrations up', cwd: '' },
      { where: 'db/seed/Taskfile.yaml:3 (task db:seed:load)', words: 'migrate -path seeds up', cwd: '' },
      // dir: of the map form, relative to the including Taskfile; the task's own dir under it
      { where: 'services/api/Tasks.yml:7 (task api:migrate)', words: 'goose -table api_versions -dir . up', cwd: path.join('services', 'api', 'sql') },
      // the map form without dir: runs in the including Taskfile's folder; flatten: the bare name
      { where: 'tools/Taskfile.yml:3 (task dbmate)', words: 'dbmate -d db/migrations up', cwd: '' },
    ]);
  });

  it('an include: optional and missing is skipped; missing, remote, a cycle or outside the project is a notice; its tasks are not read', () => {
    const root = folder({
      'Taskfile.yml': [
        "version: '3'",
        'includes:',
        '  maybe: { taskfile: ./missing.yml, optional: true }',
        '  gone: ./nowhere',
        '  remote: https://example.com/Taskfile.yml',
        '  loop: ./loop',
        'tasks:',
        '  up: goose up',
        '',
      ].join('\n'),
      'loop/Taskfile.yml': "version: '3'\nincludes:\n  back: ../Taskfile.yml\ntasks:\n  up: migrate -path db up\n",
    });
    const read = readTaskfile(root, {});
    expect(read.commands.map((c) => `${c.where}: ${c.words.map((w) => w.text).join(' ')}`)).toEqual(['Taskfile.yml:8 (task up): goose up', 'loop/Taskfile.yml:5 (task loop:up): migrate -path db up']);
    expect(read.notices).toEqual([
      'Taskfile.yml:4 (include gone): nowhere has no Taskfile, and Task stops there (the include is not optional): its tasks are not read',
      'Taskfile.yml:5 (include remote) includes a remote Taskfile (https://example.com/Taskfile.yml), which pgdrift does not fetch: its tasks are not read',
      'loop/Taskfile.yml:3 (include back) includes Taskfile.yml again, a cycle Task refuses ("include cycle detected"): not followed',
    ]);
  });

  it("a Taskfile beside the migrations (db/) may include one elsewhere in the project: the project's bounds count, not the Taskfile's folder", () => {
    // field: datumforge/datum db/Taskfile.yaml includes ../docker/Taskfile.yaml (goose reads the Taskfile beside its folder too)
    const root = folder({
      'db/Taskfile.yaml': "version: '3'\nincludes:\n  docker:\n    taskfile: ../docker/Taskfile.yaml\n    dir: ../docker\ntasks:\n  up: goose -dir migrations up\n",
      'docker/Taskfile.yaml': "version: '3'\ntasks:\n  build: docker build .\n",
    });
    const db = path.join(root, 'db');
    expect(readTaskfile(db, {}, root).notices).toEqual([]);
    expect(readTaskfile(db, {}, root).commands.map((c) => c.where)).toEqual(['Taskfile.yaml:7 (task up)', '../docker/Taskfile.yaml:3 (task docker:build)']);
    expect(readTaskfile(db, {}).notices).toEqual([`Taskfile.yaml:3 (include docker) includes ${path.join(root, 'docker', 'Taskfile.yaml')}, outside the project, which pgdrift does not read: its tasks are not read`]);
  });

  it('a Taskfile that is not valid YAML, the root or an included one, is a notice with its line and column', () => {
    expect(readTaskfile(folder({ 'Taskfile.yml': "version: '3'\ntasks: [\n" }), {}).notices).toEqual([
      'Taskfile.yml:3:1 is not valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ]), which Task refuses: its tasks are not read',
    ]);
    const root = folder({ 'Taskfile.yml': "version: '3'\nincludes:\n  db: ./db\ntasks:\n  up: goose up\n", 'db/Taskfile.yml': "version: '3'\ntasks:\n  a: b\n   c: d\n" });
    const read = readTaskfile(root, {});
    expect(read.commands).toHaveLength(1);
    expect(read.notices).toEqual(['db/Taskfile.yml:3:6 is not valid YAML (Nested mappings are not allowed in compact mappings), which Task refuses: its tasks are not read']);
  });

  it("runners read an included Taskfile's commands: goose's -dir in the include's dir:, migrate's -path in the root's folder", () => {
    const goose = project({
      'Taskfile.yml': "version: '3'\nincludes:\n  db:\n    taskfile: ./backend/db\n    dir: ./backend\n",
      'backend/db/Taskfile.yml': "version: '3'\ntasks:\n  up: goose -dir sql/schema -table _migrations postgres \"$DB\" up\n",
      'backend/sql/schema/00001_init.sql': '-- +goose Up\nCREATE TABLE t (id int);\n',
      'migrations/00001_init.sql': '-- +goose Up\nCREATE TABLE other (id int);\n',
    });
    const resolved = resolveProject({ cwd: goose.root });
    expect(path.relative(goose.root, resolved.migrationsDir)).toBe(path.join('backend', 'sql', 'schema'));
    expect(resolved.runner.bookkeeping).toContain('public._migrations');
    expect(resolved.runner.notices ?? []).toEqual([]);
    const migrate = project({
      'Taskfile.yml': "version: '3'\nincludes:\n  db: ./tasks/db.yml\n",
      'tasks/db.yml': "version: '3'\ntasks:\n  up: migrate -path db/sql -database \"postgres://x/db?x-migrations-table=versions\" up\n",
      'db/sql/1_init.up.sql': 'CREATE TABLE t (id int);\n',
    });
    const migrateProject = resolveProject({ cwd: migrate.root });
    expect(migrateProject.runner.name).toBe('golang-migrate');
    expect(path.relative(migrate.root, migrateProject.migrationsDir)).toBe(path.join('db', 'sql'));
  });

  it('a Taskfile that is not valid YAML is a runner notice (the check is then no clean verdict); fixed, it is read again', () => {
    const p = project({
      'Taskfile.yml': "version: '3'\ntasks:\n  up: goose -dir db -table _migrations up\n   bad: x\n",
      'migrations/00001_init.sql': '-- +goose Up\nCREATE TABLE t (id int);\n',
    });
    expect(resolveProject({ cwd: p.root }).runner.notices).toEqual(['goose: Taskfile.yml:3:7 is not valid YAML (Nested mappings are not allowed in compact mappings), which Task refuses: its tasks are not read']);
    p.write('Taskfile.yml', "version: '3'\ntasks:\n  up: goose -dir migrations -table _migrations up\n");
    const fixed = resolveProject({ cwd: p.root });
    expect(fixed.runner.notices ?? []).toEqual([]);
    expect(fixed.runner.bookkeeping).toContain('public._migrations');
  });

  it('projectCommands reads the files once while they stay as they are; a changed or added file is read again', () => {
    const p = project({ 'Taskfile.yml': "version: '3'\nincludes:\n  db: ./db\n", 'db/Taskfile.yml': "version: '3'\ntasks:\n  up: goose up\n" });
    const first = projectCommands(p.root, {});
    expect(projectCommands(p.root, {})).toBe(first);
    expect(projectCommands(p.root, { OTHER: 'x' })).not.toBe(first);
    p.write('db/Taskfile.yml', "version: '3'\ntasks:\n  up: goose -dir sql up\n");
    const changed = projectCommands(p.root, {});
    expect(changed.map((c) => c.words.map((w) => w.text).join(' '))).toEqual(['goose -dir sql up']);
    p.write('justfile', 'up:\n    dbmate up\n');
    expect(projectCommands(p.root, {}).map((c) => c.from)).toEqual(['task', 'just']);
  });

  it('templates: spaces and trim markers, default only when empty, unknown actions', () => {
    expect(template('{{- .A -}}/{{.B | default "x"}}/{{.C | default "y"}}', { A: 'a', B: '', C: 'c' })).toBe('a/x/c');
    expect(template('{{if .A}}x{{end}}', { A: 'a' })).toBe(`${UNKNOWN}x${UNKNOWN}`);
    expect(template('no template', {})).toBe('no template');
  });
});
