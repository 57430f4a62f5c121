import { describe, expect, it } from 'vitest';
import { lintMemory } from '../fixtures/lint/helpers.js';

// Issue 9 item 10: prefer-identity said "primary key line_no is a 32-bit integer" for a column that is only
// one part of a composite (natural) key.
describe('prefer-identity on a composite primary key', () => {
  it('says nothing about the int part of a composite key', () => {
    const findings = lintMemory('CREATE TABLE order_lines (order_id bigint NOT NULL, line_no integer NOT NULL, PRIMARY KEY (order_id, line_no));', { rules: ['prefer-identity'] });
    expect(findings).toEqual([]);
  });
});
