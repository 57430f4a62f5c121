import { expect, it } from 'vitest';
import { loadSqlParser, parseSql } from '../../src/sql/parse.js';
import { runRules } from '../../src/lint/engine.js';
import { rules } from '../../src/lint/rules/index.js';

/**
 * Field defect (issue 12 item 5): lint time grew quadratically with statements per file (2 MB 3.2 s, 10 MB 73 s),
 * because every statement got a fresh copy of all the statements before it. Now the copy is made only when a
 * rule reads `earlierInFile`; this counts the reads for a file of INSERTs with every rule enabled.
 */
it('no rule reads the earlier statements of a file of INSERTs', async () => {
  await loadSqlParser();
  const text = `CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY);\n${Array.from({ length: 2000 }, (_, i) => `INSERT INTO t (id) VALUES (${i});`).join('\n')}\n`;
  let reads = 0;
  const original = Object.getOwnPropertyDescriptor(Array.prototype, 'slice')!;
  const parsed = parseSql(text, 'migrations/001_t.sql');
  const statementCount = parsed.statements.length;
  // count slices of the statement list that the engine makes for earlierInFile
  Array.prototype.slice = function (this: unknown[], ...args: number[]) {
    if (this.length === statementCount && args[0] === 0) reads++;
    return original.value.apply(this, args);
  } as typeof Array.prototype.slice;
  try {
    runRules({
      root: '/x',
      migrations: [{ path: '/x/migrations/001_t.sql', file: 'migrations/001_t.sql', name: '001_t.sql', text, source: text, header: {} } as any],
      // every statement and schema rule: the ones that run once per statement
      severities: new Map(rules.filter((rule) => rule.scope === 'statement' || rule.scope === 'schema').map((rule) => [rule.id, 'warning' as const])),
      options: { fileNamePattern: /^\d+_.*\.sql$/, forbiddenFiles: [], numberRange: [1, 999], today: '2026-12-01' },
    });
  } finally {
    Object.defineProperty(Array.prototype, 'slice', original);
  }
  expect(reads).toBe(0);
});
