import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field (0-don/coding.global-bot): drizzle/0000_initial_schema.sql holds only comments ("All tables already exist in
 * the database, this file is just for tracking purposes") and 0001 alters "MemberGuild". The replay fails, as a new
 * database would, with 'relation "MemberGuild" does not exist' and no word on the cause: the comment-only first
 * migration stands for a schema the team's databases had before the migrations.
 */
const project = tempProjects();

const JOURNAL = JSON.stringify({
  version: '7',
  dialect: 'postgresql',
  entries: [
    { idx: 0, version: '7', when: 1706480400000, tag: '0000_initial_schema', breakpoints: true },
    { idx: 1, version: '7', when: 1781268114434, tag: '0001_add_privacy_optout', breakpoints: true },
  ],
});

async function failuresOf(files: Record<string, string>) {
  const result = await dump({ cwd: project(files).root, engine: 'pglite', noCache: true, keepGoing: true });
  return result.report.migrationFailures;
}

describe('a first migration that holds only comments', () => {
  it('is named in the hint of a later missing-object failure', async () => {
    const failures = await failuresOf({
      'drizzle/meta/_journal.json': JOURNAL,
      'drizzle/0000_initial_schema.sql': '-- Initial schema baseline\n-- All tables already exist in the database, this file is just for tracking purposes\n\n-- Tables: Guild, Member, MemberGuild\n',
      'drizzle/0001_add_privacy_optout.sql': 'ALTER TABLE "MemberGuild" ADD COLUMN IF NOT EXISTS "messageOptOut" boolean DEFAULT false NOT NULL;\n',
    });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ file: 'drizzle/0001_add_privacy_optout.sql', sqlstate: '42P01' });
    expect(failures[0].hint).toContain('drizzle/0000_initial_schema.sql, the first migration, holds only comments');
    expect(failures[0].hint).toContain('"baseline"');
  });

  it('is not named when the first migration has statements, or for another kind of failure', async () => {
    const withStatements = await failuresOf({
      'migrations/001_init.sql': '-- tables\nCREATE TABLE guild (id int);\n',
      'migrations/002_alter.sql': 'ALTER TABLE member_guild ADD COLUMN x int;\n',
    });
    expect(withStatements[0]?.sqlstate).toBe('42P01');
    expect(withStatements[0]?.hint ?? '').not.toContain('holds only comments');
    const otherFailure = await failuresOf({
      'migrations/001_init.sql': '-- nothing yet\n',
      'migrations/002_bad.sql': 'CREATE TABLE t (id int);\nCREATE TABLE t (id int);\n',
    });
    expect(otherFailure[0]?.sqlstate).toBe('42P07');
    expect(otherFailure[0]?.hint ?? '').not.toContain('holds only comments');
  });
});
