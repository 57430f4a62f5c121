import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveProject } from '../../src/config/project.js';
import { InputError } from '../../src/errors.js';
import { runnableText } from '../../src/migrations/discover.js';
import { loadProjectMigrations } from '../../src/migrations/project-migrations.js';
import { dbmateSchemaFile, planDbmate } from '../../src/runners/dbmate.js';
import { compareParts, versionParts } from '../../src/runners/flyway.js';
import { planGoose } from '../../src/runners/goose.js';
import { detectRunner, runnerByName } from '../../src/runners/index.js';
import { planPostgresMigrations } from '../../src/runners/postgres-migrations.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProject } from '../helpers/project.js';

/** The InputError `run` throws, or undefined when it throws none. */
function errorOf(run: () => unknown): InputError | undefined {
  try {
    run();
  } catch (caught) {
    return caught as InputError;
  }
  return undefined;
}

const projects: { cleanup: () => void }[] = [];
afterAll(() => projects.forEach((p) => p.cleanup()));
beforeAll(() => loadSqlParser());

function folder(files: Record<string, string>): string {
  const project = tempProject(Object.fromEntries(Object.entries(files).map(([name, text]) => [`m/${name}`, text])));
  projects.push(project);
  return `${project.root}/m`;
}
const names = (runner: string, files: Record<string, string>) => runnerByName(runner).discover(folder(files));

describe('flyway', () => {
  it('compares versions part by part as numbers, _ as ., trailing zeros dropped', () => {
    expect(compareParts(versionParts('1_10')!, versionParts('1_9')!)).toBe(1);
    expect(compareParts(versionParts('1.0')!, versionParts('1')!)).toBe(0);
    expect(versionParts('1a')).toBeUndefined();
  });

  it('orders versioned files, then repeatables by description; undo files and other names are not applied', () => {
    const d = names('flyway', {
      'V1_10__c.sql': '', 'V1_9__b.sql': '', 'V1__a.sql': '', 'R__z_view.sql': '', 'R__a_view.sql': '', 'U1__undo.sql': '', 'notes.sql': '', 'sub/V2__nested.sql': '',
    });
    expect(d.migrations.map((m) => m.name)).toEqual(['V1__a.sql', 'V1_9__b.sql', 'V1_10__c.sql', 'sub/V2__nested.sql', 'R__a_view.sql', 'R__z_view.sql']);
    expect(d.ignored.map((f) => f.name).sort()).toEqual(['U1__undo.sql', 'notes.sql']);
    expect(d.problems).toEqual([]);
  });

  it('applies the newest baseline migration instead of the versions it covers; refuses a version used twice', () => {
    const d = names('flyway', { 'V1__a.sql': '', 'V2__b.sql': '', 'B2__base.sql': '', 'V3__c.sql': '' });
    expect(d.migrations.map((m) => m.name)).toEqual(['B2__base.sql', 'V3__c.sql']);
    expect(names('flyway', { 'V1__a.sql': '', 'V1.0__b.sql': '' }).problems).toEqual(['Flyway found more than one migration with version 1: V1.0__b.sql and V1__a.sql']);
    // one history per database vendor (field report: eclipse-hawkbit's H2/, MYSQL/, POSTGRESQL/): say how to choose one
    expect(names('flyway', { 'H2/V1__init.sql': '', 'POSTGRESQL/V1__init.sql': '' }).problems).toEqual([
      'Flyway found more than one migration with version 1: H2/V1__init.sql and POSTGRESQL/V1__init.sql (in H2/ and POSTGRESQL/: when the project\'s Flyway reads only one of them, say which with flyway.locations / spring.flyway.locations, or point --migrations at it)',
    ]);
    // the whole history in each of three folders: said once, naming the versions, the folders and the PostgreSQL one
    // (field: eclipse-hawkbit, whose 12 pairwise lines were cut at 2000 characters before POSTGRESQL/ came up)
    const perDatabase: Record<string, string> = {};
    for (const folder of ['H2', 'MYSQL', 'POSTGRESQL']) for (const v of ['1_20_1', '1_20_2', '1_20_3', '1_20_4', '1_20_5', '1_20_6', '1_20_7']) perDatabase[`${folder}/V${v}__change__${folder}.sql`] = '';
    expect(names('flyway', { 'h2/V1__a.sql': '', 'mysql/V1__a.sql': '', 'postgres/V1__a.sql': '' }).problems).toEqual([
      'Flyway found more than one migration with version 1, one in each of h2/, mysql/ and postgres/ (h2/V1__a.sql, mysql/V1__a.sql and postgres/V1__a.sql: when the project\'s Flyway reads only one of them, say which with flyway.locations / spring.flyway.locations, or point --migrations at it: postgres/ for PostgreSQL)',
    ]);
    expect(names('flyway', perDatabase).problems).toEqual([
      'Flyway found more than one migration with each of the versions 1.20.1, 1.20.2, 1.20.3, 1.20.4, 1.20.5 and 2 more, one in each of H2/, MYSQL/ and POSTGRESQL/ (H2/V1_20_1__change__H2.sql, MYSQL/V1_20_1__change__MYSQL.sql and POSTGRESQL/V1_20_1__change__POSTGRESQL.sql, and so on: when the project\'s Flyway reads only one of them, say which with flyway.locations / spring.flyway.locations, or point --migrations at it: POSTGRESQL/ for PostgreSQL)',
    ]);
  });

  it('refuses two repeatables of one description, as CompositeMigrationResolver.checkForIncompatibilities does (`_` is a space)', () => {
    expect(names('flyway', { 'V1__a.sql': '', 'R__a_b.sql': '', 'R__a b.sql': '', 'R__a-b.sql': '' }).problems).toEqual([
      'Flyway found more than one repeatable migration with description a b: R__a b.sql and R__a_b.sql',
    ]);
    expect(names('flyway', { 'common/R__views.sql': '', 'postgres/R__views.sql': '' }).problems).toEqual([
      'Flyway found more than one repeatable migration with description views: common/R__views.sql and postgres/R__views.sql (in common/ and postgres/: when the project\'s Flyway reads only one of them, say which with flyway.locations / spring.flyway.locations, or point --migrations at it)',
    ]);
  });

  it('flyway.target stops the versions above it (repeatables still apply); a target no migration has is refused unless it ends with ?', () => {
    const withConf = (conf: string) => {
      const project = tempProject({ 'flyway.conf': conf, 'm/V1__a.sql': '', 'm/V2__b.sql': '', 'm/V2.1__c.sql': '', 'm/V3__d.sql': '', 'm/R__views.sql': '' });
      projects.push(project);
      return runnerByName('flyway').discover(`${project.root}/m`);
    };
    const two = withConf('flyway.target=2\n');
    expect(two.migrations.map((m) => m.name)).toEqual(['V1__a.sql', 'V2__b.sql', 'R__views.sql']);
    expect(two.ignored.map((f) => [f.name, f.reason])).toEqual([
      ['V2.1__c.sql', 'above the target version 2 (flyway.target in flyway.conf): flyway migrate stops before it'],
      ['V3__d.sql', 'above the target version 2 (flyway.target in flyway.conf): flyway migrate stops before it'],
    ]);
    expect(withConf('flyway.target=next\n').migrations.map((m) => m.name)).toEqual(['V1__a.sql', 'R__views.sql']);
    expect(withConf('flyway.target=current\n').migrations.map((m) => m.name)).toEqual(['R__views.sql']);
    expect(withConf('flyway.target=latest\n').migrations).toHaveLength(5);
    expect(withConf('flyway.target=2.5?\n').migrations.map((m) => m.name)).toEqual(['V1__a.sql', 'V2__b.sql', 'V2.1__c.sql', 'R__views.sql']);
    expect(withConf('flyway.target=2.5\n').problems).toEqual([
      'No migration with a target version 2.5 could be found (flyway.target in flyway.conf): Flyway refuses the migrate; end it with ? to go up to it',
    ]);
  });

  it('runs a file without a transaction when its statements cannot run in one, and refuses a mix', () => {
    const flyway = runnerByName('flyway');
    const dir = folder({ 'V1__x.sql.conf': 'executeInTransaction=false\n' });
    expect(flyway.plan('CREATE INDEX CONCURRENTLY i ON t (a);\n', 'V1__a.sql', dir).parts[0].transaction).toBe('none');
    expect(flyway.plan('CREATE TABLE t (a int);\n', 'V1__x.sql', dir).parts[0].transaction).toBe('none');
    expect(flyway.plan('CREATE TABLE t (a int);\n', 'V1__y.sql', dir).parts[0].transaction).toBe('wrapped');
    const mixed = flyway.plan('CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY i ON t (a);\n', 'V1__z.sql', dir);
    expect(mixed.parts).toEqual([]);
    expect(mixed.problem).toMatchObject({ line: 2, column: 1 });
    // a script config with executeInTransaction=true decides too: no refusal, one transaction (ParserSqlScript)
    const forced = folder({ 'V1__z.sql.conf': 'executeInTransaction=true\n' });
    expect(flyway.plan('CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY i ON t (a);\n', 'V1__z.sql', forced).parts[0].transaction).toBe('wrapped');
  });
});

