import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { lint } from '../../src/commands/lint.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * The database Flyway migrates is named by its JDBC URL: `flyway.url` (flyway.conf, FLYWAY_URL, the Maven plugin's
 * `<url>`), `spring.flyway.url`, else the Spring application's DataSource, `spring.datasource.url`
 * (FlywayAutoConfiguration). When it is MySQL, MariaDB, Oracle... the files are written for that database, and the
 * folder is refused as not PostgreSQL, as for Prisma's provider or drizzle's dialect. Field: ukon1990/wow-auction-engine
 * (jdbc:mariadb:, backquoted names) and IMG-LTD/MMMail (jdbc:mysql:) gave 23-24 syntax errors each, as if the history
 * were broken.
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

const MYSQL_V1 = 'CREATE TABLE `item` (`id` int NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`));\n';

describe('Flyway migrations for another database', () => {
  it('spring.datasource.url of the application names MariaDB: dump and lint refuse the folder, naming the setting', async () => {
    const p = project({
      'src/main/resources/application.yml': 'spring:\n  datasource:\n    url: "${DB_URL:jdbc:mariadb://localhost:59000/dbo?serverTimezone=UTC}"\n',
      'src/main/resources/db/migration/V1__items.sql': MYSQL_V1,
    });
    await expect(dump({ cwd: p.root, engine: 'pglite', noCache: true })).rejects.toThrow(
      'spring.datasource.url in src/main/resources/application.yml connects Flyway to a MariaDB database (jdbc:mariadb://localhost:59000/dbo): these are MariaDB migrations, not PostgreSQL ones',
    );
    await expect(lint({ cwd: p.root })).rejects.toThrow('not PostgreSQL ones');
  });

  it('the Maven plugin\'s <url> counts; a PostgreSQL spring.flyway.url wins over a MySQL DataSource; H2 is left alone', async () => {
    const maven = project({
      'pom.xml': '<project><build><plugins><plugin><groupId>org.flywaydb</groupId><artifactId>flyway-maven-plugin</artifactId><configuration><url>jdbc:mysql://localhost/app</url></configuration></plugin></plugins></build></project>\n',
      'src/main/resources/db/migration/V1__items.sql': MYSQL_V1,
    });
    await expect(dump({ cwd: maven.root, engine: 'pglite', noCache: true })).rejects.toThrow('connects Flyway to a MySQL database');
    // flyway.toml keeps the URL in the environment Flyway connects to (Flyway Desktop's projects)
    const toml = project({
      'flyway.toml': '[environments.default]\nurl = "jdbc:sqlserver://localhost;databaseName=app"\n\n[environments.pg]\nurl = "jdbc:postgresql://localhost/app"\n\n[flyway]\nlocations = ["filesystem:migrations"]\n',
      'migrations/V1__items.sql': 'CREATE TABLE [dbo].[items] ([id] int NOT NULL);\n',
    });
    await expect(dump({ cwd: toml.root, engine: 'pglite', noCache: true })).rejects.toThrow('url in flyway.toml connects Flyway to a SQL Server database');
    // no default environment, each of them SQL Server (field: RG-AutoPilot/Flyway-AutoPilot-FastTrack, development/shadow/Prod/Test)
    const desktop = project({
      'flyway.toml': '[environments.development]\nurl = "jdbc:sqlserver://localhost;databaseName=Dev"\n\n[environments.shadow]\nurl = "jdbc:sqlserver://localhost;databaseName=Shadow"\n\n[flyway]\nlocations = ["filesystem:migrations"]\n',
      'migrations/V1__items.sql': 'CREATE TABLE [dbo].[items] ([id] int NOT NULL);\n',
    });
    await expect(dump({ cwd: desktop.root, engine: 'pglite', noCache: true })).rejects.toThrow('connects Flyway to a SQL Server database');
    const V1 = 'CREATE TABLE items (id int PRIMARY KEY);\n';
    for (const application of [
      'spring.datasource.url=jdbc:mysql://localhost/app\nspring.flyway.url=jdbc:postgresql://localhost/app\n',
      'spring.datasource.url=jdbc:h2:mem:test;MODE=PostgreSQL\n',
      'spring.datasource.url=${DATABASE_URL}\n',
    ]) {
      const p = project({ 'src/main/resources/application.properties': application, 'src/main/resources/db/migration/V1__items.sql': V1 });
      const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
      expect(result.sql).toContain('CREATE TABLE public.items (');
    }
  });
});
