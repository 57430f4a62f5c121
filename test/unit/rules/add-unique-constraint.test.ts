import { describe, expect, it } from 'vitest';
import { lintMemory, ruleTester } from '../../fixtures/lint/helpers.js';
import { runnerByName } from '../../../src/runners/index.js';

const { lintOk, lintErrors } = ruleTester('add-unique-constraint');
const table = 'CREATE TABLE users (id bigint PRIMARY KEY, email text);';

describe('add-unique-constraint', () => {
  it('reports ADD UNIQUE and ADD COLUMN ... UNIQUE on an existing table, with the USING INDEX recipe', () => {
    expect(lintErrors([table, 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);', 'ALTER TABLE users ADD COLUMN handle text UNIQUE;'])).toEqual([
      '002_m.sql:1:23 adds UNIQUE (email) to existing table users: its index is built under an ACCESS EXCLUSIVE lock',
      '003_m.sql:1:42 adds UNIQUE (handle) to existing table users: its index is built under an ACCESS EXCLUSIVE lock',
    ]);
    expect(lintErrors([table, 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);'])).toEqual([
      '002_m.sql:1:23 adds UNIQUE (email) to existing table users: its index is built under an ACCESS EXCLUSIVE lock',
    ]);
  });
  it('reports ADD EXCLUDE on an existing table: its index is built under the lock, and it has no USING INDEX or NOT VALID form (Squawk: constraint-missing-not-valid)', () => {
    const rooms = 'CREATE TABLE bookings (id bigint PRIMARY KEY, room int, during tsrange);';
    const findings = lintMemory([rooms, 'ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);', 'ALTER TABLE bookings ADD EXCLUDE USING btree (id WITH =);'], { rules: ['add-unique-constraint'] });
    expect(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`)).toEqual([
      'migrations/002_m.sql:1:26 adds EXCLUDE constraint no_overlap to existing table bookings: its index is built under an ACCESS EXCLUSIVE lock',
      'migrations/003_m.sql:1:26 adds EXCLUDE constraint to existing table bookings: its index is built under an ACCESS EXCLUSIVE lock',
    ]);
    expect(findings[0].help).toContain('no USING INDEX or NOT VALID form');
    lintOk(`${rooms}\nALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);`);
  });
  it('accepts the recipe: CREATE UNIQUE INDEX CONCURRENTLY, then UNIQUE USING INDEX', () => {
    lintOk([table, 'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);', 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;']);
  });
  it('accepts it on a table created in the same file', () => {
    lintOk(`${table}\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);`);
  });
  it("the help says where the runner can build the index CONCURRENTLY (drizzle: in no migration; field: Mail-0/Zero packages/db/migrations/0005)", () => {
    const history = [table, 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);'];
    const help = (runner?: string) => lintMemory(history, { rules: ['add-unique-constraint'], options: runner ? { runner: runnerByName(runner), runnerTransaction: true } : {} })[0].help;
    expect(help('drizzle')).toContain(`(CONCURRENTLY cannot run in the runner's transaction: ${runnerByName('drizzle').lint.outsideTransaction})`);
    expect(help('drizzle')).not.toContain('a file that runs outside one');
    expect(help('prisma')).toContain('put it alone in its own migration.sql (Prisma sends the file as one query)');
  });
  it('is suppressed by pgdrift-ignore with a reason', () => {
    lintOk([table, '-- pgdrift-ignore add-unique-constraint: users is empty in production\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);']);
  });
});
