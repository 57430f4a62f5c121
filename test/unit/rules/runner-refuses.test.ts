import { describe, expect, it } from 'vitest';
import { lint } from '../../../src/commands/lint.js';
import { tempProjects } from '../../helpers/project.js';

// The runner's refusals (planned by src/runners, as check and dump replay them) are lint errors too.
describe('runner-refuses', () => {
  const projects = tempProjects();
  const flyway = (files: Record<string, string>, config: object = {}) => {
    return projects({ 'pgdrift.config.json': JSON.stringify({ runner: 'flyway', migrations: 'db/migration', ...config }), ...files }).root;
  };
  const refusals = async (root: string) =>
    (await lint({ cwd: root })).findings.filter((f) => f.rule === 'runner-refuses').map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.message.split(':')[0]}`);

  it("reports Flyway's mixed statements and a placeholder with no value, at their position, as errors", async () => {
    const root = flyway({
      'db/migration/V1__accounts.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n',
      'db/migration/V2__email.sql': 'ALTER TABLE accounts ADD COLUMN email text;\nCREATE INDEX CONCURRENTLY accounts_email ON accounts (email);\n',
      'db/migration/V3__grant.sql': '\nGRANT SELECT ON accounts TO ${reader};\n',
    });
    const found = await refusals(root);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^db\/migration\/V2__email\.sql:2:1 error Flyway refuses a migration that mixes transactional and non-transactional statements/);
    expect(found[1]).toMatch(/^db\/migration\/V3__grant\.sql:2:\d+ error /);
  });

  it('is silent when the runner accepts the file (flyway.mixed = true, the placeholder given a value)', async () => {
    const root = flyway(
      {
        'flyway.toml': '[flyway]\nmixed = true\n',
        'db/migration/V1__accounts.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n',
        'db/migration/V2__email.sql': 'ALTER TABLE accounts ADD COLUMN email text;\nCREATE INDEX CONCURRENTLY accounts_email ON accounts (email);\n',
        'db/migration/V3__grant.sql': '\nGRANT SELECT ON accounts TO ${reader};\n',
      },
      { placeholders: { reader: 'app_reader' } },
    );
    expect(await refusals(root)).toEqual([]);
  });

  it('a file-level suppression silences it', async () => {
    const root = flyway({
      'db/migration/V1__accounts.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n',
      'db/migration/V2__email.sql':
        '-- pgdrift-ignore-file runner-refuses: deployed by hand with mixed=true\nALTER TABLE accounts ADD COLUMN email text;\nCREATE INDEX CONCURRENTLY accounts_email ON accounts (email);\n',
    });
    expect(await refusals(root)).toEqual([]);
  });
});