describe('dbmate', () => {
  it('runs only the up section, with its transaction option', () => {
    const text = '-- header\n-- migrate:up\nA;\n-- migrate:down\nB;\n';
    expect(planDbmate(text)).toEqual({ parts: [{ startLine: 2, endLine: 3, transaction: 'wrapped' }] });
    expect(runnableText(text, planDbmate(text).parts)).toBe('\n\nA;\n\n\n');
    expect(planDbmate('-- migrate:up transaction:false\nC;\n-- migrate:down\nD;\n').parts).toEqual([{ startLine: 1, endLine: 2, transaction: 'implicit' }]);
  });

  it('refuses a second up/down pair in a file: dbmate up records the version once per section and fails on the second (23505)', () => {
    const text = '-- header\n-- migrate:up\nA;\n-- migrate:down\nB;\n-- migrate:up transaction:false\nC;\n-- migrate:down\nD;\n';
    expect(planDbmate(text)).toMatchObject({ parts: [], problem: { line: 6, column: 1, message: expect.stringContaining('schema_migrations_pkey') } });
  });

  it('refuses what dbmate refuses', () => {
    expect(planDbmate('CREATE TABLE a ();\n').problem?.message).toContain("define an up block with '-- migrate:up'");
    expect(planDbmate('-- migrate:up\nA;\n').problem?.message).toContain("define a down block with '-- migrate:down'");
    expect(planDbmate('SELECT 1;\n-- migrate:up\nA;\n-- migrate:down\n').problem).toMatchObject({ line: 1, message: expect.stringContaining('preceding') });
  });

  it('orders by file name as a string', () => {
    expect(names('dbmate', { '5_late.sql': '', '20240101000000_a.sql': '', 'x.sql': '' }).migrations.map((m) => m.name)).toEqual(['20240101000000_a.sql', '5_late.sql']);
  });
});

