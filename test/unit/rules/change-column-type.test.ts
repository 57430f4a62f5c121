import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('change-column-type');

describe('change-column-type', () => {
  it('reports a type change whose cost pgdrift cannot tell: a table that predates the history, or a modifier change', () => {
    expect(lintErrors(['ALTER TABLE legacy ALTER COLUMN x TYPE bigint;'])).toEqual(['001_m.sql:1:40 changes the type of legacy.x to int8 (its current type is unknown: no replayed migration creates the column)']);
    expect(lintErrors(['CREATE TABLE a (id int, v varchar(20));', 'ALTER TABLE a ALTER COLUMN v TYPE varchar(10);'])).toEqual(['002_m.sql:1:35 changes the type of a.v from varchar(20) to varchar(10)']);
    expect(lintErrors(['CREATE TABLE a (id int, v varchar);', 'ALTER TABLE a ALTER COLUMN v TYPE varchar(10);'])).toEqual(['002_m.sql:1:35 changes the type of a.v from varchar to varchar(10)']);
    expect(lintErrors(['CREATE TABLE a (id int, n numeric(10, 2));', 'ALTER TABLE a ALTER COLUMN n TYPE numeric(12, 3);'])).toEqual(['002_m.sql:1:35 changes the type of a.n from numeric(10, 2) to numeric(12, 3)']);
  });
  it('accepts a limit that only widens or goes, which Postgres applies without touching the rows (its support functions)', () => {
    // atuinsh/atuin 20220421174016_larger-commands.sql: varchar(8192) -> varchar(32768)
    lintOk(['CREATE TABLE history (id bigint, data varchar(8192) NOT NULL);', 'ALTER TABLE history ALTER COLUMN data TYPE varchar(32768);']);
    // hatchet-dev/hatchet 20241114175346_v0_51_3.sql: TIMESTAMP(3) -> timestamp
    lintOk(['CREATE TABLE "Event" ("id" UUID NOT NULL, "createdAt" TIMESTAMP(3) NOT NULL);', 'ALTER TABLE "Event" ALTER COLUMN "createdAt" TYPE timestamp;']);
    lintOk(['CREATE TABLE a (id int, v character varying(10));', 'ALTER TABLE a ALTER COLUMN v TYPE varchar(10);']);
    lintOk(['CREATE TABLE a (id int, n numeric(10, 2), t timestamptz(3), b varbit(4));', 'ALTER TABLE a ALTER COLUMN n TYPE numeric(12, 2), ALTER COLUMN t TYPE timestamptz(6), ALTER COLUMN b TYPE varbit(8);']);
    // the limit the latest change set is the one compared: 50 -> 40 narrows, although 40 is wider than the first 10
    expect(lintErrors(['CREATE TABLE a (id int, v varchar(10));', 'ALTER TABLE a ALTER COLUMN v TYPE varchar(50);', 'ALTER TABLE a ALTER COLUMN v TYPE varchar(40);'])).toEqual(['003_m.sql:1:35 changes the type of a.v from varchar(50) to varchar(40)']);
  });
  it('leaves known rewrites to table-rewrite and accepts catalog-only changes', () => {
    lintOk(['CREATE TABLE a (id int, x int);', 'ALTER TABLE a ALTER COLUMN x TYPE bigint;']);
    lintOk(['CREATE TABLE a (id int, v varchar(10));', 'ALTER TABLE a ALTER COLUMN v TYPE text;']);
  });
  it('a domain an ALTER DOMAIN changed is one pgdrift cannot judge; an unconstrained one over the same base is fine (field: pmantra/e1)', () => {
    lintOk(['CREATE DOMAIN iwstext text;\nCREATE TABLE m (id int, name text);', 'ALTER TABLE m ALTER COLUMN name TYPE iwstext;']);
    expect(lintErrors(['CREATE DOMAIN iwstext text;\nCREATE TABLE m (id int, name text);', "ALTER DOMAIN iwstext ADD CONSTRAINT short CHECK (length(VALUE) < 10);\nALTER TABLE m ALTER COLUMN name TYPE iwstext;"])).toEqual([
      '002_m.sql:2:38 changes the type of m.name from text to iwstext',
    ]);
  });
  it('accepts it on a new table', () => {
    lintOk('CREATE TABLE a (id int, x int);\nALTER TABLE a ALTER COLUMN x TYPE bigint;');
  });
  it('is suppressed by pgdrift-ignore with a reason', () => {
    lintOk(['-- pgdrift-ignore change-column-type: the table is tiny\nALTER TABLE legacy ALTER COLUMN x TYPE bigint;']);
  });
});
