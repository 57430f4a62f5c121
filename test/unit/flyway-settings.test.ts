import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveProject } from '../../src/config/project.js';
import { detectLayout } from '../../src/commands/init.js';
import { flywayPlaceholderSettings } from '../../src/runners/flyway-placeholders.js';
import { readFlywaySettings } from '../../src/runners/flyway-settings.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Where Flyway's settings come from in the layouts Spring Boot and Flyway projects use: Spring Boot's
 * spring.flyway.enabled, spring.config.import and relaxed environment binding (spring-projects/spring-boot@c329ffa:
 * FlywayAutoConfiguration, external-config.adoc, SystemEnvironmentPropertyMapper), multi-module builds, and
 * flyway.toml's per-environment flyway tables and FLYWAY_LOCATIONS (flyway/flyway@c5e20fc: ClassicConfiguration
 * getEnvironmentOverrides, ConfigUtils). No database: what the project resolves to.
 */
const project = tempProjects();
const V1 = 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n';
const relative = (root: string, folder: string) => path.relative(root, folder).split(path.sep).join('/');

const saved: Record<string, string | undefined> = {};
function setEnv(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!(name in saved)) saved[name] = process.env[name];
    process.env[name] = value;
  }
}
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
    delete saved[name];
  }
});

describe('spring.flyway.enabled=false', () => {
  it('is a notice (Spring Boot does not run Flyway), naming the setting and a profile that turns it on', () => {
    const p = project({
      'src/main/resources/application.yml': 'spring:\n  flyway:\n    enabled: false\n',
      'src/main/resources/application-local.yml': 'spring:\n  flyway:\n    enabled: true\n',
      'src/main/resources/db/migration/V1__init.sql': V1,
    });
    const notices = resolveProject({ cwd: p.root }).runner.notices ?? [];
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('spring.flyway.enabled in src/main/resources/application.yml is false: Spring Boot does not run Flyway');
    expect(notices[0]).toContain('profile local turns it on');
    setEnv({ SPRING_PROFILES_ACTIVE: 'local' });
    expect(resolveProject({ cwd: p.root }).runner.notices).toBeUndefined();
  });

  it('SPRING_FLYWAY_ENABLED=false in the environment does it too; enabled (the default) says nothing', () => {
    const p = project({ 'src/main/resources/application.properties': 'spring.flyway.schemas=app\n', 'src/main/resources/db/migration/V1__init.sql': V1 });
    expect(resolveProject({ cwd: p.root }).runner.notices).toBeUndefined();
    setEnv({ SPRING_FLYWAY_ENABLED: 'false' });
    expect(resolveProject({ cwd: p.root }).runner.notices?.[0]).toContain('SPRING_FLYWAY_ENABLED in the environment is false');
  });
});

