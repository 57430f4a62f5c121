import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { resolveProject } from '../../src/config/project.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { resetWorkCount, workCount } from '../../src/util/work-count.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field: JHipster applications keep their master changelog in src/main/resources/config/liquibase/master.xml, named
 * in Java code (5Heinzelmann/iteratec-teamdojo's DatabaseConfiguration: liquibase.setChangeLog("classpath:config/
 * liquibase/master.xml"), a SpringLiquibase bean that replaces Spring Boot's auto-configured one) or by the
 * liquibase-maven-plugin as ${project.basedir}/src/main/resources/config/liquibase/master.xml (AMC-Software-Solution/
 * amcCarePlanner). pgdrift found no migrations folder in either. Their `defaultValueDate="${now}"` with now =
 * current_timestamp is a function for Liquibase (ColumnConfig.setDefaultValueDate), and amcCarePlanner runs on MySQL.
 */
const project = tempProjects();
beforeAll(() => loadSqlParser());

const MASTER = `<?xml version="1.0" encoding="utf-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
    <property name="now" value="now()" dbms="h2"/>
    <property name="now" value="current_timestamp" dbms="postgresql"/>
    <include file="config/liquibase/changelog/00000000000000_initial_schema.xml" relativeToChangelogFile="false"/>
</databaseChangeLog>
`;
const INITIAL = `<?xml version="1.0" encoding="utf-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
    <changeSet id="00000000000001" author="jhipster">
        <createTable tableName="jhi_user">
            <column name="id" type="bigint"><constraints primaryKey="true" nullable="false"/></column>
            <column name="created_date" type="timestamp" defaultValueDate="\${now}"><constraints nullable="false"/></column>
            <column name="reset_date" type="timestamp" defaultValueDate="2020-01-01T00:00:00"/>
        </createTable>
    </changeSet>
</databaseChangeLog>
`;
const JAVA = `package org.acme.config;
public class DatabaseConfiguration {
    public SpringLiquibase liquibase() {
        SpringLiquibase liquibase = new SpringLiquibase();
        liquibase.setChangeLog("classpath:config/liquibase/master.xml");
        return liquibase;
    }
}
`;
const files = (extra: Record<string, string>) => ({
  'src/main/resources/config/application.yml': 'spring:\n  application:\n    name: app\n',
  'src/main/resources/config/liquibase/master.xml': MASTER,
  'src/main/resources/config/liquibase/changelog/00000000000000_initial_schema.xml': INITIAL,
  ...extra,
});
const relative = (root: string, folder: string) => path.relative(root, folder).split(path.sep).join('/');

describe('JHipster Liquibase layouts', () => {
  it('a SpringLiquibase bean in the code names the master; defaultValueDate that is no ISO date is a function', async () => {
    const p = project(files({ 'build.gradle': "plugins { id 'org.springframework.boot' version '3.2.0' }\n", 'src/main/java/org/acme/config/DatabaseConfiguration.java': JAVA }));
    const resolved = resolveProject({ cwd: p.root });
    expect(relative(p.root, resolved.migrationsDir)).toBe('src/main/resources/config/liquibase');
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    // current_timestamp is Liquibase's current date-time function, which PostgresDatabase writes NOW()
    expect(result.sql).toContain('created_date timestamp without time zone DEFAULT now() NOT NULL');
    expect(result.sql).toContain("reset_date timestamp without time zone DEFAULT '2020-01-01 00:00:00'::timestamp without time zone");
  });

  it('one command walks the code for a SpringLiquibase bean once (findMaster runs for discovery, forProject and the configured folders); an edit is seen by the next command', async () => {
    const p = project(files({ 'build.gradle': "plugins { id 'org.springframework.boot' version '3.2.0' }\n", 'src/main/java/org/acme/config/DatabaseConfiguration.java': JAVA }));
    const java = path.join(p.root, 'src/main/java');
    resetWorkCount();
    const first = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(first.sql).toContain('CREATE TABLE public.jhi_user (');
    expect(workCount.foldersWalked.get(java)).toBe(1);
    // the bean now names another master: the walk kept from the first command is stale, and walked again
    writeFileSync(path.join(p.root, 'src/main/resources/config/liquibase/other.xml'), MASTER.replace(/<include[^>]*>/, '<changeSet id="o" author="a"><sql>CREATE TABLE other (id int)</sql></changeSet>'));
    writeFileSync(path.join(p.root, 'src/main/java/org/acme/config/DatabaseConfiguration.java'), JAVA.replace('config/liquibase/master.xml', 'config/liquibase/other.xml'));
    resetWorkCount();
    const second = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(second.sql).toContain('CREATE TABLE public.other (');
    expect(workCount.foldersWalked.get(java)).toBe(1);
  });

  it("the liquibase-maven-plugin's <changeLogFile> with ${project.basedir}", () => {
    const pom = '<project><build><plugins><plugin><groupId>org.liquibase</groupId><artifactId>liquibase-maven-plugin</artifactId><configuration><changeLogFile>${project.basedir}/src/main/resources/config/liquibase/master.xml</changeLogFile></configuration></plugin></plugins></build></project>\n';
    const p = project(files({ 'pom.xml': pom }));
    expect(relative(p.root, resolveProject({ cwd: p.root }).migrationsDir)).toBe('src/main/resources/config/liquibase');
  });

  it('profiles whose spring.datasource.url names MySQL (and H2), none PostgreSQL: not a PostgreSQL project', async () => {
    const p = project(
      files({
        'src/main/java/org/acme/config/DatabaseConfiguration.java': JAVA,
        'src/main/resources/config/application-dev.yml': 'spring:\n  datasource:\n    url: jdbc:h2:file:./target/h2db/db/app\n',
        'src/main/resources/config/application-prod.yml': 'spring:\n  datasource:\n    url: jdbc:mysql://localhost:3306/app?useSSL=false\n',
      }),
    );
    await expect(dump({ cwd: p.root, engine: 'pglite', noCache: true })).rejects.toThrow('spring.datasource.url in src/main/resources/config/application-prod.yml connects the application to a MySQL database (jdbc:mysql://localhost:3306/app), and no profile');
    // one profile on PostgreSQL: replayed
    const both = project(
      files({
        'src/main/java/org/acme/config/DatabaseConfiguration.java': JAVA,
        'src/main/resources/config/application-prod.yml': 'spring:\n  datasource:\n    url: jdbc:mysql://localhost:3306/app\n',
        'src/main/resources/config/application-pg.yml': 'spring:\n  datasource:\n    url: jdbc:postgresql://localhost:5432/app\n',
      }),
    );
    expect((await dump({ cwd: both.root, engine: 'pglite', noCache: true })).report.migrationFailures).toEqual([]);
  });
});
