import { describe, expect, it } from 'vitest';
import { lintMemory, memoryMigration, ruleTester } from '../../fixtures/lint/helpers.js';
import { runRules } from '../../../src/lint/engine.js';
import { planDrizzle } from '../../../src/runners/drizzle.js';

const { lintOk, lintErrors } = ruleTester('concurrent-index-in-transaction');
const inRunnerTransaction = { options: { runnerTransaction: true } };

describe('concurrent-index-in-transaction', () => {
  it('reports every CONCURRENTLY form when the runner wraps the file in a transaction', () => {
    const sql = 'CREATE INDEX CONCURRENTLY i ON t (a);\nDROP INDEX CONCURRENTLY j;\nREINDEX INDEX CONCURRENTLY k;\nALTER TABLE p DETACH PARTITION p1 CONCURRENTLY;';
    expect(lintErrors(sql, inRunnerTransaction)).toEqual([
      "001_m.sql:1:1 CREATE INDEX CONCURRENTLY cannot run inside a transaction block (the runner's, or a BEGIN earlier in the file): the migration fails",
      "001_m.sql:2:1 DROP INDEX CONCURRENTLY cannot run inside a transaction block (the runner's, or a BEGIN earlier in the file): the migration fails",
      "001_m.sql:3:1 REINDEX CONCURRENTLY cannot run inside a transaction block (the runner's, or a BEGIN earlier in the file): the migration fails",
      "001_m.sql:4:1 DETACH PARTITION CONCURRENTLY cannot run inside a transaction block (the runner's, or a BEGIN earlier in the file): the migration fails",
    ]);
  });
  it('reports it after an explicit BEGIN, not after COMMIT, and not when the runner sends statements one by one', () => {
    const oneByOne = { options: { runnerTransaction: false } };
    expect(lintErrors('BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT;\nCREATE INDEX CONCURRENTLY j ON t (b);', oneByOne)).toEqual([
      "001_m.sql:2:1 CREATE INDEX CONCURRENTLY cannot run inside a transaction block (the runner's, or a BEGIN earlier in the file): the migration fails",
    ]);
    lintOk('CREATE INDEX CONCURRENTLY i ON t (a);\nREFRESH MATERIALIZED VIEW CONCURRENTLY mv;', oneByOne);
    lintOk('CREATE INDEX i ON t (a);', inRunnerTransaction);
  });
  it('follows the runner: a file sent as one query is one implicit transaction when it holds more than one statement', () => {
    // the default runner (numbered) sends each file as one query; Postgres refuses CONCURRENTLY in the implicit block
    expect(lintErrors('CREATE TABLE u (a int);\nCREATE INDEX CONCURRENTLY i ON t (a);')).toHaveLength(1);
    lintOk('CREATE INDEX CONCURRENTLY i ON t (a);');
  });
  it('reports it on a new table too: the failure does not depend on the table', () => {
    expect(lintErrors('CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY i ON t (a);', inRunnerTransaction)).toHaveLength(1);
  });
  it('is an error in every preset, and is suppressed by pgdrift-ignore with a reason', () => {
    for (const preset of ['recommended', 'helios', 'strict'] as const) {
      expect(lintMemory('BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);', { preset }).find((f) => f.rule === 'concurrent-index-in-transaction')?.severity).toBe('error');
    }
    lintOk('-- pgdrift-ignore concurrent-index-in-transaction: our runner detects CONCURRENTLY and runs it alone\nCREATE INDEX CONCURRENTLY i ON t (a);', inRunnerTransaction);
  });

  it("drizzle: not after the file's COMMIT ended migrate()'s transaction, each later chunk being a query of its own (field: simstudioai/sim)", () => {
    // drizzle-orm pg-core dialect.ts migrate() executes each `--> statement-breakpoint` chunk on its own: after COMMIT,
    // in autocommit. A chunk of two statements is still one implicit transaction; a file without COMMIT is in drizzle's.
    const lintDrizzle = (text: string) =>
      runRules({
        root: '/virtual',
        migrations: [{ ...memoryMigration('0001_idx.sql', text, 'drizzle'), parts: planDrizzle(text, '0001_idx.sql').parts }],
        severities: new Map([['concurrent-index-in-transaction', 'error']]),
        options: { fileNamePattern: /./, forbiddenFiles: [], numberRange: [1, 999], today: '2025-11-25' },
      }).findings.map((f) => `${f.line}:${f.column}`);
    const index = 'CREATE INDEX CONCURRENTLY "i" ON "t" ("a");';
    expect(lintDrizzle(`ALTER TABLE "t" ADD COLUMN "a" int;--> statement-breakpoint\nCOMMIT;--> statement-breakpoint\nSET lock_timeout = 0;--> statement-breakpoint\n${index}--> statement-breakpoint\nSET lock_timeout = '5s';\n`)).toEqual([]);
    expect(lintDrizzle(`SET lock_timeout = 0;--> statement-breakpoint\n${index}\n`)).toEqual(['2:1']);
    expect(lintDrizzle(`COMMIT;--> statement-breakpoint\nSET lock_timeout = 0;\n${index}\n`)).toEqual(['3:1']);
    expect(lintDrizzle(`COMMIT;--> statement-breakpoint\nBEGIN;--> statement-breakpoint\n${index}\n`)).toEqual(['3:1']);
  });
});
