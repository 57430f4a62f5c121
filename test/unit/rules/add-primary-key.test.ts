import { describe, expect, it } from 'vitest';
import { lintMemory, ruleTester } from '../../fixtures/lint/helpers.js';
import { runnerByName } from '../../../src/runners/index.js';

const { lintOk, lintErrors } = ruleTester('add-primary-key');

describe('add-primary-key', () => {
  it("the help says where the runner can build the index CONCURRENTLY (drizzle: in no migration)", () => {
    const history = ['CREATE TABLE events (id bigint NOT NULL);', 'ALTER TABLE events ADD PRIMARY KEY (id);'];
    const help = lintMemory(history, { rules: ['add-primary-key'], options: { runner: runnerByName('drizzle'), runnerTransaction: true } })[0].help;
    expect(help).toContain(`(CONCURRENTLY cannot run in the runner's transaction: ${runnerByName('drizzle').lint.outsideTransaction})`);
  });
  it('reports ADD PRIMARY KEY and ADD COLUMN ... PRIMARY KEY on an existing table', () => {
    expect(lintErrors(['CREATE TABLE events (id bigint NOT NULL);', 'ALTER TABLE events ADD PRIMARY KEY (id);'])).toEqual([
      '002_m.sql:1:24 adds PRIMARY KEY (id) to existing table events: its index is built under an ACCESS EXCLUSIVE lock',
    ]);
    expect(lintErrors(['ALTER TABLE legacy ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;'])).toEqual([
      '001_m.sql:1:70 adds PRIMARY KEY (id) to existing table legacy: its index is built under an ACCESS EXCLUSIVE lock',
    ]);
  });
  it('accepts PRIMARY KEY USING INDEX (the safe recipe)', () => {
    lintOk(['CREATE TABLE events (id bigint NOT NULL);', 'CREATE UNIQUE INDEX CONCURRENTLY events_pkey ON events (id);', 'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;']);
  });
  it('accepts it on a table created in the same file', () => {
    lintOk('CREATE TABLE events (id bigint NOT NULL);\nALTER TABLE events ADD PRIMARY KEY (id);');
  });
  it('is suppressed by pgdrift-ignore with a reason', () => {
    lintOk(['CREATE TABLE events (id bigint NOT NULL);', '-- pgdrift-ignore add-primary-key: events is empty until the feature ships\nALTER TABLE events ADD PRIMARY KEY (id);']);
  });
});
