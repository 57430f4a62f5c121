import { describe, expect, it } from 'vitest';
import { lintMemory, ruleTester } from '../../fixtures/lint/helpers.js';
import { runnerByName } from '../../../src/runners/index.js';

const { lintOk, lintErrors } = ruleTester('drop-index-concurrently');

describe('drop-index-concurrently', () => {
  it('reports DROP INDEX without CONCURRENTLY on an index of an existing table, and on an index the history does not know', () => {
    expect(lintErrors(['CREATE TABLE a (id int);\nCREATE INDEX a_id ON a (id);', 'DROP INDEX a_id;'])).toEqual([
      '002_m.sql:1:1 DROP INDEX a_id on a locks the table against reads and writes until it is dropped',
    ]);
    expect(lintErrors(['DROP INDEX IF EXISTS legacy_idx;'])).toEqual(['001_m.sql:1:1 DROP INDEX legacy_idx locks the table against reads and writes until it is dropped']);
  });
  it('accepts DROP INDEX CONCURRENTLY', () => {
    lintOk(['CREATE TABLE a (id int);\nCREATE INDEX a_id ON a (id);', 'DROP INDEX CONCURRENTLY a_id;']);
  });
  it('accepts a plain DROP INDEX when the table is new in this file, or new in this change (--since)', () => {
    lintOk('CREATE TABLE a (id int);\nCREATE INDEX a_id ON a (id);\nDROP INDEX a_id;');
    const since = { ref: 'main', folder: 'migrations', files: new Map([['migrations/001_m.sql', 'SELECT 1;']]) };
    lintOk(['SELECT 1;', 'CREATE TABLE a (id int);\nCREATE INDEX a_id ON a (id);', 'DROP INDEX a_id;'], { since });
    expect(lintErrors(['CREATE TABLE a (id int);\nCREATE INDEX a_id ON a (id);', 'DROP INDEX a_id;'], { since: { ...since, files: new Map([['migrations/001_m.sql', '']]) } })).toHaveLength(1);
  });
  it("the help says where the runner can run it (drizzle: nowhere in a migration, field report: lobe-chat)", () => {
    const history = ['CREATE TABLE a (id int);\nCREATE INDEX a_id ON a (id);', 'DROP INDEX a_id;'];
    const help = (runner?: string) => lintMemory(history, { rules: ['drop-index-concurrently'], options: runner ? { runner: runnerByName(runner) } : {} })[0].help;
    expect(help('drizzle')).toBe(`write DROP INDEX CONCURRENTLY a_id: ${runnerByName('drizzle').lint.outsideTransaction}`);
    expect(help()).toBe('write DROP INDEX CONCURRENTLY a_id: in a file the runner does not wrap in a transaction');
  });
  it('the drizzle help fits a DROP INDEX too: it does not say to build the index (field: aryanprince/campus-hub)', () => {
    const history = ['CREATE TABLE a (id int);\nCREATE INDEX a_id ON a (id);', 'DROP INDEX a_id;'];
    const help = lintMemory(history, { rules: ['drop-index-concurrently'], options: { runner: runnerByName('drizzle') } })[0].help;
    expect(help).not.toContain('build the index');
    expect(help).toContain('run it outside the migrations');
  });
  it('is suppressed by pgdrift-ignore with a reason', () => {
    lintOk(['CREATE TABLE a (id int);\nCREATE INDEX a_id ON a (id);', '-- pgdrift-ignore drop-index-concurrently: a has 10 rows\nDROP INDEX a_id;']);
  });
});
