import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { snapshot } from '../../src/commands/snapshot.js';
import { tempProject } from '../helpers/project.js';

// The replay now creates the runner's bookkeeping table first (schema_migrations for golang-migrate). `check`
// ignores it, but `snapshot` compared with the config's ignore list only: every committed snapshot written before
// (without the table) was "changed" and rewritten once, for a table that is not the team's schema.
const project = tempProject({
  'db/migrations/1_users.up.sql': 'CREATE TABLE users (id int PRIMARY KEY);\n',
  'db/migrations/1_users.down.sql': 'DROP TABLE users;\n',
});
afterAll(() => project.cleanup());

/** A pg_dump text without the blocks of one table (as a dump made before the table existed). */
function withoutTable(sql: string, table: string): string {
  const [head, ...blocks] = sql.split('\n--\n-- Name: ');
  return [head, ...blocks.filter((block) => !block.startsWith(`${table};`) && !block.startsWith(`${table} `))].join('\n--\n-- Name: ');
}

describe('snapshot compares as check does', () => {
  it('a snapshot without the runner table is not stale: nothing is written', async () => {
    const replayed = (await dump({ cwd: project.root, engine: 'pglite' })).sql;
    expect(replayed).toContain('CREATE TABLE public.schema_migrations (');
    const older = withoutTable(replayed, 'schema_migrations');
    expect(older).not.toContain('schema_migrations');
    project.write('docs/architecture/schema-actual-2026-01-01.sql', older);
    const result = await snapshot({ cwd: project.root, engine: 'pglite', date: '2026-01-02', docs: false });
    expect(result.changed).toEqual([]);
    expect(result.written).toBeUndefined();
    expect(readdirSync(path.join(project.root, 'docs/architecture'))).toEqual(['schema-actual-2026-01-01.sql']);
  }, 120_000);
});
