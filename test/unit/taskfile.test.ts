import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UNKNOWN } from '../../src/runners/makefile.js';
import { taskfileCommands, template } from '../../src/runners/taskfile.js';

/** The Taskfile reader (go-task/task v3: compiler.go getVariables, variables.go compiledTask, internal/env GetFromVars). */
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'pgdrift-taskfile-'));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

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

  it('templates: spaces and trim markers, default only when empty, unknown actions', () => {
    expect(template('{{- .A -}}/{{.B | default "x"}}/{{.C | default "y"}}', { A: 'a', B: '', C: 'c' })).toBe('a/x/c');
    expect(template('{{if .A}}x{{end}}', { A: 'a' })).toBe(`${UNKNOWN}x${UNKNOWN}`);
    expect(template('no template', {})).toBe('no template');
  });
});