describe('goose', () => {
  it('runs the Up section, without a transaction when the file says NO TRANSACTION', () => {
    expect(planGoose('-- +goose Up\nA;\n-- +goose Down\nB;\n').parts).toEqual([{ startLine: 1, endLine: 2, transaction: 'wrapped' }]);
    // without a transaction, each statement goose cuts is one query of its own (migration_sql.go: one db.ExecContext each)
    expect(planGoose('-- +goose NO TRANSACTION\n-- +goose up\nA;\n').parts).toEqual([{ startLine: 2, endLine: 3, transaction: 'implicit' }]);
    expect(planGoose('SELECT 1;\n-- +goose Up\nA;\n').problem?.line).toBe(1);
    expect(planGoose('SELECT 1;\n').problem).toBeDefined();
  });

  it('orders by numeric version, leaves files other than .sql and .go alone, refuses duplicate versions', () => {
    const d = names('goose', { '10_b.sql': '', '9_a.sql': '', 'README.md': '', 'notes.txt': '', '5_upper.SQL': '' });
    expect(d.migrations.map((m) => m.name)).toEqual(['9_a.sql', '10_b.sql']);
    expect(d.ignored).toEqual([]);
    expect(d.problems).toEqual([]);
    expect(names('goose', { '1_a.sql': '', '001_b.sql': '' }).problems).toHaveLength(1);
  });

  it('a .sql name without a version stops goose up (migrate.go collectMigrationsFS → NumericComponent): refused, naming the file', () => {
    const problems = (files: Record<string, string>) => names('goose', { '00001_init.sql': '', ...files }).problems;
    expect(problems({ 'seed_dev.sql': '' })).toEqual([
      'seed_dev.sql: could not parse SQL migration file "seed_dev.sql": failed to parse version from migration file: seed_dev.sql: strconv.ParseInt: parsing "seed": invalid syntax (goose up reads every .sql file of the folder as a migration and stops on this one; move it out of the folder, or name it <version>_<name>.sql)',
    ]);
    expect(problems({ 'schema.sql': '' })).toEqual([expect.stringContaining("schema.sql\": no filename separator '_' found")]);
    expect(problems({ '0_zero.sql': '' })).toEqual([expect.stringContaining('migration version must be greater than zero')]);
    expect(problems({ '99999999999999999999_big.sql': '' })).toEqual([expect.stringContaining('parsing "99999999999999999999": value out of range')]);
    // strconv.ParseInt takes a sign: "+2" is version 2
    expect(names('goose', { '+2_b.sql': '', '1_a.sql': '' }).migrations.map((m) => [m.name, m.version])).toEqual([['1_a.sql', '1'], ['+2_b.sql', '2']]);
  });

  it('a versioned .go file is a Go migration goose applies in version order (collectGoMigrations): named as applied by the runner, not replayed', () => {
    const d = names('goose', { '00001_users.sql': '', '00002_audit.go': 'package migrations\n', '00002_audit_test.go': '', 'main.go': '', 'helpers_test.go': '', '00003_index.sql': '' });
    expect(d.migrations.map((m) => m.name)).toEqual(['00001_users.sql', '00003_index.sql']);
    expect(d.ignored).toEqual([{ name: '00002_audit.go', reason: expect.stringContaining('a Go migration (version 2): goose runs the Go function it registers (goose.AddMigration…) after 00001_users.sql'), appliedByRunner: true, appliedBefore: '00003_index.sql' }]);
    expect(d.problems).toEqual([]);
    // goose sorts both kinds together and stops on a version used twice
    expect(names('goose', { '1_a.sql': '', '01_b.go': '' }).problems).toEqual(['01_b.go has the same version as 1_a.sql']);
  });
});

