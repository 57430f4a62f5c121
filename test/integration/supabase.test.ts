import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempProject } from '../helpers/project.js';

/**
 * The supabase runner end to end, on real PGlite (and the local server where said): what a `supabase/migrations`
 * folder that `supabase db reset` applies needs from pgdrift's platform baseline and engine choice.
 */
const projects: Array<{ cleanup: () => void }> = [];
afterAll(() => projects.forEach((p) => p.cleanup()));

/** A snapshot written by `supabase db dump` leaves the platform schemas out: the README's ignore list for it. */
const CONFIG = JSON.stringify({ runner: 'supabase', ignore: ['auth', 'storage', 'extensions'] });

/** The top of a pg_dump of a Supabase database whose platform schemas were left out (their extensions are kept). */
const SNAPSHOT_HEAD =
  '--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version VERSION\n-- Dumped by pg_dump version VERSION\n\n' +
  'CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;\n\nCOMMENT ON EXTENSION pgcrypto IS \'cryptographic functions\';\n\n' +
  'CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA extensions;\n\nCOMMENT ON EXTENSION "uuid-ossp" IS \'generate universally unique identifiers (UUIDs)\';\n\n';

function supabaseProject(files: Record<string, string>) {
  const project = tempProject({
    'pgdrift.config.json': CONFIG,
    ...Object.fromEntries(Object.entries(files).map(([name, text]) => [name.startsWith('docs/') ? name : `supabase/migrations/${name}`, text])),
  });
  projects.push(project);
  return project;
}

describe('supabase: the embedded major', () => {
  it('a Postgres 15 snapshot replays on 17, not 16 (whose PGlite lacks the pgcrypto the platform baseline installs), and says why', async () => {
    const project = supabaseProject({
      '20240101000000_init.sql': 'create table public.notes (id bigint primary key);\n',
      'docs/architecture/schema-actual-2024-01-01.sql':
        SNAPSHOT_HEAD.replace('VERSION', '15.8') + 'CREATE TABLE public.notes (\n    id bigint NOT NULL\n);\n\nALTER TABLE ONLY public.notes\n    ADD CONSTRAINT notes_pkey PRIMARY KEY (id);\n',
    });
    const result = await runCli(['check', '--no-lint', '--format', 'json', '-C', project.root]);
    expect(result.stderr).toContain('the embedded Postgres 16 does not ship the extension pgcrypto, which the replay needs: replaying on 17');
    const report = JSON.parse(result.stdout);
    expect(report.engine).toMatchObject({ name: 'pglite', major: 17 });
    expect(report.migrationFailures).toEqual([]);
    expect(report.drift).toEqual([]);
    expect(result.code).toBe(0);
    // --pg 16 asked for explicitly still fails, naming the extension (exit 3)
    const explicit = await runCli(['check', '--no-lint', '--pg', '16', '-C', project.root]);
    expect(explicit.code).toBe(3);
    expect(explicit.stderr).toContain('the embedded Postgres 16 (PGlite 0.2.17) does not ship the extension pgcrypto');
  });
});
