import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('drop-column');

describe('drop-column', () => {
  it('reports DROP COLUMN on an existing table', () => {
    expect(lintErrors(['CREATE TABLE a (id int, x int);', 'ALTER TABLE a DROP COLUMN IF EXISTS x;'])).toEqual(['002_m.sql:1:15 drops column x of a and its data']);
  });
  it('points at each DROP COLUMN of a multi-command ALTER TABLE (e2b-dev/infra 20240315165236_create_env_builds.sql)', () => {
    const alter = 'ALTER TABLE IF EXISTS "public"."envs" \n    DROP COLUMN IF EXISTS "dockerfile",\n    ALTER COLUMN x TYPE numeric(10, 2) USING (ARRAY[1, 2])[1],\n    DROP COLUMN IF EXISTS "vcpu";';
    expect(lintErrors(['CREATE TABLE envs (id int, dockerfile text, vcpu int, x int);', alter])).toEqual([
      '002_m.sql:2:5 drops column dockerfile of envs and its data',
      '002_m.sql:4:5 drops column vcpu of envs and its data',
    ]);
    // a comment or a schema-qualified name with a star (ONLY's opposite) does not shift the pieces
    expect(lintErrors(['CREATE TABLE a (id int, x int, y int);', 'ALTER TABLE public.a * -- legacy, both\n  DROP x, /* , */ DROP y;'])).toEqual([
      '002_m.sql:2:3 drops column x of a and its data',
      '002_m.sql:2:19 drops column y of a and its data',
    ]);
  });
  it('accepts it on a table created in the same file', () => {
    lintOk('CREATE TABLE a (id int, x int);\nALTER TABLE a DROP COLUMN x;');
  });
});
