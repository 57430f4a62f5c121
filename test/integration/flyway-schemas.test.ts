import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { lint } from '../../src/commands/lint.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { runCli } from '../helpers/cli.js';
import { SERVER_URL } from '../helpers/postgres.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Flyway's schemas and session, as flyway-core and flyway-database-postgresql (flyway/flyway@c5e20fc) run a migrate
 * on a new database: the managed schemas (`flyway.schemas`, `flyway.defaultSchema`) are created first
 * (DbSchemas.create), the history table (`flyway.table`) goes into the default schema, and before each migration
 * the role is set back and the search_path set to the default schema first (DbMigrate: restoreOriginalState,
 * changeCurrentSchemaTo). SQL callbacks are not replayed, and say so.
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

const V1 = 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n';

describe('flyway.schemas / defaultSchema / table', () => {
  it('flyway.schemas=app in flyway.conf: the schema is created, unqualified tables and the history table land in it', async () => {
    const p = project({ 'flyway.conf': 'flyway.schemas=app\n', 'db/migration/V1__init.sql': V1 });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE SCHEMA app;');
    expect(result.sql).toContain('CREATE TABLE app.accounts (');
    expect(result.sql).toContain('CREATE TABLE app.flyway_schema_history (');
    expect(result.sql).not.toContain('CREATE TABLE public.');
  });

  it('flyway.toml: the selected environment\'s schemas, and [flyway] table; the history table and its constraint names follow it', async () => {
    const p = project({
      'flyway.toml': '[environments.default]\nurl = "jdbc:postgresql://localhost/db"\nschemas = ["billing", "audit"]\n\n[flyway]\ntable = "schema_log"\n',
      'db/migration/V1__init.sql': V1,
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE SCHEMA audit;');
    expect(result.sql).toContain('CREATE TABLE billing.accounts (');
    expect(result.sql).toContain('CREATE TABLE billing.schema_log (');
    expect(result.sql).toContain('ADD CONSTRAINT schema_log_pk PRIMARY KEY (installed_rank);');
    expect(result.sql).toContain('CREATE INDEX schema_log_s_idx ON billing.schema_log USING btree (success);');
  });

  it('flyway.toml as TOML allows it: an array over several lines, comments, an inline table, dotted keys', async () => {
    const p = project({
      'flyway.toml': [
        '[flyway]',
        'locations = [',
        '  "filesystem:sql/common", # shared',
        "  'filesystem:sql/postgres',",
        ']',
        'placeholders = { owner = "shop_owner", "note" = "a # not a comment", extra = "x" }',
        '',
        '[environments]',
        'default.schemas = [',
        '  "shop",',
        ']',
        '',
      ].join('\n'),
      'sql/common/V1__init.sql': "CREATE TABLE accounts (id bigint PRIMARY KEY, owner text DEFAULT '${owner}', note text DEFAULT '${note}${extra}');\n",
      'sql/postgres/V2__more.sql': 'ALTER TABLE accounts ADD COLUMN name text;\n',
      'sql/mysql/V2__more.sql': 'ALTER TABLE accounts ADD COLUMN name varchar(10) AFTER id;\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['sql/common/V1__init.sql', 'sql/postgres/V2__more.sql']);
    expect(result.sql).toContain('CREATE TABLE shop.accounts (');
    expect(result.sql).toContain("'shop_owner'::text");
    expect(result.sql).toContain("'a # not a commentx'::text");
  });

  it('flyway.conf: ${NAME} takes the environment variable\'s value, or nothing when it is unset (ConfigUtils.expandEnvironmentVariables)', async () => {
    const p = project({
      'flyway.conf': 'flyway.schemas=${PGDRIFT_TEST_APP_SCHEMA}\nflyway.placeholders.suffix=${PGDRIFT_TEST_UNSET_SUFFIX}\n',
      'db/migration/V1__init.sql': "CREATE TABLE accounts (id bigint PRIMARY KEY, note text DEFAULT 'a${suffix}');\n",
    });
    process.env.PGDRIFT_TEST_APP_SCHEMA = 'shop';
    try {
      const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
      expect(result.report.migrationFailures).toEqual([]);
      expect(result.sql).toContain('CREATE TABLE shop.accounts (');
      expect(result.sql).toContain("DEFAULT 'a'::text");
    } finally {
      delete process.env.PGDRIFT_TEST_APP_SCHEMA;
    }
  });

  it('FLYWAY_DEFAULT_SCHEMA from the environment wins over the conf file', async () => {
    const p = project({ 'flyway.conf': 'flyway.schemas=app\n', 'db/migration/V1__init.sql': V1 });
    process.env.FLYWAY_DEFAULT_SCHEMA = 'core';
    try {
      const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
      expect(result.report.migrationFailures).toEqual([]);
      expect(result.sql).toContain('CREATE TABLE core.accounts (');
      expect(result.sql).toContain('CREATE SCHEMA app;'); // still managed, created
    } finally {
      delete process.env.FLYWAY_DEFAULT_SCHEMA;
    }
  });

  it('a migration creating a schema Flyway already created fails as with Flyway (42P06), at its line', async () => {
    const p = project({ 'flyway.conf': 'flyway.schemas=app\n', 'db/migration/V1__init.sql': '-- the schema\nCREATE SCHEMA app;\n' });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['db/migration/V1__init.sql', 2, '42P06']]);
  });

  it('flyway.createSchemas=false: nothing is created, and the history table cannot be (as with Flyway: its schema is missing)', async () => {
    const p = project({ 'flyway.conf': 'flyway.schemas=app\nflyway.createSchemas=false\n', 'db/migration/V1__init.sql': V1 });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['pgdrift:flyway-bookkeeping.sql', '3F000']]);
  });
});

