import { describe, expect, it } from 'vitest';
import { lintMemory, ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('fk-partial-index');
const parent = 'CREATE TABLE p (id uuid PRIMARY KEY);';
const child = 'CREATE TABLE c (id uuid PRIMARY KEY, p_id uuid REFERENCES p(id), deleted_at timestamptz);';

describe('fk-partial-index', () => {
  it('reports an FK whose only index is partial with a real filter, at the FK', () => {
    expect(lintErrors([parent, child, 'CREATE INDEX c_live_p ON c (p_id) WHERE deleted_at IS NULL;'])).toEqual([
      '002_m.sql:1:38 foreign key c_p_id_fkey (p_id) on c is indexed only by partial index c_live_p',
    ]);
  });

  it('is silent when a full index exists, when the partial predicate is only IS NOT NULL on the FK columns, and when no index exists (fk-needs-index then)', () => {
    lintOk([parent, child, 'CREATE INDEX c_live_p ON c (p_id) WHERE deleted_at IS NULL;\nCREATE INDEX c_p ON c (p_id);']);
    lintOk([parent, child, 'CREATE INDEX c_p ON c (p_id) WHERE p_id IS NOT NULL;']);
    lintOk([parent, child]);
  });

  it('reports an FK on a table created in the same file (the end state matters, not the file)', () => {
    expect(lintErrors([parent, `${child}\nCREATE INDEX c_live_p ON c (p_id) WHERE deleted_at IS NULL;`])).toHaveLength(1);
  });

  it('gives exactly one finding per FK across fk-needs-index and fk-partial-index', () => {
    const findings = lintMemory([parent, child, 'CREATE INDEX c_live_p ON c (p_id) WHERE deleted_at IS NULL;'], { rules: ['fk-needs-index', 'fk-partial-index'] });
    expect(findings.map((f) => f.rule)).toEqual(['fk-partial-index']);
  });

  it('is suppressed by a reasoned pgdrift-ignore above the statement that adds the FK', () => {
    lintOk([parent, `-- pgdrift-ignore fk-partial-index: parents are never deleted\n${child}`, 'CREATE INDEX c_live_p ON c (p_id) WHERE deleted_at IS NULL;']);
  });
});
