import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field: MarquezProject/marquez. FlywayFactory.java builds Flyway in code with the locations "marquez/db/migration"
 * (the SQL files, src/main/resources/marquez/db/migration) and "classpath:marquez/db/migrations", a Java package whose
 * classes implement JavaMigration and give their own version with getVersion() (V44_3_BackfillJobsWithParents has no
 * `__` in its name; V57_1__BackfillFacets returns 57.2; V56_1__FacetViews creates three views). Flyway runs them
 * (ScanningJavaMigrationResolver, ResolvedJavaMigration: `javaMigration.getVersion()`); pgdrift listed none of them, so
 * a replay without their views read as complete.
 */
const project = tempProjects();
beforeAll(() => loadSqlParser());

const FACTORY = [
  'package app.db;',
  '',
  'import org.flywaydb.core.Flyway;',
  '',
  'public final class FlywayFactory {',
  '  private static final String DEFAULT_LOCATION = "app/db/migration";',
  '  private static final String DEFAULT_MIGRATION_CLASSPATH = "classpath:app/db/migrations";',
  '  private List<String> locations = List.of(DEFAULT_LOCATION, DEFAULT_MIGRATION_CLASSPATH);',
  '',
  '  public Flyway build(DataSource source) {',
  '    return Flyway.configure().dataSource(source).locations(locations.stream().toArray(String[]::new)).load();',
  '  }',
  '}',
  '',
].join('\n');

const javaMigration = (name: string, version: string) =>
  [
    'package app.db.migrations;',
    '',
    'import org.flywaydb.core.api.MigrationVersion;',
    'import org.flywaydb.core.api.migration.JavaMigration;',
    '',
    `public class ${name} implements JavaMigration {`,
    '  public static final MigrationVersion MIGRATION_VERSION = MigrationVersion.fromVersion("9.9");',
    '  @Override',
    `  public MigrationVersion getVersion() {\n    return ${version};\n  }`,
    '  @Override',
    '  public void migrate(Context context) throws Exception {',
    '    context.getConnection().createStatement().execute("CREATE VIEW user_names AS SELECT id FROM users");',
    '  }',
    '}',
    '',
  ].join('\n');

const files = {
  'api/src/main/java/app/db/FlywayFactory.java': FACTORY,
  'api/src/main/resources/app/db/migration/V1__users.sql': 'CREATE TABLE users (id int PRIMARY KEY);\n',
  'api/src/main/resources/app/db/migration/V3__orders.sql': 'CREATE TABLE orders (id int PRIMARY KEY);\n',
  // getVersion() gives the version, whatever the class name says
  'api/src/main/java/app/db/migrations/V2_BackfillUsers.java': javaMigration('V2_BackfillUsers', 'MigrationVersion.fromVersion("2")'),
  'api/src/main/java/app/db/migrations/V2_1__UserViews.java': javaMigration('V2_1__UserViews', 'MIGRATION_VERSION'),
  // a version the source does not spell out: still a migration Flyway runs, at a place pgdrift cannot tell
  'api/src/main/java/app/db/migrations/Backfill.java': javaMigration('Backfill', 'Versions.next()'),
};

describe('Flyway Java migrations in a package the code gives Flyway as a location', () => {
  it('are listed where their getVersion() puts them as migrations pgdrift cannot replay', async () => {
    const p = project(files);
    const result = await dump({ cwd: p.root, migrations: 'api/src/main/resources/app/db/migration', engine: 'pglite', noCache: true });
    expect(result.report.skippedFiles?.map((f) => [f.file, f.appliedByRunner, /version (\S+);/.exec(f.reason)?.[1]])).toEqual([
      ['api/src/main/java/app/db/migrations/Backfill.java', true, undefined],
      ['api/src/main/java/app/db/migrations/V2_BackfillUsers.java', true, '2'],
      ['api/src/main/java/app/db/migrations/V2_1__UserViews.java', true, '9.9'],
    ]);
    expect(result.report.skippedFiles?.[0]?.reason).toContain('"classpath:app/db/migrations" in the locations that src/main/java/app/db/FlywayFactory.java:11 gives Flyway in code');
  });

  it('make check incomplete, never clean, against a snapshot pgdrift wrote', async () => {
    const p = project(files);
    const replayed = await dump({ cwd: p.root, migrations: 'api/src/main/resources/app/db/migration', engine: 'pglite', noCache: true });
    p.write('docs/architecture/schema-actual-2024-01-01.sql', replayed.sql);
    const result = await check({ cwd: p.root, migrations: 'api/src/main/resources/app/db/migration', engine: 'pglite', noCache: true, lint: false });
    expect(result.exitCode).toBe(1);
  });
});
