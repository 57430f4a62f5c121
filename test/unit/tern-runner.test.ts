import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { resolveProject } from '../../src/config/project.js';
import { nextMigration } from '../../src/fix/migration-file.js';
import { detectRunner } from '../../src/runners/index.js';
import { planTern, tern } from '../../src/runners/tern.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * tern (jackc/tern v2): migrate/migrate.go FindMigrations (numbering), LoadMigrations (the create above / drop below
 * split, shared templates, ErrNoFwMigration), MigrateTo (transaction per migration, disable-tx, reset all),
 * ensureSchemaVersionTableExists; main.go LoadConfig (tern.conf [database] version_table, [data]).
 */
const project = tempProjects();
const SPLIT = '---- create above / drop below ----';
const CONF = '[database]\n# version_table = public.schema_version\n\n[data]\n# prefix = foo\n';

beforeAll(() => loadSqlParser());

describe('tern discovery and order', () => {
  it('<number>_<name>.sql files by their number (1, 2, ... 10), shared .sql files in sub-folders and other names skipped', () => {
    const p = project({
      'migrations/10_ten.sql': 'select 10;',
      'migrations/9_nine.sql': 'select 9;',
      'migrations/001_one.sql': 'select 1;',
      ...Object.fromEntries([2, 3, 4, 5, 6, 7, 8].map((n) => [`migrations/${n}_n.sql`, 'select 1;'])),
      'migrations/should_be_ignored.sql': 'drop table x;',
      'migrations/11_upper.SQL': 'select 11;',
      'migrations/shared/v1_001.sql': 'create table shared (a int);',
      'migrations/tern.conf': CONF,
    });
    const found = tern.discover(`${p.root}/migrations`, { projectRoot: p.root });
    expect(found.migrations.map((m) => m.name)).toEqual(['001_one.sql', '2_n.sql', '3_n.sql', '4_n.sql', '5_n.sql', '6_n.sql', '7_n.sql', '8_n.sql', '9_nine.sql', '10_ten.sql']);
    expect(found.migrations[0].version).toBe('001');
    expect(found.ignored.map((f) => [f.name, f.expected ?? false])).toEqual([
      // migrationPattern's `\.sql\z` is case-sensitive
      ['11_upper.SQL', false],
      ['should_be_ignored.sql', false],
      ['shared/v1_001.sql', true],
    ]);
    expect(found.problems).toEqual([]);
  });

  it('a duplicate number, a gap, number 0 and an up step without SQL stop tern before anything runs', () => {
    const p = project({
      'migrations/001_a.sql': 'select 1;',
      'migrations/1_again.sql': 'select 1;',
      'migrations/003_c.sql': `-- only a comment\n\n${SPLIT}\ndrop table c;\n`,
      'migrations/0_zero.sql': 'select 0;',
    });
    const found = tern.discover(`${p.root}/migrations`, { projectRoot: p.root });
    expect(found.problems).toEqual([
      '0_zero.sql: number 0: tern numbers migrations from 1 (FindMigrations fails on paths[-1])',
      'Duplicate migration 1: 001_a.sql and 1_again.sql (tern refuses the folder: FindMigrations)',
      'Missing migration 2: tern numbers migrations 1, 2, 3… without gaps and refuses the folder (FindMigrations)',
      '003_c.sql: no sql in forward migration step: tern refuses to load the migrations (ErrNoFwMigration)',
    ]);
  });

  it('a "{{" no "}}" closes in a down step or a shared file stops tern\'s load (both are parsed as templates): refused by name', () => {
    const p = project({
      'migrations/001_a.sql': `create table a (x int[] default '{1,2}');\n${SPLIT}\nselect '{{1,2},{3,4}'::int[];\n`,
      'migrations/shared/broken.sql': 'select 1;\nselect {{ .x;\n',
    });
    expect(tern.discover(`${p.root}/migrations`, { projectRoot: p.root }).problems).toEqual([
      'shared/broken.sql:2:8: a "{{" no "}}" closes: tern parses every .sql file in a sub-folder as a Go template and stops loading the migrations (template: unclosed action)',
      '001_a.sql:3:9: a "{{" no "}}" closes in the down step: tern executes it as a Go template when it loads the migrations and stops (template: unclosed action)',
    ]);
  });

  it('detected by the split or disable-tx lines, or by a tern.conf beside or above the folder; a folder with tern.conf is found below the root', () => {
    const marked = project({ 'migrations/001_a.sql': `create table a (id int);\n\n${SPLIT}\n\ndrop table a;\n` });
    expect(detectRunner(`${marked.root}/migrations`, marked.root).runner.name).toBe('tern');
    const conf = project({ 'schema/001_a.sql': 'create table a (id int);\n', 'schema/tern.conf': CONF });
    expect(detectRunner(`${conf.root}/schema`, conf.root).runner.name).toBe('tern');
    const resolved = resolveProject({ cwd: conf.root });
    expect([path.relative(conf.root, resolved.migrationsDir), resolved.runner.name]).toEqual(['schema', 'tern']);
    const plain = project({ 'migrations/001_a.sql': 'create table a (id int);\n' });
    expect(detectRunner(`${plain.root}/migrations`, plain.root).runner.name).toBe('numbered');
    // field: grassrootseconomics/cic-custodial: no tern.conf, no markers, migrate.NewMigrator called from Go
    const library = project({ 'migrations/001_a.sql': 'create table a (id int);\n', 'go.mod': 'module example.com/x\n\ngo 1.22\n\nrequire (\n\tgithub.com/jackc/pgx/v5 v5.7.1\n\tgithub.com/jackc/tern/v2 v2.1.1\n)\n' });
    expect(detectRunner(`${library.root}/migrations`, library.root).runner.name).toBe('tern');
    const indirect = project({ 'migrations/001_a.sql': 'create table a (id int);\n', 'go.mod': 'module example.com/x\n\nrequire github.com/jackc/tern/v2 v2.1.1 // indirect\n' });
    expect(detectRunner(`${indirect.root}/migrations`, indirect.root).runner.name).toBe('numbered');
  });
});

