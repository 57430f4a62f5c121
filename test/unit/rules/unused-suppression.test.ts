import { describe, expect, it } from 'vitest';
import { lintMemory } from '../../fixtures/lint/helpers.js';

const show = (sql: string | string[], rules = ['unused-suppression', 'drop-table', 'drop-column']) =>
  lintMemory(sql, { rules }).map((f) => `${f.file.replace('migrations/', '')}:${f.line}:${f.column} ${f.rule} ${f.message}`);

describe('unused-suppression', () => {
  it('reports a suppression whose rule does not fire on the next statement', () => {
    expect(show(['CREATE TABLE a (id int, x int);', '-- pgdrift-ignore drop-table: cleanup\nALTER TABLE a DROP COLUMN x;'])).toEqual([
      '002_m.sql:1:1 unused-suppression pgdrift-ignore drop-table silences nothing on the next statement',
      '002_m.sql:2:15 drop-column drops column x of a and its data',
    ]);
  });
  it('reports unknown rule ids and a directive naming no rule', () => {
    expect(show('-- pgdrift-ignore-file drop-tabel: typo\n-- pgdrift-ignore\nSELECT 1;')).toEqual([
      '001_m.sql:1:1 unused-suppression pgdrift-ignore-file names an unknown rule "drop-tabel"',
      '001_m.sql:2:1 unused-suppression pgdrift-ignore names no rule',
    ]);
  });
  it('does not report a suppression of a rule that is off in this configuration', () => {
    expect(show('-- pgdrift-ignore truncate: reset\nSELECT 1;')).toEqual([]);
  });
  it('covers the whole next statement, across lines, and only it', () => {
    expect(show(['CREATE TABLE a (id int, x int, y int);', '-- pgdrift-ignore drop-column: both legacy\nALTER TABLE a\n  DROP COLUMN x,\n  DROP COLUMN y;\nALTER TABLE a DROP COLUMN id;'])).toEqual([
      '002_m.sql:5:15 drop-column drops column id of a and its data',
    ]);
  });
});
