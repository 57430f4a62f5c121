import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { EngineError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { tempProjects } from '../helpers/project.js';

/**
 * The embedded engine's stand-ins for the extensions of Supabase's image (stand-ins/supabase/, src/engine/stand-ins.ts),
 * on real PGlite. Field: Cap-go/capgo (supabase_vault WITH SCHEMA vault, pg_net, pg_cron), supabase-community/
 * chatgpt-your-files (pg_net, net.http_post in a trigger function), pgflow-dev/pgflow (pgmq, pg_net, supabase_vault),
 * Cap-go/capgo again (hypopg, index_advisor, pg_tle, plpgsql_check):
 * the replay stopped at the CREATE EXTENSION with no way forward but Supabase's Docker image.
 */
const project = tempProjects();

const CONFIG = JSON.stringify({ runner: 'supabase' });

/** Every stand-in created as Supabase projects create them (a squashed `supabase db dump` migration and the docs). */
const EXTENSIONS = `create extension if not exists "pg_graphql" with schema "graphql";
create extension if not exists "supabase_vault" with schema "vault";
create extension if not exists "pgjwt" with schema "extensions";
create extension if not exists pg_net with schema extensions;
create extension if not exists pg_cron with schema pg_catalog;
create extension if not exists pg_jsonschema with schema extensions;
create extension if not exists http with schema extensions;
create extension if not exists pgmq;
`;

/** The user's own objects, each depending on a stand-in: its functions, types, tables and views. */
const USE = `create table public.docs (
  id bigint primary key,
  body jsonb check (extensions.jsonb_matches_schema('{"type": "object"}', body))
);
create function public.notify() returns trigger language plpgsql as $$
begin
  perform net.http_post(url := 'https://example.com/hook', body := to_jsonb(new));
  return new;
end $$;
create trigger docs_notify after insert on public.docs for each row execute function public.notify();
select cron.schedule('nightly-cleanup', '0 3 * * *', $$delete from public.docs$$);
select cron.unschedule('nightly-cleanup');
select cron.schedule('nightly-cleanup', '0 4 * * *', $$delete from public.docs$$);
select vault.create_secret('s3cr3t', 'api_key', 'the hook''s key');
create function public.api_key() returns text language sql security definer set search_path = '' as $$
  select decrypted_secret from vault.decrypted_secrets where name = 'api_key'
$$;
create function public.token(claims json) returns text language sql as $$ select extensions.sign(claims, 'secret', 'HS256') $$;
create function public.fetch_status(url text) returns integer language sql as $$ select (extensions.http_get(url)).status $$;
create function public.last_response() returns net.http_response_result language sql as $$ select net._http_collect_response(1) $$;
select pgmq.create('jobs');
create function public.enqueue(payload jsonb) returns setof bigint language sql as $$ select * from pgmq.send('jobs', payload) $$;
create view public.job_queue as select msg_id, read_ct, message from pgmq.q_jobs;
comment on table public.docs is e'@graphql({"totalCount": {"enabled": true}})';
create function public.gql(query text) returns jsonb language sql as $$ select graphql.resolve(query) $$;
`;

describe('supabase stand-in extensions on the embedded engine', () => {
  it('a project that creates and uses each one replays, says they are stand-ins, checks clean against its dump, and drift that depends on one is reported', async () => {
    const p = project({
      'pgdrift.config.json': CONFIG,
      'supabase/migrations/20240101000000_extensions.sql': EXTENSIONS,
      'supabase/migrations/20240102000000_use.sql': USE,
    });
    const dumped = await runCli(['dump', '--no-cache', '-C', p.root]);
    expect(dumped.stderr).not.toContain('Failed migrations');
    expect(dumped.code).toBe(0);
    // the stand-ins say so on stderr
    expect(dumped.stderr).toContain("http, pg_cron, pg_graphql, pg_jsonschema, pg_net, pgjwt, pgmq, supabase_vault are pgdrift's stand-ins on the embedded engine");
    const schema = dumped.stdout;
    // pg_dump prints each as it prints the real one: the CREATE EXTENSION line in the schema its control file names
    for (const line of [
      'CREATE EXTENSION IF NOT EXISTS pg_graphql WITH SCHEMA graphql;',
      'CREATE EXTENSION IF NOT EXISTS supabase_vault WITH SCHEMA vault;',
      'CREATE EXTENSION IF NOT EXISTS pgjwt WITH SCHEMA extensions;',
      'CREATE EXTENSION IF NOT EXISTS pg_net WITH SCHEMA extensions;',
      'CREATE EXTENSION IF NOT EXISTS pg_cron WITH SCHEMA pg_catalog;',
      'CREATE EXTENSION IF NOT EXISTS pg_jsonschema WITH SCHEMA extensions;',
      'CREATE EXTENSION IF NOT EXISTS http WITH SCHEMA extensions;',
      'CREATE EXTENSION IF NOT EXISTS pgmq WITH SCHEMA pgmq;',
    ]) expect(schema).toContain(line);
    // and never their members: no cron.job, net.http_post, vault.secrets, pgmq.q_jobs (a member, as pgmq.create makes it)
    expect(schema).not.toMatch(/CREATE (TABLE|FUNCTION|VIEW) (cron|net|vault|pgmq|graphql)\./);
    expect(schema).toContain("CONSTRAINT docs_body_check CHECK (extensions.jsonb_matches_schema('{\"type\": \"object\"}'::json, body))");
    expect(schema).toContain('CREATE FUNCTION public.last_response() RETURNS net.http_response_result');
    expect(schema).toContain('FROM pgmq.q_jobs');

    // the dump as the snapshot: clean, and the JSON lists the stand-ins
    const snapshotFile = 'docs/architecture/schema-actual-2024-01-02.sql';
    p.write(snapshotFile, schema);
    const clean = await runCli(['check', '--no-lint', '--format', 'json', '-C', p.root]);
    const report = JSON.parse(clean.stdout);
    expect(report.migrationFailures).toEqual([]);
    expect(report.drift).toEqual([]);
    expect(report.standIns).toEqual(['http', 'pg_cron', 'pg_graphql', 'pg_jsonschema', 'pg_net', 'pgjwt', 'pgmq', 'supabase_vault']);
    expect(clean.stderr).toContain("are pgdrift's stand-ins on the embedded engine");
    expect(clean.code).toBe(0);

    // a snapshot whose own objects differ where they use a stand-in: each is drift, never hidden by the stand-in
    const drifted = schema
      .replace(`'{"type": "object"}'::json`, `'{"type": "array"}'::json`)
      .replace("url := 'https://example.com/hook'", "url := 'https://example.com/other'")
      .replace('SELECT msg_id,\n    read_ct,\n    message\n   FROM pgmq.q_jobs', 'SELECT msg_id,\n    message\n   FROM pgmq.q_jobs')
      .replace('CREATE EXTENSION IF NOT EXISTS pg_cron WITH SCHEMA pg_catalog;', '')
      .replace("COMMENT ON EXTENSION pg_cron IS 'Job scheduler for PostgreSQL';", '');
    expect(drifted).not.toBe(schema);
    p.write(snapshotFile, drifted);
    const found = await runCli(['check', '--no-lint', '--format', 'json', '-C', p.root]);
    expect(found.code).toBe(1);
    const names = JSON.parse(found.stdout).drift.map((item: { kind: string; name: string; change: string }) => `${item.kind} ${item.name} ${item.change}`);
    expect(names.sort()).toEqual(['constraint public.docs.docs_body_check changed', 'extension pg_cron added', 'function public.notify changed', 'view public.job_queue changed']);
  });

  it('hypopg, index_advisor, pg_tle and plpgsql_check as Cap-go/capgo creates them: the replay goes on, the own objects that call them dump and check clean', async () => {
    // field: Cap-go/capgo supabase/migrations (the replay stopped at `create extension if not exists "hypopg"`)
    const p = project({
      'pgdrift.config.json': CONFIG,
      'supabase/migrations/20240101000000_extensions.sql': `create extension if not exists "hypopg" with schema "extensions";
create extension if not exists "index_advisor" with schema "extensions";
create extension if not exists "pg_tle";
create extension if not exists "plpgsql_check" with schema "extensions";
`,
      'supabase/migrations/20240102000000_use.sql': `create table public.orders (id bigint primary key, created_at timestamptz);
create function public.try_index(ddl text) returns setof oid language sql as $$ select indexrelid from extensions.hypopg_create_index(ddl) $$;
create function public.hypothetical_indexes() returns setof extensions.hypopg_list_indexes language sql as $$ select * from extensions.hypopg_list_indexes $$;
create function public.index_size(index_oid oid) returns bigint language sql as $$ select extensions.hypopg_relation_size(index_oid) $$;
create function public.advise(query text) returns table(statements text[], errors text[]) language sql security definer set search_path = '' as $$
  select index_statements, errors from extensions.index_advisor(query)
$$;
create function public.touch_order() returns trigger language plpgsql as $fn$
begin
  new.created_at := now();
  return new;
end $fn$;
create trigger orders_touch before insert on public.orders for each row execute function public.touch_order();
select * from extensions.plpgsql_check_function('public.touch_order()', 'public.orders');
create function public.lint_touch_order() returns setof text language sql as $$ select extensions.plpgsql_check_function('public.touch_order()', 'public.orders', format := 'json') $$;
select pgtle.install_extension('my_tle', '1.0', 'a trusted language extension', $tle$ create function my_tle_hello() returns text language sql as 'select 1'; $tle$);
create function public.tle_extensions() returns setof text language sql as $$ select name::text from pgtle.available_extensions() $$;
grant pgtle_admin to postgres;
`,
    });
    const dumped = await runCli(['dump', '--no-cache', '-C', p.root]);
    expect(dumped.stderr).not.toContain('Failed migrations');
    expect(dumped.code).toBe(0);
    expect(dumped.stderr).toContain("hypopg, index_advisor, pg_tle, plpgsql_check are pgdrift's stand-ins on the embedded engine");
    const schema = dumped.stdout;
    for (const line of [
      'CREATE EXTENSION IF NOT EXISTS hypopg WITH SCHEMA extensions;',
      'CREATE EXTENSION IF NOT EXISTS index_advisor WITH SCHEMA extensions;',
      'CREATE EXTENSION IF NOT EXISTS pg_tle WITH SCHEMA pgtle;',
      'CREATE EXTENSION IF NOT EXISTS plpgsql_check WITH SCHEMA extensions;',
      'CREATE FUNCTION public.hypothetical_indexes() RETURNS SETOF extensions.hypopg_list_indexes',
      'select index_statements, errors from extensions.index_advisor(query)',
    ]) expect(schema).toContain(line);
    // never their members (the functions and views in extensions, pgtle's functions, types, table and event trigger)
    expect(schema).not.toMatch(/CREATE (TABLE|FUNCTION|VIEW|TYPE) (extensions|pgtle)\./);
    expect(schema).not.toMatch(/EVENT TRIGGER|pgtle_admin/);

    p.write('docs/architecture/schema-actual-2024-01-02.sql', schema);
    const clean = await runCli(['check', '--no-lint', '--format', 'json', '-C', p.root]);
    const report = JSON.parse(clean.stdout);
    expect(report.migrationFailures).toEqual([]);
    expect(report.drift).toEqual([]);
    expect(report.standIns).toEqual(['hypopg', 'index_advisor', 'pg_tle', 'plpgsql_check']);
    expect(clean.code).toBe(0);

    // drift in an own object that uses one is reported
    p.write('docs/architecture/schema-actual-2024-01-02.sql', schema.replace('select index_statements, errors from extensions.index_advisor(query)', 'select index_statements, null::text[] from extensions.index_advisor(query)'));
    const found = await runCli(['check', '--no-lint', '--format', 'json', '-C', p.root]);
    expect(found.code).toBe(1);
    expect(JSON.parse(found.stdout).drift.map((item: { kind: string; name: string; change: string }) => `${item.kind} ${item.name} ${item.change}`)).toEqual(['function public.advise changed']);
  });

  it('a snapshot without the platform\'s pg_graphql, supabase_vault and pg_net (an earlier pgdrift\'s) is still clean; one the migrations drop, or create where the snapshot lacks it, is drift', async () => {
    const p = project({ 'pgdrift.config.json': CONFIG, 'supabase/migrations/20240101000000_init.sql': 'create table public.notes (id bigint primary key);\n' });
    const dumped = await runCli(['dump', '--no-cache', '-C', p.root]);
    expect(dumped.code).toBe(0);
    // the platform baseline made them, as supabase start does, and no migration asked for a stand-in
    expect(dumped.stdout).toContain('CREATE EXTENSION IF NOT EXISTS supabase_vault WITH SCHEMA vault;');
    expect(dumped.stdout).toContain('CREATE EXTENSION IF NOT EXISTS pg_net WITH SCHEMA extensions;');
    expect(dumped.stderr).not.toContain('stand-in');
    const without = dumped.stdout
      .replace(/^CREATE EXTENSION IF NOT EXISTS (pg_graphql|supabase_vault|pg_net) .*$/gm, '')
      .replace(/^COMMENT ON EXTENSION (pg_graphql|supabase_vault|pg_net) .*$/gm, '')
      .replace(/^CREATE SCHEMA (graphql|vault);$/gm, '');
    p.write('docs/architecture/schema-actual-2024-01-01.sql', without);
    const clean = await runCli(['check', '--no-lint', '--format', 'json', '-C', p.root]);
    expect(JSON.parse(clean.stdout).drift).toEqual([]);
    expect(JSON.parse(clean.stdout).standIns).toBeUndefined();
    expect(clean.code).toBe(0);
    // a migration creates pg_net (a no-op after supabase start's), the snapshot lacks it: the migrations say it is there
    p.write('supabase/migrations/20240102000000_net.sql', 'create extension if not exists pg_net;\n');
    const created = await runCli(['check', '--no-lint', '--format', 'json', '-C', p.root]);
    expect(created.code).toBe(1);
    expect(JSON.parse(created.stdout).drift.map((item: { kind: string; name: string; change: string }) => `${item.kind} ${item.name} ${item.change}`)).toEqual(['extension pg_net added']);
    expect(JSON.parse(created.stdout).standIns).toEqual(['pg_net']);
    p.write('supabase/migrations/20240102000000_net.sql', '');
    // the snapshot has supabase_vault, a migration drops it: drift
    p.write('docs/architecture/schema-actual-2024-01-01.sql', dumped.stdout);
    p.write('supabase/migrations/20240103000000_drop.sql', 'drop extension supabase_vault;\n');
    const dropped = await runCli(['check', '--no-lint', '--format', 'json', '-C', p.root]);
    expect(dropped.code).toBe(1);
    expect(JSON.parse(dropped.stdout).drift).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'extension', name: 'supabase_vault', change: 'removed' })]));
  });

  // supabase/postgres ansible/files/postgresql_config/supautils.conf.j2: supautils.extensions_parameter_overrides =
  // '{"pg_cron":{"schema":"pg_catalog"}}', applied to every CREATE EXTENSION (supabase/supautils src/supautils.c
  // override_ext_options): field supabase-community/postgres-new 20240820124918_pg_cron.sql `create extension pg_cron
  // with schema extensions` applies on Supabase, and failed the replay with 0A000 (must be installed in pg_catalog)
  it('pg_cron goes to pg_catalog whatever schema CREATE EXTENSION names, as supautils makes it on Supabase', async () => {
    for (const create of ['create extension pg_cron with schema extensions;', 'create extension if not exists pg_cron with schema pg_catalog;', 'create extension pg_cron;']) {
      const p = project({ 'pgdrift.config.json': CONFIG, 'supabase/migrations/20240101000000_cron.sql': `${create}\nselect cron.schedule('nightly', '0 3 * * *', 'select 1');\n` });
      const { report, sql } = await dump({ cwd: p.root, noCache: true });
      expect(report.migrationFailures).toEqual([]);
      expect(sql).toContain('CREATE EXTENSION IF NOT EXISTS pg_cron WITH SCHEMA pg_catalog;');
    }
  });

  it('an extension of Supabase\'s image with no stand-in keeps its message', async () => {
    const p = project({ 'pgdrift.config.json': CONFIG, 'supabase/migrations/20240101000000_sodium.sql': 'create extension pg_net with schema extensions;\ncreate extension pgsodium;\n' });
    const error = await dump({ cwd: p.root, engine: 'pglite', pg: 18, noCache: true }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).message).toContain('does not ship the extension pgsodium');
    expect((error as EngineError).message).not.toContain('pg_net');
    expect((error as EngineError).hint).toBe(
      "replay on Supabase's own image, which ships pgsodium: --engine docker --image supabase/postgres:<the project's version>; a plain Postgres lacks it too, so --engine server works only on one where it is installed",
    );
  });

  it('outside Supabase there are no stand-ins, and pgmq is not called one of Supabase\'s own extensions', async () => {
    const p = project({ 'migrations/001_queue.sql': 'create extension pgmq;\n' });
    const error = await dump({ cwd: p.root, engine: 'pglite', pg: 18, noCache: true }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).message).toContain('does not ship the extension pgmq');
    expect((error as EngineError).hint).toContain('replay on a real Postgres: --engine server');
    expect((error as EngineError).hint).not.toContain('supabase/postgres');
  });
});
