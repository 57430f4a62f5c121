import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Flyway's Java-based migrations run in the history beside the SQL files: the classes implementing JavaMigration in
 * the packages of the classpath locations (flyway-core ScanningJavaMigrationResolver; db/migration is the package
 * db.migration) and the JavaMigration beans Spring Boot hands to Flyway (FlywayAutoConfiguration,
 * FixedJavaMigrationResolver), versioned by their class name (BaseJavaMigration.init). pgdrift cannot run their code:
 * they were not even listed, so a snapshot without their effect checked clean. Field: IMG-LTD/MMMail keeps V1, V2,
 * V11... as src/main/java/db/migration/*.java beside src/main/resources/db/migration/*.sql (one history).
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

const java = (pkg: string, name: string, extra = '') =>
  `package ${pkg};\n\nimport org.flywaydb.core.api.migration.BaseJavaMigration;\nimport org.flywaydb.core.api.migration.Context;\n\n${extra}public class ${name} extends BaseJavaMigration {\n  @Override\n  public void migrate(Context context) throws Exception {\n    context.getConnection().createStatement().execute("CREATE TABLE audit (id int)");\n  }\n}\n`;

describe('Flyway Java-based migrations', () => {
  it('one in the scanned package is named where its version puts it; a later SQL file that needs its table names it in the hint', async () => {
    const p = project({
      'src/main/resources/db/migration/V1__users.sql': 'CREATE TABLE users (id int PRIMARY KEY);\n',
      'src/main/java/db/migration/V2__Create_audit.java': java('db.migration', 'V2__Create_audit'),
      'src/main/resources/db/migration/V3__audit_index.sql': 'CREATE INDEX audit_id ON audit (id);\n',
      // not a migration Flyway finds: another package, no bean; an abstract base; a helper
      'src/main/java/com/acme/V9__Elsewhere.java': java('com.acme', 'V9__Elsewhere'),
      'src/main/java/db/migration/support/VersionedBase.java': 'package db.migration.support;\npublic abstract class VersionedBase extends BaseJavaMigration {}\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, keepGoing: true });
    expect(result.report.skippedFiles).toEqual([
      expect.objectContaining({ file: 'src/main/java/db/migration/V2__Create_audit.java', appliedByRunner: true, reason: expect.stringContaining('version 2') }),
    ]);
    expect(result.report.migrationFailures.map((f) => [f.file, f.sqlstate, f.hint])).toEqual([
      ['src/main/resources/db/migration/V3__audit_index.sql', '42P01', 'the runner applies src/main/java/db/migration/V2__Create_audit.java before this file, which pgdrift cannot replay: what is missing may be made there'],
    ]);
  });

  it('a Spring bean migration in any package (Kotlin too) makes check incomplete, never clean, against a snapshot pgdrift wrote', async () => {
    const p = project({
      'src/main/resources/db/migration/V1__users.sql': 'CREATE TABLE users (id int PRIMARY KEY);\n',
      'src/main/kotlin/com/acme/migration/V2__Seed.kt': 'package com.acme.migration\n\n@Component\nclass V2__Seed : BaseJavaMigration() {\n  override fun migrate(context: Context) {}\n}\n',
    });
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.report.migrationFailures).toEqual([]);
    p.write('docs/architecture/schema-actual-2024-01-01.sql', replayed.sql);
    const result = await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false });
    expect(result.skippedFiles).toEqual([expect.objectContaining({ file: 'src/main/kotlin/com/acme/migration/V2__Seed.kt', appliedByRunner: true })]);
    expect(result.exitCode).toBe(1);
  });

  it('a Java migration of a version a SQL file has is refused as Flyway refuses it; filesystem: locations scan no package', async () => {
    const clash = project({
      'src/main/resources/db/migration/V1__users.sql': 'CREATE TABLE users (id int PRIMARY KEY);\n',
      'src/main/java/db/migration/V1__Users.java': java('db.migration', 'V1__Users'),
    });
    await expect(dump({ cwd: clash.root, engine: 'pglite', noCache: true })).rejects.toThrow(/more than one migration with version 1: .*V1__Users\.java/);
    const files = project({
      'flyway.conf': 'flyway.locations=filesystem:src/main/resources/db/migration\n',
      'src/main/resources/db/migration/V1__users.sql': 'CREATE TABLE users (id int PRIMARY KEY);\n',
      'src/main/java/db/migration/V2__Create_audit.java': java('db.migration', 'V2__Create_audit'),
    });
    const replayed = await dump({ cwd: files.root, engine: 'pglite', noCache: true });
    expect(replayed.report.skippedFiles ?? []).toEqual([]);
  });
});
