import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { detectLayout } from '../../src/commands/init.js';
import { lint } from '../../src/commands/lint.js';
import { InputError } from '../../src/errors.js';
import { tempProjects } from '../helpers/project.js';

// field: midday-ai/midday packages/db/migrations/meta/_journal.json: the journal's one entry, 0000_silly_sage, has no
// file, and the 39 hand-written files beside it are not in the journal. drizzle's readMigrationFiles stops on the
// missing file ("No file ... found"); pgdrift said only "no migrations ... (39 file(s) skipped ...)", hiding the cause.
const project = tempProjects();
const files = {
  'drizzle/meta/_journal.json': JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1760882469701, tag: '0000_silly_sage', breakpoints: true }] }),
  'drizzle/0001_add_report_types.sql': 'CREATE TABLE reports (id int PRIMARY KEY);\n',
  'drizzle/0002_add_error_code.sql': 'ALTER TABLE reports ADD COLUMN error_code text;\n',
};

describe('a drizzle journal whose only entry names a missing file', () => {
  it('dump names the missing file drizzle stops on, and the files it never lists', async () => {
    const error = await dump({ cwd: project(files).root, engine: 'pglite', noCache: true }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toContain('the drizzle runner would refuse drizzle/');
    expect(String(error)).toContain('meta/_journal.json lists 0000_silly_sage.sql, which does not exist');
    expect(String(error)).toContain('it would not apply 2 files of the folder (e.g. 0001_add_report_types.sql');
  });

  it('init says the same, not "nothing to configure"', async () => {
    const error = await detectLayout(project(files).root).catch((e: Error) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toContain('meta/_journal.json lists 0000_silly_sage.sql, which does not exist');
  });

  it('lint says the same, not "no migrations"', async () => {
    const error = await lint({ cwd: project(files).root }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toContain('meta/_journal.json lists 0000_silly_sage.sql, which does not exist');
    expect(String(error)).not.toContain('no migrations in');
  });
});
