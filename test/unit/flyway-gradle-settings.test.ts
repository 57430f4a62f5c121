import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveProject } from '../../src/config/project.js';
import { InputError } from '../../src/errors.js';
import { flywayPlaceholderSettings } from '../../src/runners/flyway-placeholders.js';
import { readFlywaySettings } from '../../src/runners/flyway-settings.js';
import { tempProjects } from '../helpers/project.js';

/**
 * The Flyway Gradle plugin's settings: the `flyway { }` block of build.gradle / build.gradle.kts, then gradle.properties
 * `flyway.*` over it (flyway/flyway, flyway-gradle-plugin AbstractFlywayTask.createFlywayConfig), then flyway.conf,
 * flyway.toml and FLYWAY_* as before; relative filesystem: locations are the module's folder's. No database: what the
 * project resolves to.
 */
const project = tempProjects();
const V1 = 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n';
const relative = (root: string, folder: string) => path.relative(root, folder).split(path.sep).join('/');
const settingsOf = (root: string, env: Record<string, string> = {}) => readFlywaySettings(root, { projectRoot: root, env });

const GROOVY = `plugins {
    id 'java'
    id 'org.flywaydb.flyway' version '10.20.1'
}

// the database of the dev profile
flyway {
    url = 'jdbc:postgresql://localhost/db'
    user = System.getenv('DB_USER')
    locations = ['filesystem:src/main/resources/db/migration/postgres']
    schemas = ['app', "audit"]
    table = 'schema_history'
    placeholders = ['owner': 'app_owner', region: "eu"]
}
`;

const KOTLIN = `plugins {
    id("org.flywaydb.flyway") version "10.20.1"
}

flyway {
    url = "jdbc:postgresql://localhost/db"
    locations = arrayOf("filesystem:\${project.projectDir}/sql/pg")
    schemas = arrayOf("shop"); table = "history"
    placeholders = mapOf(
        "owner" to "shop_owner",
        "region" to "us",
    )
}
`;

