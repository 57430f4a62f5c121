import { afterAll, describe, expect, it } from 'vitest';
import { latestSnapshot, resolveProject, snapshotPathFor } from '../../src/config/project.js';
import { InputError } from '../../src/errors.js';
import { tempProject } from '../helpers/project.js';

/**
 * Issue 9 item 6: undated or per-version snapshot names (`schema.sql`, `schema-16.sql`) were picked by file-name
 * sort. The latest snapshot is the newest date when the names carry dates, the only file when there is one, and
 * otherwise a clear error asking for "snapshot" in the config.
 */
const MIGRATION = { 'migrations/001_t.sql': 'CREATE TABLE t (id integer);\n' };
const projects: ReturnType<typeof tempProject>[] = [];
afterAll(() => projects.forEach((p) => p.cleanup()));

function projectWith(files: Record<string, string>, snapshot?: string) {
  const p = tempProject({ ...MIGRATION, ...files, ...(snapshot ? { 'pgdrift.config.json': JSON.stringify({ snapshot }) } : {}) });
  projects.push(p);
  return resolveProject({ cwd: p.root });
}

describe('which snapshot is the latest', () => {
  it('undated per-version names: an error naming the files and asking for "snapshot" in the config', async () => {
    const project = projectWith({ 'db/schema.sql': '', 'db/schema-16.sql': '' }, 'db/schema*.sql');
    const error = await latestSnapshot(project).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('cannot tell which snapshot is the latest');
    expect(error.message).toContain('db/schema.sql');
    expect(error.message).toContain('db/schema-16.sql');
    expect(error.hint).toContain('set "snapshot" in pgdrift.config.json');
  });

  it('dated names: the newest date, whatever the file-name order says', async () => {
    const project = projectWith({ 'docs/b-2025-01-01.sql': '', 'docs/a-2025-03-01.sql': '', 'docs/c-2024-12-31.sql': '' }, 'docs/*.sql');
    expect((await latestSnapshot(project))?.file).toBe('docs/a-2025-03-01.sql');
  });

  it('dated names with the newest date twice (one per Postgres version): an error', async () => {
    const project = projectWith({ 'docs/schema-2025-01-01-pg15.sql': '', 'docs/schema-2025-01-01-pg16.sql': '', 'docs/schema-2024-01-01.sql': '' }, 'docs/schema-*.sql');
    await expect(latestSnapshot(project)).rejects.toThrow(/2 of them carry the newest date, 2025-01-01/);
  });

  it('dated and undated names mixed: an error', async () => {
    const project = projectWith({ 'docs/schema-2025-01-01.sql': '', 'docs/schema-latest.sql': '' }, 'docs/schema-*.sql');
    await expect(latestSnapshot(project)).rejects.toThrow(/not all of their names carry a date/);
  });

  it('one undated file: that file', async () => {
    const project = projectWith({ 'db/schema.sql': '' }, 'db/schema.sql');
    expect((await latestSnapshot(project))?.file).toBe('db/schema.sql');
  });

  it('"snapshot" naming one file: `pgdrift snapshot` writes that file', () => {
    const project = projectWith({ 'db/schema.sql': '' }, 'db/schema.sql');
    expect(snapshotPathFor(project, '2026-01-01')).toBe(`${project.root}/db/schema.sql`);
  });

  it('no match: undefined (the commands then say to run `pgdrift snapshot`)', async () => {
    expect(await latestSnapshot(projectWith({}))).toBeUndefined();
  });
});
