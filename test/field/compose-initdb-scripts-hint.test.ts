import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field (measure-sh/measure, self-host/): compose.yml mounts postgres/init-postgres.sh into the postgres service's
 * /docker-entrypoint-initdb.d, which creates the "measure" schema; dbmate's first migration creates measure.roles. The
 * replay failed with 3F000 'schema "measure" does not exist' and no word on where the schema comes from.
 */
const project = tempProjects();

const MIGRATIONS = {
  'db/migrations/20240830075257_create_roles.sql': '-- migrate:up\ncreate table if not exists measure.roles (id int);\n\n-- migrate:down\ndrop table measure.roles;\n',
};

const COMPOSE = [
  'services:',
  '  postgres:',
  '    image: postgres:16.3-alpine',
  '    volumes:',
  '      - ./db/init.sql:/docker-entrypoint-initdb.d/init.sql',
  '  clickhouse:',
  '    image: clickhouse/clickhouse-server:24',
  '    volumes:',
  '      - ./clickhouse/init.sh:/docker-entrypoint-initdb.d/init.sh',
  '',
].join('\n');

async function failuresOf(files: Record<string, string>, baseline?: string[]) {
  const result = await dump({ cwd: project(files).root, engine: 'pglite', noCache: true, keepGoing: true, ...(baseline ? { baseline } : {}) });
  return result.report.migrationFailures;
}

describe('scripts the Compose file mounts into the postgres image\'s /docker-entrypoint-initdb.d', () => {
  it('are named, with the baseline to set, in the hint of the first missing-object failure', async () => {
    const failures = await failuresOf({ ...MIGRATIONS, 'docker-compose.yml': COMPOSE, 'db/init.sql': 'CREATE SCHEMA measure;\n' });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ file: 'db/migrations/20240830075257_create_roles.sql', sqlstate: '3F000' });
    expect(failures[0].hint).toBe(
      'docker-compose.yml:2 (service postgres) mounts db/init.sql into /docker-entrypoint-initdb.d, which the postgres image runs once when it creates the database, before any migration: if the migrations rely on what it makes, name it as a baseline ("baseline": ["db/init.sql"] in pgdrift.config.json)',
    );
    // the ClickHouse image reads the same folder: its script is not the database's
    expect(failures[0].hint).not.toContain('clickhouse');
  });

  it('are not named once they are the baseline (which then makes the schema), nor without a Compose file', async () => {
    const root = project({ ...MIGRATIONS, 'docker-compose.yml': COMPOSE, 'db/init.sql': 'CREATE SCHEMA measure;\n' }).root;
    const replayed = await dump({ cwd: root, engine: 'pglite', noCache: true, baseline: [`${root}/db/init.sql`] });
    expect(replayed.report.migrationFailures).toEqual([]);
    expect(replayed.sql).toContain('CREATE TABLE measure.roles');
    const alone = await failuresOf(MIGRATIONS);
    expect(alone[0]?.sqlstate).toBe('3F000');
    expect(alone[0]?.hint ?? '').not.toContain('docker-entrypoint-initdb.d');
  });

  it('that switch database with \\connect are not offered as a baseline as they are; named as one, the failure says what to keep', async () => {
    // Field: RedHatInsights/yara-backend, whose init.sql creates the databases and the role yara_user, then \connect yara
    const init = 'CREATE USER app_owner;\nCREATE DATABASE app OWNER app_owner;\nCREATE ROLE app_user;\n\\connect app\nCREATE SCHEMA measure;\n';
    const files = { ...MIGRATIONS, 'docker-compose.yml': COMPOSE, 'db/init.sql': init };
    const failures = await failuresOf(files);
    expect(failures[0].hint).toContain('db/init.sql:4 connects to the database app with \\connect, which a baseline cannot do');
    expect(failures[0].hint).not.toContain('"baseline": ["db/init.sql"]');
    const root = project(files).root;
    const asBaseline = await dump({ cwd: root, engine: 'pglite', noCache: true, keepGoing: true, baseline: [`${root}/db/init.sql`] });
    expect(asBaseline.report.migrationFailures[0]).toMatchObject({ file: 'db/init.sql', line: 4 });
    expect(asBaseline.report.migrationFailures[0].hint).toContain('copy the roles this script creates and the statements it runs after this line into a file of their own');
  });
});