describe('golang-migrate, postgres-migrations, supabase, drizzle', () => {
  it('golang-migrate: up files in numeric order; down files and other names are not applied; duplicate versions refused', () => {
    const d = names('golang-migrate', { '10_b.up.sql': '', '10_b.down.sql': '', '9_a.up.sql': '', 'README.sql': '' });
    expect(d.migrations.map((m) => m.name)).toEqual(['9_a.up.sql', '10_b.up.sql']);
    expect(d.ignored.map((f) => f.name).sort()).toEqual(['10_b.down.sql', 'README.sql']);
    expect(names('golang-migrate', { '1_a.up.sql': '', '01_b.up.sql': '' }).problems).toHaveLength(1);
  });

  it('golang-migrate: an up file is applied whatever its extension (parse.go never checks it); a second one for a version is refused', () => {
    // source/parse.go Regex `^([0-9]+)_(.*)\.(down|up)\.(.*)$`: `.up.txt` and a backup `.up.sql.orig` are up migrations
    const d = names('golang-migrate', { '1_a.up.sql': '', '2_b.up.txt': '', '2_b.down.txt': '', '3_c.up.SQL': '' });
    expect(d.migrations.map((m) => m.name)).toEqual(['1_a.up.sql', '2_b.up.txt', '3_c.up.SQL']);
    expect(d.ignored.map((f) => f.name)).toEqual(['2_b.down.txt']);
    expect(d.problems).toEqual([]);
    // iofs.go Init: ErrDuplicateMigration for the version's second up file
    expect(names('golang-migrate', { '1_a.up.sql': '', '1_a.up.sql.orig': '' }).problems).toHaveLength(1);
    // parse.go ParseUint(…, 10, 64): a version past 2^64-1 does not parse, and iofs skips the file
    const big = names('golang-migrate', { '18446744073709551615_max.up.sql': '', '18446744073709551616_over.up.sql': '' });
    expect(big.migrations.map((m) => m.name)).toEqual(['18446744073709551615_max.up.sql']);
    expect(big.ignored.map((f) => f.name)).toEqual(['18446744073709551616_over.up.sql']);
  });

  it('postgres-migrations: id order, consecutive ids required, .js not replayable, its directives', () => {
    const d = names('postgres-migrations', { '00003_c.sql': '', '1_a.sql': '', '2-b.sql': '', '4_d.js': '' });
    expect(d.migrations.map((m) => m.name)).toEqual(['1_a.sql', '2-b.sql', '00003_c.sql']);
    expect(d.ignored.map((f) => f.name)).toEqual(['4_d.js']);
    expect(d.problems).toEqual([]);
    expect(names('postgres-migrations', { '1_a.sql': '', '3_c.sql': '' }).problems[0]).toContain("non-consecutive migration ID on file: '3_c.sql'");
    expect(planPostgresMigrations('-- postgres-migrations disable-transaction\nA;\n').parts[0].transaction).toBe('implicit');
    expect(planPostgresMigrations('A;\n').parts[0].transaction).toBe('wrapped');
    // the tool has no other directive: a comment saying "ignore" skips nothing (the whole file runs, in its transaction)
    expect(planPostgresMigrations('-- postgres-migrations ignore\nA;\n').parts).toEqual([{ startLine: 0, endLine: 3, transaction: 'wrapped' }]);
  });

  it('postgres-migrations: a .js migration holds its id (the tool counts it), and is listed as applied by the runner but not replayed', () => {
    // the tool's own fixture src/__tests__/fixtures/success-second-mixed-js-sql
    const d = names('postgres-migrations', { '1_success.js': 'module.exports.generateSql = () => `CREATE TABLE success (id integer);`\n', '2_more-success.sql': 'SELECT 1;\n' });
    expect(d.problems).toEqual([]);
    expect(d.migrations.map((m) => m.name)).toEqual(['2_more-success.sql']);
    expect(d.ignored).toEqual([{ name: '1_success.js', reason: expect.stringContaining('which pgdrift cannot replay'), appliedByRunner: true }]);
    // a gap is still a gap with the .js counted, and a .js id can collide with a .sql one
    expect(names('postgres-migrations', { '1_a.js': '', '3_c.sql': '' }).problems[0]).toContain("'3_c.sql'");
    expect(names('postgres-migrations', { '1_a.js': '', '1_a.sql': '', '2_b.sql': '' }).problems).toHaveLength(1);
  });

  it('postgres-migrations: every .sql/.js entry is loaded, so a name without an id (a dotfile, a folder too) refuses the run', () => {
    const d = names('postgres-migrations', { '1_a.sql': '', '2-b.sql': '', 'seed-data.sql': '', 'README.md': '', 'notes.txt': '' });
    expect(d.migrations.map((m) => m.name)).toEqual(['1_a.sql', '2-b.sql']);
    expect(d.problems).toEqual([expect.stringContaining("Invalid file name: 'seed-data.sql'")]);
    expect(names('postgres-migrations', { '1_a.sql': '', '._1_a.sql': '', '2_b.JS': '' }).problems).toEqual([expect.stringContaining("Invalid file name: '._1_a.sql'")]);
    expect(names('postgres-migrations', { '1_a.sql': '', '2_b.sql/x.txt': '' }).problems).toEqual([expect.stringContaining('2_b.sql is a folder')]);
  });

  it('supabase: skips names that do not match and an old first <timestamp>_init.sql, each with the reason', () => {
    const d = names('supabase', { '20211201000000_init.sql': '', '20240101000000_a.sql': '', 'add_b.sql': '', 'seed.sql': '' });
    expect(d.migrations.map((m) => m.name)).toEqual(['20240101000000_a.sql']);
    expect(d.ignored).toEqual([
      { name: '20211201000000_init.sql', reason: 'an old-style <timestamp>_init.sql: the Supabase CLI skips it' },
      { name: 'add_b.sql', reason: 'not <timestamp>_name.sql: the Supabase CLI skips it' },
      { name: 'seed.sql', reason: 'not <timestamp>_name.sql: the Supabase CLI skips it' },
    ]);
  });

  it('supabase: the old <timestamp>_init.sql is skipped only as the first entry of the folder, folders included, as the CLI reads it', () => {
    // supabase/cli apps/cli-go/pkg/migration/list.go ListLocalMigrations: `i == 0 && shouldSkip(filename)` over
    // fs.ReadDir, which lists folders too; initSchemaPattern is not anchored
    const behindFolder = names('supabase', { '.archive/x.sql': '', '20211201000000_init.sql': '', '20240101000000_a.sql': '' });
    expect(behindFolder.migrations.map((m) => m.name)).toEqual(['20211201000000_init.sql', '20240101000000_a.sql']);
    const unanchored = names('supabase', { '120211201000000_init.sql': '', '20240101000000_a.sql': '' });
    expect(unanchored.migrations.map((m) => m.name)).toEqual(['20240101000000_a.sql']);
    expect(unanchored.ignored.map((f) => f.name)).toEqual(['120211201000000_init.sql']);
  });

  it('supabase: a version (the digits before the first _) used twice is a problem naming both files, as the CLI fails on it', () => {
    const d = names('supabase', { '20250115_create_a.sql': '', '20250115_create_b.sql': '', '20250116_c.sql': '', '020250116_d.sql': '' });
    expect(d.migrations.map((m) => m.name)).toEqual(['020250116_d.sql', '20250115_create_a.sql', '20250115_create_b.sql', '20250116_c.sql']);
    expect(d.problems).toHaveLength(1); // versions are text to the CLI: 020250116 and 20250116 are two
    expect(d.problems[0]).toContain('20250115_create_b.sql has the same version (20250115) as 20250115_create_a.sql');
    expect(d.problems[0]).toContain('schema_migrations_pkey');
  });

  it('supabase: a replay refuses duplicate versions before anything runs (exit 2), naming both files', () => {
    const project = tempProject({ 'supabase/migrations/20250115_create_a.sql': 'create table public.a(id int);\n', 'supabase/migrations/20250115_create_b.sql': 'create table public.b(id int);\n' });
    projects.push(project);
    const resolved = resolveProject({ cwd: project.root });
    expect(() => loadProjectMigrations(resolved, { strict: true })).toThrow(InputError);
    expect(() => loadProjectMigrations(resolved, { strict: true })).toThrow(/20250115_create_b\.sql has the same version \(20250115\) as 20250115_create_a\.sql/);
    expect(loadProjectMigrations(resolved).migrations).toHaveLength(2); // lint and docs still read both
  });

  it('a conventional folder that only wraps the migrations (migrations/sql/) names that sub-folder in its error', () => {
    // field: ngoctb13/forya-be, golang-migrate files in migrations/sql (its Go code opens file://./migrations/sql)
    const project = tempProject({ 'migrations/sql/000001_users.up.sql': 'create table users(id int);\n', 'migrations/sql/000001_users.down.sql': 'drop table users;\n' });
    projects.push(project);
    const resolved = resolveProject({ cwd: project.root });
    expect(() => loadProjectMigrations(resolved)).toThrow(/no migrations in migrations\/: its \.sql files are one folder down, in migrations\/sql\/ \(migrations\/sql\/ holds golang-migrate migrations/);
    try {
      loadProjectMigrations(resolved);
    } catch (error) {
      expect((error as InputError).hint).toContain('--migrations migrations/sql');
    }
  });

  it('a conventional folder whose only .sql files are pg_dump schema dumps is no history: the error names the migrations folder below it (field: supabase/postgres)', () => {
    // supabase/postgres keeps migrations/schema.sql, schema-15.sql, schema-16.sql (pg_dump output) above
    // migrations/db/migrations (dbmate files its migrate.sh applies) and migrations/tests/: the dumps were replayed as
    // numbered migrations
    const dump = '--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\nCREATE TABLE public.t (id integer);\n';
    const project = tempProject({
      'migrations/schema.sql': dump,
      'migrations/schema-15.sql': dump,
      'migrations/db/migrations/20211115181400_update-auth-permissions.sql': '-- migrate:up\ncreate table a(id int);\n-- migrate:down\n',
      'migrations/tests/test.sql': 'select 1;\n',
    });
    projects.push(project);
    const resolved = resolveProject({ cwd: project.root });
    const error = errorOf(() => loadProjectMigrations(resolved));
    expect(error?.message).toBe('the .sql files in migrations/ (schema-15.sql, schema.sql) are pg_dump schema dumps, not migrations; below it, migrations/db/migrations/ holds .sql files');
    expect(error?.hint).toBe('if that is the history, name it: --migrations migrations/db/migrations (or "migrations" in pgdrift.config.json)');
    // a numbered migration that is a pg_dump baseline stays a migration
    const baseline = tempProject({ 'migrations/0001_baseline.sql': dump });
    projects.push(baseline);
    expect(loadProjectMigrations(resolveProject({ cwd: baseline.root })).migrations.map((m) => m.name)).toEqual(['0001_baseline.sql']);
  });

  it('one folder per database: the error names the runner the PostgreSQL folder shows, not the numbered fallback', () => {
    // field: kalbasit/ncps migrations/{mysql,postgres,sqlite}/, goose files: "for the numbered runner" named a runner
    // neither the user nor the files chose
    const goose = '-- +goose Up\ncreate table config(id bigserial primary key);\n';
    const project = tempProject({ 'migrations/mysql/20260101000000_init_schema.sql': goose, 'migrations/postgres/20260101000000_init_schema.sql': goose, 'migrations/sqlite/20260101000000_init_schema.sql': goose });
    projects.push(project);
    const resolved = resolveProject({ cwd: project.root });
    const error = errorOf(() => loadProjectMigrations(resolved));
    expect(error?.message).toBe('no migrations in migrations/: its .sql files are one folder down, in migrations/mysql/, migrations/postgres/, migrations/sqlite/ (migrations/postgres/ holds goose migrations: -- +goose Up annotations)');
    expect(error?.hint).toContain('--migrations migrations/postgres');
  });

  it('a runner the user names keeps its name in the one-folder-down error', () => {
    const project = tempProject({ 'migrations/postgres/20260101000000_init.sql': '-- +goose Up\ncreate table a(id int);\n' });
    projects.push(project);
    const resolved = resolveProject({ cwd: project.root, runner: 'goose' });
    expect(() => loadProjectMigrations(resolved)).toThrow('no migrations in migrations/ for the goose runner: its .sql files are one folder down, in migrations/postgres/');
  });

  it('a folder holding one migrations folder per database suggests the PostgreSQL one (field: flipt-io/flipt@v1.61.1)', () => {
    const files = Object.fromEntries(['clickhouse', 'cockroachdb', 'mysql', 'postgres', 'sqlite3'].map((db) => [`migrations/${db}/0_initial.up.sql`, 'create table t(id int);\n']));
    const project = tempProject(files);
    projects.push(project);
    const resolved = resolveProject({ cwd: project.root });
    expect(() => loadProjectMigrations(resolved)).toThrow(InputError);
    try {
      loadProjectMigrations(resolved);
    } catch (error) {
      expect((error as InputError).hint).toContain('e.g. --migrations migrations/postgres');
    }
  });

  it('drizzle: journal order; unlisted files are not applied; a listed file that is missing is a problem', () => {
    const journal = JSON.stringify({ entries: [{ idx: 0, when: 2, tag: '0001_b' }, { idx: 1, when: 3, tag: '0000_a' }, { idx: 2, when: 4, tag: '0002_gone' }] });
    const d = names('drizzle', { '0000_a.sql': '', '0001_b.sql': '', '0009_unlisted.sql': '', 'meta/_journal.json': journal });
    expect(d.migrations.map((m) => m.name)).toEqual(['0001_b.sql', '0000_a.sql']);
    expect(d.ignored.map((f) => f.name)).toEqual(['0009_unlisted.sql']);
    expect(d.problems[0]).toContain('0002_gone.sql');
  });

  it("drizzle: each migration keeps its journal entry's when, at the position of the when value (for journal-order)", () => {
    const journal = '{\n  "entries": [\n    { "idx": 0, "when": 200, "tag": "0000_a" },\n    { "idx": 1, "when": "100", "tag": "0001_b" }\n  ]\n}\n';
    const d = names('drizzle', { '0000_a.sql': '', '0001_b.sql': '', 'meta/_journal.json': journal });
    expect(d.migrations.map((m) => m.journal)).toEqual([
      { file: 'meta/_journal.json', idx: 0, when: 200, line: 3, column: 25 },
      { file: 'meta/_journal.json', idx: 1, when: '100', line: 4, column: 25 },
    ]);
    expect(d.problems).toEqual([]);
    expect(names('goose', { '00001_a.sql': '-- +goose Up\nSELECT 1;\n' }).migrations[0].journal).toBeUndefined();
  });
});

describe('prisma', () => {
  it('orders folders as listMigrations.ts does (localeCompare), not in byte order', () => {
    // byte order: '202401010_b' < '20240101_a' ('0' < '_') and 'B_x' < 'a_x'; localeCompare: '_' before digits, a before B
    const d = names('prisma', { '202401010_b/migration.sql': '', '20240101_a/migration.sql': '', 'B_x/migration.sql': '', 'a_x/migration.sql': '' });
    expect(d.migrations.map((m) => m.name)).toEqual(['20240101_a/migration.sql', '202401010_b/migration.sql', 'a_x/migration.sql', 'B_x/migration.sql']);
    expect(d.problems).toEqual([]);
  });

  it('a sub-folder without migration.sql is P3015, as Prisma stops on it', () => {
    const d = names('prisma', { '20240101000000_init/migration.sql': '', '20240102000000_add_posts/Migration.sql': '', 'migration_lock.toml': 'provider = "postgresql"\n' });
    expect(d.migrations.map((m) => m.name)).toEqual(['20240101000000_init/migration.sql']);
    expect(d.problems).toEqual([expect.stringContaining('20240102000000_add_posts/: P3015 Could not find the migration file at migration.sql')]);
  });

  it('a symbolic link to a folder is no migration, as listMigrations.ts keeps only Dirent.isDirectory() entries', () => {
    const m = folder({ '20240101000000_init/migration.sql': 'CREATE TABLE a (id int);\n', 'migration_lock.toml': 'provider = "postgresql"\n' });
    const shared = tempProject({ '20240102000000_shared/migration.sql': 'CREATE TABLE b (id int);\n' });
    projects.push(shared);
    symlinkSync(path.join(shared.root, '20240102000000_shared'), path.join(m, '20240102000000_shared'), 'dir');
    const d = runnerByName('prisma').discover(m);
    expect(d.migrations.map((x) => x.name)).toEqual(['20240101000000_init/migration.sql']);
    expect(d.ignored).toEqual([{ name: '20240102000000_shared/', reason: expect.stringContaining('symbolic link to a folder') }]);
    expect(d.problems).toEqual([]);
  });

  it('migration_lock.toml with another provider says: not a PostgreSQL project (P3019); without one, a problem', () => {
    const lock = (text: string) => {
      const { problems, notPostgres } = names('prisma', { '20240101000000_init/migration.sql': '', 'migration_lock.toml': text });
      return { problems, notPostgres };
    };
    expect(lock('# Please do not edit this file manually\nprovider = "mysql"\n')).toEqual({ problems: [], notPostgres: expect.stringContaining('provider "mysql": this is not a PostgreSQL project') });
    expect(lock('# comment\r\nprovider = "postgresql"\r\n')).toEqual({ problems: [], notPostgres: undefined });
    expect(lock('# no provider line\n')).toEqual({ problems: [expect.stringContaining('<PROVIDER NOT FOUND>')], notPostgres: undefined });
  });
});

describe('drizzle journal when', () => {
  it('an entry without "when" is a problem: migrate() records it with values($1, ), a syntax error that rolls every migration back (checked with drizzle-orm 0.45.4)', () => {
    const journal = JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, when: 1, tag: '0000_a' }, { idx: 1, tag: '0001_b' }] });
    const d = names('drizzle', { '0000_a.sql': 'CREATE TABLE a (id int);\n', '0001_b.sql': 'CREATE TABLE b (id int);\n', 'meta/_journal.json': journal });
    expect(d.problems).toEqual(['meta/_journal.json entry 0001_b has no "when": drizzle\'s migrate() fails recording it (insert … values($1, ): syntax error) and rolls back every migration']);
    expect(d.ignored).toEqual([]);
  });
});

