import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('constraint-not-valid');
const tables = 'CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE a (id int, p_id int);';

describe('constraint-not-valid', () => {
  it('reports an FK or CHECK added to an existing table without NOT VALID', () => {
    expect(lintErrors([tables, 'ALTER TABLE a ADD CONSTRAINT fk FOREIGN KEY (p_id) REFERENCES p (id);\nALTER TABLE a ADD CONSTRAINT ck CHECK (id > 0);'])).toEqual([
      '002_m.sql:1:19 adds foreign key fk to existing table a without NOT VALID',
      '002_m.sql:2:19 adds check constraint ck to existing table a without NOT VALID',
    ]);
  });
  it('accepts NOT VALID, and constraints on a table of the same file', () => {
    lintOk([tables, 'ALTER TABLE a ADD CONSTRAINT fk FOREIGN KEY (p_id) REFERENCES p (id) NOT VALID;\nALTER TABLE a VALIDATE CONSTRAINT fk;']);
    lintOk(`${tables}\nALTER TABLE a ADD CONSTRAINT ck CHECK (id > 0);`);
  });
});
