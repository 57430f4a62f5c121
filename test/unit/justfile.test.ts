import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, justfileCommands, readJustfile } from '../../src/runners/justfile.js';
import { UNKNOWN } from '../../src/runners/makefile.js';
import { tempProjects } from '../helpers/project.js';
import { resolveProject } from '../../src/config/project.js';

/** The justfile reader (casey/just: GRAMMAR.md, README.md "Working Directory", "Dotenv Settings", search.rs). */
const project = tempProjects();
const folder = (files: Record<string, string>) => project(files).root;

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

  it("import (compiler.rs): the imported recipes and variables join the justfile, in its folder; import? of a missing file is skipped", () => {
    const root = folder({
      justfile: ["import 'just/db.just'", 'import? "just/missing.just"', '', 'up:', '    goose -dir {{dir}} up', ''].join('\n'),
      'just/db.just': ["dir := 'db/migrations'", '', 'migrate:', '    migrate -path {{dir}} up', ''].join('\n'),
    });
    const read = readJustfile(root, {});
    expect(read.notices).toEqual([]);
    expect(commands(root)).toEqual([
      { where: path.join('just', 'db.just') + ':4 (recipe migrate)', words: 'migrate -path db/migrations up', cwd: '' },
      { where: 'justfile:5 (recipe up)', words: 'goose -dir db/migrations up', cwd: '' },
    ]);
  });

  it("mod (compiler.rs find_module_file, source.rs Source::module): name::recipe, run in the module file's folder, with its own settings", () => {
    const root = folder({
      justfile: ['mod db', "mod api 'services/api/tasks.just'", 'mod? absent', '', 'up:', '    dbmate up', ''].join('\n'),
      'db/mod.just': ['dir := "migrations"', '', 'migrate:', '    goose -dir {{dir}} up', ''].join('\n'),
      'services/api/tasks.just': ['set working-directory := "sql"', '', 'migrate:', '    sqlx migrate run --source migrations', ''].join('\n'),
    });
    expect(readJustfile(root, {}).notices).toEqual([]);
    expect(commands(root)).toEqual([
      { where: 'justfile:6 (recipe up)', words: 'dbmate up', cwd: '' },
      { where: path.join('db', 'mod.just') + ':4 (recipe db::migrate)', words: 'goose -dir migrations up', cwd: 'db' },
      { where: path.join('services', 'api', 'tasks.just') + ':4 (recipe api::migrate)', words: 'sqlx migrate run --source migrations', cwd: path.join('services', 'api', 'sql') },
    ]);
  });

  it('a missing import or module, an ambiguous module and a circular import are notices', () => {
    const root = folder({
      justfile: ["import 'gone.just'", 'mod db', 'mod twice', "import 'loop.just'", ''].join('\n'),
      'twice.just': 'a:\n    echo a\n',
      'twice/justfile': 'a:\n    echo b\n',
      'loop.just': "import 'justfile'\nup:\n    goose up\n",
    });
    const read = readJustfile(root, {});
    expect(read.commands.map((c) => c.where)).toEqual(['loop.just:3 (recipe up)']);
    expect(read.notices).toEqual([
      'justfile:1 (import): gone.just does not exist, and just stops there: its recipes are not read',
      'loop.just:1 (import): justfile is already being read, a circular import just refuses: not followed',
      'justfile:2 (mod db): just finds no file for the module and stops: its recipes are not read',
      `justfile:3 (mod twice): just finds several files for the module (twice.just, ${path.join('twice', 'justfile')}) and stops: its recipes are not read`,
    ]);
  });

  it("goose reads a module recipe's -dir in the module's folder", () => {
    const p = project({
      justfile: 'mod db\n',
      'db/justfile': 'up:\n    goose -dir sql/schema -table _migrations postgres "$DB" up\n',
      'db/sql/schema/00001_init.sql': '-- +goose Up\nCREATE TABLE t (id int);\n',
      'migrations/00001_init.sql': '-- +goose Up\nCREATE TABLE other (id int);\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(path.relative(p.root, resolved.migrationsDir)).toBe(path.join('db', 'sql', 'schema'));
    expect(resolved.runner.bookkeeping).toContain('public._migrations');
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
