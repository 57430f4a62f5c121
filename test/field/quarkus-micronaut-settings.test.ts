import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { resolveProject } from '../../src/config/project.js';
import { findMaster } from '../../src/runners/liquibase.js';
import { readFlywaySettings } from '../../src/runners/flyway-settings.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Quarkus' and Micronaut's Flyway and Liquibase settings, as the frameworks bind them (quarkusio/quarkus
 * extensions/flyway FlywayDataSourceBuildTimeConfig / FlywayDataSourceRuntimeConfig, extensions/liquibase
 * LiquibaseDataSourceBuildTimeConfig / LiquibaseDataSourceRuntimeConfig; micronaut-projects/micronaut-flyway
 * FlywayConfigurationProperties `@EachProperty("flyway.datasources")`, micronaut-liquibase
 * LiquibaseConfigurationProperties `@EachProperty("liquibase.datasources")`). Field: kestra-io/kestra keeps its
 * Flyway locations in cli/src/main/resources/application.yml as `flyway.datasources.postgres.locations:
 * classpath:migrations/postgres`, the files in another module (jdbc-postgres); pgdrift found no folder.
 * com-pas/compas-scl-data-service (Quarkus) names its location only in application-<profile>.properties.
 */
const project = tempProjects();
beforeAll(() => loadSqlParser());

const V1 = 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n';
const relative = (root: string, folder: string) => path.relative(root, folder).split(path.sep).join('/');
const MICRONAUT_BUILD = "plugins {\n  id 'io.micronaut.application' version '4.4.0'\n}\n";
const QUARKUS_POM = '<project><dependencies><dependency><groupId>io.quarkus</groupId><artifactId>quarkus-flyway</artifactId></dependency></dependencies></project>\n';

