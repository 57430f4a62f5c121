import { beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/commands/lint.js';
import { InputError } from '../../src/errors.js';
import { DEFAULT_NAMING, exampleName, fileNamePattern, parseName } from '../../src/runners/flyway-naming.js';
import { runnerByName, type Discovery } from '../../src/runners/index.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Flyway's file names (flyway/flyway@c5e20fc flyway-core .../internal/resource/ResourceNameParser.java): the suffix is
 * matched ignoring case (stripSuffix compares toUpperCase), the prefixes exactly, longest first; the naming settings
 * (ConfigUtils, ClassicConfiguration) come from flyway.conf, flyway.toml, FLYWAY_* and Spring's spring.flyway.*.
 */
const project = tempProjects();
const byRule = <F extends { rule: string }>(findings: F[], rule: string) => findings.filter((f) => f.rule === rule);

beforeAll(() => loadSqlParser());

describe('lint file-name follows Flyway\'s naming', () => {
  it('a .SQL suffix, which Flyway and the discovery take, is no file-name finding (field report: V80__Add_Function.SQL)', async () => {
    const p = project({
      'db/migration/V1__init.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n',
      'db/migration/V80__Add_Function.SQL': 'CREATE FUNCTION one() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n',
      'db/migration/R__views.Sql': 'CREATE OR REPLACE VIEW v AS SELECT 1 AS one;\n',
      'db/migration/afterMigrate.SQL': 'SELECT 1;\n',
    });
    const result = await lint({ cwd: p.root, today: '2026-01-01' });
    expect(result.filesLinted).toBe(4);
    expect(byRule(result.findings, 'file-name')).toEqual([]);
  });
});

const runner = runnerByName('flyway');
const discover = (files: Record<string, string>, env: Record<string, string> = {}) => {
  const p = project(files);
  return runner.discover(`${p.root}/db/migration`, { projectRoot: p.root, env });
};
const migrationNames = (d: Discovery) => d.migrations.map((m) => m.name);

describe('Flyway\'s naming settings (sqlMigrationPrefix, separator, suffixes...)', () => {
  it('parses names as ResourceNameParser does: an empty prefix, the longest prefix first, the first separator, suffixes in any case', () => {
    const empty = { ...DEFAULT_NAMING, versionedPrefix: '' };
    expect(parseName('20170206205240748__initial_schema.sql', empty)).toMatchObject({ kind: 'V', version: '20170206205240748', description: 'initial schema' });
    // the other prefixes are longer than the empty one, so they are tried first
    expect(parseName('R__views.sql', empty)).toMatchObject({ kind: 'R' });
    expect(parseName('B5__base.sql', empty)).toMatchObject({ kind: 'B', version: '5' });
    expect(parseName('beforeMigrate__grants.sql', empty)).toMatchObject({ kind: 'callback', event: 'beforeMigrate', description: 'grants' });
    expect(parseName('R1__x.sql', empty)).toBeUndefined(); // the R prefix takes it, and a repeatable has no version
    expect(parseName('V1__x.sql', empty)).toBeUndefined(); // version "V1"
    // a prefix and separator of one's own (spring.flyway.sql-migration-prefix=easychat-migration-, separator -)
    const dashed = { ...DEFAULT_NAMING, versionedPrefix: 'easychat-migration-', separator: '-' };
    expect(parseName('easychat-migration-001-group-management.sql', dashed)).toMatchObject({ kind: 'V', version: '001', description: 'group-management' });
    // the first suffix the name ends with, ignoring case; no separator: all of it is the version
    const suffixes = { ...DEFAULT_NAMING, suffixes: ['POSTGRESQL.sql', '.pgsql'] };
    expect(parseName('V1_2__init___postgresql.SQL', suffixes)).toMatchObject({ kind: 'V', version: '1_2', description: 'init   ' });
    expect(parseName('V3__more.pgsql', suffixes)).toMatchObject({ kind: 'V', version: '3' });
    expect(parseName('V1__init___H2.sql', suffixes)).toBeUndefined();
    expect(parseName('V7.sql')).toMatchObject({ kind: 'V', version: '7', description: '' });
    expect(parseName('R.sql')).toBeUndefined(); // Scanner.getResources: not longer than prefix and suffix
  });

  it('file-name\'s pattern takes exactly the names parseName takes, for the default and configured namings', () => {
    const namings = [
      DEFAULT_NAMING,
      { ...DEFAULT_NAMING, versionedPrefix: '' },
      { ...DEFAULT_NAMING, versionedPrefix: 'easychat-migration-', separator: '-' },
      { ...DEFAULT_NAMING, separator: '.', suffixes: ['POSTGRESQL.sql', '.pgsql'] },
    ];
    const names = [
      'V1__a.sql', 'V1_2__add_orders.SQL', 'V7.sql', 'V1__.sql', 'V1_a.sql', 'V__a.sql', 'v1__a.sql', 'R__views.sql', 'R.sql', 'R1__x.sql',
      'U3__undo.sql', 'B5__base.sql', 'beforeMigrate.sql', 'afterMigrate__grants.Sql', 'beforeMigrateX.sql', 'notes.sql', 'V1__a.txt',
      '20170206205240748__initial_schema.sql', '001_init.sql', 'easychat-migration-001-group-management.sql', 'easychat-migration-x-y.sql',
      'V1.init.POSTGRESQL.sql', 'V3.more.pgsql', 'V1__init___H2.sql',
    ];
    for (const naming of namings) {
      const pattern = fileNamePattern(naming);
      for (const name of names) expect(pattern.test(name), `${name} with ${JSON.stringify(naming)}`).toBe(parseName(name, naming) !== undefined);
      expect(pattern.test(`sub/${exampleName(naming)}`)).toBe(true);
    }
  });

  it('read from flyway.conf, flyway.toml and FLYWAY_* (that precedence): discovery, ordering and the skipped files follow them', () => {
    const files = { 'db/migration/M1-accounts.pgsql': '', 'db/migration/M2-orders.SQL': '', 'db/migration/V3__old.sql': '', 'db/migration/notes.txt': '' };
    const conf = discover({ ...files, 'flyway.conf': 'flyway.sqlMigrationPrefix=M\nflyway.sqlMigrationSeparator=-\nflyway.sqlMigrationSuffixes=.pgsql, .sql\n' });
    expect(migrationNames(conf)).toEqual(['M1-accounts.pgsql', 'M2-orders.SQL']);
    expect(conf.ignored).toEqual([{ name: 'V3__old.sql', reason: 'not a Flyway migration name (M<version>-<description>.pgsql / .sql, R-<description>.pgsql / .sql): Flyway skips it' }]);
    const toml = discover({ ...files, 'flyway.conf': 'flyway.sqlMigrationPrefix=V\n', 'flyway.toml': '[flyway]\nsqlMigrationPrefix = "M"\nsqlMigrationSeparator = "-"\nsqlMigrationSuffixes = [".pgsql"]\n' });
    expect(migrationNames(toml)).toEqual(['M1-accounts.pgsql']);
    const env = discover({ ...files, 'flyway.toml': '[flyway]\nsqlMigrationPrefix = "M"\n' }, { FLYWAY_SQL_MIGRATION_PREFIX: 'V' });
    expect(migrationNames(env)).toEqual(['V3__old.sql']);
  });

  it('a Spring application\'s spring.flyway.* naming, relaxed names and ${...} values resolved as Spring does', () => {
    const resources = 'src/main/resources';
    const spring = (properties: string, env: Record<string, string> = {}) => {
      const p = project({
        [`${resources}/application.properties`]: properties,
        [`${resources}/db/migration/V1__init___POSTGRESQL.sql`]: '',
        [`${resources}/db/migration/V1__init___H2.sql`]: '',
        [`${resources}/db/migration/20170206205240748__initial_schema.sql`]: '',
      });
      return runner.discover(`${p.root}/${resources}/db/migration`, { projectRoot: p.root, env });
    };
    expect(migrationNames(spring('spring.flyway.sql-migration-prefix=\n'))).toEqual(['20170206205240748__initial_schema.sql']);
    expect(migrationNames(spring('spring.flyway.sqlMigrationSuffixes=POSTGRESQL.sql\n'))).toEqual(['V1__init___POSTGRESQL.sql']);
    const vendor = 'spring.flyway.sql-migration-suffixes=${spring.jpa.database}.sql\n';
    expect(migrationNames(spring(`spring.jpa.database=POSTGRESQL\n${vendor}`))).toEqual(['V1__init___POSTGRESQL.sql']);
    expect(migrationNames(spring(vendor, { SPRING_JPA_DATABASE: 'H2' }))).toEqual(['V1__init___H2.sql']);
    // nothing gives it a value: one clear error, not the default suffix (every vendor's files in one history)
    expect(() => spring(vendor)).toThrow(InputError);
    expect(() => spring(vendor)).toThrow(
      'spring.flyway.sql-migration-suffixes in src/main/resources/application.properties is ${spring.jpa.database}.sql: nothing gives ${spring.jpa.database} a value',
    );
  });

  it('an empty separator is refused as Flyway refuses it', () => {
    expect(() => discover({ 'db/migration/V1__a.sql': '', 'flyway.conf': 'flyway.sqlMigrationSeparator=\n' })).toThrow(
      'flyway.sqlMigrationSeparator in flyway.conf is empty: Flyway refuses it ("sqlMigrationSeparator cannot be empty!")',
    );
  });

  it('SQL callbacks follow the separator and suffixes; two that Flyway reads as one name are refused', () => {
    const d = discover({ 'db/migration/V1-a.pgsql': '', 'db/migration/afterMigrate-grants.pgsql': '', 'flyway.conf': 'flyway.sqlMigrationSeparator=-\nflyway.sqlMigrationSuffixes=.pgsql\n' });
    expect(migrationNames(d)).toEqual(['V1-a.pgsql', 'afterMigrate-grants.pgsql']);
    const twice = discover({ 'db/migration/afterMigrate__a_b.sql': '', 'db/migration/sub/afterMigrate__a b.sql': '' });
    expect(twice.problems).toEqual(['Found more than 1 SQL callback script called afterMigrate__a b: afterMigrate__a_b.sql, sub/afterMigrate__a b.sql (Flyway refuses them)']);
  });
});

describe('validateMigrationNaming (ResourceNameValidator / ScannerUtils.validateMigrationNaming)', () => {
  const files = { 'db/migration/V1__a.sql': 'SELECT 1;\n', 'db/migration/V2_b.sql': 'SELECT 2;\n', 'db/migration/notes.txt': 'x\n' };

  it('off (the default): a misnamed .sql file is skipped, and said', () => {
    const d = discover(files);
    expect(migrationNames(d)).toEqual(['V1__a.sql']);
    expect(d.ignored.map((f) => f.name)).toEqual(['V2_b.sql']);
    expect(d.problems).toEqual([]);
  });

  it('on in flyway.toml, flyway.conf or the environment: Flyway refuses the run, naming the files and the setting', () => {
    const expected = (source: string) => [
      `Invalid SQL filenames found: V2_b.sql: not Flyway migration names (V<version>__<description>.sql, R__<description>.sql), and ${source} makes Flyway refuse them rather than skip them`,
    ];
    expect(discover({ ...files, 'flyway.toml': '[flyway]\nvalidateMigrationNaming = true\n' }).problems).toEqual(expected('validateMigrationNaming in flyway.toml'));
    expect(discover({ ...files, 'flyway.conf': 'flyway.validateMigrationNaming=true\n' }).problems).toEqual(expected('flyway.validateMigrationNaming in flyway.conf'));
    expect(discover(files, { FLYWAY_VALIDATE_MIGRATION_NAMING: 'true' }).problems).toEqual(expected('FLYWAY_VALIDATE_MIGRATION_NAMING in the environment'));
  });
});

describe('skipDefaultCallbacks (FlywayExecutor: the SQL callbacks of the locations only when it is false)', () => {
  const files = { 'db/migration/V1__a.sql': 'SELECT 1;\n', 'db/migration/beforeMigrate.sql': 'SELECT 0;\n', 'db/migration/afterMigrate__grants.sql': 'SELECT 2;\n' };

  it('off (the default): the callbacks run around the migrations', () => {
    expect(migrationNames(discover(files))).toEqual(['beforeMigrate.sql', 'V1__a.sql', 'afterMigrate__grants.sql']);
  });

  it('on (spring.flyway.skip-default-callbacks, flyway.conf, the environment): Flyway runs none, and says why', () => {
    const spring = project({
      'src/main/resources/application.properties': 'spring.flyway.skip-default-callbacks=true\n',
      ...Object.fromEntries(Object.entries(files).map(([name, text]) => [`src/main/resources/${name}`, text])),
    });
    const fromSpring = runner.discover(`${spring.root}/src/main/resources/db/migration`, { projectRoot: spring.root, env: {} });
    expect(migrationNames(fromSpring)).toEqual(['V1__a.sql']);
    expect(fromSpring.ignored.map((f) => f.reason)).toEqual([
      'a SQL callback (afterMigrate): spring.flyway.skip-default-callbacks in src/main/resources/application.properties is true, so Flyway does not run it',
      'a SQL callback (beforeMigrate): spring.flyway.skip-default-callbacks in src/main/resources/application.properties is true, so Flyway does not run it',
    ]);
    expect(migrationNames(discover({ ...files, 'flyway.conf': 'flyway.skipDefaultCallbacks=true\n' }))).toEqual(['V1__a.sql']);
    expect(migrationNames(discover(files, { FLYWAY_SKIP_DEFAULT_CALLBACKS: 'true' }))).toEqual(['V1__a.sql']);
  });
});
