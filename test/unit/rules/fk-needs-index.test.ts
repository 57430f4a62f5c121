import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('fk-needs-index');
const parent = 'CREATE TABLE p (id uuid PRIMARY KEY, a int, b int, UNIQUE (a, b));';

describe('fk-needs-index', () => {
  it('reports an FK without an index, at the line that added it', () => {
    expect(lintErrors([parent, 'CREATE TABLE c (\n  id uuid PRIMARY KEY,\n  p_id uuid REFERENCES p(id)\n);'])).toEqual([
      '002_m.sql:3:3 foreign key c_p_id_fkey (p_id) on c has no index starting with that column',
    ]);
  });

  it('accepts an index created in the same file or by a later file', () => {
    lintOk([parent, 'CREATE TABLE c (id uuid PRIMARY KEY, p_id uuid REFERENCES p(id));\nCREATE INDEX ON c (p_id);']);
    expect(lintErrors([parent, 'CREATE TABLE c (id uuid PRIMARY KEY, p_id uuid REFERENCES p(id));', 'CREATE INDEX idx_c_p ON c (p_id);'])).toEqual([]);
  });

  it('accepts a primary key that leads with the FK column (composite PK)', () => {
    lintOk([parent, 'CREATE TABLE m (p_id uuid REFERENCES p(id), x int, PRIMARY KEY (p_id, x));']);
  });

  it('does not accept an index where the FK column is not leading', () => {
    expect(lintErrors([parent, 'CREATE TABLE m (p_id uuid REFERENCES p(id), x int, PRIMARY KEY (x, p_id));'])).toHaveLength(1);
  });

  it('is composite aware: the FK columns must be the leading columns, in any order', () => {
    const child = 'CREATE TABLE c (id uuid PRIMARY KEY, a int, b int, FOREIGN KEY (a, b) REFERENCES p (a, b));';
    lintOk([parent, child, 'CREATE INDEX i ON c (b, a, id);']);
    expect(lintErrors([parent, child, 'CREATE INDEX i ON c (a);'])).toEqual(['002_m.sql:1:52 foreign key c_a_b_fkey (a, b) on c has no index starting with those columns']);
    expect(lintErrors([parent, child, 'CREATE INDEX i ON c (a, id, b);'])).toHaveLength(1);
  });

  it('counts a partial index whose predicate every FK lookup satisfies (IS NOT NULL), leaves other partial ones to fk-partial-index', () => {
    const child = 'CREATE TABLE c (id uuid PRIMARY KEY, p_id uuid REFERENCES p(id), gone boolean);';
    lintOk([parent, child, 'CREATE INDEX i ON c (p_id) WHERE p_id IS NOT NULL;']);
    // issue 9 item 11: a filtering partial index is not "no index starting with that column"
    lintOk([parent, child, 'CREATE INDEX i ON c (p_id) WHERE NOT gone;']);
  });

  it('stops counting a dropped index', () => {
    const child = 'CREATE TABLE c (id uuid PRIMARY KEY, p_id uuid REFERENCES p(id));';
    expect(lintErrors([parent, child + ' CREATE INDEX i ON c (p_id);', 'DROP INDEX i;'])).toHaveLength(1);
  });

  it('follows ADD CONSTRAINT, renames and unique constraints', () => {
    lintOk([parent, 'CREATE TABLE c (id uuid PRIMARY KEY, p_id uuid, CONSTRAINT u UNIQUE (p_id));', 'ALTER TABLE c ADD CONSTRAINT fk FOREIGN KEY (p_id) REFERENCES p(id);']);
    lintOk([parent, 'CREATE TABLE c (id uuid PRIMARY KEY, p uuid REFERENCES p(id));\nCREATE INDEX i ON c (p);', 'ALTER TABLE c RENAME COLUMN p TO p_id;']);
    expect(lintErrors([parent, 'CREATE TABLE c (id uuid PRIMARY KEY, p_id uuid);', 'ALTER TABLE c ADD CONSTRAINT fk FOREIGN KEY (p_id) REFERENCES p(id) NOT VALID;'])).toEqual([
      '003_m.sql:1:19 foreign key fk (p_id) on c has no index starting with that column',
    ]);
  });

  it('forgets the FK when its table or column is dropped', () => {
    lintOk([parent, 'CREATE TABLE c (id uuid PRIMARY KEY, p_id uuid REFERENCES p(id));', 'DROP TABLE c;']);
    lintOk([parent, 'CREATE TABLE c (id uuid PRIMARY KEY, p_id uuid REFERENCES p(id));', 'ALTER TABLE c DROP COLUMN p_id;']);
  });
});