describe('Micronaut flyway.datasources.<name>.*', () => {
  it('a multi-module build: the application module names another module\'s classpath folder and a schema; the replay puts the tables there', async () => {
    const p = project({
      'build.gradle': MICRONAUT_BUILD,
      'cli/src/main/resources/application.yml': [
        'micronaut:\n  application:\n    name: app\n',
        'flyway:\n  datasources:\n',
        '    postgres:\n      enabled: true\n      locations:\n        - classpath:migrations/postgres\n      schemas: app\n      table: app_history\n',
        '    mysql:\n      enabled: true\n      locations:\n        - classpath:migrations/mysql\n',
      ].join(''),
      'jdbc-postgres/src/main/resources/migrations/postgres/V1__init.sql': V1,
      'jdbc-mysql/src/main/resources/migrations/mysql/V1__init.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY) ENGINE=InnoDB;\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('jdbc-postgres/src/main/resources/migrations/postgres');
    expect(resolved.runner.bookkeeping).toEqual(['app.app_history']);
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE app.accounts (');
  });

  it('the datasource whose locations hold the folder wins; without a Micronaut build or config nothing is read', () => {
    const files = {
      'src/main/resources/application.properties': 'flyway.datasources.default.locations=classpath:db/main\nflyway.datasources.default.default-schema=core\nflyway.datasources.default.placeholders.owner=app\nflyway.datasources.audit.locations=classpath:db/audit\nflyway.datasources.audit.schemas=audit\n',
      'src/main/resources/db/main/V1__init.sql': V1,
      'src/main/resources/db/audit/V1__init.sql': V1,
    };
    const p = project({ ...files, 'pom.xml': '<project><parent><groupId>io.micronaut.platform</groupId><artifactId>micronaut-parent</artifactId></parent></project>\n' });
    const main = readFlywaySettings(path.join(p.root, 'src/main/resources/db/main'), { projectRoot: p.root, env: {} });
    expect(main.get('flyway.defaultSchema')).toBe('core');
    expect(main.get('flyway.placeholders.owner')).toBe('app');
    const audit = readFlywaySettings(path.join(p.root, 'src/main/resources/db/audit'), { projectRoot: p.root, env: {} });
    expect(audit.get('flyway.schemas')).toBe('audit');
    expect(audit.get('flyway.defaultSchema')).toBeUndefined();
    // a Spring Boot build with the same keys: Spring Boot 2+ ignores `flyway.*`
    const spring = project({ ...files, 'pom.xml': '<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.2.0</version></parent></project>\n' });
    expect(readFlywaySettings(path.join(spring.root, 'src/main/resources/db/main'), { projectRoot: spring.root, env: {} }).get('flyway.defaultSchema')).toBeUndefined();
  });
});

describe('Flyway turned off', () => {
  it('Micronaut flyway.datasources.default.enabled: false is a notice (Micronaut does not run Flyway)', () => {
    const p = project({
      'build.gradle': MICRONAUT_BUILD,
      'src/main/resources/application.yml': 'flyway:\n  datasources:\n    default:\n      enabled: false\n      schemas: ignored\n',
      'src/main/resources/db/migration/V1__init.sql': V1,
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(resolved.runner.notices?.join('\n')).toContain('flyway.datasources.default.enabled in src/main/resources/application.yml is false: Micronaut does not run Flyway');
    expect(resolved.runner.bookkeeping).toEqual(['public.flyway_schema_history']);
  });
});

describe('Quarkus quarkus.flyway.*', () => {
  it('locations, schemas, table and placeholders of the prod profile (%prod. over the plain key) are replayed; another profile\'s are a notice', async () => {
    const p = project({
      'pom.xml': QUARKUS_POM,
      'src/main/resources/application.properties': [
        'quarkus.datasource.db-kind=postgresql',
        'quarkus.flyway.locations=db/dev-migrations',
        '%prod.quarkus.flyway.locations=classpath:db/schema',
        'quarkus.flyway.schemas=shop',
        'quarkus.flyway.table=shop_history',
        'quarkus.flyway.placeholders.owner=${OWNER:shop_owner}',
        '%dev.quarkus.flyway.schemas=devshop',
        '%inmem.quarkus.flyway.migrate-at-start=false',
        '',
      ].join('\n'),
      'src/main/resources/db/schema/V1__init.sql': "CREATE TABLE accounts (id bigint PRIMARY KEY);\nCOMMENT ON TABLE accounts IS '${owner}';\n",
      'src/main/resources/db/dev-migrations/V1__seed.sql': V1,
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('src/main/resources/db/schema');
    expect(resolved.runner.bookkeeping).toEqual(['shop.shop_history']);
    expect(resolved.runner.notices?.join('\n')).toContain('%dev.quarkus.flyway.schemas in src/main/resources/application.properties: another Quarkus profile sets Flyway differently; the replay reads profile prod');
    // a setting that does not change the replay (migrate-at-start) is not named
    expect(resolved.runner.notices?.join('\n')).not.toContain('migrate-at-start');
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE shop.accounts (');
    expect(result.sql).toContain("COMMENT ON TABLE shop.accounts IS 'shop_owner';");
  });

  it('a named datasource (quarkus.flyway."<name>".*); QUARKUS_PROFILE chooses an application-<profile>.properties', () => {
    const p = project({
      'pom.xml': QUARKUS_POM,
      'app/src/main/resources/application.properties': 'quarkus.flyway."users".schemas=users\nquarkus.flyway.users.locations=db/users\n',
      'app/src/main/resources/application-pg.properties': 'quarkus.flyway.locations=classpath:org/acme/pg/db/migration\nquarkus.flyway.default-schema=acme\n',
      'repository-pg/src/main/resources/org/acme/pg/db/migration/V1__init.sql': V1,
      'app/src/main/resources/db/users/V1__init.sql': V1,
    });
    const users = readFlywaySettings(path.join(p.root, 'app/src/main/resources/db/users'), { projectRoot: p.root, env: {} });
    expect(users.get('flyway.schemas')).toBe('users');
    const folder = path.join(p.root, 'repository-pg/src/main/resources/org/acme/pg/db/migration');
    expect(readFlywaySettings(folder, { projectRoot: p.root, env: { QUARKUS_PROFILE: 'pg' } }).get('flyway.defaultSchema')).toBe('acme');
    expect(readFlywaySettings(folder, { projectRoot: p.root, env: {} }).get('flyway.defaultSchema')).toBeUndefined();
  });
});

describe('init names the key the application wrote', () => {
  it('quarkus.flyway.locations / flyway.datasources.<name>.locations with its file, not the plain flyway.locations', async () => {
    const { init } = await import('../../src/commands/init.js');
    const quarkus = project({ 'pom.xml': QUARKUS_POM, 'src/main/resources/application.properties': 'quarkus.flyway.locations=db/schema\n', 'src/main/resources/db/schema/V1__a.sql': V1 });
    expect((await init({ cwd: quarkus.root })).detected.runnerSetting).toBe('quarkus.flyway.locations in src/main/resources/application.properties (db/schema)');
    const micronaut = project({ 'build.gradle': MICRONAUT_BUILD, 'src/main/resources/application.properties': 'flyway.datasources.default.locations=classpath:db/m\n', 'src/main/resources/db/m/V1__a.sql': V1 });
    expect((await init({ cwd: micronaut.root })).detected.runnerSetting).toBe('flyway.datasources.default.locations in src/main/resources/application.properties (classpath:db/m)');
  });
});

describe('Quarkus config sources of the working directory', () => {
  it("config/application.properties over the resources' file, .env over both (QUARKUS_PROFILE there too), the environment over .env", () => {
    const p = project({
      'pom.xml': QUARKUS_POM,
      'src/main/resources/application.properties': 'quarkus.flyway.schemas=shop\nquarkus.flyway.table=shop_history\nquarkus.flyway.default-schema=shop\n',
      'src/main/resources/application-staging.properties': 'quarkus.flyway.placeholders.owner=staging_owner\n',
      'config/application.properties': 'quarkus.flyway.table=cfg_history\nquarkus.flyway.schemas=cfg\n',
      '.env': 'QUARKUS_FLYWAY_SCHEMAS=envshop\nQUARKUS_PROFILE=staging\nQUARKUS_FLYWAY_DEFAULT_SCHEMA=dotenv_default\n',
      'src/main/resources/db/migration/V1__init.sql': V1,
    });
    const folder = path.join(p.root, 'src/main/resources/db/migration');
    const settings = readFlywaySettings(folder, { projectRoot: p.root, env: { QUARKUS_FLYWAY_DEFAULT_SCHEMA: 'from_env' } });
    expect(settings.get('flyway.table')).toBe('cfg_history');
    expect(settings.get('flyway.schemas')).toBe('envshop');
    expect(settings.get('flyway.defaultSchema')).toBe('from_env');
    expect(settings.get('flyway.placeholders.owner')).toBe('staging_owner');
  });
});

describe('Quarkus default location', () => {
  it('two Quarkus modules, one with Flyway migrations in the default db/migration: that folder, not "several applications" (field: hensu-project/hensu)', () => {
    const p = project({
      'pom.xml': QUARKUS_POM,
      'cli/src/main/resources/application.properties': 'quarkus.banner.enabled=false\n',
      'server/src/main/resources/application.properties': 'quarkus.flyway.migrate-at-start=true\nquarkus.flyway.schemas=runtime\n',
      'server/src/main/resources/db/migration/V1__init.sql': V1,
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('server/src/main/resources/db/migration');
    expect(resolved.runner.bookkeeping).toEqual(['runtime.flyway_schema_history']);
  });
});

describe('Quarkus application.yaml', () => {
  it('a "%prod": table over the plain keys, and application.yaml over application.properties', () => {
    const p = project({
      'pom.xml': QUARKUS_POM,
      'src/main/resources/application.properties': 'quarkus.flyway.table=from_properties\nquarkus.flyway.schemas=from_properties\n',
      'src/main/resources/application.yaml': 'quarkus:\n  flyway:\n    schemas: plain\n"%prod":\n  quarkus:\n    flyway:\n      schemas: prod_schema\n',
      'src/main/resources/db/migration/V1__init.sql': V1,
    });
    const settings = readFlywaySettings(path.join(p.root, 'src/main/resources/db/migration'), { projectRoot: p.root, env: {} });
    expect(settings.get('flyway.schemas')).toBe('prod_schema');
    expect(settings.get('flyway.table')).toBe('from_properties');
    expect(readFlywaySettings(path.join(p.root, 'src/main/resources/db/migration'), { projectRoot: p.root, env: { QUARKUS_PROFILE: 'dev' } }).get('flyway.schemas')).toBe('plain');
    // environment variables (SmallRye EnvConfigSource, ordinal 300): over the files, their profile keys included
    const fromEnv = readFlywaySettings(path.join(p.root, 'src/main/resources/db/migration'), { projectRoot: p.root, env: { QUARKUS_FLYWAY_TABLE: 'env_table', QUARKUS_FLYWAY_SCHEMAS: 'env_schema', QUARKUS_FLYWAY_PLACEHOLDERS_OWNER: 'x' } });
    expect(fromEnv.get('flyway.table')).toBe('env_table');
    expect(fromEnv.get('flyway.schemas')).toBe('env_schema');
    expect(fromEnv.get('flyway.placeholders.owner')).toBe('x');
  });
});

describe('Quarkus: locations only in another profile', () => {
  it('an input error naming the profiles and QUARKUS_PROFILE, not "no migrations folder found"', () => {
    const p = project({
      'pom.xml': QUARKUS_POM,
      'app/src/main/resources/application.properties': 'quarkus.datasource.db-kind=postgresql\n',
      'app/src/main/resources/application-prod-postgresql.properties': 'quarkus.flyway.locations=classpath:org/acme/db/migration\n',
      'app/src/main/resources/application-test.properties': 'quarkus.flyway.locations=classpath:org/acme/db/migration\n',
      'repository/src/main/resources/org/acme/db/migration/V1__init.sql': V1,
    });
    expect(() => resolveProject({ cwd: p.root })).toThrow(/names no existing Flyway folder for profile prod .*repository\/src\/main\/resources\/org\/acme\/db\/migration \(profile prod-postgresql, test\)/);
    try {
      resolveProject({ cwd: p.root });
    } catch (error: any) {
      expect(error.hint).toContain('QUARKUS_PROFILE=prod-postgresql');
    }
  });

  it("the profile the Maven build packages the application with is its default runtime profile (the real com-pas/compas-scl-data-service: app/pom.xml's quarkus-maven-plugin build execution sets <quarkus.profile>prod-postgresql)", () => {
    const pom = (profiles: string[]) =>
      `<project><build><plugins><plugin><groupId>io.quarkus</groupId><artifactId>quarkus-maven-plugin</artifactId><executions>${profiles
        .map((profile, i) => `<execution><id>build-${i}</id><goals><goal>build</goal></goals><configuration><properties><quarkus.profile>${profile}</quarkus.profile></properties></configuration></execution>`)
        .join('')}</executions></plugin></plugins></build></project>\n`;
    const files = (appPom: string) => ({
      'pom.xml': QUARKUS_POM,
      'app/pom.xml': appPom,
      'app/src/main/resources/application.properties': 'quarkus.datasource.db-kind=postgresql\n',
      'app/src/main/resources/application-prod-postgresql.properties': 'quarkus.flyway.locations=classpath:org/acme/db/migration\n',
      'app/src/main/resources/application-test.properties': 'quarkus.flyway.locations=classpath:org/acme/db/migration-test\n',
      'repository/src/main/resources/org/acme/db/migration/V1__init.sql': V1,
      'repository/src/main/resources/org/acme/db/migration-test/V1__init.sql': V1,
    });
    const built = project(files(pom(['prod-postgresql'])));
    expect(relative(built.root, resolveProject({ cwd: built.root }).migrationsDir)).toBe('repository/src/main/resources/org/acme/db/migration');
    // QUARKUS_PROFILE (here in the module's .env) still wins over the build's profile
    const chosen = project({ ...files(pom(['prod-postgresql'])), 'app/.env': 'QUARKUS_PROFILE=test\n' });
    expect(relative(chosen.root, resolveProject({ cwd: chosen.root }).migrationsDir)).toBe('repository/src/main/resources/org/acme/db/migration-test');
    // two builds with two profiles decide nothing, nor does a Maven <profile>'s: the input error, naming prod
    const two = project(files(pom(['prod-postgresql', 'test'])));
    expect(() => resolveProject({ cwd: two.root })).toThrow(/names no existing Flyway folder for profile prod \(what a deployed application runs\)/);
    const mavenProfile = project(files('<project><profiles><profile><id>pg</id><properties><quarkus.profile>prod-postgresql</quarkus.profile></properties></profile></profiles></project>\n'));
    expect(() => resolveProject({ cwd: mavenProfile.root })).toThrow(/names no existing Flyway folder for profile prod \(what a deployed application runs\)/);
  });
});

describe('Quarkus and Micronaut Liquibase', () => {
  it("Quarkus' default db/changeLog.xml and quarkus.liquibase.default-schema-name / contexts", () => {
    const p = project({
      'pom.xml': QUARKUS_POM,
      'src/main/resources/application.yaml': 'quarkus:\n  liquibase:\n    default-schema-name: crm\n    contexts: prod\n',
      'src/main/resources/db/changeLog.xml': '<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"></databaseChangeLog>\n',
    });
    const master = findMaster(path.join(p.root, 'src/main/resources/db'), p.root, {});
    expect(master?.setting).toBe("Quarkus' default classpath:db/changeLog.xml");
    expect(master?.settings.defaultSchema?.value).toBe('crm');
    expect(master?.settings.contexts?.source).toBe('quarkus.liquibase.contexts in src/main/resources/application.yaml');
  });

  it("a Quarkus module's default db/changeLog.xml is found from the root (field: Hyperfoil/Horreum's horreum-backend), and replayed", async () => {
    const p = project({
      'pom.xml': QUARKUS_POM,
      'backend/src/main/resources/application.properties': 'quarkus.datasource.db-kind=postgresql\nquarkus.liquibase.migrate-at-start=true\n',
      'backend/src/main/resources/db/changeLog.xml': '<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">\n  <changeSet id="1" author="a">\n    <sql>CREATE TABLE accounts (id bigint PRIMARY KEY);</sql>\n  </changeSet>\n</databaseChangeLog>\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('backend/src/main/resources/db');
    expect(resolved.runner.name).toBe('liquibase');
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.accounts (');
  });

  it('Micronaut liquibase.datasources.default.change-log and default-schema', () => {
    const p = project({
      'build.gradle': MICRONAUT_BUILD,
      'src/main/resources/application.yml': 'liquibase:\n  datasources:\n    default:\n      change-log: classpath:db/liquibase-changelog.xml\n      default-schema: billing\n',
      'src/main/resources/db/liquibase-changelog.xml': '<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"></databaseChangeLog>\n',
    });
    const master = findMaster(path.join(p.root, 'src/main/resources/db'), p.root, {});
    expect(relative(p.root, master!.file)).toBe('src/main/resources/db/liquibase-changelog.xml');
    expect(master?.setting).toBe('liquibase.datasources.default.change-log in src/main/resources/application.yml');
    expect(master?.settings.defaultSchema?.value).toBe('billing');
  });
});
