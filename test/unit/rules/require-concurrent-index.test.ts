import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('require-concurrent-index');

describe('require-concurrent-index', () => {
  it('reports CREATE INDEX without CONCURRENTLY on an existing table', () => {
    expect(lintErrors(['CREATE TABLE a (id int);', 'CREATE INDEX i ON a (id);'])).toEqual(['002_m.sql:1:1 CREATE INDEX i on existing table a blocks writes while it builds']);
    // the message repeats the statement as written (trigger.dev, documenso: Prisma's CREATE UNIQUE INDEX "User_email_key")
    expect(lintErrors(['CREATE TABLE a (id int);', 'CREATE UNIQUE INDEX i ON a (id);'])).toEqual(['002_m.sql:1:1 CREATE UNIQUE INDEX i on existing table a blocks writes while it builds']);
  });
  it('accepts CONCURRENTLY, and any index on a table of the same file', () => {
    lintOk(['CREATE TABLE a (id int);', 'CREATE INDEX CONCURRENTLY i ON a (id);']);
    lintOk('CREATE TABLE a (id int);\nCREATE INDEX i ON a (id);');
  });
});
