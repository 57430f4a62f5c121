import { describe, expect, it } from 'vitest';
import { lintMemory } from '../../fixtures/lint/helpers.js';

const show = (sql: string | string[]) =>
  lintMemory(sql, { rules: ['suppression-reason', 'drop-table'] }).map((f) => `${f.file.replace('migrations/', '')}:${f.line}:${f.column} ${f.rule}`);

describe('suppression-reason', () => {
  it('reports a suppression without a reason (which still silences)', () => {
    expect(show(['CREATE TABLE a (id int);', '-- pgdrift-ignore drop-table\nDROP TABLE a;'])).toEqual(['002_m.sql:1:1 suppression-reason']);
    expect(show(['CREATE TABLE a (id int);', 'SELECT 1;\n  -- pgdrift-ignore-file drop-table:   \nDROP TABLE a;'])).toEqual(['002_m.sql:2:3 suppression-reason']);
  });
  it('accepts a reason after the colon', () => {
    expect(show(['CREATE TABLE a (id int);', '-- pgdrift-ignore drop-table: replaced by b\nDROP TABLE a;'])).toEqual([]);
  });
});
