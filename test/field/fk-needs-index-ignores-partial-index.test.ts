import { describe, expect, it } from 'vitest';
import { lintMemory } from '../fixtures/lint/helpers.js';

// Issue 9 item 11: fk-needs-index said "has no index starting with that column" although a partial index on
// that column existed. Now: IS NOT NULL partial indexes fully cover the FK (its lookups imply the predicate);
// a filtering partial index gives the distinct, weaker fk-partial-index finding instead.
const history = [
  'CREATE TABLE p (id uuid PRIMARY KEY);',
  'CREATE TABLE c (id uuid PRIMARY KEY, p_id uuid REFERENCES p(id), archived boolean NOT NULL DEFAULT false);',
];
const rules = ['fk-needs-index', 'fk-partial-index'];

describe('fk-needs-index with only a partial index', () => {
  it('accepts WHERE p_id IS NOT NULL', () => {
    expect(lintMemory([...history, 'CREATE INDEX c_p ON c (p_id) WHERE p_id IS NOT NULL;'], { rules })).toEqual([]);
  });
  it('says that only a partial index exists, under its own rule', () => {
    const findings = lintMemory([...history, 'CREATE INDEX c_p ON c (p_id) WHERE NOT archived;'], { rules });
    expect(findings.map((f) => `${f.rule}: ${f.message}`)).toEqual(['fk-partial-index: foreign key c_p_id_fkey (p_id) on c is indexed only by partial index c_p']);
  });
});
