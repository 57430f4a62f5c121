import { describe, expect, it } from 'vitest';
import { resolveProject } from '../../src/config/project.js';
import { tempProjects } from '../helpers/project.js';

// Flyway run by its Docker image from a Compose file (`docker run -v /my/sqldir:/flyway/sql flyway/flyway migrate`):
// the migrations folder is named only there. It met "no migrations folder found".
const project = tempProjects();
const V1 = 'CREATE TABLE a (id int);\n';
const compose = (flyway: string) => `services:\n  db:\n    image: postgres:16\n  flyway:\n${flyway}`;

describe('Flyway in a Compose service', () => {
  it("the image's default location /flyway/sql is the folder mounted there", () => {
    const { root } = project({
      'database/flyway/V1__init.sql': V1,
      'docker-compose.yml': compose('    image: flyway/flyway:10-alpine\n    command: -url=jdbc:postgresql://db/app -connectRetries=60 migrate\n    volumes:\n      - ./database/flyway:/flyway/sql:ro\n'),
    });
    const resolved = resolveProject({ cwd: root });
    expect(resolved.migrationsDir).toBe(`${root}/database/flyway`);
    expect(resolved.runner.name).toBe('flyway');
  });

  it('-locations= of the command, mapped through the bind mount', () => {
    const { root } = project({
      'ops/db/V1__init.sql': V1,
      'sql/V1__other.sql': V1,
      'compose.yaml': compose('    image: redgate/flyway\n    command: ["-locations=filesystem:/migrations/db", "migrate"]\n    volumes:\n      - ./ops:/migrations\n'),
    });
    expect(resolveProject({ cwd: root }).migrationsDir).toBe(`${root}/ops/db`);
  });

  it('FLYWAY_LOCATIONS of a mapping environment, and a relative location under /flyway', () => {
    const { root } = project({
      'schema/V1__init.sql': V1,
      'docker-compose.yaml': compose('    image: flyway/flyway\n    environment:\n      FLYWAY_URL: jdbc:postgresql://db/app\n      FLYWAY_LOCATIONS: filesystem:pg\n    volumes:\n      - ./schema:/flyway/pg\n'),
    });
    expect(resolveProject({ cwd: root }).migrationsDir).toBe(`${root}/schema`);
  });

  it('flyway.locations of a config file mounted into /flyway/conf', () => {
    const { root } = project({
      'db/changes/V1__init.sql': V1,
      'db/flyway.conf': 'flyway.url=jdbc:postgresql://db/app\nflyway.locations=filesystem:/flyway/changes\n',
      'docker-compose.yml': compose('    image: flyway/flyway\n    command: migrate\n    volumes:\n      - ./db/flyway.conf:/flyway/conf/flyway.conf\n      - ./db/changes:/flyway/changes\n'),
    });
    expect(resolveProject({ cwd: root }).migrationsDir).toBe(`${root}/db/changes`);
  });

  it('another image, a classpath location or two Flyway services decide nothing', () => {
    const other = project({ 'database/flyway/V1__init.sql': V1, 'docker-compose.yml': compose('    image: my/flyway-wrapper\n    volumes:\n      - ./database/flyway:/flyway/sql\n') });
    expect(() => resolveProject({ cwd: other.root })).toThrow(/no migrations folder found/);
    const classpath = project({ 'database/flyway/V1__init.sql': V1, 'docker-compose.yml': compose('    image: flyway/flyway\n    command: -locations=classpath:db/migration migrate\n    volumes:\n      - ./database/flyway:/flyway/sql\n') });
    expect(() => resolveProject({ cwd: classpath.root })).toThrow(/no migrations folder found/);
    const two = project({
      'a/V1__init.sql': V1,
      'b/V1__init.sql': V1,
      'docker-compose.yml': compose('    image: flyway/flyway\n    volumes:\n      - ./a:/flyway/sql\n  flyway-b:\n    image: flyway/flyway\n    volumes:\n      - ./b:/flyway/sql\n'),
    });
    expect(() => resolveProject({ cwd: two.root })).toThrow(/no migrations folder found/);
  });
});