describe('a Spring Boot application (spring.flyway.* next to the migrations in src/main/resources)', () => {
  const migration = 'src/main/resources/db/migration/V1__init.sql';

  it('application.properties: spring.flyway.default-schema, schemas and table (relaxed names, ${VAR:default} values)', async () => {
    const p = project({
      'src/main/resources/application.properties':
        'spring.datasource.url=jdbc:postgresql://localhost/app\nspring.flyway.schemas=${APP_SCHEMA:orders},audit\nspring.flyway.default-schema=orders\nspring.flyway.table=flyway_history\n',
      [migration]: V1,
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE SCHEMA audit;');
    expect(result.sql).toContain('CREATE TABLE orders.accounts (');
    expect(result.sql).toContain('CREATE TABLE orders.flyway_history (');
  });

  it('application.yml: the profile-less document counts (a list of schemas, placeholders); a profile\'s document does not', async () => {
    const p = project({
      'src/main/resources/application.yml': [
        'spring:',
        '  flyway:',
        '    schemas: [shop, audit]',
        '    placeholders:',
        '      owner_role: shop_owner',
        '---',
        'spring:',
        '  config:',
        '    activate:',
        '      on-profile: test',
        '  flyway:',
        '    schemas: test_only',
        '',
      ].join('\n'),
      [migration]: "CREATE TABLE accounts (id bigint PRIMARY KEY, note text DEFAULT '${owner_role}');\n",
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE shop.accounts (');
    expect(result.sql).toContain("'shop_owner'::text");
    expect(result.sql).not.toContain('test_only');
  });

  it('a placeholder whose Spring value names an unset variable: the failure says which variable (field report: hmcts wa-task-management-api)', async () => {
    const p = project({
      'src/main/resources/application.yml': 'spring:\n  flyway:\n    placeholders:\n      dbPrimaryUserName: ${PGDRIFT_TEST_UNSET_USER}\n',
      [migration]: V1 + 'GRANT SELECT ON accounts TO ${dbPrimaryUserName};\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => f.message)).toEqual([
      'Flyway: No value provided for placeholder: ${dbPrimaryUserName} (spring.flyway.placeholders.dbPrimaryUserName in src/main/resources/application.yml is ${PGDRIFT_TEST_UNSET_USER}, and nothing gives ${PGDRIFT_TEST_UNSET_USER} a value: Spring itself would not start)',
    ]);
  });

  it("application.properties: Spring's indexed lists (schemas[0], schemas[1]) and underscore notation (default_schema)", async () => {
    const p = project({
      'src/main/resources/application.properties': 'spring.flyway.schemas[1]=audit\nspring.flyway.schemas[0]=orders\nspring.flyway.default_schema=orders\n',
      [migration]: V1,
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE SCHEMA audit;');
    expect(result.sql).toContain('CREATE TABLE orders.accounts (');
  });

  it('both files set a key: application.properties wins, as Spring Boot documents', async () => {
    const p = project({
      'src/main/resources/application.yml': 'spring:\n  flyway:\n    default-schema: from_yaml\n    schemas: from_yaml\n',
      'src/main/resources/application.properties': 'spring.flyway.default-schema=from_properties\nspring.flyway.schemas=from_properties\n',
      [migration]: V1,
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE from_properties.accounts (');
    expect(result.sql).not.toContain('from_yaml');
  });
});

describe('Spring profiles: which documents and application-<profile> files Spring Boot loads', () => {
  const resources = 'src/main/resources';
  const replayed = (result: Awaited<ReturnType<typeof dump>>) => result.report.files.filter((f) => f.role === 'migration').map((f) => f.file.replace(`${resources}/db/migration/`, ''));
  const withProfiles = async <T>(profiles: string | undefined, run: () => Promise<T>): Promise<T> => {
    const saved = process.env.SPRING_PROFILES_ACTIVE;
    if (profiles === undefined) delete process.env.SPRING_PROFILES_ACTIVE;
    else process.env.SPRING_PROFILES_ACTIVE = profiles;
    try {
      return await run();
    } finally {
      if (saved === undefined) delete process.env.SPRING_PROFILES_ACTIVE;
      else process.env.SPRING_PROFILES_ACTIVE = saved;
    }
  };

  it('spring.profiles.group in the default document does not make it a profile\'s document (field report ministryofjustice/hmpps-approved-premises-api)', async () => {
    const p = project({
      [`${resources}/application.yml`]: [
        'spring:',
        '  profiles:',
        '    group:',
        '      test:',
        '        - "stdout"',
        '  flyway:',
        '    sql-migration-prefix: ""',
        '    locations: classpath:db/migration/all',
        '',
      ].join('\n'),
      [`${resources}/db/migration/all/20220803121537__premises.sql`]: 'CREATE TABLE premises (id uuid PRIMARY KEY);\n',
      [`${resources}/db/migration/dev/R__seed.sql`]: 'TRUNCATE premises;\n',
    });
    const result = await withProfiles(undefined, () => dump({ cwd: p.root, engine: 'pglite', noCache: true }));
    expect(result.report.migrationFailures).toEqual([]);
    expect(replayed(result)).toEqual(['all/20220803121537__premises.sql']);
  });

  const profiled = {
    [`${resources}/application.yml`]: 'spring:\n  flyway:\n    locations: classpath:db/migration/all\n',
    [`${resources}/application-localdev.yml`]: 'spring:\n  flyway:\n    locations: classpath:db/migration/all,classpath:db/migration/dev\n',
    [`${resources}/db/migration/all/V1__premises.sql`]: 'CREATE TABLE premises (id uuid PRIMARY KEY);\n',
    [`${resources}/db/migration/dev/R__seed.sql`]: 'CREATE VIEW dev_premises AS SELECT id FROM premises;\n',
    // in no location of any profile: replayed only when the settings were not read at all
    [`${resources}/db/migration/integration/R__stub.sql`]: 'CREATE VIEW integration_stub AS SELECT 1 AS one;\n',
  };

  it('application-<profile>.yml of the profile SPRING_PROFILES_ACTIVE names overrides application.yml; without it, it does not count', async () => {
    const p = project(profiled);
    const withDev = await withProfiles('localdev', () => dump({ cwd: p.root, engine: 'pglite', noCache: true }));
    expect(withDev.report.migrationFailures).toEqual([]);
    expect(replayed(withDev)).toEqual(['all/V1__premises.sql', 'dev/R__seed.sql']);
    const withoutDev = await withProfiles(undefined, () => dump({ cwd: p.root, engine: 'pglite', noCache: true }));
    expect(replayed(withoutDev)).toEqual(['all/V1__premises.sql']);
  });

  it('spring.profiles.active in application.yml activates a profile, and its group\'s members too', async () => {
    const p = project({
      ...profiled,
      [`${resources}/application.yml`]: 'spring:\n  profiles:\n    active: local\n    group:\n      local: [localdev]\n  flyway:\n    locations: classpath:db/migration/all\n',
    });
    const result = await withProfiles(undefined, () => dump({ cwd: p.root, engine: 'pglite', noCache: true }));
    expect(result.report.migrationFailures).toEqual([]);
    expect(replayed(result)).toEqual(['all/V1__premises.sql', 'dev/R__seed.sql']);
  });

  it('src/main/resources/config/application.yaml counts, over the root one, as Spring Boot\'s classpath:/config/ (field report navikt/tiltaksgjennomforing-api)', async () => {
    const p = project({
      [`${resources}/application.yml`]: 'spring:\n  flyway:\n    locations: classpath:db/migration/all,classpath:db/migration/dev\n',
      [`${resources}/config/application.yaml`]: 'spring:\n  flyway:\n    locations: classpath:db/migration/all\n',
      [`${resources}/config/application-localdev.yaml`]: 'spring:\n  flyway:\n    locations: classpath:db/migration/all,classpath:db/migration/dev\n',
      [`${resources}/db/migration/all/V1__premises.sql`]: 'CREATE TABLE premises (id uuid PRIMARY KEY);\n',
      [`${resources}/db/migration/dev/R__seed.sql`]: 'CREATE VIEW dev_premises AS SELECT id FROM premises;\n',
    });
    const plain = await withProfiles(undefined, () => dump({ cwd: p.root, engine: 'pglite', noCache: true }));
    expect(plain.report.migrationFailures).toEqual([]);
    expect(replayed(plain)).toEqual(['all/V1__premises.sql']);
    const dev = await withProfiles('localdev', () => dump({ cwd: p.root, engine: 'pglite', noCache: true }));
    expect(replayed(dev)).toEqual(['all/V1__premises.sql', 'dev/R__seed.sql']);
  });

  it('application.properties: a #--- document activated on a profile counts only when that profile is active', async () => {
    const p = project({
      [`${resources}/application.properties`]: [
        'spring.flyway.schemas=shop',
        '#---',
        'spring.config.activate.on-profile=test | ci',
        'spring.flyway.schemas=test_only',
        '',
      ].join('\n'),
      [`${resources}/db/migration/V1__init.sql`]: V1,
    });
    const plain = await withProfiles(undefined, () => dump({ cwd: p.root, engine: 'pglite', noCache: true }));
    expect(plain.report.migrationFailures).toEqual([]);
    expect(plain.sql).toContain('CREATE TABLE shop.accounts (');
    expect(plain.sql).not.toContain('test_only');
    const ci = await withProfiles('ci', () => dump({ cwd: p.root, engine: 'pglite', noCache: true }));
    expect(ci.sql).toContain('CREATE TABLE test_only.accounts (');
  });
});

describe('flyway.locations / spring.flyway.locations', () => {
  it('classpath:db/migration/{vendor} in application.properties: the postgresql folder only, not the other vendors\'', async () => {
    const p = project({
      'src/main/resources/application.properties': 'spring.flyway.locations=classpath:db/migration/{vendor}\n',
      'src/main/resources/db/migration/h2/V1__init.sql': 'CREATE TABLE accounts (id IDENTITY PRIMARY KEY);\n',
      'src/main/resources/db/migration/postgresql/V1__init.sql': V1,
    });
    const notices: string[] = [];
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['src/main/resources/db/migration/postgresql/V1__init.sql']);
    expect(notices.join('\n')).toContain('runner flyway detected in src/main/resources/db/migration/postgresql/');
  });

  it('several filesystem: locations in flyway.conf are one history, in version order; a folder they do not name is left out', async () => {
    const p = project({
      'flyway.conf': 'flyway.locations=filesystem:sql/common, filesystem:sql/postgres\n',
      'sql/common/V1__accounts.sql': V1,
      'sql/postgres/V2__index.sql': 'CREATE INDEX accounts_id ON accounts (id);\n',
      'sql/common/V3__more.sql': 'ALTER TABLE accounts ADD COLUMN name text;\n',
      'sql/mysql/V2__index.sql': 'CREATE INDEX accounts_id ON accounts (id) USING BTREE;\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['sql/common/V1__accounts.sql', 'sql/postgres/V2__index.sql', 'sql/common/V3__more.sql']);
  });

  it('a settings file that cannot be read (a folder named flyway.conf) is one input error naming it', async () => {
    const p = project({ 'flyway.conf/README': 'x\n', 'db/migration/V1__init.sql': V1 });
    await expect(dump({ cwd: p.root, engine: 'pglite', noCache: true })).rejects.toThrow(/flyway\.conf cannot be read \(EISDIR\)/);
  });

  it('a location that does not exist is one clear error naming the setting', async () => {
    const p = project({ 'flyway.conf': 'flyway.locations=filesystem:db/missing\n', 'db/migration/V1__init.sql': V1 });
    await expect(dump({ cwd: p.root, engine: 'pglite', noCache: true })).rejects.toThrow('flyway.locations (filesystem:db/missing) names db/missing: no such folder');
  });
});

describe('spring.flyway.enabled=false', () => {
  it('the replay goes ahead (Flyway may run another way) and says so: a notice on stderr, `notices` in the JSON of dump and check', async () => {
    const p = project({
      'src/main/resources/application.properties': 'spring.flyway.enabled=false\nspring.flyway.schemas=app\n',
      'src/main/resources/db/migration/V1__init.sql': V1,
    });
    const dumped = await runCli(['dump', '-C', p.root, '--engine', 'pglite', '--no-cache', '--format', 'json']);
    expect(dumped.code).toBe(0);
    expect(dumped.stderr).toContain('spring.flyway.enabled in src/main/resources/application.properties is false: Spring Boot does not run Flyway');
    expect(JSON.parse(dumped.stdout).notices).toEqual([expect.stringContaining('Spring Boot does not run Flyway')]);
    const sql = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(sql.sql).toContain('CREATE TABLE app.accounts (');
    p.write('docs/architecture/schema-actual-2026-01-01.sql', sql.sql);
    // no drift on an assumption is not a pass (the brief: never "clean" when pgdrift cannot be sure) ...
    const checked = await runCli(['check', '-C', p.root, '--engine', 'pglite', '--no-cache', '--format', 'json']);
    expect(checked.code).toBe(1);
    const json = JSON.parse(checked.stdout);
    expect([json.drift, json.notices, json.assumptionsAccepted]).toEqual([[], [expect.stringContaining('Spring Boot does not run Flyway')], false]);
    const text = await runCli(['check', '-C', p.root, '--engine', 'pglite']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("✖ no drift found against docs/architecture/schema-actual-2026-01-01.sql, but the replay rests on 1 assumption about the runner's settings (the notices): not a clean result");
    // ... until the team says the assumption is what its runner does
    const accepted = await runCli(['check', '-C', p.root, '--engine', 'pglite', '--accept-assumptions']);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain("✔ no drift: the migrations match docs/architecture/schema-actual-2026-01-01.sql (1 accepted assumption about the runner's settings)");
  }, 90_000);
});

describe('a placeholder without a value', () => {
  it('is refused at its position, and the hint names this placeholder in each place a value can come from (field report AbsaOSS/EventGate, a flyway.toml project)', async () => {
    const p = project({
      'flyway.toml': '[flyway]\nlocations = ["filesystem:database/migrations"]\n',
      'database/migrations/V1__roles.sql': "-- roles\nCREATE ROLE owner_fw LOGIN PASSWORD '${eventgate_owner_password}';\n",
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    const [failure] = result.report.migrationFailures;
    expect([failure.file, failure.line, failure.column]).toEqual(['database/migrations/V1__roles.sql', 2, 38]);
    expect(failure.hint).toBe(
      'give it a value: eventgate_owner_password = "..." under [flyway.placeholders] in flyway.toml, flyway.placeholders.eventgate_owner_password=... in flyway.conf, spring.flyway.placeholders.eventgate_owner_password in a Spring application, FLYWAY_PLACEHOLDERS_EVENTGATE_OWNER_PASSWORD in the environment, or "placeholders": {"eventgate_owner_password": "..."} in pgdrift.config.json',
    );
  });
});

describe('flyway.mixed: a file mixing transactional and non-transactional statements', () => {
  const files = {
    'db/migration/V1__init.sql': V1,
    'db/migration/V2__mixed.sql': 'ALTER TABLE accounts ADD COLUMN email text;\nCREATE INDEX CONCURRENTLY accounts_email ON accounts (email);\n',
  };

  it('mixed = true in flyway.toml (as Flyway Desktop writes it; field report Desirium/desirium-backend): the file runs without a transaction, as ParserSqlScript lets it', async () => {
    const p = project({ ...files, 'flyway.toml': '[flyway]\nlocations = [ "filesystem:db/migration" ]\nmixed = true\noutOfOrder = true\n' });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE INDEX accounts_email ON public.accounts USING btree (email);');
  });

  it('ANALYZE is transactional to Flyway (PostgreSQLParser VACUUM_REGEX is `^VACUUM`): a file with ANALYZE after its DDL is not refused as mixed', async () => {
    const p = project({
      'db/migration/V1__init.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY);\nINSERT INTO accounts VALUES (1);\nANALYZE accounts;\n',
      'db/migration/V2__vacuum.sql': 'ALTER TABLE accounts ADD COLUMN email text;\nVACUUM accounts;\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    // V1 applies in its transaction; V2 mixes a VACUUM with DDL, which Flyway does refuse
    expect(result.report.migrationFailures.map((f) => [f.file, f.line])).toEqual([['db/migration/V2__vacuum.sql', 2]]);
    expect(result.report.migrationFailures[0].message).toContain('mixes transactional and non-transactional statements');
  });

  it('COPY ... FROM STDIN with its rows inline (PostgreSQLParser reads them as COPY data): said at the COPY, not as a syntax error at the first row', async () => {
    const p = project({
      'db/migration/V1__init.sql': V1,
      'db/migration/V2__data.sql': 'CREATE TABLE codes (id int, name text);\n  COPY codes (id, name) FROM stdin;\n1\tone\n2\ttwo\n\\.\nCREATE INDEX codes_id ON codes (id);\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    const [failure] = result.report.migrationFailures;
    expect([failure.file, failure.line, failure.column]).toEqual(['db/migration/V2__data.sql', 2, 3]);
    expect(failure.message).toContain('COPY ... FROM STDIN with its rows in the migration, which Flyway sends through the COPY protocol; pgdrift cannot replay inline COPY data');
    expect(failure.hint).toContain('INSERT statements');
  });

  it('the inline COPY is found with the parser: after placeholders (positions in the file as written), and never a COPY line inside a function body', async () => {
    // a COPY FROM STDIN line in a function body is no inline data: the file's real syntax error is the failure
    const p = project({
      'flyway.conf': 'flyway.locations=filesystem:db/migration\nflyway.placeholders.schema=app\nflyway.placeholders.note=a\\nb\n',
      'db/migration/V1__data.sql': 'CREATE TABLE codes (id int);\nCREATE FUNCTION load() RETURNS void LANGUAGE sql AS $$\nCOPY codes FROM STDIN;\n$$;\nCREATE TABLE broken (id int,);\n',
    });
    const broken = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    const [syntax] = broken.report.migrationFailures;
    expect([syntax.line, syntax.sqlstate]).toEqual([5, '42601']);
    expect(syntax.message).not.toContain('COPY');

    // the COPY after placeholders (one value spans two lines): found at its line as written
    p.write('db/migration/V1__data.sql', "CREATE SCHEMA ${schema};\nCREATE TABLE ${schema}.codes (id int, name text DEFAULT '${note}');\n COPY ${schema}.codes (id, name) FROM stdin;\n1\tone\n\\.\n");
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    const [failure] = result.report.migrationFailures;
    expect([failure.file, failure.line, failure.column]).toEqual(['db/migration/V1__data.sql', 3, 2]);
    expect(failure.message).toContain('COPY app.codes (id, name) FROM stdin: COPY ... FROM STDIN with its rows in the migration');
  });

  it('executeInTransaction = false (flyway.toml, conf, FLYWAY_*, spring.flyway.execute-in-transaction): every file runs without a transaction and a mix is not refused (ParserSqlScript)', async () => {
    // a new enum value used in the same file fails in a transaction (55P04), and applies without one
    const enumType = "CREATE TYPE mood AS ENUM ('ok');\n";
    const enumFile = "ALTER TYPE mood ADD VALUE 'great';\nCREATE TABLE moods (m mood DEFAULT 'great');\n";
    const settings: Record<string, string>[] = [
      { 'flyway.toml': '[flyway]\nlocations = ["filesystem:db/migration"]\nexecuteInTransaction = false\n' },
      { 'flyway.conf': 'flyway.locations=filesystem:db/migration\nflyway.executeInTransaction=false\n' },
      { 'src/main/resources/application.yml': 'spring:\n  flyway:\n    locations: filesystem:db/migration\n    execute-in-transaction: false\n' },
    ];
    for (const setting of settings) {
      const p = project({ ...files, 'db/migration/V3__type.sql': enumType, 'db/migration/V4__enum.sql': enumFile, ...setting });
      const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
      expect(result.report.migrationFailures, Object.keys(setting)[0]).toEqual([]);
      expect(result.sql).toContain('CREATE INDEX accounts_email ON public.accounts USING btree (email);');
      expect(result.sql).toContain("m public.mood DEFAULT 'great'::public.mood");
    }
    const inTransaction = await dump({ cwd: project({ 'db/migration/V1__type.sql': enumType, 'db/migration/V2__enum.sql': enumFile }).root, engine: 'pglite', noCache: true });
    expect(inTransaction.report.migrationFailures.map((f) => f.sqlstate)).toEqual(['55P04']);
  });

  it('without it Flyway refuses the file, at the first statement of the other kind', async () => {
    const p = project(files);
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line])).toEqual([['db/migration/V2__mixed.sql', 2]]);
    expect(result.report.migrationFailures[0].message).toContain('mixes transactional and non-transactional statements');
  });
});

describe('group = true: Flyway applies all pending migrations in one transaction', () => {
  // an enum value added by one migration and used by a later one: fine in separate transactions, 55P04 in one
  const enumHistory = {
    'db/migration/V1__type.sql': "CREATE TYPE mood AS ENUM ('ok');\n",
    'db/migration/V2__value.sql': "ALTER TYPE mood ADD VALUE 'great';\n",
    'db/migration/V3__use.sql': "CREATE TABLE moods (m mood DEFAULT 'great');\nSELECT 'great'::mood;\n",
  };

  it('is replayed so, wherever it is set (flyway.conf, flyway.toml, FLYWAY_GROUP, spring.flyway.group): a later migration using an enum value an earlier one added fails (55P04), and the earlier ones roll back', async () => {
    const settings: Array<[Record<string, string>, Record<string, string>]> = [
      [{ 'flyway.conf': 'flyway.locations=filesystem:db/migration\nflyway.group=true\n' }, {}],
      [{ 'flyway.toml': '[flyway]\nlocations = ["filesystem:db/migration"]\ngroup = true\n' }, {}],
      [{ 'flyway.conf': 'flyway.locations=filesystem:db/migration\n' }, { FLYWAY_GROUP: 'true' }],
      [{ 'src/main/resources/application.yml': 'spring:\n  flyway:\n    locations: filesystem:db/migration\n    group: true\n' }, {}],
    ];
    for (const [files, env] of settings) {
      const p = project({ ...enumHistory, ...files });
      const notices: string[] = [];
      Object.assign(process.env, env);
      let result;
      try {
        result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (n) => notices.push(n) });
      } finally {
        for (const name of Object.keys(env)) delete process.env[name];
      }
      expect(result.report.migrationFailures.map((f) => [f.file, f.sqlstate]), Object.keys(files)[0]).toEqual([['db/migration/V3__use.sql', '55P04']]);
      expect(result.report.files.filter((f) => f.file.startsWith('db/migration/V')).map((f) => f.status)).toEqual(['rolled-back', 'rolled-back', 'failed']);
      expect(notices.filter((n) => n.includes('in one transaction'))).toEqual([]);
    }
    // without it, each migration commits on its own: the history applies
    const plain = await dump({ cwd: project({ ...enumHistory, 'flyway.conf': 'flyway.group=false\n' }).root, engine: 'pglite', noCache: true });
    expect(plain.report.migrationFailures).toEqual([]);
  });

  it('a group with a migration that runs without a transaction, or with SQL callbacks, is a notice: replayed file by file', async () => {
    const conf = { 'flyway.conf': 'flyway.locations=filesystem:db/migration\nflyway.group=true\nflyway.mixed=true\n' };
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ 'db/migration/V1__init.sql': V1, 'db/migration/V2__index.sql': 'CREATE INDEX CONCURRENTLY accounts_id ON accounts (id);\n' }, /a migration that runs without a transaction \(V2__index\.sql\)/],
      [{ 'db/migration/V1__init.sql': V1, 'db/migration/beforeMigrate.sql': 'SELECT 1;\n' }, /with SQL callbacks \(beforeMigrate\.sql\)/],
    ];
    for (const [files, why] of cases) {
      const notices: string[] = [];
      const result = await dump({ cwd: project({ ...conf, ...files }).root, engine: 'pglite', noCache: true, onNotice: (n) => notices.push(n) });
      expect(result.report.migrationFailures).toEqual([]);
      const notice = notices.find((n) => n.includes('in one transaction'));
      expect(notice).toMatch(why);
      expect(notice).toMatch(/flyway\.group in flyway\.conf is true/);
      expect(notice).toContain('each migration is replayed in its own transaction');
    }
  });
});

describe('the session before each migration', () => {
  it('the CLI prints no warning of pglite-tools\' pg_dump about the search_path spelled another way', async () => {
    const p = project({ 'flyway.conf': 'flyway.schemas=app\n', 'db/migration/V1__init.sql': V1 });
    const result = await runCli(['dump', '-q', '-C', p.root, '--engine', 'pglite', '--no-cache', '-o', `${p.root}/out.sql`]);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('search_path');
  }, 60_000);

  it('a migration\'s SET search_path does not reach the next migration: Flyway sets it again before each one', async () => {
    const p = project({
      'db/migration/V1__init.sql': 'CREATE SCHEMA other;\nSET search_path TO other, public;\nCREATE TABLE in_other (id bigint PRIMARY KEY);\n',
      'db/migration/V2__next.sql': 'CREATE TABLE next_one (id bigint PRIMARY KEY);\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE other.in_other (');
    expect(result.sql).toContain('CREATE TABLE public.next_one (');
  });

  it('a migration\'s SET ROLE does not reach the next migration', async () => {
    const p = project({
      'db/migration/V1__role.sql': 'CREATE ROLE app_owner_fw NOLOGIN;\nSET ROLE app_owner_fw;\n',
      'db/migration/V2__next.sql': 'CREATE TABLE owned (id bigint PRIMARY KEY);\n',
    });
    // as app_owner_fw (no CREATE on public in Postgres 15+) V2 would fail with 42501
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.owned (');
  });

  it('the linter and attribution read unqualified names in the default schema too', async () => {
    const p = project({
      'flyway.conf': 'flyway.schemas=app\n',
      'db/migration/V1__init.sql': 'CREATE TABLE no_key (name text);\n',
      // statement rules too (field report hmcts/wa-task-management-api: 31 findings named public.<table>)
      'db/migration/V2__more.sql': 'ALTER TABLE no_key ADD COLUMN x text NOT NULL;\nALTER TABLE public_only ADD COLUMN y int;\n',
      'db/migration/V0__public.sql': 'CREATE TABLE public.public_only (id int PRIMARY KEY);\n',
    });
    const result = await lint({ cwd: p.root });
    expect(result.findings.filter((f) => f.rule === 'require-primary-key').map((f) => f.object)).toEqual(['app.no_key']);
    expect(result.findings.filter((f) => f.rule === 'add-required-column').map((f) => f.object)).toEqual(['app.no_key.x']);
  });
});

describe('SQL callbacks', () => {
  it('the once-per-migrate callbacks run where flyway migrate runs them, by description, the plain one last; check is clean', async () => {
    const p = project({
      'db/migration/V1__init.sql': V1,
      'db/migration/V2__more.sql': 'ALTER TABLE accounts ADD COLUMN name text;\n',
      'db/migration/R__accounts_view.sql': 'CREATE OR REPLACE VIEW account_names AS SELECT id, name FROM accounts;\n',
      'db/migration/beforeMigrate.sql': 'CREATE SCHEMA IF NOT EXISTS reporting;\n',
      'db/migration/afterVersioned.sql': "COMMENT ON TABLE accounts IS 'versioned done';\n",
      'db/migration/beforeRepeatables.sql': 'SELECT 1;\n',
      'db/migration/afterMigrate.sql': "COMMENT ON VIEW account_names IS 'after all';\n",
      'db/migration/afterMigrate__grants.sql': 'CREATE TABLE reporting.grants_marker (id int);\n',
      'db/migration/afterClean.sql': 'SELECT 1;\n',
    });
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.report.migrationFailures).toEqual([]);
    expect(replayed.report.files.filter((f) => f.role === 'migration').map((f) => f.file.replace('db/migration/', ''))).toEqual([
      'beforeMigrate.sql',
      'V1__init.sql',
      'V2__more.sql',
      'afterVersioned.sql',
      'beforeRepeatables.sql',
      'R__accounts_view.sql',
      'afterMigrate__grants.sql',
      'afterMigrate.sql',
    ]);
    expect(replayed.sql).toContain("COMMENT ON VIEW public.account_names IS 'after all';");
    expect(replayed.sql).toContain('CREATE TABLE reporting.grants_marker (');
    p.write('docs/architecture/schema-actual-2024-01-01.sql', replayed.sql);
    const result = await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false });
    expect(result.skippedFiles).toBeUndefined();
    expect(result.exitCode).toBe(0);
    const linted = await lint({ cwd: p.root });
    expect(linted.findings.filter((f) => f.rule === 'file-name')).toEqual([]);
  });

  it('flyway.callbackLocations: the callbacks are those locations\' only (FlywayExecutor callbackResourceProvider); a callback name in the migrations is not run', async () => {
    const p = project({
      'flyway.conf': 'flyway.locations=filesystem:db/migration\nflyway.callbackLocations=filesystem:db/callbacks\n',
      'db/migration/V1__init.sql': V1,
      'db/migration/afterMigrate.sql': 'CREATE TABLE not_run (id int);\n',
      'db/callbacks/beforeMigrate.sql': 'CREATE SCHEMA reporting;\n',
      'db/callbacks/afterMigrate__views.sql': 'CREATE VIEW reporting.account_ids AS SELECT id FROM public.accounts;\n',
      'db/callbacks/V9__not_a_migration_here.sql': 'CREATE TABLE not_a_migration (id int);\n',
    });
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.report.migrationFailures).toEqual([]);
    expect(replayed.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['db/callbacks/beforeMigrate.sql', 'db/migration/V1__init.sql', 'db/callbacks/afterMigrate__views.sql']);
    expect(replayed.sql).toContain('CREATE VIEW reporting.account_ids AS');
    expect(replayed.sql).not.toContain('not_run');
    expect(replayed.sql).not.toContain('not_a_migration');
    // FLYWAY_CALLBACK_LOCATIONS names them too
    const env = project({ 'db/migration/V1__init.sql': V1, 'db/cb/afterMigrate.sql': 'CREATE TABLE from_env (id int);\n' });
    process.env.FLYWAY_CALLBACK_LOCATIONS = 'filesystem:db/cb';
    try {
      const fromEnv = await dump({ cwd: env.root, engine: 'pglite', noCache: true });
      expect(fromEnv.sql).toContain('CREATE TABLE public.from_env (');
    } finally {
      delete process.env.FLYWAY_CALLBACK_LOCATIONS;
    }
  });

  it('beforeEachMigrate / afterEachMigrate run around each migration inside its transaction (SET LOCAL reaches it), on every engine', async () => {
    const files = {
      'db/migration/V1__init.sql': V1,
      'db/migration/V2__more.sql': 'CREATE TABLE more (id bigint PRIMARY KEY);\n',
      'db/migration/R__view.sql': 'CREATE OR REPLACE VIEW more_ids AS SELECT id FROM more;\n',
      // raulgonzalezdev/eda-backend-plus's callback: the migrations run in the pos schema
      'db/migration/beforeEachMigrate.sql': 'CREATE SCHEMA IF NOT EXISTS pos;\nSET LOCAL search_path TO pos;\n',
      'db/migration/afterEachMigrate__count.sql': "CREATE TABLE IF NOT EXISTS pos.migrated (n int);\nINSERT INTO pos.migrated VALUES (1);\n",
      'db/migration/beforeEachMigrateStatement.sql': 'SELECT 1;\n',
    };
    for (const engine of [{ engine: 'pglite' as const }, { engine: 'server' as const, databaseUrl: SERVER_URL }]) {
      const p = project(files);
      const replayed = await dump({ cwd: p.root, noCache: true, ...engine });
      expect(replayed.report.migrationFailures).toEqual([]);
      expect(replayed.sql).toContain('CREATE TABLE pos.accounts (');
      expect(replayed.sql).toContain('CREATE TABLE pos.more (');
      expect(replayed.sql).toContain('CREATE VIEW pos.more_ids AS');
      expect(replayed.sql).toContain('CREATE TABLE pos.migrated (');
      // the statement-level callback is still not replayed: named, and check says incomplete
      expect(replayed.report.skippedFiles).toEqual([expect.objectContaining({ file: 'db/migration/beforeEachMigrateStatement.sql', appliedByRunner: true })]);
    }
  }, 60_000);

  it('a failing beforeEachMigrate fails the migration at the callback\'s own line, and rolls its transaction back', async () => {
    const p = project({
      'db/migration/V1__init.sql': V1,
      'db/migration/beforeEachMigrate.sql': '-- fails on the second migration: the table exists by then\nCREATE TABLE marker (id int);\n',
      'db/migration/V2__more.sql': 'CREATE TABLE more (id bigint PRIMARY KEY);\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['db/migration/beforeEachMigrate.sql', 2, '42P07']]);
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => [f.file, f.status])).toEqual([
      ['db/migration/V1__init.sql', 'applied'],
      ['db/migration/V2__more.sql', 'failed'],
    ]);
    expect(result.sql).not.toContain('public.more');
  });

  it('a changed callback is a different replay: the replay cache does not serve the old dump', async () => {
    const p = project({ 'db/migration/V1__init.sql': V1, 'db/migration/beforeEachMigrate.sql': 'CREATE SCHEMA IF NOT EXISTS a;\nSET LOCAL search_path TO a;\n' });
    const cacheDir = `${p.root}/.cache`;
    expect((await dump({ cwd: p.root, engine: 'pglite', cacheDir })).sql).toContain('CREATE TABLE a.accounts (');
    p.write('db/migration/beforeEachMigrate.sql', 'CREATE SCHEMA IF NOT EXISTS b;\nSET LOCAL search_path TO b;\n');
    expect((await dump({ cwd: p.root, engine: 'pglite', cacheDir })).sql).toContain('CREATE TABLE b.accounts (');
  });

  it('two callbacks of one name (in two sub-folders) are refused, as Flyway refuses them', async () => {
    const p = project({ 'db/migration/V1__init.sql': V1, 'db/migration/a/afterMigrate.sql': 'SELECT 1;\n', 'db/migration/b/afterMigrate.sql': 'SELECT 2;\n' });
    await expect(dump({ cwd: p.root, engine: 'pglite', noCache: true })).rejects.toThrow('Found more than 1 SQL callback script called afterMigrate');
  });
});
