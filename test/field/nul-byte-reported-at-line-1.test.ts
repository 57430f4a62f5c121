import { expect, it } from 'vitest';
import { loadSqlParser } from '../../src/sql/parse.js';
import { prepareHistory } from '../../src/replay/replay.js';

/** Field defect (issue 12 item 9): a NUL byte on line 2 was reported by Postgres as 08P01 at 1:1. */
it('a NUL byte fails the file before anything runs, at its own line and column', async () => {
  await loadSqlParser();
  const text = 'CREATE TABLE a (id int);\nCREATE TABLE b (\0id int);\n';
  const history = prepareHistory([], [{ path: '/x/m.sql', file: 'migrations/001_a.sql', name: '001_a.sql', text, source: text, header: {} } as any]);
  expect(history.files[0].staticFailure).toEqual(expect.objectContaining({ file: 'migrations/001_a.sql', line: 2, column: 17, message: 'a NUL byte (\\0) cannot be part of SQL text' }));
});
