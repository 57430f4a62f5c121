import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('add-required-column');
const table = 'CREATE TABLE a (id int);';

describe('add-required-column', () => {
  it('reports a NOT NULL column without default added to an existing table', () => {
    expect(lintErrors([table, 'ALTER TABLE a ADD COLUMN x text NOT NULL;'])).toEqual(['002_m.sql:1:26 adds NOT NULL column x without a default to a']);
  });
  it('accepts a default, a nullable column, an identity, or a new table', () => {
    lintOk([table, "ALTER TABLE a ADD COLUMN x text NOT NULL DEFAULT 'n';"]);
    lintOk([table, 'ALTER TABLE a ADD COLUMN x text;']);
    lintOk([table, 'ALTER TABLE a ADD COLUMN x bigint GENERATED ALWAYS AS IDENTITY NOT NULL;']);
    lintOk('CREATE TABLE b (id int);\nALTER TABLE b ADD COLUMN x text NOT NULL;');
  });
  it('reports it on a table this file created and filled with rows copied from the database (the replay has none to copy)', () => {
    expect(lintErrors([table, 'CREATE TABLE b AS SELECT * FROM a;\nALTER TABLE b ADD COLUMN x text NOT NULL;'])).toEqual([
      '002_m.sql:2:26 adds NOT NULL column x without a default to b, which line 1 of this file filled with rows',
    ]);
    expect(lintErrors([table, 'CREATE TABLE b (id int);\nINSERT INTO b SELECT id FROM a;\nALTER TABLE b ADD COLUMN x text NOT NULL;'])).toEqual([
      '002_m.sql:3:26 adds NOT NULL column x without a default to b, which line 2 of this file filled with rows',
    ]);
    // SELECT ... INTO makes a table the schema history does not track: unknown tables count as existing ones
    expect(lintErrors([table, 'SELECT * INTO b FROM a;\nALTER TABLE b ADD COLUMN x text NOT NULL;'])).toEqual(['002_m.sql:2:26 adds NOT NULL column x without a default to b']);
    // WITH NO DATA copies no rows; a table emptied after the copy has none either
    lintOk([table, 'CREATE TABLE b AS SELECT * FROM a WITH NO DATA;\nALTER TABLE b ADD COLUMN x text NOT NULL;']);
    lintOk([table, 'CREATE TABLE b AS SELECT * FROM a;\nTRUNCATE b;\nALTER TABLE b ADD COLUMN x text NOT NULL;']);
  });
  it('accepts a serial column: its nextval() default fills the rows (a field report: bigserial NOT NULL was an error)', () => {
    lintOk([table, 'ALTER TABLE a ADD COLUMN x bigserial NOT NULL;']);
    lintOk([table, 'ALTER TABLE a ADD COLUMN x serial PRIMARY KEY;']);
    // a type of that name in a schema is no serial: Postgres expands only the unqualified pseudo-type
    expect(lintErrors([table, 'ALTER TABLE a ADD COLUMN x app.serial NOT NULL;'])).toEqual(['002_m.sql:1:26 adds NOT NULL column x without a default to a']);
  });
  it('accepts a column added to a table the same file emptied first (field: hyperledger/firefly 000028_add_tokenpool_fields)', () => {
    lintOk([table, 'BEGIN;\nDELETE FROM a;\nALTER TABLE a ADD COLUMN x varchar(64) NOT NULL;\nCOMMIT;']);
    lintOk([table, 'TRUNCATE public.a;\nALTER TABLE a ADD COLUMN x bigint NOT NULL;']);
  });
  it('still reports it when the DELETE keeps rows, the table is refilled, or another table was emptied', () => {
    expect(lintErrors([table, "DELETE FROM a WHERE id > 1;\nALTER TABLE a ADD COLUMN x text NOT NULL;"])).toEqual(['002_m.sql:2:26 adds NOT NULL column x without a default to a']);
    expect(lintErrors([table, 'DELETE FROM a;\nINSERT INTO a VALUES (1);\nALTER TABLE a ADD COLUMN x text NOT NULL;'])).toEqual(['002_m.sql:3:26 adds NOT NULL column x without a default to a']);
    expect(lintErrors([table + '\nCREATE TABLE b (id int);', 'DELETE FROM b;\nALTER TABLE a ADD COLUMN x text NOT NULL;'])).toEqual(['002_m.sql:2:26 adds NOT NULL column x without a default to a']);
  });
});
