/**
 * A minimal stand-in for what the Supabase platform creates before a project's migrations run, so that a typical
 * `supabase/migrations` folder replays with no setup (turn it off with `"platformBaseline": false`).
 *
 * `auth` and `storage` whole, as the CLI's pinned GoTrue and Storage images leave them (supabase-gotrue-storage.ts);
 * otherwise only what migrations commonly reference, with the shapes the platform gives them (supabase/realtime
 * migrations for `realtime.messages`; supabase/postgres `roles.sql` for the API roles). It is NOT the full platform
 * schema: a migration that alters other platform objects needs its own baseline file.
 */
import { GOTRUE_STORAGE_SQL } from './supabase-gotrue-storage.js';

export const SUPABASE_PLATFORM_FILE = 'pgdrift:supabase-platform-baseline.sql';

/**
 * The search_path the platform gives the role that runs migrations (supabase/postgres
 * migrations/db/init-scripts/00000000000003-post-setup.sql: `ALTER ROLE postgres SET search_path TO
 * "$user",public,extensions`), so `uuid_generate_v4()` and `gen_random_bytes()` resolve unqualified. It is a role
 * setting, not a SET in this file: the engines give it to the session that runs the migrations (EngineOptions.searchPath).
 */
export const SUPABASE_SEARCH_PATH = ['$user', 'public', 'extensions'];

/** Cluster roles the platform has; created as NOLOGIN roles through the engine (and dropped with it). */
export const SUPABASE_PLATFORM_ROLES = ['anon', 'authenticated', 'service_role', 'authenticator', 'supabase_admin', 'supabase_auth_admin', 'supabase_storage_admin', 'dashboard_user'];

/**
 * What drift leaves out for a project with the platform baseline: the platform's publication, which `supabase db
 * dump` comments out (`-- CREATE PUBLICATION "supabase_realtime"`). The tables a migration adds to it
 * (`ALTER PUBLICATION supabase_realtime ADD TABLE ...`, which the dump keeps) are named after each table, so they
 * are still compared.
 */
export const SUPABASE_PLATFORM_IGNORE = ['supabase_realtime'];

/**
 * The schemas `supabase db dump` leaves out (supabase/cli pkg/migration/dump.go `InternalSchemas`, passed to
 * pg_dump --exclude-schema; information_schema and pg_* never reach a comparison). A snapshot it wrote
 * (SchemaModel.supabaseDbDump) cannot show their objects, so a check against it does not compare them: the
 * platform baseline's stand-ins would otherwise be drift, and so would anything a migration adds there.
 */
export const SUPABASE_DB_DUMP_EXCLUDED_SCHEMAS = [
  '_analytics',
  '_realtime',
  '_supavisor',
  'auth',
  'etl',
  'extensions',
  'pgbouncer',
  'realtime',
  'storage',
  'supabase_functions',
  'supabase_migrations',
  'cron',
  'dbdev',
  'graphql',
  'graphql_public',
  'net',
  'pgmq',
  'pgsodium',
  'pgsodium_masks',
  'pgtle',
  'repack',
  'tiger',
  'tiger_data',
  'timescaledb_*',
  '_timescaledb_*',
  'topology',
  'vault',
];

/**
 * Extensions only Supabase's own image ships (supabase/postgres): a migration that creates one replays on that image
 * only. Not pgmq: Tembo's, pure SQL (tembo-io/pgmq pgmq-extension/sql), installed on any Postgres from its package.
 */
export const SUPABASE_IMAGE_EXTENSIONS = ['pg_graphql', 'pg_net', 'pgjwt', 'supabase_vault', 'pgsodium', 'pg_stat_monitor', 'pg_jsonschema', 'wrappers', 'pg_hashids', 'index_advisor'];

/** Postgres's contrib modules among the extensions Supabase's image ships (supautils.conf.j2's full list). */
const SUPABASE_IMAGE_CONTRIB = ['adminpack', 'amcheck', 'autoinc', 'bloom', 'btree_gin', 'btree_gist', 'citext', 'cube', 'dblink', 'dict_int', 'dict_xsyn', 'earthdistance', 'file_fdw', 'fuzzystrmatch', 'hstore', 'insert_username', 'intagg', 'intarray', 'isn', 'lo', 'ltree', 'moddatetime', 'old_snapshot', 'pageinspect', 'pg_buffercache', 'pg_freespacemap', 'pg_prewarm', 'pg_stat_statements', 'pg_surgery', 'pg_trgm', 'pg_visibility', 'pg_walinspect', 'pgcrypto', 'pgrowlocks', 'pgstattuple', 'postgres_fdw', 'refint', 'seg', 'sslinfo', 'tablefunc', 'tcn', 'tsm_system_rows', 'tsm_system_time', 'unaccent', 'uuid-ossp', 'xml2'];