describe('tern migrations folder from the project commands', () => {
  const up = (table: string) => `create table ${table} (id int);\n\n${SPLIT}\n\ndrop table ${table};\n`;
  const folderOf = (files: Record<string, string>) => {
    const p = project(files);
    const resolved = resolveProject({ cwd: p.root });
    return { root: p.root, folder: path.relative(p.root, resolved.migrationsDir).split(path.sep).join('/'), runner: resolved.runner, setting: tern.configuredFolders!(p.root, { projectRoot: p.root })?.setting };
  };

  it('main.go LoadConfig: -m/--migrations of a script or recipe, else the TERN_MIGRATIONS it sets, else the folder a cd before `tern migrate` leaves; the setting that won is named', async () => {
    // field: Makefiles with `tern migrate -m migrations/` (no conventional folder here: the command names it)
    const make = folderOf({ 'db/schema/001_a.sql': up('a'), Makefile: 'DB ?= postgres://localhost/app\nmigrate:\n\t@tern migrate -m db/schema --conn-string $(DB)\n' });
    expect(make).toMatchObject({ folder: 'db/schema', setting: 'Makefile:3 (target migrate) (tern migrate -m db/schema)' });
    expect(make.runner.name).toBe('tern');
    expect((await dump({ cwd: make.root, engine: 'pglite', noCache: true })).sql).toContain('CREATE TABLE public.a (');
    expect(folderOf({ 'db/schema/001_a.sql': up('a'), 'package.json': JSON.stringify({ scripts: { migrate: 'go tool tern migrate --migrations=./db/schema -c ./db/schema/tern.conf' } }) }).folder).toBe('db/schema');
    // TERN_MIGRATIONS the command sets wins over the tern.conf folder found by convention
    const env = folderOf({ 'migrations/001_old.sql': up('old'), 'migrations/tern.conf': CONF, 'migrations/current/001_a.sql': up('a'), justfile: 'migrate:\n    TERN_MIGRATIONS=migrations/current tern migrate\n' });
    expect(env).toMatchObject({ folder: 'migrations/current', setting: 'justfile:2 (recipe migrate) (TERN_MIGRATIONS=migrations/current tern migrate)' });
    // `tern migrate` after a cd migrates `.` there
    expect(folderOf({ 'sql/001_a.sql': up('a'), Makefile: 'migrate:\n\tcd sql && tern migrate\n' })).toMatchObject({ folder: 'sql', setting: 'Makefile:2 (target migrate) (cd sql && tern migrate)' });
    // TERN_MIGRATIONS of pgdrift's own environment, when no command names a folder
    process.env.TERN_MIGRATIONS = 'sql';
    try {
      expect(folderOf({ 'sql/001_a.sql': up('a') })).toMatchObject({ folder: 'sql', setting: 'TERN_MIGRATIONS (sql)' });
    } finally {
      delete process.env.TERN_MIGRATIONS;
    }
    // two folders, or one only the shell knows: none is followed, and a notice says so
    const two = folderOf({ 'migrations/001_a.sql': up('a'), 'migrations/tern.conf': CONF, 'seeds/001_s.sql': up('s'), Makefile: 'migrate:\n\ttern migrate -m migrations\nseed:\n\ttern migrate -m seeds\n' });
    expect(two.folder).toBe('migrations');
    expect(two.runner.notices?.[0]).toBe("tern: the project's tern commands name different migrations folders (Makefile:2 (target migrate) (tern migrate -m migrations); Makefile:4 (target seed) (tern migrate -m seeds)): pgdrift followed none of them (name the one to check with --migrations or \"migrations\" in pgdrift.config.json); migrations is replayed");
    const shell = folderOf({ 'migrations/001_a.sql': up('a'), 'migrations/tern.conf': CONF, 'package.json': JSON.stringify({ scripts: { migrate: 'tern migrate -m "$DIR"' } }) });
    expect(shell.folder).toBe('migrations');
    expect(shell.runner.notices?.[0]).toContain('tern: the migrations folder of package.json script "migrate" (tern migrate -m $DIR) is a value only the shell knows');
  });

  it('a Dockerfile\'s ENV TERN_MIGRATIONS and TERN_CONFIG, mapped into the project by its COPY instructions (every stage read); a path no COPY maps is said', async () => {
    // field: ugent-library/people-service, a dev stage whose /src is a volume and a final stage copying the build stage's /build
    const dockerfile = [
      '# escape=\\',
      'FROM golang:alpine AS base',
      '',
      'FROM base AS dev',
      'WORKDIR /src',
      'ENV TERN_CONFIG /src/tern.docker.conf',
      'ENV TERN_MIGRATIONS /src/etc/migrations',
      'CMD ["reflex", "-c", "reflex.docker.conf"]',
      '',
      'FROM base AS build',
      'WORKDIR /build',
      'COPY . .',
      'RUN go build \\',
      '    # a comment inside the continuation',
      '    -o app -v',
      '',
      'FROM alpine:latest',
      'ARG SOURCE_BRANCH',
      'ARG ROOT=/dist',
      'ENV SOURCE_BRANCH $SOURCE_BRANCH',
      'ENV TERN_CONFIG=${ROOT}/tern.docker.conf \\',
      '    TERN_MIGRATIONS="$ROOT/etc/snapstore/migrations"',
      'WORKDIR /dist',
      'COPY --from=build /build .',
      'CMD ["/dist/app", "server", "start"]',
    ].join('\n');
    const p = project({
      'etc/snapstore/migrations/001_people.sql': `create table {{ .prefix }}_people (id int);\n\n${SPLIT}\n`,
      'tern.docker.conf': '[database]\nconn_string = {{ env "PEOPLE_CONN" }}\nversion_table = public.tern_docker_versions\n[data]\nprefix = docker\n',
      Dockerfile: dockerfile,
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(path.relative(p.root, resolved.migrationsDir)).toBe(path.join('etc', 'snapstore', 'migrations'));
    expect(resolved.runner.name).toBe('tern');
    expect(tern.configuredFolders!(p.root, { projectRoot: p.root })?.setting).toBe('Dockerfile:21 (ENV TERN_MIGRATIONS /dist/etc/snapstore/migrations)');
    expect(resolved.runner.bookkeeping).toEqual(['public.tern_docker_versions']);
    expect(resolved.runner.notices).toEqual([
      'tern: Dockerfile:7 (ENV TERN_MIGRATIONS /src/etc/migrations) names a path in the image that no COPY of the project maps to a folder of the project (a volume mounted when the container runs, or a value given at build time): pgdrift did not follow it; etc/snapstore/migrations is replayed',
      'tern: Dockerfile:6 (ENV TERN_CONFIG /src/tern.docker.conf) names a path in the image that no COPY of the project maps to a file of the project (a volume mounted when the container runs, or a value given at build time): pgdrift did not follow it; etc/snapstore/migrations is replayed',
    ]);
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.sql).toContain('CREATE TABLE public.docker_people (');
  });

  it('the tern.conf of the followed command\'s -c (or TERN_CONFIG) gives [data] and version_table', async () => {
    const p = project({
      'db/migrations/001_a.sql': `create table {{ .prefix }}_people (id int);\n\n${SPLIT}\n`,
      'db/migrations/tern.conf': '[data]\nprefix = local\n',
      'config/tern.conf': '[database]\nversion_table = public.tern_versions\n[data]\nprefix = team\n',
      Makefile: 'migrate:\n\ttern migrate -m db/migrations -c config/tern.conf\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(resolved.runner.bookkeeping).toEqual(['public.tern_versions']);
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.sql).toContain('CREATE TABLE public.team_people (');
  });
});

describe('tern plan', () => {
  it('only the up step, in a transaction; a "---- tern: disable-tx ----" line runs it statement by statement without one', () => {
    expect(planTern(`create table a (id int);\n\n${SPLIT}\n\ndrop table a;\n`, '001_a.sql', '/nowhere')).toEqual({ parts: [{ startLine: 0, endLine: 2, transaction: 'wrapped' }] });
    expect(planTern('create table a (id int);\n', '001_a.sql', '/nowhere')).toEqual({ parts: [{ startLine: 0, endLine: 2, transaction: 'wrapped' }] });
    expect(planTern(`---- tern: disable-tx ----\ncreate index concurrently i on a (id);\n${SPLIT}\ndrop index i;\n`, '002_i.sql', '/nowhere').parts).toEqual([{ startLine: 0, endLine: 2, transaction: 'none' }]);
    // the pattern is (?m)^…$: the line must be exactly the marker (in the up step: a disable-tx line below the split is the down step's)
    expect(planTern(`-- ---- tern: disable-tx ----\nselect 1;\n`, '003.sql', '/nowhere').parts[0].transaction).toBe('wrapped');
    expect(planTern(`select 1;\n${SPLIT}\n---- tern: disable-tx ----\nselect 2;\n`, '003.sql', '/nowhere').parts[0].transaction).toBe('wrapped');
  });

  it('the split is a substring (strings.SplitN): SQL before it on its line is part of the up step', () => {
    const plan = planTern(`create table a (id int); ${SPLIT} drop table a;\n`, '001_a.sql', '/nowhere');
    expect(plan.parts).toEqual([{ startLine: 0, endLine: 1, transaction: 'wrapped' }]);
    expect(plan.substitutions).toEqual([{ start: 25, end: 25 + SPLIT.length + ' drop table a;'.length, value: '' }]);
  });
});

describe('tern templates', () => {
  const files = {
    'migrations/tern.conf': `${CONF}prefix = app\n`,
    'migrations/shared/people.sql': 'create table {{ .prefix }}_people (id int);',
    'migrations/shared/plain.sql': 'create table plain (id int);',
  };

  it('{{ template "<shared file>" . }} and {{ .key }} of tern.conf [data] are evaluated; trim markers and comments as Go applies them', async () => {
    const p = project({
      ...files,
      'migrations/001_a.sql': `{{/* shared tables */}}\n{{ template "shared/people.sql" . }}\n{{template "shared/plain.sql"}}\ncreate table {{ .prefix }}_x (id int);\ncreate table   {{- " " -}}  \n  {{- .prefix }}_y (id int);\n\n${SPLIT}\ndrop table {{ .prefix }}_x;\n`,
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    for (const table of ['app_people', 'plain', 'app_x']) expect(result.sql).toContain(`CREATE TABLE public.${table} (`);
  });

  it('anything else is refused at its file:line:column, never guessed', async () => {
    const refusal = async (text: string, extra: Record<string, string> = {}) => {
      const p = project({ ...files, ...extra, 'migrations/001_a.sql': text });
      const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true }).catch((e: Error) => e);
      if (result instanceof Error) return String(result);
      return result.report.migrationFailures.map((f) => `${f.file}:${f.line}:${f.column}: ${f.message}`).join('\n');
    };
    expect(await refusal('select 1;\ncreate table t (a text default {{ env "USER" }});\n')).toMatch(/^migrations\/001_a\.sql:2:32: tern executes \{\{ env "USER" \}\} as a Go template action, which pgdrift does not evaluate/);
    expect(await refusal("select '{{1,2},{3,4}}'::int[];\n")).toMatch(/001_a\.sql:1:9: tern executes \{\{ 1,2\},\{3,4 \}\}/);
    expect(await refusal('select {{ .missing }};\n')).toContain('001_a.sql:1:8: {{ .missing }}: migrations/tern.conf has no [data] missing: tern writes "<no value>" there');
    expect(await refusal('{{ template "shared/nope.sql" . }}\n')).toContain('includes "shared/nope.sql", which is no .sql file in a sub-folder of the migrations folder');
    expect(await refusal('{{ template "shared/people.sql" }}\n')).toContain('001_a.sql:1:1: in shared/people.sql:1:14, included here: {{ .prefix }} in a shared file included without "."');
    expect(await refusal('select 1; {{ if .x }}\n')).toContain('001_a.sql:1:11:');
    expect(await refusal('select 1; {{ .prefix \n')).toContain('001_a.sql:1:11: tern parses this "{{" as the start of a Go template action and finds no "}}"');
  });
});

describe('tern replay', () => {
  it('CREATE INDEX CONCURRENTLY fails in the transaction (25001) and applies with disable-tx; the down step never runs', async () => {
    const files = {
      'migrations/001_t.sql': `create table t (a int);\n\n${SPLIT}\n\ndrop table t;\n`,
      'migrations/002_index.sql': `create index concurrently t_a on t (a);\n${SPLIT}\ndrop index t_a;\n`,
    };
    const wrapped = await dump({ cwd: project(files).root, engine: 'pglite', noCache: true });
    expect(wrapped.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['migrations/002_index.sql', 1, '25001']]);
    const outside = await dump({ cwd: project({ ...files, 'migrations/002_index.sql': `---- tern: disable-tx ----\ncreate index concurrently t_a on t (a);\n${SPLIT}\ndrop index t_a;\n` }).root, engine: 'pglite', noCache: true });
    expect(outside.report.migrationFailures).toEqual([]);
    expect(outside.sql).toContain('CREATE INDEX t_a ON public.t USING btree (a);');
    expect(outside.sql).toContain('CREATE TABLE public.t (');
  });

  it('a disable-tx step is cut at every ";" (sqlsplit.Split): a BEGIN ATOMIC body there is refused at its statement; in a transaction it applies', async () => {
    const atomic = 'create function one() returns int language sql\nbegin atomic\n  select 1;\nend;\n';
    const cut = planTern(`---- tern: disable-tx ----\ncreate table t (a int);\n${atomic}${SPLIT}\ndrop function one();\n`, '001_f.sql', '/nowhere');
    expect(cut.problem).toMatchObject({ line: 3, column: 1 });
    expect(cut.problem?.message).toContain('this BEGIN ATOMIC body is cut at its first ";"');
    expect(planTern(`---- tern: disable-tx ----\ncreate function two() returns int language sql return 2;\n`, '002_f.sql', '/nowhere').problem).toBeUndefined();
    const replayed = await dump({ cwd: project({ 'migrations/001_f.sql': `${atomic}${SPLIT}\ndrop function one();\n` }).root, engine: 'pglite', noCache: true });
    expect(replayed.report.migrationFailures).toEqual([]);
    expect(replayed.sql).toContain('CREATE FUNCTION public.one()');
  });

  it('tern resets the session after each migration: a search_path one file sets does not reach the next', async () => {
    const p = project({
      'migrations/001_s.sql': `create schema app;\nset search_path = app;\ncreate table a (id int);\n${SPLIT}\ndrop schema app cascade;\n`,
      'migrations/002_b.sql': `create table b (id int);\n${SPLIT}\ndrop table b;\n`,
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.sql).toContain('CREATE TABLE app.a (');
    expect(result.sql).toContain('CREATE TABLE public.b (');
  });

  it('public.schema_version (or tern.conf version_table) is created first as tern creates it, and is not drift', async () => {
    const p = project({
      'migrations/tern.conf': '[database]\nversion_table = public.tern_versions\n',
      'migrations/001_a.sql': `create table a (id int);\n${SPLIT}\ndrop table a;\n`,
    });
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.sql).toContain('CREATE TABLE public.tern_versions (');
    expect(tern.forProject!(`${p.root}/migrations`, { projectRoot: p.root }).bookkeeping).toEqual(['public.tern_versions']);
    p.write('docs/architecture/schema-actual-2024-01-01.sql', 'CREATE TABLE public.a (id integer);\n');
    const checked = await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false });
    expect(checked.drift).toEqual([]);
  });

  it('check --write-migration names the next file as `tern new` does (%03d_<name>.sql)', () => {
    expect(nextMigration(tern, [{ name: '001_a.sql', version: '001' }, { name: '002_b.sql', version: '002' }], 'reconcile', new Date()).name).toBe('003_reconcile.sql');
    expect(nextMigration(tern, [], 'first', new Date()).name).toBe('001_first.sql');
  });

});

