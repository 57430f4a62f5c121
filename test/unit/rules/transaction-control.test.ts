import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';
import { runnerByName } from '../../../src/runners/index.js';

const { lintOk, lintErrors } = ruleTester('transaction-control');

describe('transaction-control', () => {
  it('reports BEGIN and COMMIT inside a migration', () => {
    expect(lintErrors('CREATE TABLE a (id int);\nBEGIN;\nCREATE TABLE b (id int);\nCOMMIT;\nCREATE TABLE c (id int);')).toEqual([
      '001_m.sql:2:1 BEGIN inside a migration: the runner sends each file as one query, which Postgres runs as one implicit transaction',
      '001_m.sql:4:1 COMMIT inside a migration: the runner sends each file as one query, which Postgres runs as one implicit transaction',
    ]);
  });
  it("accepts BEGIN first and COMMIT last where the runner opens no transaction (golang-migrate's tutorial writes that; field report: 156 warnings)", () => {
    lintOk('BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;');
    lintOk('START TRANSACTION;\nCREATE TABLE a (id int);\nEND;', { options: { runner: runnerByName('golang-migrate') } });
  });
  it("leaves Prisma's own generated AlterEnum block alone, and still reports one written by hand (field report: trigger.dev, 26 warnings)", () => {
    const prisma = { options: { runner: runnerByName('prisma') } };
    const generated =
      'CREATE TYPE "Role" AS ENUM (\'USER\', \'ADMIN\', \'GUEST\');\n\n-- AlterEnum\nBEGIN;\nCREATE TYPE "Role_new" AS ENUM (\'USER\', \'ADMIN\');\nALTER TYPE "Role" RENAME TO "Role_old";\nALTER TYPE "Role_new" RENAME TO "Role";\nDROP TYPE "Role_old";\nCOMMIT;\n';
    lintOk(generated, prisma);
    expect(lintErrors('CREATE TABLE z (id int);\nBEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nCREATE TABLE b (id int);', prisma)).toHaveLength(2);
    // the same block under another runner is still reported
    expect(lintErrors(generated)).toHaveLength(2);
  });
  it('where the runner runs each statement on its own (Sqitch, dbmate transaction:false): only a BEGIN never committed', () => {
    const sqitch = { options: { runner: runnerByName('sqitch') } };
    // sqitch add's template, and a CONCURRENTLY index after the block
    lintOk('-- Deploy app:users to pg\n\nBEGIN;\nCREATE TABLE users (id int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY users_id ON users (id);\nBEGIN;\nCREATE TABLE b (id int);\nCOMMIT;', sqitch);
    expect(lintErrors('BEGIN;\nCREATE TABLE users (id int);\n', sqitch)).toEqual([
      "001_m.sql:1:1 BEGIN without a COMMIT later in the file: the runner commits each statement on its own and opens no transaction, so this one is still open when the script ends, and its work is rolled back",
    ]);
    // the same script under a runner that wraps the file is still reported
    expect(lintErrors('CREATE TABLE a (id int);\nBEGIN;\nCREATE TABLE b (id int);\nCOMMIT;', { options: { runner: runnerByName('flyway') } })).toHaveLength(2);
  });
  it('accepts BEGIN/END inside a DO block', () => {
    lintOk('DO $$ BEGIN PERFORM 1; END $$;');
  });
});
