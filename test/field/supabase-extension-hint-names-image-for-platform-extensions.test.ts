import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { EngineError } from '../../src/errors.js';
import { SERVER_URL, serverTest } from '../helpers/postgres.js';
import { tempProjects } from '../helpers/project.js';

// field: mckaywrigley/chatbot-ui supabase/migrations/20240108234540_setup.sql (`create extension http with schema
// extensions`) and hivecom/hivecom.net 20250407044317_remote_schema.sql (pg_cron beside pg_net, pg_graphql...): the
// extensions a Supabase project creates are the ones Supabase's image ships, yet http got the generic "an image with
// the extension" and pg_cron was left out of the image's list. Outside Supabase the generic hint stays.
const project = tempProjects();

async function hintFor(files: Record<string, string>): Promise<string> {
  const error = await dump({ cwd: project(files).root, engine: 'pglite', pg: 18, noCache: true }).catch((e: Error) => e);
  expect(error).toBeInstanceOf(EngineError);
  return (error as EngineError).hint ?? '';
}

describe('an extension the embedded engine lacks, in a Supabase project', () => {
  // (hypopg and index_advisor, which these cases used, have stand-ins now: rum and pgsodium still have none)
  it('rum: the hint names Supabase\'s image, and a server where it is installed', async () => {
    const hint = await hintFor({ 'supabase/migrations/20240108234540_setup.sql': 'create extension rum with schema extensions;\n' });
    expect(hint).toBe("replay on Supabase's own image, which ships rum: --engine docker --image supabase/postgres:<the project's version>; or --engine server on a Postgres where it is installed");
  });

  it('pgsodium with rum: both in the image\'s list; only pgsodium is said to be missing from a plain Postgres', async () => {
    const hint = await hintFor({ 'supabase/migrations/20250407044317_remote_schema.sql': 'create extension rum with schema extensions;\ncreate extension pgsodium;\n' });
    expect(hint).toContain("replay on Supabase's own image, which ships pgsodium, rum: --engine docker --image supabase/postgres:");
    expect(hint).toContain('a plain Postgres lacks pgsodium too');
  });

  // field: gridaco/grida and boyhax/manazl.site remote_schema migrations (moddatetime, pg_stat_statements, pgcrypto on
  // an embedded major that lacks them): the hint said they "are not in that image", which ships every contrib module
  // (supabase/postgres ansible/files/postgresql_config/supautils.conf.j2, its full list)
  it('contrib modules with pgsodium on an embedded major that lacks them: all in the image\'s list, none said to be missing from it', async () => {
    const error = await dump({ cwd: project({ 'supabase/migrations/20250116092423_remote_schema.sql': 'create extension moddatetime;\ncreate extension pg_stat_statements;\ncreate extension pgsodium;\n' }).root, engine: 'pglite', pg: 16, noCache: true }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(EngineError);
    const hint = (error as EngineError).hint ?? '';
    expect(hint).toContain("replay on Supabase's own image, which ships moddatetime, pg_stat_statements, pgcrypto, pgsodium: --engine docker --image supabase/postgres:");
    expect(hint).not.toContain('not in that image');
    expect(hint).toContain('a plain Postgres lacks pgsodium too');
  });

  serverTest('on a server that lacks http: the failure\'s hint names Supabase\'s image too; an extension it does not ship gets none', async () => {
    const files = {
      'supabase/migrations/20240101000000_probe.sql': 'create extension pgdrift_absent_probe;\n',
      'supabase/migrations/20240108234540_setup.sql': 'create extension http with schema extensions;\n',
    };
    const { report } = await dump({ cwd: project(files).root, engine: 'server', databaseUrl: SERVER_URL, noCache: true, keepGoing: true });
    expect(report.migrationFailures[0].file).toBe('supabase/migrations/20240101000000_probe.sql');
    expect(report.migrationFailures[0].hint ?? '').not.toContain('supabase/postgres');
    // a server with http installed applies it: nothing to say then
    const http = report.migrationFailures.find((f) => f.file === 'supabase/migrations/20240108234540_setup.sql');
    if (http) expect(http.hint).toContain("http is one of the extensions Supabase's image ships: replay on it, --engine docker --image supabase/postgres:");
  });

  it('outside Supabase, http keeps the generic hint', async () => {
    const hint = await hintFor({ 'migrations/001_setup.sql': 'create extension http;\n' });
    expect(hint).toContain('replay on a real Postgres: --engine server');
    expect(hint).not.toContain('supabase/postgres');
  });
});
