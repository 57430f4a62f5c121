import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { lint } from '../../src/commands/lint.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * The database Flyway migrates, when its JDBC URL does not say it plainly. Field (JVM sweep):
 * DuncanCasteleyn/DiscordModBot runs H2 in MySQL mode (`spring.datasource.url=jdbc:h2:file:./discordModBot;MODE=MySQL`,
 * flyway-mysql in its build): H2 then accepts MySQL's dialect, the one the migrations are written in (h2database
 * Mode.java); 12 files failed on backquotes as if the history were broken. North-Sea-Transition-Authority/
 * pipeline-works-authorisations sets `spring.datasource.url=${database.url}` (given by a deployment) and
 * `spring.datasource.driver-class-name=oracle.jdbc.OracleDriver` (Spring's FlywayAutoConfiguration.configureDataSource
 * takes spring.flyway.driver-class-name, else the DataSource's): 256 files failed (NUMBER, Oracle placeholders).
 * Quarkus names the database with `quarkus.datasource.db-kind`, often with no URL at all (Dev Services).
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

const MYSQL_V1 = 'CREATE TABLE `guild` (`id` bigint NOT NULL, PRIMARY KEY (`id`));\n';
const ORACLE_V1 = 'CREATE TABLE org_groups (id NUMBER PRIMARY KEY, name VARCHAR2(4000));\n';
const V1 = 'CREATE TABLE items (id int PRIMARY KEY);\n';

describe('Flyway migrations for another database, named by an H2 mode, a driver class or a Quarkus db-kind', () => {
  it('H2 in MySQL mode: refused as MySQL migrations', async () => {
    const p = project({
      'src/main/resources/application.properties': 'spring.datasource.url=jdbc:h2:file:./bot;MODE=MySQL;DATABASE_TO_LOWER=TRUE\nspring.datasource.driver-class-name=org.h2.Driver\n',
      'src/main/resources/db/migration/V1__Init.sql': MYSQL_V1,
    });
    await expect(dump({ cwd: p.root, engine: 'pglite', noCache: true })).rejects.toThrow(
      'spring.datasource.url in src/main/resources/application.properties connects Flyway to an H2 database in MySQL mode (jdbc:h2:file:./bot): these are MySQL migrations, not PostgreSQL ones',
    );
  });

  it('a URL left to the deployment and an Oracle driver class: refused as Oracle migrations', async () => {
    const p = project({
      'src/main/resources/application.properties':
        'spring.datasource.url=${database.url}\nspring.datasource.driver-class-name=oracle.jdbc.OracleDriver\nspring.flyway.url=${spring.datasource.url}\n',
      'src/main/resources/db/migration/V0.3__Create_org_group_teams.sql': ORACLE_V1,
    });
    await expect(dump({ cwd: p.root, engine: 'pglite', noCache: true })).rejects.toThrow(
      "spring.datasource.driver-class-name in src/main/resources/application.properties (oracle.jdbc.OracleDriver) names Oracle as Flyway's database: these are Oracle migrations, not PostgreSQL ones",
    );
  });

  it('a URL left to the deployment, no driver class, and JPA\'s vendor or dialect: refused (henr1ck/spring-flyway: spring.jpa.database: mysql)', async () => {
    for (const [jpa, shown] of [
      ['  jpa:\n    database: mysql\n', "spring.jpa.database in src/main/resources/application.yml (mysql) names MySQL as Flyway's database"],
      ['  jpa:\n    properties:\n      hibernate:\n        dialect: org.hibernate.dialect.Oracle12cDialect\n', "spring.jpa.properties.hibernate.dialect in src/main/resources/application.yml (org.hibernate.dialect.Oracle12cDialect) names Oracle as Flyway's database"],
    ]) {
      const p = project({
        'src/main/resources/application.yml': `spring:\n  datasource:\n    url: \${DATABASE_URL}\n${jpa}`,
        'src/main/resources/db/migration/V1__initial-migration.sql': 'CREATE TABLE player (id bigint NOT NULL auto_increment, PRIMARY KEY (id));\n',
      });
      await expect(lint({ cwd: p.root })).rejects.toThrow(shown);
    }
    const pg = project({
      'src/main/resources/application.yml': 'spring:\n  datasource:\n    url: ${DATABASE_URL}\n  jpa:\n    database: postgresql\n',
      'src/main/resources/db/migration/V1__items.sql': V1,
    });
    await expect(lint({ cwd: pg.root })).resolves.toBeDefined();
  });

  it('Micronaut: a datasource URL left to the environment and a MySQL driver class: refused', async () => {
    const p = project({
      'build.gradle': "plugins {\n  id 'io.micronaut.application' version '4.4.0'\n}\n",
      'src/main/resources/application.yml': 'datasources:\n  default:\n    url: ${JDBC_URL}\n    driverClassName: com.mysql.cj.jdbc.Driver\nflyway:\n  datasources:\n    default:\n      enabled: true\n',
      'src/main/resources/db/migration/V1__Init.sql': MYSQL_V1,
    });
    await expect(lint({ cwd: p.root })).rejects.toThrow("(com.mysql.cj.jdbc.Driver) names MySQL as Flyway's database");
  });

  it('Quarkus db-kind mysql with no URL: refused', async () => {
    const p = project({
      'pom.xml': '<project><dependencies><dependency><groupId>io.quarkus</groupId><artifactId>quarkus-flyway</artifactId></dependency></dependencies></project>\n',
      'src/main/resources/application.properties': 'quarkus.datasource.db-kind=mysql\nquarkus.flyway.migrate-at-start=true\n',
      'src/main/resources/db/migration/V1__Init.sql': MYSQL_V1,
    });
    await expect(dump({ cwd: p.root, engine: 'pglite', noCache: true })).rejects.toThrow(
      "quarkus.datasource.db-kind in src/main/resources/application.properties (mysql) names MySQL as Flyway's database: these are MySQL migrations, not PostgreSQL ones",
    );
  });

  it('not refused: H2 in PostgreSQL mode, a PostgreSQL or H2 driver, a PostgreSQL URL beside another driver, Quarkus postgresql', async () => {
    for (const [file, text] of [
      ['src/main/resources/application.properties', 'spring.datasource.url=jdbc:h2:mem:t;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE\n'],
      ['src/main/resources/application.properties', 'spring.datasource.url=${DB_URL}\nspring.datasource.driver-class-name=org.postgresql.Driver\n'],
      ['src/main/resources/application.properties', 'spring.datasource.url=jdbc:postgresql://localhost/app\nspring.datasource.driver-class-name=com.mysql.cj.jdbc.Driver\n'],
      ['src/main/resources/application.properties', 'spring.datasource.url=${DB_URL}\nspring.datasource.driver-class-name=org.h2.Driver\n'],
      ['src/main/resources/application.properties', 'quarkus.datasource.db-kind=postgresql\n'],
    ] as const) {
      const p = project({ 'pom.xml': '<project><dependencies><dependency><groupId>io.quarkus</groupId><artifactId>quarkus-flyway</artifactId></dependency></dependencies></project>\n', [file]: text, 'src/main/resources/db/migration/V1__items.sql': V1 });
      await expect(lint({ cwd: p.root })).resolves.toBeDefined();
    }
  });
});