describe('drizzle journal dialect', () => {
  it('a journal drizzle-kit wrote for another database is one problem: not a PostgreSQL project (field: mantodeus/mantodeus-manager, "dialect": "mysql")', () => {
    const journal = (dialect: string) => names('drizzle', { '0000_init.sql': 'CREATE TABLE `a` (`id` int);\n', 'meta/_journal.json': JSON.stringify({ version: '7', dialect, entries: [{ idx: 0, version: '7', when: 1, tag: '0000_init', breakpoints: true }] }) }).notPostgres;
    expect(journal('mysql')).toEqual('meta/_journal.json says "dialect": "mysql": drizzle-kit wrote these migrations for mysql, this is not a PostgreSQL project');
    expect(journal('postgresql')).toBeUndefined();
    expect(journal('pg')).toBeUndefined();
  });
});

describe('detection', () => {
  it('weak evidence (a supabase folder, <id>-<name> names) yields to markers; no .sql at all is an error', () => {
    const project = tempProject({ 'supabase/migrations/20240101000000_a.sql': '-- +goose Up\nSELECT 1;\n', 'x/1-a.sql': 'SELECT 1;\n', 'y/README.md': '' });
    projects.push(project);
    expect(detectRunner(`${project.root}/supabase/migrations`, project.root).runner.name).toBe('goose');
    expect(detectRunner(`${project.root}/x`, project.root).runner.name).toBe('postgres-migrations');
    expect(() => detectRunner(`${project.root}/y`, project.root)).toThrow(/no \.sql files in y\/: there are no migrations to replay/);
  });

  it('-- Up Migration / -- Down Migration comments in supabase/migrations are prose to the Supabase CLI, unless the project has node-pg-migrate (field: dreamprogrammin/commerce)', () => {
    const file = '-- Up Migration\ncreate table public.a (id int);\n-- Down Migration\ndrop table public.a;\n';
    const supabaseOnly = tempProject({ 'package.json': JSON.stringify({ devDependencies: { supabase: '^2.0.0' } }), 'supabase/migrations/20240101000000_a.sql': file });
    const withTool = tempProject({ 'package.json': JSON.stringify({ devDependencies: { 'node-pg-migrate': '^7.0.0' } }), 'supabase/migrations/20240101000000_a.sql': file });
    const elsewhere = tempProject({ 'migrations/1700000000000_a.sql': file });
    projects.push(supabaseOnly, withTool, elsewhere);
    expect(detectRunner(`${supabaseOnly.root}/supabase/migrations`, supabaseOnly.root).runner.name).toBe('supabase');
    expect(detectRunner(`${withTool.root}/supabase/migrations`, withTool.root).runner.name).toBe('node-pg-migrate');
    expect(detectRunner(`${elsewhere.root}/migrations`, elsewhere.root).runner.name).toBe('node-pg-migrate');
  });

  it('a folder whose .sql files are in subfolders names them in the hint (field report: quickwit migrations/postgresql/)', () => {
    const project = tempProject({ 'migrations/postgresql/1_a.up.sql': 'SELECT 1;\n', 'migrations/postgresql_deferred/2_b.up.sql': 'SELECT 1;\n' });
    projects.push(project);
    const error = errorOf(() => detectRunner(`${project.root}/migrations`, project.root));
    expect(error?.message).toBe('no .sql files in migrations/: there are no migrations to replay');
    expect(error?.hint).toBe('its subfolders migrations/postgresql/, migrations/postgresql_deferred/ hold .sql files: point --migrations (or "migrations" in pgdrift.config.json) at the one the runner applies');
  });
});