describe('spring.config.import', () => {
  it('an imported file\'s spring.flyway.* count, over the importing file (optional:classpath:, a relative path, a list)', () => {
    const p = project({
      'src/main/resources/application.yml': 'spring:\n  config:\n    import:\n      - optional:classpath:flyway.yml\n      - optional:classpath:missing.yml\n  flyway:\n    table: from_application\n    schemas: from_application\n',
      'src/main/resources/flyway.yml': 'spring:\n  config:\n    import: more/extra.properties\n  flyway:\n    schemas: billing\n',
      'src/main/resources/more/extra.properties': 'spring.flyway.placeholders.owner=app_owner\n',
      'src/main/resources/db/migration/V1__init.sql': V1,
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(resolved.runner.bookkeeping).toEqual(['billing.from_application']);
    const folder = path.join(p.root, 'src/main/resources/db/migration');
    expect(flywayPlaceholderSettings(folder, { projectRoot: p.root, env: {} }).values.get('owner')).toBe('app_owner');
  });

  it('a profile file that imports another, and the imported file\'s -<profile> variant', () => {
    const p = project({
      'src/main/resources/application-staging.properties': 'spring.config.import=classpath:application-prod.properties,classpath:db.properties\n',
      'src/main/resources/application-prod.properties': 'spring.flyway.default-schema=prod\n',
      'src/main/resources/db-staging.properties': 'spring.flyway.table=staging_history\n',
      'src/main/resources/db/migration/V1__init.sql': V1,
    });
    const folder = path.join(p.root, 'src/main/resources/db/migration');
    const settings = readFlywaySettings(folder, { projectRoot: p.root, env: { SPRING_PROFILES_ACTIVE: 'staging' } });
    expect(settings.get('flyway.defaultSchema')).toBe('prod');
    expect(settings.get('flyway.table')).toBe('staging_history');
    expect(readFlywaySettings(folder, { projectRoot: p.root, env: {} }).get('flyway.defaultSchema')).toBeUndefined();
  });
});

describe('multi-module Maven/Gradle builds', () => {
  const modules = {
    'pom.xml': '<project/>\n',
    'api/src/main/resources/application.yml': 'server:\n  port: 8080\n',
    'service/src/main/resources/application.properties': 'spring.flyway.locations=classpath:db/pg\nspring.flyway.schemas=svc\n',
    'service/src/main/resources/db/pg/V1__init.sql': V1,
  };

  it('a module\'s spring.flyway.locations names the migrations (check, dump and init alike), with its settings', async () => {
    const p = project(modules);
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('service/src/main/resources/db/pg');
    expect(resolved.runner.bookkeeping).toEqual(['svc.flyway_schema_history']);
    const detected = await detectLayout(p.root);
    expect(detected).toMatchObject({ migrations: 'service/src/main/resources/db/pg', migrationsFromRunnerSettings: true, migrationCount: 1, runner: 'flyway' });
  });

  it('--migrations <module folder> reads that module\'s application', () => {
    const p = project({ ...modules, 'service/src/main/resources/db/pg/V1__init.sql': V1 });
    const resolved = resolveProject({ cwd: p.root, migrations: path.join(p.root, 'service/src/main/resources/db/pg') });
    expect(resolved.runner.bookkeeping).toEqual(['svc.flyway_schema_history']);
  });

  it('filesystem: is the module\'s folder when it is there (spring-boot:run runs in the module), else the root\'s', () => {
    const p = project({
      'backend/src/main/resources/application.properties': 'spring.flyway.locations=filesystem:sql/postgresql\nspring.flyway.default-schema=shop\n',
      'backend/sql/postgresql/V1__init.sql': V1,
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('backend/sql/postgresql');
    expect(resolved.runner.bookkeeping).toEqual(['shop.flyway_schema_history']);
    const atRoot = project({
      'app/src/main/resources/application.properties': 'spring.flyway.locations=filesystem:app/src/main/resources/db/migration\n',
      'app/src/main/resources/db/migration/V1__init.sql': V1,
    });
    expect(relative(atRoot.root, resolveProject({ cwd: atRoot.root }).migrationsDir)).toBe('app/src/main/resources/db/migration');
  });

  it('a classpath: location another module holds (a migrations module on the classpath)', () => {
    const p = project({
      'app/src/main/resources/application.yml': 'spring:\n  flyway:\n    locations: classpath:db/schema\n    table: app_history\n',
      'db/src/main/resources/db/schema/V1__init.sql': V1,
    });
    expect(relative(p.root, resolveProject({ cwd: p.root }).migrationsDir)).toBe('db/src/main/resources/db/schema');
  });

  it('a Spring Modulith application: classpath:db is every module\'s db/ (one history), with the application\'s settings and the module config it imports (field: Aionn-Ecommerce-Platform/aionn-modulith-backend)', () => {
    const p = project({
      'settings.gradle.kts': 'include("app", "modules:catalog", "modules:identity")\n',
      'app/src/main/resources/application.yml': 'spring:\n  config:\n    import:\n      - classpath:application-identity.yml\n  flyway:\n    enabled: ${FLYWAY_ENABLED:false}\n    locations: classpath:db\n',
      'app/src/main/resources/application-local.yml': 'spring:\n  flyway:\n    enabled: true\n',
      'modules/identity/src/main/resources/application-identity.yml': 'spring:\n  flyway:\n    schemas: shop\n',
      'modules/identity/src/main/resources/db/V1.0__init_identity.sql': V1,
      'modules/catalog/src/main/resources/db/V2.0__init_catalog.sql': 'CREATE TABLE products (id bigint PRIMARY KEY);\n',
      'modules/catalog/src/main/resources/db-demo/V900__demo.sql': 'INSERT INTO products VALUES (1);\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    const found = resolved.runner.discover(resolved.migrationsDir, { projectRoot: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('modules');
    expect(found.migrations.map((m) => m.name)).toEqual(['identity/src/main/resources/db/V1.0__init_identity.sql', 'catalog/src/main/resources/db/V2.0__init_catalog.sql']);
    expect(resolved.runner.bookkeeping).toEqual(['shop.flyway_schema_history']);
    expect(resolved.runner.notices?.[0]).toContain('spring.flyway.enabled in app/src/main/resources/application.yml is false');
    // one module's folder named on the command line still reads the application's settings
    const one = resolveProject({ cwd: p.root, migrations: path.join(p.root, 'modules/catalog/src/main/resources/db') });
    expect(one.runner.bookkeeping).toEqual(['shop.flyway_schema_history']);
    expect(one.runner.notices?.[0]).toContain('profile local turns it on');
    setEnv({ FLYWAY_ENABLED: 'true' });
    expect(resolveProject({ cwd: p.root }).runner.notices).toBeUndefined();
  });

  it('two modules naming locations are an error naming both', () => {
    const p = project({
      ...modules,
      'billing/src/main/resources/application.properties': 'spring.flyway.locations=classpath:db/billing\n',
      'billing/src/main/resources/db/billing/V1__init.sql': V1,
    });
    expect(() => resolveProject({ cwd: p.root })).toThrow(/several applications \(Spring Boot, Quarkus, Micronaut\) have Flyway migrations: billing\/src\/main\/resources \(billing\/src\/main\/resources\/db\/billing\); service\/src\/main\/resources/);
  });

  it('one module naming locations and another application with migrations in Spring Boot\'s default db/migration: an error naming both, not a silent pick', () => {
    const p = project({
      ...modules,
      'billing/src/main/resources/application.yml': 'server:\n  port: 8081\n',
      'billing/src/main/resources/db/migration/V1__init.sql': V1,
    });
    expect(() => resolveProject({ cwd: p.root })).toThrow(/several applications \(Spring Boot, Quarkus, Micronaut\) have Flyway migrations: service\/src\/main\/resources \(service\/src\/main\/resources\/db\/pg\); billing\/src\/main\/resources \(billing\/src\/main\/resources\/db\/migration\)/);
  });
});

describe('flyway.toml [environments.<name>.flyway]', () => {
  const toml = [
    '[flyway]',
    'environment = "prod"',
    'locations = ["filesystem:sql"]',
    'table = "history"',
    '',
    '[flyway.placeholders]',
    'owner = "dev_owner"',
    'region = "eu"',
    '',
    '[environments.prod]',
    'url = "jdbc:postgresql://db/prod"',
    'schemas = ["prod_s"]',
    '',
    '[environments.prod.flyway]',
    'table = "prod_history"',
    'locations = ["filesystem:sql/prod"]',
    '',
    '[environments.prod.flyway.placeholders]',
    'owner = "prod_owner"',
    '',
    '[environments.dev.flyway]',
    'table = "dev_history"',
    '',
  ].join('\n');

  it('the selected environment\'s flyway settings win over [flyway] (and FLYWAY_TABLE); its placeholders replace the map', () => {
    const p = project({ 'flyway.toml': toml, 'sql/prod/V1__init.sql': V1, 'sql/V1__other.sql': V1 });
    const settings = readFlywaySettings(p.root, { projectRoot: p.root, env: { FLYWAY_TABLE: 'env_history' } });
    expect(settings.get('flyway.table')).toBe('prod_history');
    expect(settings.get('flyway.locations')).toBe('filesystem:sql/prod');
    const placeholders = flywayPlaceholderSettings(p.root, { projectRoot: p.root, env: {} }).values;
    expect(placeholders.get('owner')).toBe('prod_owner');
    expect(placeholders.has('region')).toBe(false);
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('sql/prod');
    expect(resolved.runner.bookkeeping).toEqual(['prod_s.prod_history']);
  });

  it('FLYWAY_ENVIRONMENT chooses another environment; one without a flyway table keeps [flyway]', () => {
    const p = project({ 'flyway.toml': toml, 'sql/V1__init.sql': V1 });
    expect(readFlywaySettings(p.root, { projectRoot: p.root, env: { FLYWAY_ENVIRONMENT: 'dev' } }).get('flyway.table')).toBe('dev_history');
    const other = readFlywaySettings(p.root, { projectRoot: p.root, env: { FLYWAY_ENVIRONMENT: 'test' } });
    expect(other.get('flyway.table')).toBe('history');
    expect(other.get('flyway.placeholders.region')).toBe('eu');
  });

  it('reads TOML as TOML (smol-toml): a multi-line string, a literal string, booleans; invalid TOML is an input error at its line and column', () => {
    const p = project({
      'flyway.toml': "[flyway]\ntable = '''\nhistory'''\nvalidateMigrationNaming = true\nplaceholders.\"a.b\" = 'x\\y'\n",
      'sql/V1__init.sql': V1,
    });
    const settings = readFlywaySettings(p.root, { projectRoot: p.root, env: {} });
    expect([settings.get('flyway.table'), settings.get('flyway.validateMigrationNaming'), settings.get('flyway.placeholders.a.b')]).toEqual(['history', 'true', 'x\\y']);
    const broken = project({ 'flyway.toml': '[flyway]\ntable = "history"\ntable = "again"\n', 'sql/V1__init.sql': V1 });
    expect(() => readFlywaySettings(broken.root, { projectRoot: broken.root, env: {} })).toThrow(/^flyway\.toml:3:\d+: not valid TOML \(.+\): Flyway reads its settings there$/);
  });
});

describe('flyway.toml without the selected environment', () => {
  const toml = (environments: string) => `[flyway]\nlocations = [ "filesystem:migrations" ]\n\n${environments}`;
  const V1_IN_SCHEMA = 'CREATE TABLE IF NOT EXISTS condominio.tipo_entidad (id integer PRIMARY KEY);\n';
  it('other environments listing schemas are a notice naming them and FLYWAY_ENVIRONMENT (field: Mandroide/condominiospostgreedb, a Flyway Desktop project)', () => {
    const p = project({ 'flyway.toml': toml('[environments.localhost]\nurl = "jdbc:postgresql://localhost:5432/condomDB"\nschemas = [ "condominio" ]\n'), 'migrations/V001__init.sql': V1_IN_SCHEMA });
    const resolved = resolveProject({ cwd: p.root });
    expect(resolved.runner.bookkeeping).toEqual(['public.flyway_schema_history']);
    expect(resolved.runner.notices).toEqual([
      'flyway.toml has no [environments.default], the environment Flyway connects to (FLYWAY_ENVIRONMENT or environment in [flyway] names another), so the replay sets no schemas (the connection\'s schema, public); [environments.localhost] lists schemas = condominio: to replay with that environment\'s, run pgdrift with FLYWAY_ENVIRONMENT=localhost',
    ]);
    // chosen as the notice says: its schemas apply, and nothing is said
    setEnv({ FLYWAY_ENVIRONMENT: 'localhost' });
    const chosen = resolveProject({ cwd: p.root });
    expect(chosen.runner.bookkeeping).toEqual(['condominio.flyway_schema_history']);
    expect(chosen.runner.notices).toBeUndefined();
  });
  it('nothing to say when the selected environment is there, when the others list only public, or when schemas is set in [flyway]', () => {
    const withDefault = project({ 'flyway.toml': toml('[environments.default]\nuser = "postgres"\n\n[environments.prod]\nschemas = ["app"]\n'), 'migrations/V1__init.sql': V1 });
    expect(resolveProject({ cwd: withDefault.root }).runner.notices).toBeUndefined();
    const onlyPublic = project({ 'flyway.toml': toml('[environments.development]\nschemas = ["public"]\n'), 'migrations/V1__init.sql': V1 });
    expect(resolveProject({ cwd: onlyPublic.root }).runner.notices).toBeUndefined();
    const inFlyway = project({ 'flyway.toml': '[flyway]\nlocations = ["filesystem:migrations"]\nschemas = ["app"]\n\n[environments.prod]\nschemas = ["other"]\n', 'migrations/V1__init.sql': V1 });
    expect(resolveProject({ cwd: inFlyway.root }).runner.notices).toBeUndefined();
  });
});

describe('the Flyway CLI default location', () => {
  it('conf/flyway.conf (or flyway.toml) without locations: the CLI\'s default folder sql (field: hello_flyway_postgres)', () => {
    const p = project({ 'conf/flyway.conf': 'flyway.url=jdbc:postgresql://db:5432/app\nflyway.user=postgres\n', 'sql/V0.001__create_table.sql': V1, 'docs/notes.sql': 'SELECT 1;\n' });
    const resolved = resolveProject({ cwd: p.root });
    expect(resolved.runner.name).toBe('flyway');
    expect(relative(p.root, resolved.migrationsDir)).toBe('sql');
    const toml = project({ 'flyway.toml': '[environments.default]\nurl = "jdbc:postgresql://localhost/app"\n', 'sql/V1__init.sql': V1 });
    expect(relative(toml.root, resolveProject({ cwd: toml.root }).migrationsDir)).toBe('sql');
    // no Flyway configuration: sql/ is nobody's default, and nothing is guessed
    const plain = project({ 'sql/V1__init.sql': V1 });
    expect(() => resolveProject({ cwd: plain.root })).toThrow(/no migrations folder found/);
  });
});

describe('wildcard locations', () => {
  it('filesystem:./db/migration/*.sql reads db/migration (Location.processRawPath); files the pattern leaves out there are an error naming them (field: espoon-voltti/luontotieto etl)', () => {
    const p = project({ 'flyway.conf': 'flyway.locations=filesystem:./db/migration/*.sql\n', 'db/migration/V1__init.sql': V1, 'db/migration/V2__more.sql': V1 });
    expect(relative(p.root, resolveProject({ cwd: p.root }).migrationsDir)).toBe('db/migration');
    p.write('db/migration/old/V3__old.sql', V1);
    expect(() => resolveProject({ cwd: p.root })).toThrow(/is a wildcard location \(\.\/db\/migration\/\*\.sql\): Flyway reads only the files of db\/migration\/ it matches.*old\/V3__old\.sql/);
    // `**` takes the whole tree
    p.write('flyway.conf', 'flyway.locations=filesystem:db/**/*.sql\n');
    expect(relative(p.root, resolveProject({ cwd: p.root }).migrationsDir)).toBe('db');
  });
});

describe('settings from the environment', () => {
  it('FLYWAY_LOCATIONS names the migrations, as Flyway reads it', () => {
    const p = project({ 'sql/pg/V1__init.sql': V1, 'sql/mysql/V1__init.sql': V1 });
    setEnv({ FLYWAY_LOCATIONS: 'filesystem:sql/pg' });
    expect(relative(p.root, resolveProject({ cwd: p.root }).migrationsDir)).toBe('sql/pg');
  });

  it('SPRING_FLYWAY_* binds as Spring\'s relaxed binding does, over the application files', () => {
    const p = project({
      'src/main/resources/application.properties': 'spring.flyway.locations=classpath:db/migration\nspring.flyway.schemas=app\n',
      'src/main/resources/db/migration/V1__init.sql': V1,
      'src/main/resources/db/other/V1__init.sql': V1,
    });
    const folder = path.join(p.root, 'src/main/resources/db/migration');
    const settings = readFlywaySettings(folder, {
      projectRoot: p.root,
      env: { SPRING_FLYWAY_LOCATIONS: 'classpath:db/other', SPRING_FLYWAY_DEFAULT_SCHEMA: 'core', SPRING_FLYWAY_SCHEMAS_0: 'core', SPRING_FLYWAY_SCHEMAS_1: 'audit', SPRING_FLYWAY_PLACEHOLDERS_OWNER_ROLE: 'x' },
    });
    expect(settings.get('flyway.locations')).toBe('classpath:db/other');
    expect(settings.get('flyway.defaultSchema')).toBe('core');
    expect(settings.get('flyway.schemas')).toBe('core,audit');
    expect(settings.get('flyway.placeholders.owner.role')).toBe('x');
    expect(readFlywaySettings(folder, { projectRoot: p.root, env: { SPRING_FLYWAY_SQLMIGRATIONPREFIX: 'M' } }).get('flyway.sqlMigrationPrefix')).toBe('M');
    setEnv({ SPRING_FLYWAY_LOCATIONS: 'classpath:db/other' });
    expect(relative(p.root, resolveProject({ cwd: p.root }).migrationsDir)).toBe('src/main/resources/db/other');
  });
});

describe('Spring YAML keys with no value', () => {
  it('an empty placeholder value is the empty string, as Spring Boot reads it (field: navikt/tilleggsstonader-sak ignoreIfProd:)', () => {
    // application.yml gives `ignoreIfProd:` no value outside prod (application-prod.yml sets `--`): V2 starts with
    // ${ignoreIfProd}; OriginTrackedYamlLoader makes the null scalar "", so Flyway replaces it with nothing
    const p = project({
      'src/main/resources/application.yml': 'spring:\n  flyway:\n    enabled: true\n    placeholders:\n      ignoreIfProd:\n      other: ~\n',
      'src/main/resources/application-prod.yml': 'spring:\n  flyway:\n    placeholders:\n      ignoreIfProd: --\n',
      'src/main/resources/db/migration/V1__init.sql': '${ignoreIfProd} CREATE TABLE t (id int);\n',
    });
    const folder = path.join(p.root, 'src/main/resources/db/migration');
    const values = flywayPlaceholderSettings(folder, { projectRoot: p.root, env: {} }).values;
    expect(values.get('ignoreifprod') ?? values.get('ignoreIfProd')).toBe('');
    expect(values.get('other')).toBe('');
    const prod = flywayPlaceholderSettings(folder, { projectRoot: p.root, env: { SPRING_PROFILES_ACTIVE: 'prod' } }).values;
    expect(prod.get('ignoreifprod') ?? prod.get('ignoreIfProd')).toBe('--');
  });
});

// Field sweep (branch field-drift): an application.yml that is not valid YAML (an unclosed `[`, a duplicate key)
// was read as far as the YAML library recovers it: `locations: [a` plus a mis-indented line gave the locations `a`,
// and the run went on from a folder Spring Boot never reads, since Spring Boot does not start on such a file
// (OriginTrackedYamlLoader: SnakeYAML throws, with allowDuplicateKeys false). It is now an input error at its line
// and column; a profile's file Spring Boot does not load is still not read strictly.
describe('an application.yml that is not valid YAML', () => {
  it('is an input error at its file, line and column, as Spring Boot refuses it', () => {
    const unclosed = project({
      'src/main/resources/application.yml': 'spring:\n  flyway:\n    locations: [classpath:db/a\n   schemas: x\n',
      'src/main/resources/db/migration/V1__init.sql': V1,
    });
    const folder = path.join(unclosed.root, 'src/main/resources/db/migration');
    expect(() => readFlywaySettings(folder, { projectRoot: unclosed.root, env: {} })).toThrow(
      /^src\/main\/resources\/application\.yml:4:4: not valid YAML \(Flow sequence in block collection must be sufficiently indented and end with a \]\): Spring Boot reads the Flyway settings there, and does not start$/,
    );
    const duplicate = project({
      'src/main/resources/application.yml': 'spring:\n  flyway:\n    schemas: a\n    schemas: b\n',
      'src/main/resources/db/migration/V1__init.sql': V1,
    });
    expect(() => resolveProject({ cwd: duplicate.root })).toThrow(/^src\/main\/resources\/application\.yml:4:5: not valid YAML \(Map keys must be unique\)/);
  });

  it('in the file of a profile that is not active, it is not read', () => {
    const p = project({
      'src/main/resources/application.yml': 'spring:\n  flyway:\n    schemas: billing\n',
      'src/main/resources/application-other.yml': 'spring: [\n',
      'src/main/resources/db/migration/V1__init.sql': V1,
    });
    const folder = path.join(p.root, 'src/main/resources/db/migration');
    expect(readFlywaySettings(folder, { projectRoot: p.root, env: {} }).get('flyway.schemas')).toBe('billing');
    expect(() => readFlywaySettings(folder, { projectRoot: p.root, env: { SPRING_PROFILES_ACTIVE: 'other' } })).toThrow(/^src\/main\/resources\/application-other\.yml:2:1: not valid YAML/);
  });
});

describe('Spring Boot 1.x: flyway.* without the spring. prefix', () => {
  // spring-boot 1.5.x FlywayProperties and the Flyway bean are bound with @ConfigurationProperties(prefix = "flyway")
  const pom = (version: string) => `<?xml version="1.0"?>\n<project>\n  <modelVersion>4.0.0</modelVersion>\n  <parent>\n    <groupId>org.springframework.boot</groupId>\n    <artifactId>spring-boot-starter-parent</artifactId>\n    <version>${version}</version>\n  </parent>\n  <artifactId>app</artifactId>\n</project>\n`;
  const application = 'flyway.locations=classpath:db/pg\nflyway.schemas=app\nflyway.enabled=true\nspring.flyway.schemas=ignored\n';

  it('a Spring Boot 1.x build (starter parent, BOM property, Gradle plugin) reads flyway.locations, flyway.schemas...; its Flyway 3 history table is schema_version', () => {
    const files = { 'src/main/resources/application.properties': application, 'src/main/resources/db/pg/V1__init.sql': V1 };
    const maven = project({ ...files, 'pom.xml': pom('1.5.22.RELEASE') });
    const resolved = resolveProject({ cwd: maven.root });
    expect(relative(maven.root, resolved.migrationsDir)).toBe('src/main/resources/db/pg');
    expect(resolved.runner.bookkeeping).toEqual(['app.schema_version']);
    const gradle = project({ ...files, 'build.gradle': "buildscript {\n  ext { springBootVersion = '1.5.9.RELEASE' }\n  dependencies { classpath(\"org.springframework.boot:spring-boot-gradle-plugin:${springBootVersion}\") }\n}\napply plugin: 'org.springframework.boot'\n" });
    expect(resolveProject({ cwd: gradle.root }).runner.bookkeeping).toEqual(['app.schema_version']);
    // a module of a multi-module build whose root pom sets the version in a property of its BOM import
    const bom = '<project><modelVersion>4.0.0</modelVersion><properties><spring-boot.version>1.5.4.RELEASE</spring-boot.version></properties><dependencyManagement><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-dependencies</artifactId><version>${spring-boot.version}</version><type>pom</type><scope>import</scope></dependency></dependencies></dependencyManagement></project>\n';
    const module = project({ 'pom.xml': bom, 'service/pom.xml': '<project><artifactId>service</artifactId></project>\n', 'service/src/main/resources/application.yml': 'flyway:\n  table: history\n  schemas: svc\n', 'service/src/main/resources/db/migration/V1__init.sql': V1 });
    expect(resolveProject({ cwd: module.root }).runner.bookkeeping).toEqual(['svc.history']);
  });

  it('Spring Boot 2+ (or a build that does not say) reads spring.flyway.* only, as before', () => {
    const files = { 'src/main/resources/application.properties': application, 'src/main/resources/db/migration/V1__init.sql': V1 };
    expect(resolveProject({ cwd: project({ ...files, 'pom.xml': pom('2.7.18') }).root }).runner.bookkeeping).toEqual(['ignored.flyway_schema_history']);
    expect(resolveProject({ cwd: project(files).root }).runner.bookkeeping).toEqual(['ignored.flyway_schema_history']);
  });

  it('a build that does not say its version, with flyway.* keys and no spring.flyway.* one: read as 2.x+, and a notice says so', () => {
    const legacyOnly = 'flyway.locations=classpath:db/pg\nflyway.schemas=app\n';
    const files = { 'src/main/resources/application.properties': legacyOnly, 'src/main/resources/db/migration/V1__init.sql': V1 };
    const notices = resolveProject({ cwd: project(files).root }).runner.notices ?? [];
    expect(notices.join('\n')).toContain('flyway.locations in src/main/resources/application.properties, flyway.schemas in src/main/resources/application.properties: Spring Boot 1.x reads flyway.* keys');
    // a build that says 2.x, or one that says 1.x, is no assumption
    expect(resolveProject({ cwd: project({ ...files, 'pom.xml': pom('2.7.18') }).root }).runner.notices ?? []).toEqual([]);
    expect(resolveProject({ cwd: project({ ...files, 'pom.xml': pom('1.5.22.RELEASE'), 'src/main/resources/db/pg/V1__init.sql': V1 }).root }).runner.notices ?? []).toEqual([]);
  });

  it('flyway.enabled=false of a 1.x application is the notice spring.flyway.enabled=false gives', () => {
    const p = project({ 'pom.xml': pom('1.5.22.RELEASE'), 'src/main/resources/application.yml': 'flyway:\n  enabled: false\n', 'src/main/resources/application-local.yml': 'flyway:\n  enabled: true\n', 'src/main/resources/db/migration/V1__init.sql': V1 });
    const notices = resolveProject({ cwd: p.root }).runner.notices ?? [];
    expect(notices[0]).toContain('flyway.enabled in src/main/resources/application.yml is false: Spring Boot does not run Flyway');
    expect(notices[0]).toContain('profile local turns it on');
  });
});

describe('the project\'s flyway CLI commands', () => {
  // field: FoxComm/highlander middlewarehouse, `FLYWAY=flyway -configFile=sql/flyway.conf -locations=filesystem:sql/`
  // in its Makefile, `$(FLYWAY) migrate` (and a test database's config in a second recipe): no folder was found
  const makefile = 'FLYWAY=flyway -configFile=sql/flyway.conf -locations=filesystem:sql/\nFLYWAY_TEST=flyway -configFile=sql/flyway.test.conf -locations=filesystem:sql/\n\nmigrate:\n\t$(FLYWAY) migrate\n\nmigrate-test:\n\t$(FLYWAY_TEST) migrate\n';
  const files = {
    'sql/flyway.conf': 'flyway.url=jdbc:postgresql://localhost/app_development\nflyway.schemas=app\n',
    'sql/flyway.test.conf': 'flyway.url=jdbc:postgresql://localhost/app_test\nflyway.schemas=app\n',
    'sql/V1__init.sql': V1,
  };

  it('-locations and the -configFile(s) files of `flyway ... migrate` in a Makefile or justfile recipe or a package.json script, after a cd too; the settings the commands agree on', () => {
    const p = project({ ...files, Makefile: makefile });
    const resolved = resolveProject({ cwd: p.root });
    expect([resolved.runner.name, relative(p.root, resolved.migrationsDir)]).toEqual(['flyway', 'sql']);
    expect(resolved.runner.bookkeeping).toEqual(['app.flyway_schema_history']);
    expect(resolved.runner.notices).toBeUndefined();
    // a recipe run after a cd: its relative location is the cd's folder's
    const script = project({ 'db/sql/V1__init.sql': V1, Makefile: 'migrate:\n\tcd db && flyway -locations=filesystem:sql -schemas=app -url=jdbc:postgresql://localhost/app migrate\n' });
    const fromScript = resolveProject({ cwd: script.root });
    expect([relative(script.root, fromScript.migrationsDir), fromScript.runner.bookkeeping]).toEqual(['db/sql', ['app.flyway_schema_history']]);
    // a package.json script after a cd too (npm runs it with sh -c in the package's folder)
    const npm = project({ 'db/sql/V1__init.sql': V1, 'package.json': JSON.stringify({ scripts: { migrate: 'cd db && flyway -locations=filesystem:sql -schemas=app migrate' } }) });
    expect(relative(npm.root, resolveProject({ cwd: npm.root }).migrationsDir)).toBe('db/sql');
    // the arguments win over flyway.conf and FLYWAY_* variables, as the CLI reads them
    setEnv({ FLYWAY_SCHEMAS: 'from_env' });
    const args = project({ 'flyway.conf': 'flyway.schemas=from_conf\nflyway.locations=filesystem:other\n', 'sql/V1__init.sql': V1, 'other/V1__x.sql': V1, justfile: 'migrate:\n    flyway -schemas=from_args -locations=filesystem:sql migrate\n' });
    const fromArgs = resolveProject({ cwd: args.root });
    expect([relative(args.root, fromArgs.migrationsDir), fromArgs.runner.bookkeeping]).toEqual(['sql', ['from_args.flyway_schema_history']]);
  });

  it('commands that give a setting differently: that setting is not followed, and a notice names it', () => {
    const p = project({ ...files, 'other/V1__init.sql': V1, Makefile: 'migrate:\n\tflyway -locations=filesystem:sql migrate\nseed:\n\tflyway -locations=filesystem:other migrate\n', 'flyway.conf': 'flyway.locations=filesystem:sql\n' });
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('sql');
    expect(resolved.runner.notices?.[0]).toContain('give different values of flyway.locations: pgdrift followed none of them');
  });
});
