import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('prefer-identity');

describe('prefer-identity', () => {
  it('reports serial types and 32-bit primary keys', () => {
    expect(lintErrors('CREATE TABLE a (id serial PRIMARY KEY);\nCREATE TABLE b (id integer, PRIMARY KEY (id));\nCREATE TABLE c (n bigserial);')).toEqual([
      '001_m.sql:1:20 column id uses serial',
      '001_m.sql:2:20 primary key id is a 32-bit integer',
      '001_m.sql:3:19 column n uses bigserial',
    ]);
  });
  it('accepts identity, bigint and uuid keys, and integer non-key columns', () => {
    lintOk('CREATE TABLE a (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, n integer);');
    lintOk('CREATE TABLE b (id uuid PRIMARY KEY);');
  });
  it('does not flag an int column inside a composite primary key (not a surrogate key)', () => {
    lintOk('CREATE TABLE line_items (order_id bigint, line_no integer, PRIMARY KEY (order_id, line_no));');
    lintOk('CREATE TABLE pairs (a int, b smallint, PRIMARY KEY (a, b));');
    expect(lintErrors('CREATE TABLE c (id int, PRIMARY KEY (id));')).toEqual(['001_m.sql:1:20 primary key id is a 32-bit integer']);
  });
  it('does not flag a primary key that is also a foreign key: it copies the referenced key (field: rust-lang/docs.rs release_build_status)', () => {
    lintOk('CREATE TABLE release_build_status (rid INTEGER NOT NULL PRIMARY KEY REFERENCES releases ON DELETE CASCADE, n text);');
    lintOk('CREATE TABLE profile (user_id int, PRIMARY KEY (user_id), FOREIGN KEY (user_id) REFERENCES users (id));');
    // a serial is still reported, and so is a key whose foreign key covers another column
    expect(lintErrors('CREATE TABLE c (id serial PRIMARY KEY REFERENCES p);\nCREATE TABLE d (id int PRIMARY KEY, p int REFERENCES p);')).toEqual([
      '001_m.sql:1:20 column id uses serial',
      '001_m.sql:2:20 primary key id is a 32-bit integer',
    ]);
  });
});
