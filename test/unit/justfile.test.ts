import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluate, justfileCommands } from '../../src/runners/justfile.js';
import { UNKNOWN } from '../../src/runners/makefile.js';

/** The justfile reader (casey/just: GRAMMAR.md, README.md "Working Directory", "Dotenv Settings", search.rs). */
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'pgdrift-justfile-'));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

const commands = (root: string, env: Record<string, string | undefined> = {}) =>
  justfileCommands(root, env).map((command) => ({ where: command.where, words: command.words.map((w) => w.text).join(' '), cwd: command.cwd && path.relative(root, command.cwd) }));

describe('justfile commands', () => {
  it('recipes with their variables interpolated; each line its own shell (a cd lasts one line); prefixes and continuations', () => {
    const root = folder({
      Justfile: [
        '# database tasks',
        "migrations := 'crates/db' / 'migrations'",
        'table := env_var_or_default("TABLE", "_sqlx_migrations")',
        '',
        '# Apply SQLx migrations.',
        'migrate:',
        '    @sqlx migrate run --source {{migrations}}',
        '    cd backend && goose -table {{ table }} up',
        '    goose status',
        '',
        'new NAME:',
        '    -sqlx migrate add --source {{migrations}} {{NAME}} \\',
        '      --sequential',
        '',
        '[working-directory: "services/api"]',
        'api-migrate: migrate',
        '    dbmate up',
        '',
      ].join('\n'),
    });
    expect(commands(root, { TABLE: 'versions' })).toEqual([
      { where: 'Justfile:7 (recipe migrate)', words: 'sqlx migrate run --source crates/db/migrations', cwd: '' },
      { where: 'Justfile:8 (recipe migrate)', words: 'cd backend', cwd: '' },
      { where: 'Justfile:8 (recipe migrate)', words: 'goose -table versions up', cwd: 'backend' },
      { where: 'Justfile:9 (recipe migrate)', words: 'goose status', cwd: '' },
      { where: 'Justfile:12 (recipe new)', words: `sqlx migrate add --source crates/db/migrations ${UNKNOWN} --sequential`, cwd: '' },
      { where: 'Justfile:17 (recipe api-migrate)', words: 'dbmate up', cwd: path.join('services', 'api') },
    ]);
  });

  it('a shebang recipe is one script (its cd lasts); set working-directory; [no-cd] runs where just was invoked', () => {
    const root = folder({
      '.justfile': ['set working-directory := "db"', '', 'up:', '    #!/usr/bin/env bash', '    cd sql', '    goose up', '', '[no-cd]', 'here:', '    goose up', ''].join('\n'),
    });
    expect(commands(root)).toEqual([
      { where: '.justfile:3 (recipe up)', words: 'cd sql', cwd: 'db' },
      { where: '.justfile:3 (recipe up)', words: 'goose up', cwd: path.join('db', 'sql') },
      { where: '.justfile:10 (recipe here)', words: 'goose up', cwd: undefined },
    ]);
  });

  it("the recipes' environment: .env with set dotenv-load (a name already set keeps its value), exported variables", () => {
    const root = folder({
      justfile: ['set dotenv-load', 'export GOOSE_TABLE := "from_justfile"', 'dir := "x"', '', 'up:', '    goose up', ''].join('\n'),
      '.env': 'GOOSE_MIGRATION_DIR=sql/schema\nDATABASE_URL=postgres://dotenv/db\n',
    });
    const [command] = justfileCommands(root, { DATABASE_URL: 'postgres://process/db' });
    expect(command.env).toMatchObject({ GOOSE_TABLE: 'from_justfile', GOOSE_MIGRATION_DIR: 'sql/schema', DATABASE_URL: 'postgres://process/db' });
    expect(command.env.dir).toBeUndefined();
    // without dotenv-load, .env is not read
    const plain = folder({ justfile: 'up:\n    goose up\n', '.env': 'GOOSE_MIGRATION_DIR=sql/schema\n' });
    expect(justfileCommands(plain, {})[0].env.GOOSE_MIGRATION_DIR).toBeUndefined();
  });

  it('expressions: strings, +, /, env functions, parentheses; a backtick, if or unknown function is unknown', () => {
    const vars = { a: 'db' };
    expect(evaluate(`a / "migrations" + '-x' # comment`, vars, {}, '/r')).toBe('db/migrations-x');
    expect(evaluate(`env('D', 'def')`, vars, { D: 'set' }, '/r')).toBe('set');
    expect(evaluate(`env('D', 'def')`, vars, {}, '/r')).toBe('def');
    expect(evaluate(`justfile_directory() / ("a" + "b")`, vars, {}, '/r')).toBe('/r/ab');
    expect(evaluate('`git rev-parse --show-toplevel`', vars, {}, '/r')).toBe(UNKNOWN);
    expect(evaluate(`if a == "db" { "x" } else { "y" }`, vars, {}, '/r')).toBe(UNKNOWN);
    expect(evaluate(`uppercase(a)`, vars, {}, '/r')).toBe(UNKNOWN);
    expect(evaluate(`missing`, vars, {}, '/r')).toBe(UNKNOWN);
    expect(evaluate(`"""\n  triple\n"""`, vars, {}, '/r')).toBe('\n  triple\n');
  });
});
