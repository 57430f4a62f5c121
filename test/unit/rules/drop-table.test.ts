import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('drop-table');

describe('drop-table', () => {
  it('reports dropping a table created by an earlier file (or unknown to the history)', () => {
    expect(lintErrors(['CREATE TABLE a (id int);', 'DROP TABLE IF EXISTS a;'])).toEqual(['002_m.sql:1:1 drops table a and all its data']);
    expect(lintErrors('DROP TABLE legacy;')).toHaveLength(1);
  });
  it('accepts dropping a table in a schema a plain CREATE SCHEMA made earlier in the file (it is empty): field the-last-resume', () => {
    // guyathomas/the-last-resume 00001: DROP SCHEMA IF EXISTS app_public CASCADE; CREATE SCHEMA app_public; DROP TABLE IF EXISTS app_public.users
    lintOk('DROP SCHEMA IF EXISTS app_public CASCADE;\nCREATE SCHEMA app_public;\nDROP TABLE IF EXISTS app_public.users;\nCREATE TABLE app_public.users (id int);');
    // IF NOT EXISTS may find the schema there already, with its tables; an earlier file's schema may have gained some
    expect(lintErrors('CREATE SCHEMA IF NOT EXISTS app;\nDROP TABLE IF EXISTS app.users;')).toHaveLength(1);
    expect(lintErrors(['CREATE SCHEMA app;', 'DROP TABLE IF EXISTS app.users;'])).toHaveLength(1);
  });
  it('accepts dropping a table created in the same file', () => {
    lintOk('CREATE TABLE tmp (id int);\nDROP TABLE tmp;');
  });
  it('is silenced by a suppression with a reason', () => {
    lintOk(['CREATE TABLE a (id int);', '-- pgdrift-ignore drop-table: replaced by b in 001\nDROP TABLE a;']);
  });
});
