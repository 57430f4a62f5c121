import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { init } from '../../src/commands/init.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field (dittofeed/dittofeed): a monorepo with its drizzle history in packages/backend-lib/drizzle and a Supabase
 * example project in examples/supabase/supabase/migrations. Run at the root, pgdrift counted the example as a
 * candidate and stopped ("several below it"), though no command of the project applies an example's migrations. A
 * folder under an example, fixture or test folder is now left out when another candidate is not, and named as left
 * out; alone, it is still used (and said), and several real candidates still stop with the exact flags to pass.
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

const JOURNAL = JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1704067200000, tag: '0000_init', breakpoints: true }] });
const DRIZZLE = {
  'packages/backend-lib/drizzle/0000_init.sql': 'CREATE TABLE "workspace" ("id" uuid PRIMARY KEY);\n',
  'packages/backend-lib/drizzle/meta/_journal.json': JOURNAL,
};
const EXAMPLE = { 'examples/supabase/supabase/migrations/20240101000000_example.sql': 'CREATE TABLE example_only (id int);\n' };

describe('a migrations folder under an example, fixture or test folder', () => {
  it('is left out beside the project\'s own folder, which is replayed (dump and init)', async () => {
    const p = project({ ...DRIZZLE, ...EXAMPLE, 'test/fixtures/prisma/migrations/20240101000000_x/migration.sql': 'CREATE TABLE fixture_only (id int);\n' });
    const notices: string[] = [];
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(result.sql).toContain('CREATE TABLE public.workspace');
    expect(result.sql).not.toContain('example_only');
    expect(notices.join('\n')).toContain('using packages/backend-lib/drizzle/, the only runner folder below it outside example, fixture and test folders (examples/supabase/supabase/migrations/, test/fixtures/prisma/migrations/ left out)');
    expect((await init({ cwd: p.root, skipLint: true })).config).toMatchObject({ migrations: 'packages/backend-lib/drizzle', runner: 'drizzle' });
  });

  it('alone, it is used', async () => {
    const p = project(EXAMPLE);
    const notices: string[] = [];
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(result.sql).toContain('example_only');
    expect(notices.join('\n')).toContain('using examples/supabase/supabase/migrations/, the only runner folder below it');
  });

  it('two folders of the project itself still stop, naming the exact flags', async () => {
    const p = project({ ...DRIZZLE, ...EXAMPLE, 'apps/api/prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "User" ("id" int);\n' });
    const error = await dump({ cwd: p.root, engine: 'pglite', noCache: true }).then(
      () => undefined,
      (e: Error & { hint?: string }) => e,
    );
    expect(error?.message).toContain('several below it: apps/api/prisma/migrations, packages/backend-lib/drizzle (examples/supabase/supabase/migrations, under an example, fixture or test folder, left out)');
    expect(error?.hint).toContain('--migrations apps/api/prisma/migrations');
    expect(error?.hint).toContain('-C apps/api');
  });
});
