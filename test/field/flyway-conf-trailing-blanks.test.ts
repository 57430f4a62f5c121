import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { resolveProject } from '../../src/config/project.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * A flyway.conf whose values end in blanks (field: CEREMA/geofer, `flyway.sqlMigrationPrefix=V         `). Flyway
 * trims every line of a .conf file before reading it as properties (flyway/flyway ConfigUtils
 * loadConfigurationFromString: `lines[i].trim()`), so the prefix is `V`. pgdrift kept the blanks: no file matched
 * the prefix `V         `, the folder was taken for the `numbered` runner, and the second location (db/dev) was
 * left out of the replay.
 */
const project = tempProjects();
beforeAll(() => loadSqlParser());

const FLYWAY_CONF = [
  'flyway.defaultSchema=geofer       ',
  'flyway.schemas=geofer',
  'flyway.locations=filesystem:backend/data/src/main/resources/db/migration,filesystem:backend/data/src/main/resources/db/dev   ',
  'flyway.sqlMigrationPrefix=V         ',
  'flyway.sqlMigrationSeparator=__     ',
  'flyway.sqlMigrationSuffixes=.sql',
  '',
].join('\n');

describe('flyway.conf values with trailing blanks', () => {
  it('are read as Flyway reads them: the runner is flyway, both locations replay, in the named schema', async () => {
    const p = project({
      'flyway.conf': FLYWAY_CONF,
      'backend/data/src/main/resources/db/migration/V2024.10.25.0819__Init.sql': 'CREATE TABLE commune (id bigint PRIMARY KEY);\n',
      'backend/data/src/main/resources/db/dev/V2024.10.25.0820__dev-data.sql': 'CREATE TABLE dev_only (id int);\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(resolved.runner.name).toBe('flyway');
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.sql).toContain('CREATE TABLE geofer.commune (');
    expect(result.sql).toContain('CREATE TABLE geofer.dev_only (');
  });
});
