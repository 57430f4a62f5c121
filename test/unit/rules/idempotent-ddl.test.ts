import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('idempotent-ddl');

describe('idempotent-ddl', () => {
  it('reports CREATE TABLE / INDEX / EXTENSION / TYPE and ADD COLUMN without IF NOT EXISTS', () => {
    expect(
      lintErrors("CREATE TABLE a (id int);\nCREATE INDEX i ON a (id);\nCREATE EXTENSION pgcrypto;\nCREATE TYPE t AS ENUM ('x');\nALTER TABLE a ADD COLUMN b int;"),
    ).toEqual([
      '001_m.sql:1:1 CREATE TABLE a fails when the migration runs again',
      '001_m.sql:2:1 CREATE INDEX i fails when the migration runs again',
      '001_m.sql:3:1 CREATE EXTENSION pgcrypto fails when the migration runs again',
      '001_m.sql:4:1 CREATE TYPE t fails when the migration runs again',
      '001_m.sql:5:26 ADD COLUMN b fails when the migration runs again',
    ]);
  });

  it('reports drops without IF EXISTS, renames, plain CREATE VIEW / FUNCTION / TRIGGER and ADD CONSTRAINT', () => {
    expect(
      lintErrors(
        'DROP TABLE a;\nALTER TABLE a RENAME COLUMN x TO y;\nCREATE VIEW v AS SELECT 1;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\nCREATE TRIGGER tr BEFORE UPDATE ON a FOR EACH ROW EXECUTE FUNCTION f();\nALTER TABLE a ADD CONSTRAINT c CHECK (id > 0);',
      ),
    ).toEqual([
      '001_m.sql:1:1 DROP TABLE fails when the migration runs again',
      '001_m.sql:2:1 RENAME of a fails when the migration runs again',
      '001_m.sql:3:1 CREATE VIEW v fails when the migration runs again',
      '001_m.sql:4:1 CREATE FUNCTION f fails when the migration runs again',
      '001_m.sql:5:1 CREATE TRIGGER tr fails when the migration runs again',
      '001_m.sql:6:19 ADD CONSTRAINT c fails when the migration runs again',
    ]);
  });

  it('accepts the re-runnable forms, including DROP ... IF EXISTS right before a re-create', () => {
    lintOk(`CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TABLE IF NOT EXISTS a (id int);
CREATE INDEX IF NOT EXISTS i ON a (id);
ALTER TABLE a ADD COLUMN IF NOT EXISTS b int;
CREATE OR REPLACE VIEW v AS SELECT 1;
CREATE OR REPLACE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
DROP TRIGGER IF EXISTS tr ON a;
CREATE TRIGGER tr BEFORE UPDATE ON a FOR EACH ROW EXECUTE FUNCTION f();
ALTER TABLE a DROP CONSTRAINT IF EXISTS c;
ALTER TABLE a ADD CONSTRAINT c CHECK (id > 0);
DROP TYPE IF EXISTS t;
CREATE TYPE t AS ENUM ('x');
ALTER TYPE t ADD VALUE IF NOT EXISTS 'y';
DROP INDEX IF EXISTS i;`);
  });

  it('names a domain by its own name (not its base type) and accepts DROP DOMAIN IF EXISTS before it', () => {
    expect(lintErrors('CREATE DOMAIN email AS text;')).toEqual(['001_m.sql:1:1 CREATE DOMAIN email fails when the migration runs again']);
    lintOk('DROP DOMAIN IF EXISTS email;\nCREATE DOMAIN email AS text;');
  });
});
