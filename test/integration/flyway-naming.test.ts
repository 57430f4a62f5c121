import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { lint } from '../../src/commands/lint.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { runCli } from '../helpers/cli.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Flyway's naming settings (flyway/flyway@c5e20fc ResourceNameParser.java, ClassicConfiguration.java) as a project sets
 * them, end to end: detection, the replay and lint follow them.
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

const resources = 'src/main/resources';

describe('a Spring application with spring.flyway.sql-migration-prefix= (empty): field report OpenLMIS/openlmis-referencedata', () => {
  const files = {
    [`${resources}/application.properties`]: 'spring.flyway.schemas=referencedata\nspring.flyway.sql-migration-prefix=\n',
    [`${resources}/db/migration/20170206205240748__initial_schema.sql`]: 'CREATE TABLE facilities (id uuid PRIMARY KEY, name text NOT NULL);\n',
    [`${resources}/db/migration/20170301120000000__add_code.sql`]: 'ALTER TABLE facilities ADD COLUMN code text;\n',
  };

  it('is detected as Flyway by that setting, and replayed as Flyway replays it: in the default schema, with its history table', async () => {
    const p = project(files);
    const notices: string[] = [];
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(notices.join('\n')).toContain(
      `runner flyway detected in ${resources}/db/migration/: Flyway migration names by spring.flyway.sql-migration-prefix in ${resources}/application.properties`,
    );
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file.split('/').pop())).toEqual([
      '20170206205240748__initial_schema.sql',
      '20170301120000000__add_code.sql',
    ]);
    expect(result.sql).toContain('CREATE TABLE referencedata.facilities (');
    expect(result.sql).toContain('code text');
    expect(result.sql).toContain('CREATE TABLE referencedata.flyway_schema_history (');
  });

  it('with --runner flyway the files are migrations, not skipped names; lint\'s file-name takes them', async () => {
    const p = project(files);
    const notices: string[] = [];
    const result = await lint({ cwd: p.root, runner: 'flyway', today: '2026-01-01', onNotice: (m) => notices.push(m) });
    expect(notices.join('\n')).not.toContain('not a Flyway migration name');
    expect(result.filesLinted).toBe(2);
    expect(result.findings.filter((f) => f.rule === 'file-name')).toEqual([]);
  });
});

describe('spring.flyway.sql-migration-suffixes=${spring.jpa.database}.sql (eclipse-hawkbit\'s vendor suffixes)', () => {
  const files = {
    [`${resources}/application.properties`]: 'spring.flyway.sql-migration-suffixes=${spring.jpa.database}.sql\n',
    [`${resources}/db/migration/V1_0_1__init___POSTGRESQL.sql`]: 'CREATE TABLE targets (id bigint PRIMARY KEY);\n',
    [`${resources}/db/migration/V1_0_1__init___H2.sql`]: 'CREATE TABLE targets (id IDENTITY PRIMARY KEY);\n',
  };

  it('with the database named in the environment, only that vendor\'s files are replayed', async () => {
    const p = project(files);
    process.env.SPRING_JPA_DATABASE = 'POSTGRESQL';
    try {
      const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
      expect(result.report.migrationFailures).toEqual([]);
      expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file.split('/').pop())).toEqual(['V1_0_1__init___POSTGRESQL.sql']);
    } finally {
      delete process.env.SPRING_JPA_DATABASE;
    }
  });

  it('with nothing to resolve it: one clear input error naming the setting and the file (exit 2), not every vendor\'s files', async () => {
    const p = project(files);
    const result = await runCli(['dump', '-C', p.root, '--engine', 'pglite', '--no-cache'], { env: { SPRING_JPA_DATABASE: undefined } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `spring.flyway.sql-migration-suffixes in ${resources}/application.properties is \${spring.jpa.database}.sql: nothing gives \${spring.jpa.database} a value`,
    );
    expect(result.stderr).toContain('SPRING_JPA_DATABASE=<value> in the environment');
  });
});

describe('a Flyway CLI project: the naming in flyway.conf at the project root', () => {
  it('detection, the replay and lint read it there, not beside the migrations folder', async () => {
    const p = project({
      'flyway.conf': 'flyway.sqlMigrationPrefix=M\nflyway.sqlMigrationSeparator=-\nflyway.sqlMigrationSuffixes=.pgsql\n',
      'db/migration/M1-accounts.pgsql': 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n',
      'db/migration/M2-more.pgsql': 'ALTER TABLE accounts ADD COLUMN name text;\n',
    });
    const notices: string[] = [];
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(notices.join('\n')).toContain('runner flyway detected in db/migration/: Flyway migration names by flyway.sqlMigrationPrefix in flyway.conf, flyway.sqlMigrationSeparator in flyway.conf, flyway.sqlMigrationSuffixes in flyway.conf');
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['db/migration/M1-accounts.pgsql', 'db/migration/M2-more.pgsql']);
    expect(result.sql).toContain('name text');
    const linted = await lint({ cwd: p.root, today: '2026-01-01' });
    expect(linted.filesLinted).toBe(2);
    expect(linted.findings.filter((f) => f.rule === 'file-name')).toEqual([]);
  });
});
