import { beforeAll, describe, expect, it } from 'vitest';
import { readComments } from '../../src/lint/comments.js';
import { loadSqlParser, parseSql } from '../../src/sql/parse.js';

beforeAll(loadSqlParser);

describe('readComments header', () => {
  it.each([
    ['ASCII', '-- Migration 007: Add things\r\n/* a /* nested */ note */ -- Purpose: explain\n\t-- Created: 2025-01-02\nCREATE TABLE t (id int);\n-- Created: 1999-01-01\n'],
    ['multibyte', '-- Migration 007: Ajout é😀\r\n/* é /* 😀 */ note */ -- Purpose: expliqué\n\t-- Created: 2025-01-02\nCREATE TABLE t (id int);\n'],
    ['comment-only', '-- Migration 007: Nothing\n-- Purpose: nothing\n/* x */'],
    ['meta-command first', '\\set ON_ERROR_STOP on\n-- Migration 007: Late\nSELECT 1;'],
  ])('of a parsed %s file is what the scanner tokens give', (_name, sql) => {
    const parsed = parseSql(sql, 'm.sql');
    const fromSkip = readComments(sql, 'm.sql', parsed).header;
    const fromTokens = readComments(sql, 'm.sql').header; // no parse: the header comes from the scanner's tokens
    expect(fromSkip).toEqual(fromTokens);
  });

  it('reads the fields before the first statement, at their columns', () => {
    const sql = '-- Migration 007: Add é😀\r\n/* a /* nested */ note */ -- Purpose: explain\n\t-- Created: 2025-01-02\nCREATE TABLE t (id int);\n-- Created: 1999-01-01\n';
    expect(readComments(sql, 'm.sql', parseSql(sql, 'm.sql')).header).toEqual({
      commentLines: 3,
      migration: { number: '007', title: 'Add é😀', value: '007', line: 1, column: 14 },
      purpose: { value: 'explain', line: 2, column: 39 },
      created: { value: '2025-01-02', line: 3, column: 14 },
    });
  });
});
