import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { tempProject } from '../helpers/project.js';

// Field report: every snapshot written by `supabase db dump` of a project with extensions gave false drift, one
// "comment added" per extension: the CLI's dump_schema.sh comments out each `COMMENT ON EXTENSION` (sed
// 's/^COMMENT ON EXTENSION (.+)/-- &/'), while the replay's pg_dump keeps them. For Supabase projects extension
// comments are left out of the comparison; every other comment still counts.
const MIGRATION = 'create extension if not exists hstore;\ncreate table public.notes (id uuid primary key default gen_random_uuid());\n';
const projects: ReturnType<typeof tempProject>[] = [];
afterAll(() => {
  for (const p of projects) p.cleanup();
});

async function supabaseProject(extra = ''): Promise<string> {
  const p = tempProject({ 'supabase/migrations/20240101000000_init.sql': MIGRATION });
  projects.push(p);
  const replayed = (await dump({ cwd: p.root, engine: 'pglite' })).sql;
  // what `supabase db dump` writes: the same schema with the extension comments commented out
  const supabaseDump = replayed.split('\n').map((line) => (line.startsWith('COMMENT ON EXTENSION ') ? `-- ${line}` : line)).join('\n');
  p.write('supabase/schema.sql', supabaseDump);
  p.write('pgdrift.config.json', JSON.stringify({ snapshot: 'supabase/schema.sql' }));
  if (extra) p.write('supabase/migrations/20240102000000_more.sql', extra);
  return p.root;
}

describe('a Supabase snapshot written by supabase db dump', () => {
  it('has no extension comments: check is clean', async () => {
    const result = await check({ cwd: await supabaseProject(), engine: 'pglite', lint: false });
    expect(result.drift).toEqual([]);
    expect(result.exitCode).toBe(0);
  }, 120_000);

  it('a comment the migrations add to a table is still drift', async () => {
    const result = await check({ cwd: await supabaseProject("comment on table public.notes is 'n';\n"), engine: 'pglite', lint: false });
    expect(result.drift.map((d) => [d.kind, d.name, d.change])).toEqual([['comment', 'public.notes', 'added']]);
  }, 120_000);
});