/**
 * Every extension Supabase's image ships, Postgres's contrib modules included (the Extensions table of supabase/postgres's
 * README: its own ones above, and pg_cron, pgsql-http's `http`, PostGIS, pgvector...): what a Supabase project's
 * migrations can create on the platform, so a replay that lacks one is sent to that image (field:
 * mckaywrigley/chatbot-ui `create extension http`, hivecom/hivecom.net `pg_cron`, which the hint left out).
 */
export const SUPABASE_IMAGE_SHIPS = [
  ...SUPABASE_IMAGE_EXTENSIONS,
  // Postgres's contrib modules, which the image ships too (supabase/postgres ansible/files/postgresql_config/
  // supautils.conf.j2, its "full list"): the hint for a replay that lacks moddatetime or pgcrypto named them "not in
  // that image" (field: gridaco/grida, boyhax/manazl.site remote_schema migrations)
  ...SUPABASE_IMAGE_CONTRIB,
  'address_standardizer',
  'address_standardizer_data_us',
  'http',
  'hypopg',
  'pg_cron',
  'pg_repack',
  'pg_tle',
  'pgaudit',
  'pgmq',
  'pgroonga',
  'pgroonga_database',
  'pgrouting',
  'pgtap',
  'plpgsql_check',
  'plv8',
  'postgis',
  'postgis_raster',
  'postgis_sfcgal',
  'postgis_tiger_geocoder',
  'postgis_topology',
  'rum',
  'timescaledb',
  'vector',
];

/**
 * Extensions every Supabase project has before its first migration (supabase/postgres migrations/db/init-scripts and
 * the CLI's initial schema: uuid-ossp, pgcrypto, pgjwt, pg_stat_statements in `extensions`, pg_graphql, supabase_vault;
 * and pg_net, which the first statement of the CLI's webhook.sql creates in `extensions` on every `supabase start`,
 * before the migrations: supabase/cli@1d1e719 apps/cli-go/internal/db/start/start.go writes initialSchema +
 * webhookSchema to /etc/postgresql.schema.sql): a snapshot `supabase db dump` wrote lists them whatever the migrations
 * did (and one made with `--schema public` lists none), so against such a snapshot they say nothing about the migrations
 * and are not compared.
 */
export const SUPABASE_PREINSTALLED_EXTENSIONS = ['pg_graphql', 'pg_net', 'pg_stat_statements', 'pgcrypto', 'pgjwt', 'plpgsql', 'supabase_vault', 'uuid-ossp'];

/**
 * Realtime Authorization and Broadcast from the database: `realtime.messages` (the table its RLS policies go on),
 * `realtime.topic()`, `realtime.send()` and `realtime.broadcast_changes()`. The Supabase CLI runs Realtime's own
 * migrations before the project's (supabase/cli@1d1e719 apps/cli-go/internal/db/start/start.go `initSchema15` →
 * `initRealtimeJob`, then `apply.MigrateAndSeed`), so a migration may create a policy on `realtime.messages` or a
 * trigger function that calls `realtime.broadcast_changes` (field: onlook-dev/onlook 0007_realtime_rls.sql, 3F000).
 * Shapes from supabase/realtime@833cf36 lib/realtime/tenants/repo/migrations: 20240523004032 (table, topic(), RLS,
 * grants), 20241030150047 (partitioned by inserted_at), 20241108114728 (uuid id), 20240919163303 (send,
 * broadcast_changes); the functions' bodies are reduced to what a replay needs.
 */
const REALTIME_SQL = `-- supabase/realtime tenant migrations, which the CLI runs before the project's migrations
CREATE SCHEMA IF NOT EXISTS realtime;
CREATE TABLE realtime.messages (
  topic text NOT NULL,
  extension text NOT NULL,
  payload jsonb,
  event text,
  private boolean DEFAULT false,
  updated_at timestamp NOT NULL DEFAULT now(),
  inserted_at timestamp NOT NULL DEFAULT now(),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  PRIMARY KEY (id, inserted_at)
) PARTITION BY RANGE (inserted_at);
ALTER TABLE realtime.messages ENABLE ROW LEVEL SECURITY;
CREATE FUNCTION realtime.topic() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('realtime.topic', true), '')::text
$$;
CREATE FUNCTION realtime.send(payload jsonb, event text, topic text, private boolean DEFAULT true) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO realtime.messages (payload, event, topic, private, extension) VALUES (payload, event, topic, private, 'broadcast');
  END
$$;
CREATE FUNCTION realtime.broadcast_changes(topic_name text, event_name text, operation text, table_name text, table_schema text, new record, old record, level text DEFAULT 'ROW') RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM realtime.send(jsonb_build_object('old_record', old, 'record', new, 'operation', operation, 'table', table_name, 'schema', table_schema), event_name, topic_name);
  END
$$;
GRANT USAGE ON SCHEMA realtime TO anon, authenticated, service_role;
GRANT SELECT, INSERT, UPDATE ON realtime.messages TO anon, authenticated, service_role;
`;