describe('tern migrations in a schema/ folder nothing names', () => {
  // Field: ttab/elephant-user keeps tern migrations in schema/ (and an sqlc schema in postgres/), with no tern.conf
  // and no command naming the folder: "no migrations folder found" before.
  const first = 'CREATE TABLE IF NOT EXISTS "user" (sub text primary key);\n\n---- create above / drop below ----\n\nDROP TABLE IF EXISTS "user";\n';
  const second = 'CREATE TABLE IF NOT EXISTS message (recipient text references "user" (sub), id bigint);\n';

  it('is the migrations folder when one of its numbered files has tern\'s create above / drop below line, and says why', async () => {
    const p = project({ 'schema/001_messages.sql': first, 'schema/002_settings.sql': second, 'postgres/queries.sql': '-- name: Get :one\nSELECT 1;\n' });
    const resolved = resolveProject({ cwd: p.root });
    expect(path.relative(p.root, resolved.migrationsDir)).toBe('schema');
    expect(resolved.runner.name).toBe('tern');
    expect(resolved.detected).toContain('no migrations folder at the project root: using schema/, whose files are tern migrations (schema/001_messages.sql has tern\'s "---- create above / drop below ----" line)');
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.message (');
    expect(result.sql).not.toContain('DROP TABLE'); // the part below the line is tern's down migration
  }, 120_000);

  it('a schema/ folder of numbered files without the line is not taken for migrations (declarative schema files)', () => {
    const p = project({ 'schema/001_tables.sql': second, 'schema/002_more.sql': 'CREATE TABLE t (id int);\n' });
    expect(() => resolveProject({ cwd: p.root })).toThrow(/no migrations folder found/);
  });
});