describe('one Diesel folder per database (field: dani-garcia/vaultwarden migrations/{mysql,postgresql,sqlite}/<version>/up.sql)', () => {
  const files = Object.fromEntries(
    ['mysql', 'postgresql', 'sqlite'].flatMap((db) => [
      [`migrations/${db}/2019-09-12-100000_create_tables/up.sql`, 'CREATE TABLE users (uuid char(36) PRIMARY KEY);\n'],
      [`migrations/${db}/2019-09-12-100000_create_tables/down.sql`, 'DROP TABLE users;\n'],
    ]),
  );

  it('init: the hint names the PostgreSQL folder, two levels above the up.sql files', () => {
    const project = tempProject({ ...files, 'diesel.toml': '[print_schema]\nfile = "src/schema.rs"\n' });
    projects.push(project);
    const error = errorOf(() => detectRunner(`${project.root}/migrations`, project.root));
    expect(error?.message).toBe('no .sql files in migrations/: there are no migrations to replay');
    expect(error?.hint).toBe('its subfolders migrations/mysql/, migrations/postgresql/, migrations/sqlite/ hold .sql files: name the PostgreSQL one: --migrations migrations/postgresql (or "migrations" in pgdrift.config.json)');
  });

  it('dump: the error names the folders below and the runner the PostgreSQL one shows, and the hint names it', () => {
    const project = tempProject({ ...files, 'diesel.toml': '[print_schema]\nfile = "src/schema.rs"\n' });
    projects.push(project);
    const error = errorOf(() => loadProjectMigrations(resolveProject({ cwd: project.root })));
    expect(error?.message).toMatch(/^no migrations in migrations\/: its \.sql files are below it, in migrations\/mysql\/, migrations\/postgresql\/, migrations\/sqlite\/ \(migrations\/postgresql\/ holds diesel migrations/);
    expect(error?.hint).toContain('--migrations migrations/postgresql');
  });

  it('no conventional folder: a deep folder of any name holding Flyway-named files is named (field: BayCEER/bayeos-server)', () => {
    // only the Debian package's install script names it: flyway -locations=filesystem:$INSTALLDIR/sql migrate
    const project = tempProject({
      'src/deb/data/usr/share/bayeos-server/sql/V1.99__bayeos.sql': 'CREATE TABLE a (id int);\n',
      'src/deb/data/usr/share/bayeos-server/sql/V2.00__bayeos.sql': 'CREATE TABLE b (id int);\n',
      'src/deb/data/usr/share/bayeos-server/pg_postinst.sh': 'java -cp x org.flywaydb.commandline.Main -locations=filesystem:$INSTALLDIR/sql migrate\n',
      'src/main/resources/queries/report.sql': 'SELECT 1;\n',
    });
    projects.push(project);
    const error = errorOf(() => resolveProject({ cwd: project.root }));
    expect(error?.message).toContain('below it, src/deb/data/usr/share/bayeos-server/sql/ holds .sql files');
    expect(error?.hint).toBe('if that is the history, name it: --migrations src/deb/data/usr/share/bayeos-server/sql (or "migrations" in pgdrift.config.json)');
  });

  it('no conventional folder: the suggested folder of assets/migrations/{mysql,postgres,sqlite} is the PostgreSQL one (field: openfga/openfga)', () => {
    const goose = '-- +goose Up\nCREATE TABLE tuple (store text);\n';
    const project = tempProject({ 'assets/migrations/mysql/001_init.sql': goose, 'assets/migrations/postgres/001_init.sql': goose, 'assets/migrations/sqlite/001_init.sql': goose });
    projects.push(project);
    const error = errorOf(() => resolveProject({ cwd: project.root }));
    expect(error?.message).toContain('below it, assets/migrations/mysql/, assets/migrations/postgres/, assets/migrations/sqlite/ hold .sql files');
    expect(error?.hint).toBe('if that is the history, name it: --migrations assets/migrations/postgres (or "migrations" in pgdrift.config.json)');
  });

  it('no conventional folder: of packages/clickhouse/migrations and packages/db/migrations, the suggested one is not the ClickHouse one (field: e2b-dev/infra)', () => {
    const goose = '-- +goose Up\nCREATE TABLE teams (id uuid PRIMARY KEY);\n';
    const project = tempProject({ 'packages/clickhouse/migrations/20250101000000_init.sql': goose, 'packages/db/migrations/20250101000000_init.sql': goose });
    projects.push(project);
    const error = errorOf(() => resolveProject({ cwd: project.root }));
    expect(error?.message).toContain('below it, packages/clickhouse/migrations/, packages/db/migrations/ hold .sql files');
    expect(error?.hint).toBe('if that is the history, name it: --migrations packages/db/migrations (or "migrations" in pgdrift.config.json)');
  });
});

describe('dbmate: the schema file as dbmate dump writes it (pkg/driver/postgres/postgres.go DumpSchema)', () => {
  const DUMP = '--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 16.4\n\nSET statement_timeout = 0;   \n\nCREATE TABLE public.t (\n    id integer\n);\n\n\n--\n-- PostgreSQL database dump complete\n--\n\n';

  it('leading comments dropped, trailing spaces trimmed, the versions in order after "Dbmate schema migrations"', () => {
    expect(dbmateSchemaFile(DUMP, 'public.schema_migrations', ['20240102000000', '20240101000000'])).toBe(
      "SET statement_timeout = 0;\n\nCREATE TABLE public.t (\n    id integer\n);\n\n\n--\n-- PostgreSQL database dump complete\n--\n\n\n--\n-- Dbmate schema migrations\n--\n\nINSERT INTO public.schema_migrations (version) VALUES\n    ('20240101000000'),\n    ('20240102000000');\n",
    );
  });

  it("pg_dump 15.14+/16.10+/17.6+/18: dbmate's `\\restrict dbmate` lines where pg_dump writes them, the Dumped lines kept", () => {
    // field: jsr-io/jsr and svix/svix-webhooks histories as dbmate projects: `dbmate dump` (2.29+, pg_dump 15.20) wrote
    // `\restrict dbmate` first and kept "-- Dumped from"; pgdrift snapshot dropped them, a diff on every rewrite.
    // The engine's dump comes without the \restrict lines (restrict.ts), their empty lines left.
    const stripped = (by: string) => `--\n-- PostgreSQL database dump\n--\n\n\n-- Dumped from database version 18.3\n-- Dumped by pg_dump version ${by}\n\nSET statement_timeout = 0;\n\n--\n-- PostgreSQL database dump complete\n--\n\n\n`;
    expect(dbmateSchemaFile(stripped('18.3'), 'public.schema_migrations', ['1'])).toBe(
      "\\restrict dbmate\n\n-- Dumped from database version 18.3\n-- Dumped by pg_dump version 18.3\n\nSET statement_timeout = 0;\n\n--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict dbmate\n\n\n--\n-- Dbmate schema migrations\n--\n\nINSERT INTO public.schema_migrations (version) VALUES\n    ('1');\n",
    );
    expect(dbmateSchemaFile(stripped('15.14'), 'public.schema_migrations', [])).toMatch(/^\\restrict dbmate\n/);
    // older pg_dump: no --restrict-key, and TrimLeadingSQLComments drops the Dumped lines with the header
    expect(dbmateSchemaFile(stripped('17.5'), 'public.schema_migrations', [])).toMatch(/^SET statement_timeout = 0;\n/);
    expect(dbmateSchemaFile(stripped('16.4'), 'public.schema_migrations', [])).not.toContain('restrict');
  });

  it('the table quoted as quote_ident quotes it; no versions, no INSERT', () => {
    expect(dbmateSchemaFile(DUMP, 'Tenant.schema_migrations', ['1'])).toContain('INSERT INTO "Tenant".schema_migrations (version) VALUES\n    (\'1\');\n');
    expect(dbmateSchemaFile(DUMP, 'public.schema_migrations', [])).toMatch(/-- Dbmate schema migrations\n--\n\n$/);
  });
});

describe('numbered: the revert half of a migration pair', () => {
  // a yoyo folder (0001_init.sql + 0001_init.rollback.sql) replayed the rollback first: "table a does not exist"
  it('skips X.rollback.sql / X.down.sql / X_down.sql beside their forward half, and keeps an unpaired name', () => {
    const d = names('numbered', {
      '0001_init.sql': '',
      '0001_init.rollback.sql': '',
      '0002_b.up.sql': '',
      '0002_b.down.sql': '',
      '0003_c_up.sql': '',
      '0003_c_down.sql': '',
      '0004_count_down.sql': '',
    });
    expect(d.migrations.map((m) => m.name)).toEqual(['0001_init.sql', '0002_b.up.sql', '0003_c_up.sql', '0004_count_down.sql']);
    expect(d.ignored.map((f) => f.name)).toEqual(['0001_init.rollback.sql', '0002_b.down.sql', '0003_c_down.sql']);
  });

  // a Postgrator folder (001.do.create-a.sql + 001.undo.create-a.sql) run as numbered replayed the undo files: an empty schema
  it('skips N.undo.<description>.sql / N.down.<description>.sql beside N.do. / N.up., and X.undo.sql beside X.do.sql', () => {
    const d = names('numbered', {
      '001.do.create-a.sql': '',
      '001.undo.create-a.sql': '',
      '002.up.b.sql': '',
      '002.down.b.sql': '',
      '003.do.sql': '',
      '003.undo.sql': '',
      '004.undo.lonely.sql': '',
    });
    expect(d.migrations.map((m) => m.name)).toEqual(['001.do.create-a.sql', '002.up.b.sql', '003.do.sql', '004.undo.lonely.sql']);
    expect(d.ignored.map((f) => f.name)).toEqual(['001.undo.create-a.sql', '002.down.b.sql', '003.undo.sql']);
  });
});
