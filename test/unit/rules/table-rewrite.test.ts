import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('table-rewrite');
const table = 'CREATE TABLE t (id bigint PRIMARY KEY, n int, v varchar(10), a int, b int, at timestamp);';
const last = (sql: string) => lintErrors([table, sql]).filter((f) => f.startsWith('002_m.sql'));

describe('table-rewrite', () => {
  it('reports a volatile DEFAULT, an identity, a serial and a stored generated column added to an existing table', () => {
    expect(last('ALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid();')).toEqual([
      '002_m.sql:1:33 adds column u to existing table t with a volatile DEFAULT (gen_random_uuid()): Postgres rewrites the table under an ACCESS EXCLUSIVE lock',
    ]);
    expect(last('ALTER TABLE t ADD COLUMN k int DEFAULT my_counter();')).toHaveLength(1); // user functions are VOLATILE unless declared otherwise
    expect(last('ALTER TABLE t ADD COLUMN s bigint GENERATED ALWAYS AS IDENTITY;')).toHaveLength(1);
    expect(last('ALTER TABLE t ADD COLUMN s bigserial;')).toHaveLength(1);
    expect(last('ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (a + b) STORED;')).toEqual([
      '002_m.sql:1:32 adds column g to existing table t as a STORED generated column: Postgres rewrites the table under an ACCESS EXCLUSIVE lock',
    ]);
  });
  it('reports type changes that rewrite, with the old type from the history', () => {
    expect(last('ALTER TABLE t ALTER COLUMN n TYPE bigint;')).toEqual([
      '002_m.sql:1:35 changes t.n from int4 to int8: Postgres rewrites the table and its indexes under an ACCESS EXCLUSIVE lock',
    ]);
    expect(last('ALTER TABLE t ALTER COLUMN v TYPE int USING v::int;')).toHaveLength(1);
    expect(last('ALTER TABLE t ALTER COLUMN at TYPE timestamptz;')[0]).toContain('only when the session TimeZone is UTC');
    expect(last('ALTER TABLE t SET UNLOGGED;')).toHaveLength(1);
    // a serial column is an integer column (field: hatchet-dev/hatchet v0_10_2.sql, "StepRun"."order" smallserial)
    expect(lintErrors(['CREATE TABLE s (id bigint PRIMARY KEY, "order" smallserial);', 'ALTER TABLE s ALTER COLUMN "order" TYPE BIGINT;'])).toEqual([
      '002_m.sql:1:41 changes s.order from int2 to int8: Postgres rewrites the table and its indexes under an ACCESS EXCLUSIVE lock',
    ]);
  });
  it("follows ALTER TYPE ... RENAME TO: a column of the renamed type has the new name (Prisma's enum change; field report inbox-zero)", () => {
    const history = [
      'CREATE TYPE "ActionType" AS ENUM (\'A\', \'B\');\nCREATE TABLE "Action" ("id" int PRIMARY KEY, "type" "ActionType");',
      'CREATE TYPE "ActionType_new" AS ENUM (\'A\');\nALTER TABLE "Action" ALTER COLUMN "type" TYPE "ActionType_new" USING ("type"::text::"ActionType_new");\nALTER TYPE "ActionType" RENAME TO "ActionType_old";\nALTER TYPE "ActionType_new" RENAME TO "ActionType";\nDROP TYPE "ActionType_old";',
      'CREATE TYPE "ActionType_new" AS ENUM (\'A\', \'C\');\nALTER TABLE "Action" ALTER COLUMN "type" TYPE "ActionType_new" USING ("type"::text::"ActionType_new");',
    ];
    expect(lintErrors(history).filter((f) => f.startsWith('003_m.sql'))).toEqual([expect.stringContaining('changes Action.type from ActionType to ActionType_new')]);
  });

  it('accepts constant and stable defaults, virtual generated columns and catalog-only type changes', () => {
    lintOk([table, "ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0, ADD COLUMN d timestamptz DEFAULT now(), ADD COLUMN e text DEFAULT 'x' || 'y', ADD COLUMN f text[] DEFAULT '{}'::text[], ADD COLUMN h timestamptz DEFAULT CURRENT_TIMESTAMP;"]);
    lintOk([table, 'ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (a + b) VIRTUAL;']);
    lintOk([table, 'ALTER TABLE t ALTER COLUMN v TYPE text;']);
    lintOk([table, 'ALTER TABLE t ALTER COLUMN v TYPE varchar;']);
    lintOk([table, 'ALTER TABLE t ALTER COLUMN n TYPE integer;']);
  });
  it('citext and domains the history creates: text <-> citext and a change to or from an unconstrained domain over the same base keep the rows (field: pmantra/e1, dbmate; relfilenode unchanged on PG 15)', () => {
    const e1 = 'CREATE EXTENSION IF NOT EXISTS citext;\nCREATE DOMAIN ilztext AS TEXT COLLATE "C";\nCREATE TABLE member (id bigint PRIMARY KEY, first_name text, email text, unique_corp_id ilztext, dependent_id text);';
    lintOk([e1, 'CREATE DOMAIN iwstext text;\nALTER TABLE member ALTER COLUMN first_name TYPE iwstext, ALTER COLUMN email TYPE citext;']);
    lintOk([e1, 'ALTER DOMAIN ilztext RENAME TO ilztextci;\nCREATE DOMAIN ilztext TEXT;', 'ALTER TABLE member ALTER COLUMN unique_corp_id TYPE ilztext, ALTER COLUMN dependent_id TYPE citext;']);
    lintOk([e1, 'ALTER TABLE member ALTER COLUMN unique_corp_id TYPE text;', 'ALTER TABLE member ALTER COLUMN email TYPE citext;', 'ALTER TABLE member ALTER COLUMN email TYPE text;']);
    // a domain with a CHECK or NOT NULL is tested row by row: a rewrite; another base type rewrites too
    expect(lintErrors([e1, "CREATE DOMAIN zip AS text CHECK (VALUE ~ '^[0-9]{5}$');\nCREATE DOMAIN num AS int8;", 'ALTER TABLE member ALTER COLUMN first_name TYPE zip;\nALTER TABLE member ALTER COLUMN email TYPE num USING email::int8;\nALTER TABLE member ALTER COLUMN dependent_id TYPE num;'])).toEqual([
      '003_m.sql:1:49 changes member.first_name from text to zip: Postgres rewrites the table and its indexes under an ACCESS EXCLUSIVE lock',
      '003_m.sql:2:44 changes member.email from text to num with USING: Postgres rewrites the table and its indexes under an ACCESS EXCLUSIVE lock',
      '003_m.sql:3:51 changes member.dependent_id from text to num: Postgres rewrites the table and its indexes under an ACCESS EXCLUSIVE lock',
    ]);
  });
  it('accepts anything on a table created in the same file, or in this change (--since)', () => {
    lintOk(`${table}\nALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid();\nALTER TABLE t ALTER COLUMN n TYPE bigint;`);
    const since = { ref: 'main', folder: 'migrations', files: new Map<string, string>() };
    lintOk([table, 'ALTER TABLE t ALTER COLUMN n TYPE bigint;'], { since });
  });
  it('is suppressed by pgdrift-ignore with a reason', () => {
    lintOk([table, '-- pgdrift-ignore table-rewrite: t has 200 rows\nALTER TABLE t ALTER COLUMN n TYPE bigint;']);
  });
});
