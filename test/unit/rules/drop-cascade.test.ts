import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('drop-cascade');

describe('drop-cascade', () => {
  it('reports DROP ... CASCADE, DROP COLUMN ... CASCADE and TRUNCATE ... CASCADE, naming what is dropped', () => {
    expect(lintErrors('DROP VIEW v CASCADE;\nALTER TABLE a DROP COLUMN x CASCADE;\nTRUNCATE a CASCADE;')).toEqual([
      '001_m.sql:1:1 DROP VIEW v CASCADE also removes everything that depends on it',
      '001_m.sql:2:15 DROP COLUMN x CASCADE also removes everything that depends on it',
      '001_m.sql:3:1 TRUNCATE a CASCADE also empties every table with a foreign key to it',
    ]);
  });
  it('names the foreign keys of other tables the history made, which go with a dropped table', () => {
    const sql = [
      'CREATE TABLE app.users (id int PRIMARY KEY);',
      'CREATE TABLE orders (id int PRIMARY KEY, user_id int CONSTRAINT orders_user_fk REFERENCES app.users (id));',
      'CREATE TABLE notes (id int, author int REFERENCES app.users);',
      'TRUNCATE app.users CASCADE;',
      'DROP TABLE IF EXISTS app.users, missing CASCADE;',
    ].join('\n');
    expect(lintErrors(sql)).toEqual([
      '001_m.sql:4:1 TRUNCATE app.users CASCADE also empties every table with a foreign key to it (through the foreign keys the history made: orders_user_fk on public.orders, notes_author_fkey on public.notes)',
      '001_m.sql:5:1 DROP TABLE app.users, missing CASCADE also removes everything that depends on it (foreign keys the history made that go with it: orders_user_fk on public.orders, notes_author_fkey on public.notes)',
    ]);
  });
  it('accepts a plain drop', () => {
    lintOk('DROP VIEW IF EXISTS v;');
  });
});
