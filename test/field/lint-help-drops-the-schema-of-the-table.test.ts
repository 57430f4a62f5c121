import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { lintMemory } from '../fixtures/lint/helpers.js';

// Field: usebasejump/basejump creates its tables in the schema basejump (CREATE TABLE IF NOT EXISTS
// basejump.accounts ...) with search_path public. fk-needs-index's help said
// `CREATE INDEX ... ON accounts (primary_owner_user_id)`, which fails with 42P01 (relation "accounts" does not exist);
// constraint-not-valid, add-column-check, add-foreign-key-inline, add-primary-key and add-unique-constraint wrote
// `ALTER TABLE accounts` (CUPUM/nplex, drizzle: `ON user_occupations_t` for accounts.user_occupations_t) for a
// statement on basejump.accounts. The help's SQL names the table as the statement did, or schema-qualified outside public.
const history = [
  'CREATE SCHEMA basejump;\nCREATE TABLE basejump.owners (id uuid PRIMARY KEY);\nCREATE TABLE basejump.accounts (id uuid PRIMARY KEY, owner_id uuid REFERENCES basejump.owners (id), n int);',
  'ALTER TABLE basejump.accounts ADD CONSTRAINT accounts_n_positive CHECK (n > 0);',
  'ALTER TABLE basejump.accounts ADD COLUMN m int CHECK (m > 0);',
  'ALTER TABLE basejump.accounts ADD COLUMN other_owner uuid REFERENCES basejump.owners (id);',
  'CREATE TABLE basejump.logs (at timestamptz);\nCREATE TABLE basejump.events (at timestamptz NOT NULL);',
  'ALTER TABLE basejump.events ADD PRIMARY KEY (at);',
  'ALTER TABLE basejump.owners ADD CONSTRAINT owners_id_key UNIQUE (id);',
];

/** The SQL a help suggests (up to its first `;`, or inside `(ALTER TABLE ...)`). */
function suggestedSql(help: string): string {
  const inner = /\((ALTER TABLE .*?) ADD PRIMARY KEY/.exec(help);
  if (inner) return `${inner[1]} ADD PRIMARY KEY (at)`;
  const match = /(CREATE INDEX .*?;|ALTER TABLE \S+ (?:VALIDATE CONSTRAINT|ADD CONSTRAINT) \S+)/.exec(help);
  return match ? match[1] : '';
}

describe('lint help on a table outside public', () => {
  const db = new PGlite();
  afterAll(() => db.close());

  it('names basejump.accounts in the SQL each help suggests', () => {
    const rules = ['fk-needs-index', 'constraint-not-valid', 'add-column-check', 'add-foreign-key-inline', 'add-primary-key', 'add-unique-constraint'];
    const helps = lintMemory(history, { rules }).map((f) => `${f.rule}: ${f.help}`);
    expect(helps.filter((h) => h.startsWith('fk-needs-index')).every((h) => h.includes(' ON basejump.accounts ('))).toBe(true);
    expect(helps.find((h) => h.startsWith('constraint-not-valid'))).toContain('ALTER TABLE basejump.accounts VALIDATE CONSTRAINT accounts_n_positive');
    expect(helps.find((h) => h.startsWith('add-column-check'))).toContain('then ALTER TABLE basejump.accounts ADD CONSTRAINT');
    expect(helps.find((h) => h.startsWith('add-foreign-key-inline'))).toContain('then ALTER TABLE basejump.accounts ADD CONSTRAINT');
    const primaryKey = helps.find((h) => h.startsWith('add-primary-key'));
    expect(primaryKey).toContain('ON basejump.events (at)');
    expect(primaryKey).toContain('ALTER TABLE basejump.events ADD CONSTRAINT');
    const unique = helps.find((h) => h.startsWith('add-unique-constraint'));
    expect(unique).toContain('ON basejump.owners (id)');
    expect(unique).toContain('ALTER TABLE basejump.owners ADD CONSTRAINT');
  });

  it('runs: the suggested index and primary key apply with search_path public', async () => {
    for (const sql of history) await db.exec(sql);
    const findings = lintMemory(history, { rules: ['fk-needs-index', 'require-primary-key'] });
    const logsHelp = lintMemory([...history, 'ALTER TABLE basejump.logs ADD CONSTRAINT logs_pkey PRIMARY KEY (at);', 'ALTER TABLE basejump.logs DROP CONSTRAINT logs_pkey;'], { rules: ['require-primary-key'] });
    const statements = [...findings, ...logsHelp].map((f) => suggestedSql(f.help ?? '')).filter((sql) => sql.startsWith('CREATE INDEX') || sql.includes('ADD PRIMARY KEY'));
    expect(statements.length).toBeGreaterThanOrEqual(3);
    for (const sql of statements) await db.exec(sql);
  });
});