describe('Flyway Gradle plugin settings in build.gradle / build.gradle.kts', () => {
  it('a Groovy block: its locations name the migrations folder, its schemas/table the bookkeeping table', () => {
    const p = project({
      'build.gradle': GROOVY,
      'src/main/resources/db/migration/postgres/V1__init.sql': V1,
      'src/main/resources/db/migration/mysql/V1__init.sql': 'CREATE TABLE accounts (id bigint AUTO_INCREMENT PRIMARY KEY);\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(resolved.runner.name).toBe('flyway');
    expect(relative(p.root, resolved.migrationsDir)).toBe('src/main/resources/db/migration/postgres');
    expect(resolved.runner.bookkeeping).toEqual(['app.schema_history']);
    expect(resolved.runner.notices ?? []).toEqual([]);
  });

  it('a Kotlin block: arrayOf, mapOf, ${project.projectDir}, two assignments on one line', () => {
    const p = project({ 'build.gradle.kts': KOTLIN, 'sql/pg/V1__init.sql': V1 });
    const settings = settingsOf(p.root);
    expect(settings.get('flyway.locations')).toBe(`filesystem:${p.root}/sql/pg`);
    expect(settings.get('flyway.placeholders.owner')).toBe('shop_owner');
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('sql/pg');
    expect(resolved.runner.bookkeeping).toEqual(['shop.history']);
  });

  it('a flyway { } block inside subprojects { } / allprojects { } is not read, and says so (a notice, not silently missing settings)', () => {
    const nestedOnly = project({
      'settings.gradle': "include 'db'\n",
      'build.gradle': "subprojects {\n  apply plugin: 'org.flywaydb.flyway'\n  flyway {\n    table = 'history'\n  }\n}\n",
      'db/build.gradle': "plugins { id 'java' }\n",
      'db/src/main/resources/db/migration/V1__init.sql': V1,
    });
    const resolved = resolveProject({ cwd: nestedOnly.root });
    expect(resolved.runner.notices).toEqual([
      "build.gradle:1 configures Flyway inside subprojects { }, which pgdrift does not read: the replay goes on without those settings; give them in the module's own flyway { } block, gradle.properties (flyway.*=...) or flyway.conf",
    ]);
    // the module's own block is read, and the root's nested one is still named
    const both = project({
      'settings.gradle': "include 'db'\n",
      'build.gradle.kts': 'allprojects {\n    flyway.table = "history"\n}\n',
      'db/build.gradle': "flyway {\n  defaultSchema = 'shop'\n}\n",
      'db/src/main/resources/db/migration/V1__init.sql': V1,
    });
    const own = resolveProject({ cwd: both.root });
    expect(own.runner.bookkeeping).toEqual(['shop.flyway_schema_history']);
    expect(own.runner.notices).toEqual([expect.stringMatching(/^build\.gradle\.kts:1 configures Flyway inside allprojects \{ \}, which pgdrift does not read/)]);
  });

  it('callbackLocations is read (a list, like locations), so flyway.ts takes the callbacks from there', () => {
    const p = project({ 'build.gradle': "flyway {\n  locations = ['filesystem:db/migration']\n  callbackLocations = ['filesystem:db/callbacks', 'filesystem:db/more']\n}\n", 'db/migration/V1__init.sql': V1 });
    expect(settingsOf(p.root).get('flyway.callbackLocations')).toBe('filesystem:db/callbacks,filesystem:db/more');
  });

  it('its placeholders are replaced in the migrations', () => {
    const p = project({ 'build.gradle': GROOVY, 'src/main/resources/db/migration/postgres/V1__init.sql': V1 });
    const placeholders = flywayPlaceholderSettings(path.join(p.root, 'src/main/resources/db/migration/postgres'), { projectRoot: p.root, env: {} });
    expect(placeholders.values.get('owner')).toBe('app_owner');
    expect(placeholders.values.get('region')).toBe('eu');
  });

  it('gradle.properties flyway.* wins over the block, flyway.conf over both, FLYWAY_* over all', () => {
    const p = project({
      'build.gradle': "flyway {\n  table = 'from_block'\n  schemas = ['block']\n  defaultSchema = 'block'\n  locations = ['filesystem:sql/a'] as String[]\n}\n",
      'gradle.properties': 'org.gradle.jvmargs=-Xmx1g\nflyway.table=from_properties\nflyway.defaultSchema=props\n',
      'flyway.conf': 'flyway.defaultSchema=conf\n',
      'sql/a/V1__init.sql': V1,
    });
    const settings = settingsOf(p.root);
    expect(settings.get('flyway.table')).toBe('from_properties');
    expect(settings.get('flyway.schemas')).toBe('block');
    expect(settings.get('flyway.defaultSchema')).toBe('conf');
    expect(settings.get('flyway.locations')).toBe('filesystem:sql/a');
    expect(settingsOf(p.root, { FLYWAY_TABLE: 'from_env' }).get('flyway.table')).toBe('from_env');
  });

  it('a value it cannot evaluate (a variable, a method call) is a notice naming the setting and file, not a silent default', () => {
    const p = project({
      'build.gradle': "def migrations = 'db/pg'\nflyway {\n  locations = [\"filesystem:${migrations}\"]\n  table = historyTable()\n  url = System.getenv('URL')\n}\n",
      'src/main/resources/db/migration/V1__init.sql': V1,
    });
    const settings = settingsOf(p.root);
    expect(settings.has('flyway.locations')).toBe(false);
    expect(settings.has('flyway.table')).toBe(false);
    const notices = resolveProject({ cwd: p.root }).runner.notices ?? [];
    expect(notices).toHaveLength(2);
    expect(notices[0]).toMatch(/^locations in the flyway \{ \} block of build\.gradle:3 is \["filesystem:\$\{migrations\}"\], which pgdrift does not evaluate/);
    expect(notices[1]).toMatch(/^table in the flyway \{ \} block of build\.gradle:4 is historyTable\(\), which pgdrift does not evaluate/);
    // a value set elsewhere over it leaves nothing uncertain
    p.write('gradle.properties', 'flyway.table=history\nflyway.locations=filesystem:src/main/resources/db/migration\n');
    expect(resolveProject({ cwd: p.root }).runner.notices ?? []).toEqual([]);
  });

  it('a naming setting it cannot evaluate is a notice too, and the default naming is kept', () => {
    const p = project({
      'build.gradle': "flyway {\n  sqlMigrationPrefix = prefixFor('pg')\n}\n",
      'src/main/resources/db/migration/V1__init.sql': V1,
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(resolved.runner.notices).toEqual([expect.stringMatching(/^sqlMigrationPrefix in the flyway \{ \} block of build\.gradle:2 is prefixFor\('pg'\)/)]);
    expect(resolved.runner.newMigrationName?.('2', 'add_orders')).toBe('V2__add_orders.sql');
  });

  it("Groovy's $projectDir, file(...), string concatenation and Groovy syntax around the block (slashy strings, comments)", () => {
    const p = project({
      'build.gradle': [
        "def versionPattern = ~/^v(\\d+)'s$/ // an apostrophe in a slashy string",
        '/* flyway { table = "commented_out" } */',
        'flyway {',
        '  locations = ["filesystem:$projectDir/sql/a", "filesystem:" + file(\'sql/b\').absolutePath]',
        "  table 'groovy_call'",
        '  createSchemas false',
        '}',
        '',
      ].join('\n'),
      'sql/a/V1__init.sql': V1,
      'sql/b/V2__more.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY);\n',
    });
    const settings = settingsOf(p.root);
    expect(settings.get('flyway.locations')).toBe(`filesystem:${p.root}/sql/a,filesystem:${p.root}/sql/b`);
    expect(settings.get('flyway.table')).toBe('groovy_call');
    expect(settings.get('flyway.createSchemas')).toBe('false');
  });

  it('the flywayMigrate task block wins over the extension (its placeholders do not); a task of its own is a notice', () => {
    const p = project({
      'build.gradle': [
        "flyway { table = 'from_extension'; schemas = ['ext']; placeholders = [owner: 'from_extension'] }",
        "flywayMigrate { table = 'from_task'; placeholders = [owner: 'from_task', region: 'eu'] }",
        '',
      ].join('\n'),
      'src/main/resources/db/migration/V1__init.sql': V1,
    });
    const settings = settingsOf(p.root);
    expect(settings.get('flyway.table')).toBe('from_task');
    expect(settings.get('flyway.schemas')).toBe('ext');
    expect(settings.get('flyway.placeholders.owner')).toBe('from_extension');
    expect(settings.get('flyway.placeholders.region')).toBe('eu');
    expect(resolveProject({ cwd: p.root }).runner.notices ?? []).toEqual([]);
    p.write('build.gradle.kts', 'tasks.register<org.flywaydb.gradle.task.FlywayMigrateTask>("migrateTenants") {\n  schemas = arrayOf("tenant")\n}\n');
    p.write('build.gradle', "flyway { schemas = ['app'] }\ntask migrateArchive(type: FlywayMigrateTask) {\n  schemas = ['archive']\n}\n");
    expect(resolveProject({ cwd: p.root }).runner.notices).toEqual([
      'build.gradle:2 declares a FlywayMigrateTask migrateArchive: its own settings (not read) win over the flyway { } block when it runs; this replays the flywayMigrate task\'s settings',
    ]);
    expect(settingsOf(p.root).get('flyway.schemas')).toBe('app');
  });

  it("a module's build.gradle: its filesystem: locations are the module's folder, found from the root", () => {
    const p = project({
      'settings.gradle': "rootProject.name = 'shop'\ninclude 'app', 'db'\n",
      'build.gradle': "plugins { id 'java' }\n",
      'app/build.gradle': "plugins { id 'java' }\n",
      'db/build.gradle': "flyway {\n  locations = ['filesystem:src/main/sql']\n  defaultSchema = 'shop'\n}\n",
      'db/src/main/sql/V1__init.sql': V1,
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('db/src/main/sql');
    expect(resolved.runner.bookkeeping).toEqual(['shop.flyway_schema_history']);
  });

  it("a module's block without locations: Flyway's default folder of that module, with the block's schema; flyway.x = outside a block", () => {
    const p = project({
      'settings.gradle': "include 'app', 'db'\n",
      'app/build.gradle': "plugins { id 'java' }\n",
      'db/build.gradle': "plugins { id 'org.flywaydb.flyway' version '10.20.1' }\nflyway.schemas = ['shop']\nflyway {\n  table = 'history'\n}\n",
      'db/src/main/resources/db/migration/V1__init.sql': V1,
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('db/src/main/resources/db/migration');
    expect(resolved.runner.bookkeeping).toEqual(['shop.history']);
  });

  it('two modules configuring the plugin are an error naming both, not a silent pick', () => {
    const p = project({
      'settings.gradle.kts': 'include(":billing", ":orders")\n',
      'billing/build.gradle.kts': 'flyway { locations = arrayOf("filesystem:sql") }\n',
      'orders/build.gradle': "flyway { locations = ['filesystem:sql'] }\n",
      'billing/sql/V1__init.sql': V1,
      'orders/sql/V1__init.sql': V1,
    });
    expect(() => resolveProject({ cwd: p.root })).toThrow(/several Gradle projects configure the Flyway plugin: billing\/build\.gradle\.kts, orders\/build\.gradle/);
  });

  it("a value it cannot evaluate leaves a Spring application's setting in effect, and the notice says so", () => {
    // laa-record-link-service: a Groovy ternary over three lines, and spring.flyway.locations of a profile
    const p = project({
      'build.gradle': "flyway {\n    locations = System.getenv('DEMO') == 'true' ?\n            ['classpath:db/migration', 'classpath:db/demo'] :\n            ['classpath:db/migration']\n}\n",
      'src/main/resources/application.yml': 'spring:\n  flyway:\n    locations: classpath:db/migration,classpath:db/demo\n',
      'src/main/resources/db/migration/V1__init.sql': V1,
      'src/main/resources/db/demo/V2__demo.sql': 'INSERT INTO accounts VALUES (1);\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('src/main/resources/db');
    expect(resolved.runner.notices).toEqual([
      expect.stringMatching(
        /^locations in the flyway \{ \} block of build\.gradle:2 is System\.getenv\('DEMO'\) == 'true' \? \['classpath:db\/migration', 'classpath:db\/demo'\] : \['classpath:db\/migration'\], which pgdrift does not evaluate.*\(spring\.flyway\.locations in src\/main\/resources\/application\.yml applies\)$/,
      ),
    ]);
  });

  it('a module whose filesystem: location is a folder outside it configures that folder (app/build.gradle.kts, ../db)', () => {
    const p = project({
      'settings.gradle.kts': 'include("app", "lib")\n',
      'app/build.gradle.kts': 'flyway {\n    schemas = arrayOf("sandbox", "family")\n    locations = arrayOf("filesystem:../db")\n}\n',
      'lib/build.gradle.kts': 'plugins { java }\n',
      'db/migration/V1__init.sql': 'CREATE TABLE sandbox.hello (id int);\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('db');
    expect(resolved.runner.bookkeeping).toEqual(['sandbox.flyway_schema_history']);
  });

  it("a convention plugin of buildSrc that the module applies configures the module's extension (playground-java)", () => {
    const p = project({
      'settings.gradle.kts': 'include("app", "lib")\n',
      'buildSrc/build.gradle.kts': 'plugins { `kotlin-dsl` }\n',
      'buildSrc/src/main/kotlin/playground.flyway-conventions.gradle.kts':
        'plugins {\n    id("org.flywaydb.flyway")\n}\n\nflyway {\n    schemas = arrayOf("sandbox", "id")\n    locations = arrayOf("filesystem:../db")\n}\n',
      'app/build.gradle.kts': 'plugins {\n    id("playground.java-conventions")\n    id("playground.flyway-conventions")\n}\n',
      'lib/build.gradle.kts': 'plugins { id("playground.java-conventions") }\n',
      'db/migration/V1__init.sql': 'CREATE TABLE sandbox.hello (id int);\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('db');
    expect(resolved.runner.bookkeeping).toEqual(['sandbox.flyway_schema_history']);
    // the module's own block runs after the plugin's: it wins
    p.write('app/build.gradle.kts', 'plugins { id("playground.flyway-conventions") }\nflyway { table = "history" }\n');
    expect(resolveProject({ cwd: p.root }).runner.bookkeeping).toEqual(['sandbox.history']);
  });

  it('a build file without a flyway block changes nothing; an unterminated string is an input error naming the file', () => {
    const plain = project({ 'build.gradle': "plugins { id 'java' }\n", 'src/main/resources/db/migration/V1__init.sql': V1 });
    expect(settingsOf(plain.root).size).toBe(0);
    const broken = project({ 'build.gradle': "flyway {\n  table = 'oops\n}\n", 'src/main/resources/db/migration/V1__init.sql': V1 });
    expect(() => settingsOf(broken.root)).toThrow(InputError);
    expect(() => settingsOf(broken.root)).toThrow(/^build\.gradle:2: unterminated string/);
  });
});
