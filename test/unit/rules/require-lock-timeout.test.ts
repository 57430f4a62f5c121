import { describe, expect, it } from 'vitest';
import { lintMemory, ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('require-lock-timeout');
const table = 'CREATE TABLE t (id bigint PRIMARY KEY, a int);';

describe('require-lock-timeout', () => {
  it('reports the first statement of a file that locks an existing table without lock_timeout, once per file', () => {
    expect(lintErrors([table, 'CREATE TABLE u (id int);\nALTER TABLE t ADD COLUMN b int;\nCREATE INDEX i ON t (a);'])).toEqual([
      '002_m.sql:2:1 locks existing table t (ACCESS EXCLUSIVE) with no lock_timeout set in this file',
    ]);
    expect(lintErrors([table, 'CREATE TABLE c (id int, t_id bigint REFERENCES t (id));'])).toEqual([
      '002_m.sql:1:1 locks existing table t (SHARE ROW EXCLUSIVE) with no lock_timeout set in this file',
    ]);
    expect(lintErrors([table, "SET lock_timeout = '2s';\nRESET lock_timeout;\nDROP TABLE t;"])).toHaveLength(1);
  });
  it("accepts SET [LOCAL] lock_timeout before the lock, and statements that lock nothing existing", () => {
    lintOk([table, "SET lock_timeout = '2s';\nALTER TABLE t ADD COLUMN b int;"]);
    lintOk([table, "SET LOCAL lock_timeout TO 1000;\nCREATE INDEX i ON t (a);"]);
    lintOk([table, 'CREATE TABLE u (id int);\nINSERT INTO t VALUES (1, 1);']);
  });
  it('accepts locks on a table created in the same file', () => {
    lintOk(`${table}\nALTER TABLE t ADD COLUMN b int;\nCREATE INDEX i ON t (a);`);
  });
  it('is opt-in (off in every preset) and suppressed by pgdrift-ignore with a reason', () => {
    for (const preset of ['recommended', 'helios', 'strict'] as const) expect(lintMemory([table, 'ALTER TABLE t ADD COLUMN b int;'], { preset }).some((f) => f.rule === 'require-lock-timeout')).toBe(false);
    lintOk([table, '-- pgdrift-ignore require-lock-timeout: the runner sets lock_timeout on its connection\nALTER TABLE t ADD COLUMN b int;']);
  });
});
