import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { withQuotedContinuationsIndented } from '../../src/runners/snakeyaml-quoted-lines.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field: ministryofjustice/laa-data-claims-api. claims-data/service/src/main/resources/application.yml sets
 * `spring.flyway.schemas: claims, javers` and, further down, a JSON list as a multi-line single-quoted scalar whose
 * closing line `]'` is indented no more than its key. Spring Boot's SnakeYAML does not check that indentation
 * (ScannerImpl.scanFlowScalarBreaks: "Instead of checking indentation, we check for document separators") and the
 * application starts; pgdrift refused the file as "not valid YAML ... does not start".
 */
const project = tempProjects();
beforeAll(() => loadSqlParser());

const APPLICATION_YML = [
  'spring:',
  '  flyway:',
  '    schemas: claims, javers',
  '    create-schemas: true',
  'laa:',
  '  auth:',
  "    authorized-clients: '[",
  '        {',
  '            "name": "test-runner"',
  '        }',
  "    ]'",
  '    note: "two',
  '  lines"',
  '',
].join('\n');

describe('an application.yml whose quoted scalars continue on lines indented as SnakeYAML allows', () => {
  it('is read: its Flyway schemas are replayed', async () => {
    const p = project({
      'src/main/resources/application.yml': APPLICATION_YML,
      'src/main/resources/db/migration/V1__claims.sql': 'CREATE TABLE claim (id int PRIMARY KEY);\n',
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE claims.claim');
  });

  it('the re-indenting changes only continuation lines of quoted scalars, never line numbers', () => {
    const text = "a: it's plain\n  b: 'x\n y'  # c\nc: [ 'p',\n'q' ]\nd: \"e\\\"\nf\"\n";
    const out = withQuotedContinuationsIndented(text);
    expect(out.split('\n')).toEqual(["a: it's plain", "  b: 'x", "   y'  # c", "c: [ 'p',", "'q' ]", 'd: "e\\"', ' f"', '']);
  });
});