/**
 * The default privileges the platform gives what the migrations' role creates in `public`: the CLI's initial schema
 * has `ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT ALL ON TABLES|SEQUENCES|FUNCTIONS TO postgres,
 * anon, authenticated, service_role` (supabase/cli@1d1e719 apps/cli-go/internal/utils/templates/initial_schemas/14.sql,
 * a pg_dump of a `supabase start` database), so every table a migration creates there is granted to the API roles, and
 * `supabase db dump` lists those GRANTs. `[api] auto_expose_new_tables = false` in supabase/config.toml has the CLI
 * revoke part of them before the migrations (internal/db/start/start.go `ApplyApiPrivileges`, run by `SetupDatabase`
 * and by db reset: `RevokeDefaultDataApiPrivilegesSql`; unset or true keeps them). The role is the one the replay's
 * migrations run as (postgres on Supabase). Not part of SUPABASE_PLATFORM_SQL: a pg_dump snapshot reloaded after the
 * baseline must not gain them (pg_dump restores its own ALTER DEFAULT PRIVILEGES after the objects).
 */
export function supabaseApiPrivilegesSql(autoExposeNewTables: boolean): string {
  const grants = `-- supabase start's default privileges in public (CLI initial schema; [api] auto_expose_new_tables)
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO CURRENT_USER, anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO CURRENT_USER, anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO CURRENT_USER, anon, authenticated, service_role;
`;
  if (autoExposeNewTables) return grants;
  return `${grants}ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE EXECUTE ON FUNCTIONS FROM anon, authenticated, service_role;
`;
}

/**
 * The extensions a `supabase start` database has before the first migration that a migration cannot create on a
 * fresh Postgres (SUPABASE_PREINSTALLED_EXTENSIONS has the sources): pg_graphql and supabase_vault, with their schemas
 * graphql and vault, and pg_net in extensions (the CLI's webhook.sql). So `CREATE EXTENSION IF NOT EXISTS
 * "supabase_vault" WITH SCHEMA "vault"`, which every `supabase db dump` migration has, is the no-op it is there (a fresh
 * Postgres refuses it: 3F000, schema "vault" does not exist), and so is `create extension if not exists pg_net`, which
 * leaves it in extensions. Created where the engine has them: the embedded engine's stand-ins
 * (src/engine/stand-ins.ts), Supabase's image; a plain server has none, and goes on without them as before.
 */
export const SUPABASE_PLATFORM_EXTENSIONS = ['pg_graphql', 'pg_net', 'supabase_vault'];

const PREINSTALLED_SQL = `-- pg_graphql, supabase_vault and pg_net, which supabase start makes before the migrations, where this engine has them
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'pg_graphql') THEN CREATE EXTENSION IF NOT EXISTS pg_graphql; END IF;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'supabase_vault') THEN CREATE EXTENSION IF NOT EXISTS supabase_vault; END IF;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'pg_net') THEN CREATE EXTENSION IF NOT EXISTS pg_net WITH SCHEMA extensions; END IF;
END
$$;
`;

export const SUPABASE_PLATFORM_SQL = `-- pgdrift's minimal Supabase platform baseline (see src/runners/supabase-platform.ts)
-- supabase/postgres init-scripts/00000000000000-initial-schema.sql; Realtime's docs: alter publication supabase_realtime add table ...
CREATE PUBLICATION supabase_realtime;
CREATE SCHEMA IF NOT EXISTS extensions;
CREATE SCHEMA IF NOT EXISTS auth;
CREATE SCHEMA IF NOT EXISTS storage;
CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA extensions;
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;
GRANT USAGE ON SCHEMA public, extensions, auth, storage TO anon, authenticated, service_role;

${GOTRUE_STORAGE_SQL}GRANT ALL ON auth.users TO service_role;
GRANT ALL ON storage.buckets, storage.objects TO anon, authenticated, service_role;
-- supabase/storage migrations/tenant 0038 (buckets_analytics), 0045 (buckets_vectors, vector_indexes), 0047
-- (iceberg_*), 0021 (s3 multipart uploads): the API roles' grants there, as pg_dump shows them after v1.60.2's migrations
GRANT ALL ON storage.buckets_analytics TO anon, authenticated, service_role;
GRANT SELECT ON storage.buckets_vectors, storage.vector_indexes TO anon, authenticated, service_role;
GRANT SELECT ON storage.iceberg_namespaces, storage.iceberg_tables, storage.s3_multipart_uploads, storage.s3_multipart_uploads_parts TO anon, authenticated;
-- supabase/cli internal/db/start/templates/webhook.sql, which supabase start always loads: the trigger function of
-- Database Webhooks, which a pulled remote schema uses (the real one posts the row with pg_net)
CREATE SCHEMA IF NOT EXISTS supabase_functions;
CREATE FUNCTION supabase_functions.http_request() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path TO 'supabase_functions' AS $$
  BEGIN RETURN NEW; END
$$;
GRANT USAGE ON SCHEMA supabase_functions TO anon, authenticated, service_role;
${REALTIME_SQL}${PREINSTALLED_SQL}`;
