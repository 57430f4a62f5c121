import { PGlite } from '@electric-sql/pglite';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser } from '../../../src/sql/parse.js';
import { lintMemory } from '../../fixtures/lint/helpers.js';

/**
 * Field report (papermark, hoppscotch, inbox-zero, dittofeed: Prisma and drizzle name tables and columns in mixed
 * case): the SQL in a finding's help left the names unquoted, so the copied fix failed with 42P01 ("account" does
 * not exist). Names are quoted where Postgres needs it; the suggested SQL runs on a real Postgres.
 */
beforeAll(() => loadSqlParser());

const SCHEMA = 'CREATE TABLE "User" ("id" text PRIMARY KEY);\nCREATE TABLE "Account" ("id" text PRIMARY KEY, "userId" text, "order" int);\n';

describe('help SQL quotes mixed-case and reserved names', () => {
  it('fk-needs-index: the CREATE INDEX it suggests runs', async () => {
    const findings = lintMemory([SCHEMA, 'ALTER TABLE "Account" ADD CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id");'], { rules: ['fk-needs-index'] });
    const help = findings[0].help;
    expect(help).toContain('CREATE INDEX IF NOT EXISTS "idx_Account_userId" ON "Account" ("userId");');
    const db = await PGlite.create();
    try {
      await db.exec(SCHEMA);
      await db.exec(help.slice(0, help.indexOf(';') + 1));
      const { rows } = await db.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'Account' AND indexname = 'idx_Account_userId'");
      expect(rows).toHaveLength(1);
    } finally {
      await db.close();
    }
  });

  it('constraint-not-valid, add-unique-constraint, set-not-null: quoted where needed, bare where not', () => {
    const help = (rule: string, sql: string) => lintMemory([SCHEMA + 'CREATE TABLE plain (id int PRIMARY KEY, code text);', sql], { rules: [rule] })[0]?.help;
    expect(help('constraint-not-valid', 'ALTER TABLE "Account" ADD CONSTRAINT "Account_order_check" CHECK ("order" > 0);')).toBe(
      'add it NOT VALID, then ALTER TABLE "Account" VALIDATE CONSTRAINT "Account_order_check" (a weaker lock)',
    );
    expect(help('add-unique-constraint', 'ALTER TABLE plain ADD CONSTRAINT plain_code_key UNIQUE (code);')).toContain('CREATE UNIQUE INDEX CONCURRENTLY plain_code_key ON plain (code);');
    expect(help('set-not-null', 'ALTER TABLE "Account" ALTER COLUMN "order" SET NOT NULL;')).toContain('add CHECK ("order" IS NOT NULL) NOT VALID');
  });
});
