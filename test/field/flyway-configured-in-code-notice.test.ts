import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { resolveProject } from '../../src/config/project.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Flyway configured in the application's code (field: HSFL-X-SOOP/backend, a Ktor application: Main.kt runs
 * `Flyway.configure().driver(...).dataSource(dsl).locations(...).schemas("marlin")).migrate()`). Flyway then creates
 * marlin, keeps its history there and sets the search_path to it before each migration (FluentConfiguration.schemas;
 * the first schema is the default one), so an unqualified CREATE TABLE lands in marlin. pgdrift reads no code: the
 * replay put such tables in public, and nothing said so. Now a notice names the file, the line and the setters.
 */
const project = tempProjects();
beforeAll(() => loadSqlParser());

const MAIN_KT = [
  'package app',
  '',
  'import org.flywaydb.core.Flyway',
  '',
  'fun main() {',
  '    Flyway(',
  '        Flyway.configure()',
  '            .dataSource(dsl)',
  '            .locations("classpath:db/migration")',
  '            .schemas("marlin")',
  '    ).migrate()',
  '}',
  '',
].join('\n');

describe('Flyway configured in code', () => {
  it('a notice names the file, the line and the setters the replay does not read', () => {
    const p = project({
      'build.gradle.kts': 'dependencies { implementation("org.flywaydb:flyway-core:11.0.0") }\n',
      'src/main/kotlin/app/Main.kt': MAIN_KT,
      'src/main/resources/db/migration/V1__sensor.sql': 'CREATE TABLE sensor (id bigint PRIMARY KEY);\n',
    });
    const notices = resolveProject({ cwd: p.root }).runner.notices?.join('\n') ?? '';
    expect(notices).toContain("src/main/kotlin/app/Main.kt:7 configures Flyway in code (.schemas(...)): pgdrift does not read settings made in code, so the replay uses Flyway's defaults for them");
  });

  it('no notice once flyway.conf gives the same setting, and the replay then follows it', async () => {
    const p = project({
      'build.gradle.kts': 'dependencies { implementation("org.flywaydb:flyway-core:11.0.0") }\n',
      'flyway.conf': 'flyway.schemas=marlin\nflyway.locations=filesystem:src/main/resources/db/migration\n',
      'src/main/kotlin/app/Main.kt': MAIN_KT,
      'src/main/resources/db/migration/V1__sensor.sql': 'CREATE TABLE sensor (id bigint PRIMARY KEY);\n',
    });
    expect(resolveProject({ cwd: p.root }).runner.notices?.join('\n') ?? '').not.toContain('in code');
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.sql).toContain('CREATE TABLE marlin.sensor (');
  });

  it('a later Flyway.configure() chain of the same file is read too', () => {
    // Field: Ujjwalsuthar99/collection-service, FlywayService.java: a chain with .locations(...) only, then one with .defaultSchema(...).schemas(...)
    const service = [
      'package app;',
      'class FlywayService {',
      '  Flyway common() {',
      '    return Flyway.configure().dataSource(ds).locations("classpath:db/migration").load();',
      '  }',
      '  Flyway tenant(String schema) {',
      '    return Flyway.configure().dataSource(ds)',
      '        .defaultSchema(schema)',
      '        .schemas(schema).load();',
      '  }',
      '}',
      '',
    ].join('\n');
    const p = project({
      'pom.xml': '<project><dependencies><dependency><groupId>org.flywaydb</groupId><artifactId>flyway-core</artifactId></dependency></dependencies></project>\n',
      'src/main/java/app/FlywayService.java': service,
      'src/main/resources/db/migration/V1__sensor.sql': 'CREATE TABLE sensor (id bigint PRIMARY KEY);\n',
    });
    const notices = resolveProject({ cwd: p.root }).runner.notices?.join('\n') ?? '';
    expect(notices).toContain('src/main/java/app/FlywayService.java:7 configures Flyway in code (.schemas(...), .defaultSchema(...))');
  });
});
