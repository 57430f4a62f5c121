import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('blocking-maintenance');
const table = 'CREATE TABLE t (id bigint PRIMARY KEY, a int);\nCREATE INDEX t_a ON t (a);\nCREATE MATERIALIZED VIEW mv AS SELECT a FROM t;';

describe('blocking-maintenance', () => {
  it('reports blocking REINDEX, DETACH PARTITION, REFRESH, CLUSTER and VACUUM FULL on existing objects', () => {
    const sql = 'REINDEX INDEX t_a;\nALTER TABLE t DETACH PARTITION t_2020;\nREFRESH MATERIALIZED VIEW mv;\nCLUSTER t USING t_pkey;\nVACUUM FULL t;';
    expect(lintErrors([table, sql])).toEqual([
      '002_m.sql:1:1 REINDEX t_a holds an ACCESS EXCLUSIVE lock while it works: reads and writes wait',
      '002_m.sql:2:1 DETACH PARTITION on t holds an ACCESS EXCLUSIVE lock while it works: reads and writes wait',
      '002_m.sql:3:1 REFRESH MATERIALIZED VIEW mv holds an ACCESS EXCLUSIVE lock while it works: reads and writes wait',
      '002_m.sql:4:1 CLUSTER t holds an ACCESS EXCLUSIVE lock while it works: reads and writes wait',
      '002_m.sql:5:1 VACUUM FULL t holds an ACCESS EXCLUSIVE lock while it works: reads and writes wait',
    ]);
  });
  it('accepts the CONCURRENTLY forms and plain VACUUM', () => {
    lintOk([table, 'REINDEX INDEX CONCURRENTLY t_a;\nALTER TABLE t DETACH PARTITION t_2020 CONCURRENTLY;\nREFRESH MATERIALIZED VIEW CONCURRENTLY mv;\nVACUUM t;']);
  });
  it('accepts them on objects created in the same file', () => {
    lintOk(`${table}\nREINDEX INDEX t_a;\nREFRESH MATERIALIZED VIEW mv;\nVACUUM FULL t;`);
  });
  it('is suppressed by pgdrift-ignore with a reason', () => {
    lintOk([table, '-- pgdrift-ignore blocking-maintenance: run in the maintenance window\nVACUUM FULL t;']);
  });
});
