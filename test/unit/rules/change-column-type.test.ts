import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('change-column-type');

describe('change-column-type', () => {
  it('reports a type change whose cost pgdrift cannot tell: a table that predates the history, or a modifier change', () => {
    expect(lintErrors(['ALTER TABLE legacy ALTER COLUMN x TYPE bigint;'])).toEqual(['001_m.sql:1:40 changes the type of legacy.x to int8']);
    expect(lintErrors(['CREATE TABLE a (id int, v varchar(10));', 'ALTER TABLE a ALTER COLUMN v TYPE varchar(20);'])).toEqual(['002_m.sql:1:35 changes the type of a.v to varchar']);
  });
  it('leaves known rewrites to table-rewrite and accepts catalog-only changes', () => {
    lintOk(['CREATE TABLE a (id int, x int);', 'ALTER TABLE a ALTER COLUMN x TYPE bigint;']);
    lintOk(['CREATE TABLE a (id int, v varchar(10));', 'ALTER TABLE a ALTER COLUMN v TYPE text;']);
  });
  it('accepts it on a new table', () => {
    lintOk('CREATE TABLE a (id int, x int);\nALTER TABLE a ALTER COLUMN x TYPE bigint;');
  });
  it('is suppressed by pgdrift-ignore with a reason', () => {
    lintOk(['-- pgdrift-ignore change-column-type: the table is tiny\nALTER TABLE legacy ALTER COLUMN x TYPE bigint;']);
  });
});
