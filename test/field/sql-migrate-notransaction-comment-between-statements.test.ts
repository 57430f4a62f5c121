import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

// Field: frain-dev/convoy sql/1677770163.sql (sql-migrate). A file whose later Up line says `notransaction` sends each
// statement on its own; a `-- ` comment line between two statements lies outside every part. Emptying it in the plan
// emptied as many characters of the next line instead: "syntax error at or near "RRENTLY"" on a CREATE INDEX
// CONCURRENTLY that sql-migrate applies.
const project = tempProjects();

beforeAll(() => loadSqlParser());

describe('sql-migrate: a comment between statements of a notransaction file', () => {
  it('replays every statement as written', async () => {
    const p = project({
      'migrations/1_t.sql': '-- +migrate Up\ncreate table endpoints (project_id int, owner_id int);\n',
      'migrations/2_i.sql':
        "-- +migrate Up\nSET lock_timeout = '2s';\n-- convoy.endpoints\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_endpoints_project_id_key ON endpoints (project_id);\n\n-- +migrate Up notransaction\n-- convoy.owner\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_endpoints_owner_id_key ON endpoints (owner_id);\n",
    });
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.report.migrationFailures).toEqual([]);
    expect(replayed.sql).toContain('idx_endpoints_project_id_key');
    expect(replayed.sql).toContain('idx_endpoints_owner_id_key');
  });
});
