import { describe, expect, it } from 'vitest';
import { lintMemory, ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('require-statement-timeout');
const table = 'CREATE TABLE t (id bigint PRIMARY KEY, a int);';

describe('require-statement-timeout', () => {
  it('reports the first statement of a file that locks an existing table without statement_timeout', () => {
    expect(lintErrors([table, 'ALTER TABLE t ALTER COLUMN a SET NOT NULL;\nCREATE INDEX i ON t (a);'])).toEqual([
      '002_m.sql:1:1 locks existing table t (ACCESS EXCLUSIVE) with no statement_timeout set in this file',
    ]);
    expect(lintErrors([table, "SET statement_timeout = 0;\nCREATE INDEX i ON t (a);"])).toHaveLength(1);
  });
  it('accepts SET statement_timeout before, and CONCURRENTLY builds (long by design; a timeout would leave an INVALID index)', () => {
    lintOk([table, "SET statement_timeout = '5s';\nCREATE INDEX i ON t (a);"]);
    lintOk([table, 'CREATE INDEX CONCURRENTLY i ON t (a);']);
  });
  it('accepts statements on a table created in the same file', () => {
    lintOk(`${table}\nCREATE INDEX i ON t (a);`);
  });
  it('is opt-in (off in every preset) and suppressed by pgdrift-ignore with a reason', () => {
    for (const preset of ['recommended', 'helios', 'strict'] as const) expect(lintMemory([table, 'CREATE INDEX i ON t (a);'], { preset }).some((f) => f.rule === 'require-statement-timeout')).toBe(false);
    lintOk([table, '-- pgdrift-ignore require-statement-timeout: t is small\nCREATE INDEX i ON t (a);']);
  });
});
