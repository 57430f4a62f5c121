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
  it('accepts a DROP INDEX of an index the history already removed: a no-op, nothing to lock (field: srleom/miniclue, a supabase db diff migration)', () => {
    // the primary key's index went with its constraint, so `drop index if exists` after it drops nothing
    const created = 'CREATE TABLE plans (id int);\nALTER TABLE plans ADD CONSTRAINT plans_pkey PRIMARY KEY (id);\nCREATE INDEX plans_id ON plans (id);';
    lintOk([created, 'alter table "public"."plans" drop constraint "plans_pkey";\ndrop index if exists "public"."plans_pkey";\ndrop table "public"."plans";']);
    expect(lintErrors([created, 'DROP INDEX plans_id;', 'DROP INDEX IF EXISTS plans_id;'])).toEqual([
      '002_m.sql:1:1 DROP INDEX plans_id on plans locks the table against reads and writes until it is dropped',
    ]);
    lintOk([created, 'ALTER TABLE plans DROP COLUMN id;', 'DROP INDEX IF EXISTS plans_id;']);
    lintOk([created, 'ALTER INDEX plans_id RENAME TO plans_id_idx;', 'DROP INDEX IF EXISTS public.plans_id;']);
    // made again after it went: an index of an existing table again
    expect(lintErrors([created, 'DROP INDEX CONCURRENTLY plans_id;\nCREATE INDEX plans_id ON plans (id);', 'DROP INDEX plans_id;'])).toEqual([
      '003_m.sql:1:1 DROP INDEX plans_id on plans locks the table against reads and writes until it is dropped',
    ]);
  });
  it('accepts a DROP INDEX of a table the same file drops later: the DROP TABLE locks it anyway (field: srleom/miniclue, supabase db diff)', () => {
    const created = 'CREATE TABLE notes (id int, user_id int);\nCREATE INDEX idx_notes_user_id ON notes (user_id);';
    lintOk([created, 'drop index if exists "public"."idx_notes_user_id";\n\ndrop table "public"."notes";']);
    lintOk([created, 'DROP INDEX idx_notes_user_id;\nDROP TABLE IF EXISTS other, public.notes;']);
    // a DROP TABLE of another table, or one before the DROP INDEX, is no excuse
    expect(lintErrors([created + '\nCREATE TABLE other (id int);', 'DROP INDEX idx_notes_user_id;\nDROP TABLE other;'])).toHaveLength(1);
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
