import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { docs } from '../../src/commands/docs.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field (vercel/nextjs-subscription-payments, supabase runner): `pgdrift docs` of a project with 5 tables of its own
 * wrote 79 pages, 34 of them the platform baseline's stand-ins (auth.identities, storage.buckets, realtime.send...),
 * with migration-history links to `pgdrift:supabase-platform-baseline.sql`, a file no project has. `supabase db dump`
 * leaves these schemas out; the docs now do too, keeping a platform object a migration changed (a trigger on auth.users).
 */
const project = tempProjects();

test('a Supabase project documents its own schema, not the platform stand-ins', async () => {
  const { root } = project({
    'supabase/config.toml': '[db]\nport = 54322\n',
    'supabase/migrations/20240101000000_init.sql': `
create table public.profiles (id uuid primary key references auth.users, name text);
create function public.on_signup() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger on_signup after insert on auth.users for each row execute function public.on_signup();
`,
  });
  const result = await docs({ cwd: root });
  expect(result.exitCode).toBe(0);
  const out = path.join(root, 'docs/schema');
  const pages = (folder: string) => (existsSync(path.join(out, folder)) ? readdirSync(path.join(out, folder)).sort() : []);
  expect(pages('tables')).toEqual(['auth.users.md', 'public.profiles.md']);
  expect(pages('functions')).toEqual(['public.on_signup.md']);
  expect(pages('types')).toEqual([]);
  const index = readFileSync(path.join(out, 'README.md'), 'utf8');
  expect(index).not.toContain('storage.');
  expect(index).not.toContain('auth.identities');
  const users = readFileSync(path.join(out, 'tables/auth.users.md'), 'utf8');
  expect(users).toContain('| on_signup | AFTER INSERT |');
  // the platform baseline is named, not linked to a file that does not exist
  expect(users).not.toContain('](../../../pgdrift:');
  expect(users).toContain('supabase/migrations/20240101000000_init.sql](../../../supabase/migrations/20240101000000_init.sql) |  |  | altered | create trigger on_signup');
}, 120_000);
