import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { detectLayout } from '../../src/commands/init.js';
import { lint } from '../../src/commands/lint.js';
import { InputError } from '../../src/errors.js';
import { tempProjects } from '../helpers/project.js';

// drizzle-kit with `out: "./supabase/migrations"` and `migrations: { prefix: "supabase" }` ("so `supabase db push`
// picks them up", as drizzle.config.ts files in the field say), beside a `supabase migration new` file: the journal
// made pgdrift replay the folder as drizzle, which never applies the CLI's file, while supabase start / db reset /
// db push apply every <timestamp>_name.sql there. Which runner applies it is the team's to say. A folder whose files
// are all in the journal stays drizzle (field: onlook-dev/onlook apps/backend/supabase/migrations, drizzle-kit migrate).
const project = tempProjects();
const journal = (tags: string[]) =>
  JSON.stringify({ version: '7', dialect: 'postgresql', entries: tags.map((tag, idx) => ({ idx, version: '7', when: 1706702400000 + idx, tag, breakpoints: true })) });
const init = 'CREATE TABLE posts (id uuid PRIMARY KEY, author uuid REFERENCES auth.users (id));\n';
const rls = 'alter table posts enable row level security;\ncreate policy "own" on posts using (auth.uid() = author);\n';

describe('a drizzle journal in supabase/migrations', () => {
  it('with a file the journal does not list and the Supabase CLI applies: ambiguous, the runner must be named', async () => {
    const files = {
      'supabase/migrations/meta/_journal.json': journal(['20240131120000_init']),
      'supabase/migrations/20240131120000_init.sql': init,
      'supabase/migrations/20240201000000_rls.sql': rls,
    };
    const root = project(files).root;
    for (const run of [() => dump({ cwd: root, engine: 'pglite', noCache: true }), () => lint({ cwd: root })]) {
      const error = await run().catch((e: Error) => e);
      expect(error).toBeInstanceOf(InputError);
      expect(String(error)).toContain("supabase/migrations/ is ambiguous: it looks like drizzle (a drizzle-kit meta/_journal.json), which would not apply 20240201000000_rls.sql, but it is the Supabase CLI's folder");
      expect((error as InputError).hint).toContain('--runner supabase');
    }
    // init does not write "runner": "drizzle", which would settle the question for every later check
    const initError = await detectLayout(root).catch((e: Error) => e);
    expect(initError).toBeInstanceOf(InputError);
    expect((initError as InputError).hint).toContain('pgdrift init --runner supabase');
    expect((await detectLayout(root, undefined, 'supabase')).runner).toBe('supabase');
    // named, each runner replays it its way
    expect((await dump({ cwd: root, engine: 'pglite', noCache: true, runner: 'supabase' })).sql).toContain('CREATE POLICY own ON public.posts');
    expect((await dump({ cwd: root, engine: 'pglite', noCache: true, runner: 'drizzle' })).sql).not.toContain('CREATE POLICY');
  });

  it('with every file in the journal: drizzle, no question', async () => {
    const root = project({
      'supabase/migrations/meta/_journal.json': journal(['0000_init', '0001_rls']),
      'supabase/migrations/0000_init.sql': init,
      'supabase/migrations/0001_rls.sql': rls,
    }).root;
    expect((await dump({ cwd: root, engine: 'pglite', noCache: true })).sql).toContain('CREATE POLICY own ON public.posts');
  });
});
