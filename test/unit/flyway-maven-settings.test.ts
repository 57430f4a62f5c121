import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveProject } from '../../src/config/project.js';
import { InputError } from '../../src/errors.js';
import { flywayPlaceholderSettings } from '../../src/runners/flyway-placeholders.js';
import { readFlywaySettings } from '../../src/runners/flyway-settings.js';
import { tempProjects } from '../helpers/project.js';

/**
 * The Flyway Maven plugin's settings in a pom.xml (flyway/flyway, flyway-maven-plugin AbstractFlywayMojo.execute:
 * plugin parameters, then the project's `flyway.*` properties over them, then FLYWAY_* variables; relative
 * filesystem: locations are the pom's folder's). No database: what the project resolves to.
 */
const project = tempProjects();
const V1 = 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n';
const relative = (root: string, folder: string) => path.relative(root, folder).split(path.sep).join('/');

function pom(configuration: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  ${extra}
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <configuration><release>21</release></configuration>
      </plugin>
      <plugin>
        <groupId>org.flywaydb</groupId>
        <artifactId>flyway-maven-plugin</artifactId>
        <version>10.20.1</version>
        <configuration>${configuration}</configuration>
      </plugin>
    </plugins>
  </build>
</project>
`;
}

describe('Flyway Maven plugin settings in pom.xml', () => {
  it('its locations name the migrations folder and its schemas/table the bookkeeping table', () => {
    const p = project({
      'pom.xml': pom('<locations><location>filesystem:src/main/sql/postgres</location></locations><schemas><schema>app</schema><schema>audit</schema></schemas><table>schema_history</table>'),
      'src/main/sql/postgres/V1__init.sql': V1,
      'src/main/sql/mysql/V1__init.sql': 'CREATE TABLE accounts (id bigint AUTO_INCREMENT PRIMARY KEY);\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(resolved.runner.name).toBe('flyway');
    expect(relative(p.root, resolved.migrationsDir)).toBe('src/main/sql/postgres');
    expect(resolved.runner.bookkeeping).toEqual(['app.schema_history']);
  });

  it('<callbackLocations> is a list parameter, comma-joined as <locations> is', () => {
    const p = project({
      'pom.xml': pom('<locations><location>filesystem:db/migration</location></locations><callbackLocations><callbackLocation>filesystem:db/callbacks</callbackLocation><callbackLocation>filesystem:db/more</callbackLocation></callbackLocations>'),
      'db/migration/V1__init.sql': V1,
    });
    expect(readFlywaySettings(p.root, { projectRoot: p.root, env: {} }).get('flyway.callbackLocations')).toBe('filesystem:db/callbacks,filesystem:db/more');
  });

  it('a flyway.* property of the project wins over the plugin parameter; ${project.basedir} and properties are resolved', () => {
    const p = project({
      'pom.xml': pom(
        '<locations><location>filesystem:${project.basedir}/${migrations.folder}</location></locations><table>from_plugin</table>',
        '<properties><migrations.folder>db/pg</migrations.folder><flyway.table>from_properties</flyway.table></properties>',
      ),
      'db/pg/V1__init.sql': V1,
    });
    const settings = readFlywaySettings(p.root, { projectRoot: p.root, env: {} });
    expect(settings.get('flyway.table')).toBe('from_properties');
    expect(settings.get('flyway.locations')).toBe(`filesystem:${p.root}/db/pg`);
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('db/pg');
    expect(resolved.runner.bookkeeping).toEqual(['public.from_properties']);
  });

  it('FLYWAY_LOCATIONS in the environment wins over the pom.xml', () => {
    const p = project({ 'pom.xml': pom('<locations><location>filesystem:sql/a</location></locations>'), 'sql/a/V1__init.sql': V1, 'sql/b/V1__init.sql': V1 });
    expect(readFlywaySettings(p.root, { projectRoot: p.root, env: { FLYWAY_LOCATIONS: 'filesystem:sql/b' } }).get('flyway.locations')).toBe('filesystem:sql/b');
    expect(readFlywaySettings(p.root, { projectRoot: p.root, env: {} }).get('flyway.locations')).toBe('filesystem:sql/a');
  });

  it('its placeholders are replaced in the migrations', () => {
    const p = project({
      'pom.xml': pom('<placeholders><owner>app_owner</owner><region>eu</region></placeholders><placeholderPrefix>#{</placeholderPrefix>'),
      'src/main/resources/db/migration/V1__init.sql': V1,
    });
    const placeholders = flywayPlaceholderSettings(path.join(p.root, 'src/main/resources/db/migration'), { projectRoot: p.root, env: {} });
    expect(placeholders.values.get('owner')).toBe('app_owner');
    expect(placeholders.values.get('region')).toBe('eu');
    expect(readFlywaySettings(p.root, { projectRoot: p.root, env: {} }).get('flyway.placeholderPrefix')).toBe('#{');
  });

  it('a module\'s pom.xml: its filesystem: locations are the module\'s folder, found from the root', () => {
    const p = project({
      'pom.xml': '<project><modules><module>app</module><module>db</module></modules></project>\n',
      'app/pom.xml': '<project><artifactId>app</artifactId></project>\n',
      'db/pom.xml': pom('<locations><location>filesystem:src/main/sql</location></locations><defaultSchema>shop</defaultSchema>'),
      'db/src/main/sql/V1__init.sql': V1,
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('db/src/main/sql');
    expect(resolved.runner.bookkeeping).toEqual(['shop.flyway_schema_history']);
  });

  it('two modules configuring the plugin are an error naming both, not a silent pick', () => {
    const p = project({
      'pom.xml': '<project><modules><module>billing</module><module>orders</module></modules></project>\n',
      'billing/pom.xml': pom('<locations><location>filesystem:sql</location></locations>'),
      'orders/pom.xml': pom('<locations><location>filesystem:sql</location></locations>'),
      'billing/sql/V1__init.sql': V1,
      'orders/sql/V1__init.sql': V1,
    });
    expect(() => resolveProject({ cwd: p.root })).toThrow(/several Maven modules configure the flyway-maven-plugin: billing\/pom\.xml, orders\/pom\.xml/);
  });

  it('one execution\'s <configuration> counts; executions that disagree keep only what they agree on', () => {
    const executions = (a: string, b?: string) =>
      pom('', '').replace(
        '<configuration></configuration>',
        `<executions><execution><id>a</id><configuration>${a}</configuration></execution>${b ? `<execution><id>b</id><configuration>${b}</configuration></execution>` : ''}</executions>`,
      );
    const one = project({ 'pom.xml': executions('<table>one</table>'), 'src/main/resources/db/migration/V1__init.sql': V1 });
    expect(readFlywaySettings(one.root, { projectRoot: one.root, env: {} }).get('flyway.table')).toBe('one');
    const two = project({ 'pom.xml': executions('<table>one</table><schemas><schema>s</schema></schemas>', '<table>two</table><schemas><schema>s</schema></schemas>'), 'src/main/resources/db/migration/V1__init.sql': V1 });
    const settings = readFlywaySettings(two.root, { projectRoot: two.root, env: {} });
    expect(settings.has('flyway.table')).toBe(false);
    expect(settings.get('flyway.schemas')).toBe('s');
  });

  it('a pom.xml without the plugin changes nothing; one that is not XML is an input error naming it', () => {
    const plain = project({ 'pom.xml': '<project><artifactId>x</artifactId></project>\n', 'src/main/resources/db/migration/V1__init.sql': V1 });
    expect(readFlywaySettings(plain.root, { projectRoot: plain.root, env: {} }).size).toBe(0);
    const broken = project({ 'pom.xml': '<project><build><plugins><plugin><artifactId>flyway-maven-plugin</artifactId><configuration><table>x</configuration></plugin></plugins></build></project>\n', 'src/main/resources/db/migration/V1__init.sql': V1 });
    let error: unknown;
    try {
      readFlywaySettings(broken.root, { projectRoot: broken.root, env: {} });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^pom\.xml:1:\d+: not valid XML/);
  });

  it('a ${...} nothing resolves leaves the setting out, as Flyway would fail on it', () => {
    const p = project({ 'pom.xml': pom('<table>${history.table}</table>'), 'src/main/resources/db/migration/V1__init.sql': V1 });
    expect(readFlywaySettings(p.root, { projectRoot: p.root, env: {} }).has('flyway.table')).toBe(false);
  });
});

describe('a pom.xml that only manages the plugin', () => {
  it('its flyway.* properties count (mvn flyway:migrate resolves the plugin from <pluginManagement>; field: ptrsoft/ptr-cmdb-service)', () => {
    const p = project({
      'pom.xml': `<project>
  <properties><flyway.locations>filesystem:dbscript</flyway.locations><flyway.schemas>cmdb</flyway.schemas></properties>
  <build><pluginManagement><plugins><plugin><groupId>org.flywaydb</groupId><artifactId>flyway-maven-plugin</artifactId><version>9.8.1</version></plugin></plugins></pluginManagement></build>
</project>
`,
      'dbscript/V1__init.sql': V1,
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('dbscript');
    expect(resolved.runner.bookkeeping).toEqual(['cmdb.flyway_schema_history']);
  });
});

describe('a module inherits its parent pom\'s plugin configuration and properties', () => {
  it('the parent\'s <pluginManagement> configuration and properties count under the module\'s own, named where they are set', () => {
    const parent = `<project>
  <modules><module>db</module></modules>
  <properties><schema.name>shop</schema.name></properties>
  <build><pluginManagement><plugins><plugin>
    <groupId>org.flywaydb</groupId><artifactId>flyway-maven-plugin</artifactId>
    <configuration><schemas><schema>\${schema.name}</schema></schemas><table>parent_history</table><locations><location>filesystem:src/main/sql</location></locations></configuration>
  </plugin></plugins></pluginManagement></build>
</project>
`;
    const module = `<project>
  <parent><groupId>x</groupId><artifactId>parent</artifactId><version>1</version></parent>
  <build><plugins><plugin><groupId>org.flywaydb</groupId><artifactId>flyway-maven-plugin</artifactId>
    <configuration><table>module_history</table></configuration>
  </plugin></plugins></build>
</project>
`;
    const p = project({ 'pom.xml': parent, 'db/pom.xml': module, 'db/src/main/sql/V1__init.sql': V1 });
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('db/src/main/sql');
    expect(resolved.runner.bookkeeping).toEqual(['shop.module_history']);
    const settings = readFlywaySettings(path.join(p.root, 'db/src/main/sql'), { projectRoot: p.root, env: {} });
    expect(settings.get('flyway.schemas')).toBe('shop');
    // a parent only in a repository (<relativePath/>) is not read
    const detached = project({ 'pom.xml': parent, 'db/pom.xml': module.replace('<version>1</version>', '<version>1</version><relativePath/>'), 'db/src/main/sql/V1__init.sql': V1 });
    expect(readFlywaySettings(path.join(detached.root, 'db/src/main/sql'), { projectRoot: detached.root, env: {} }).has('flyway.schemas')).toBe(false);
  });
});

describe('Maven profiles that configure Flyway', () => {
  const withProfiles = `<project>
  <build><plugins><plugin><groupId>org.flywaydb</groupId><artifactId>flyway-maven-plugin</artifactId>
    <configuration><locations><location>filesystem:sql/common</location></locations></configuration>
  </plugin></plugins></build>
  <profiles>
    <profile><id>local</id><activation><activeByDefault>true</activeByDefault></activation>
      <properties><flyway.schemas>local_app</flyway.schemas></properties>
    </profile>
    <profile><id>live</id>
      <build><plugins><plugin><groupId>org.flywaydb</groupId><artifactId>flyway-maven-plugin</artifactId>
        <configuration><locations><location>filesystem:sql/live</location></locations><schemas><schema>live_app</schema></schemas></configuration>
      </plugin></plugins></build>
    </profile>
  </profiles>
</project>
`;
  const files = { 'pom.xml': withProfiles, 'sql/common/V1__init.sql': V1, 'sql/live/V1__init.sql': V1 };

  it('one active by default counts; the others are a notice naming them and how to choose one', () => {
    const p = project(files);
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('sql/common');
    expect(resolved.runner.bookkeeping).toEqual(['local_app.flyway_schema_history']);
    expect(resolved.runner.notices).toEqual([expect.stringContaining('Maven profiles that are not active configure Flyway: pom.xml (live)')]);
    expect(resolved.runner.notices?.[0]).toContain('MAVEN_ARGS=-P<id>');
  });

  it('MAVEN_ARGS=-Plive chooses that profile (and turns off the one active by default), as mvn -Plive does', () => {
    const p = project(files);
    const settings = readFlywaySettings(p.root, { projectRoot: p.root, env: { MAVEN_ARGS: '-B -Plive' } });
    expect(settings.get('flyway.locations')).toBe('filesystem:sql/live');
    expect(settings.get('flyway.schemas')).toBe('live_app');
    expect(readFlywaySettings(p.root, { projectRoot: p.root, env: { MAVEN_ARGS: '-P !local' } }).has('flyway.schemas')).toBe(false);
  });
});

describe('a skipped plugin (<skip>true</skip>, flyway.skip) runs no migration', () => {
  // flyway-maven-plugin AbstractFlywayMojo.execute returns on skip ("Skipping Flyway execution") before reading a
  // location. Field: zeitwert/fm-server, whose parent's <pluginManagement> skips it and whose fm-domain module sets
  // <skip>false</skip> with its locations; the fm-server module names the plugin too and inherits the skip.
  const parent = `<project>
  <modules><module>domain</module><module>server</module></modules>
  <build><pluginManagement><plugins><plugin>
    <groupId>org.flywaydb</groupId><artifactId>flyway-maven-plugin</artifactId>
    <configuration><skip>true</skip><url>jdbc:postgresql://localhost/app</url></configuration>
  </plugin></plugins></pluginManagement></build>
</project>
`;
  const module = (configuration: string) => `<project>
  <parent><groupId>x</groupId><artifactId>parent</artifactId><version>1</version></parent>
  <build><plugins><plugin><groupId>org.flywaydb</groupId><artifactId>flyway-maven-plugin</artifactId>${configuration}</plugin></plugins></build>
</project>
`;

  it('a module that inherits the skip is no candidate: the one that turns it back on is the history', () => {
    const p = project({
      'pom.xml': parent,
      'domain/pom.xml': module('<configuration><skip>false</skip><locations><location>filesystem:src/main/resources/db/V1/base</location><location>filesystem:src/main/resources/db/V1/upgrade</location></locations></configuration>'),
      'server/pom.xml': module(''),
      'domain/src/main/resources/db/V1/base/V1__init.sql': V1,
      'domain/src/main/resources/db/V1/upgrade/V2__more.sql': 'ALTER TABLE accounts ADD COLUMN name text;\n',
      'domain/src/main/resources/db/V1/demo/R__demo.sql': 'INSERT INTO accounts VALUES (1);\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('domain/src/main/resources/db/V1');
    expect(readFlywaySettings(p.root, { projectRoot: p.root, env: {} }).get('flyway.locations')).toBe('filesystem:src/main/resources/db/V1/base,filesystem:src/main/resources/db/V1/upgrade');
  });

  it('a skipped plugin gives no settings; a flyway.skip property skips it unless <skip> says otherwise', () => {
    const skippedByConfiguration = project({ 'pom.xml': pom('<skip>true</skip><table>maven_history</table>'), 'src/main/resources/db/migration/V1__init.sql': V1 });
    expect(readFlywaySettings(skippedByConfiguration.root, { projectRoot: skippedByConfiguration.root, env: {} }).has('flyway.table')).toBe(false);
    const skippedByProperty = project({ 'pom.xml': pom('<table>maven_history</table>', '<properties><flyway.skip>true</flyway.skip></properties>'), 'src/main/resources/db/migration/V1__init.sql': V1 });
    expect(readFlywaySettings(skippedByProperty.root, { projectRoot: skippedByProperty.root, env: {} }).has('flyway.table')).toBe(false);
    const configurationWins = project({ 'pom.xml': pom('<skip>${skip.it}</skip><table>maven_history</table>', '<properties><skip.it>false</skip.it><flyway.skip>true</flyway.skip></properties>'), 'src/main/resources/db/migration/V1__init.sql': V1 });
    expect(readFlywaySettings(configurationWins.root, { projectRoot: configurationWins.root, env: {} }).get('flyway.table')).toBe('maven_history');
  });
});
