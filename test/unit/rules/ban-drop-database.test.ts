import { describe, expect, it } from 'vitest';
import { lintMemory, ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('ban-drop-database');

describe('ban-drop-database', () => {
  it('reports DROP DATABASE, as an error in the recommended preset', () => {
    expect(lintErrors('DROP DATABASE IF EXISTS app;')).toEqual(['001_m.sql:1:1 DROP DATABASE app in a migration']);
    expect(lintMemory('DROP DATABASE app;').find((f) => f.rule === 'ban-drop-database')?.severity).toBe('error');
  });
  it('accepts other drops (a new table is no exception: there is no table here)', () => {
    lintOk('CREATE TABLE a (id int);\nDROP TABLE a;\nDROP SCHEMA IF EXISTS x;');
  });
  it('is suppressed by pgdrift-ignore with a reason', () => {
    lintOk('-- pgdrift-ignore ban-drop-database: throwaway test database\nDROP DATABASE app;');
  });
});
