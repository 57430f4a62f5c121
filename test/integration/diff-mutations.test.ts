import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSqlParser } from '../../src/sql/parse.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { diffModels } from '../../src/diff/diff.js';
import type { SchemaModel } from '../../src/model/types.js';
import type { ChangeKind, ObjectKind } from '../../src/diff/types.js';

const richSchema = readFileSync(new URL('../fixtures/dumps/rich-schema.sql', import.meta.url), 'utf8');

let db: PGlite;
let baseline: SchemaModel;

/** Drops everything and loads the rich schema again: one PGlite instance serves every mutation. */
async function resetRichSchema(): Promise<void> {
  await db.exec(`
    SET search_path TO public;
    DROP SCHEMA IF EXISTS app CASCADE;
    DROP SCHEMA IF EXISTS reporting CASCADE;
    DROP SCHEMA public CASCADE;
    CREATE SCHEMA public;
  `);
  await db.exec(richSchema);
}

async function dumpModel(file: string): Promise<SchemaModel> {
  const dump = await (await pgDump({ pg: db, args: ['--schema-only'] })).text();
  // PGlite's pg_dump leaves its read-only transaction open in the shared session.
  await db.exec('ROLLBACK; SET search_path TO public');
  return buildSchemaModel(dump, file);
}

beforeAll(async () => {
  await loadSqlParser();
  db = await PGlite.create({ extensions: { citext } });
  await resetRichSchema();
  baseline = await dumpModel('snapshot.sql');
});

afterAll(async () => {
  await db?.close();
});

type Case = [title: string, sql: string, kind: ObjectKind, name: string, change: ChangeKind];

const cases: Case[] = [
  ['drop a column', 'ALTER TABLE public.users DROP COLUMN nickname', 'column', 'public.users.nickname', 'removed'],
  ['add a column', 'ALTER TABLE public.users ADD COLUMN age integer', 'column', 'public.users.age', 'added'],
  ['change a column type', 'ALTER TABLE public.users ALTER COLUMN score TYPE numeric(12,2)', 'column', 'public.users.score', 'changed'],
  ['change a timestamp type', 'ALTER TABLE public.cache_entries ALTER COLUMN expires_at TYPE timestamp without time zone', 'column', 'public.cache_entries.expires_at', 'changed'],
  ['change a default', "ALTER TABLE public.users ALTER COLUMN status SET DEFAULT 'invited'", 'column', 'public.users.status', 'changed'],
  ['drop a default', 'ALTER TABLE public.users ALTER COLUMN score DROP DEFAULT', 'column', 'public.users.score', 'changed'],
  ['set NOT NULL', 'ALTER TABLE public.users ALTER COLUMN first_name SET NOT NULL', 'column', 'public.users.first_name', 'changed'],
  ['drop NOT NULL', 'ALTER TABLE public.audit_log ALTER COLUMN action DROP NOT NULL', 'column', 'public.audit_log.action', 'changed'],
  ['drop an identity', 'ALTER TABLE public.users ALTER COLUMN id DROP IDENTITY', 'column', 'public.users.id', 'changed'],
  ['change a generated expression', 'ALTER TABLE public.users ALTER COLUMN full_name SET EXPRESSION AS (first_name)', 'column', 'public.users.full_name', 'changed'],
  ['change a collation', 'ALTER TABLE public.audit_log ALTER COLUMN table_name TYPE text COLLATE "POSIX"', 'column', 'public.audit_log.table_name', 'changed'],
  ['drop an index', 'DROP INDEX public.users_tags_idx', 'index', 'public.users.users_tags_idx', 'removed'],
  ['add an index', 'CREATE INDEX users_mood_idx ON public.users (mood)', 'index', 'public.users.users_mood_idx', 'added'],
  ['change index expression', 'DROP INDEX public.users_lower_email_idx; CREATE INDEX users_lower_email_idx ON public.users (upper(email::text))', 'index', 'public.users.users_lower_email_idx', 'changed'],
  ['change index columns', 'DROP INDEX public.organization_users_org_user_idx; CREATE UNIQUE INDEX organization_users_org_user_idx ON public.organization_users (user_id, organization_id) INCLUDE (role)', 'index', 'public.organization_users.organization_users_org_user_idx', 'changed'],
  ['change an index predicate', "DROP INDEX public.users_active_idx; CREATE INDEX users_active_idx ON public.users (created_at DESC NULLS LAST) WHERE status::text = 'active'", 'index', 'public.users.users_active_idx', 'changed'],
  ['change an index opclass', 'DROP INDEX public.users_name_pattern_idx; CREATE INDEX users_name_pattern_idx ON public.users (name text_ops)', 'index', 'public.users.users_name_pattern_idx', 'changed'],
  ['change a CHECK', "ALTER TABLE public.organization_users DROP CONSTRAINT organization_users_role_check, ADD CONSTRAINT organization_users_role_check CHECK (role = ANY (ARRAY['owner', 'member']))", 'constraint', 'public.organization_users.organization_users_role_check', 'changed'],
  ['change a CHECK on varchar (IN list)', "ALTER TABLE public.users DROP CONSTRAINT users_status_check, ADD CONSTRAINT users_status_check CHECK (status IN ('active', 'disabled'))", 'constraint', 'public.users.users_status_check', 'changed'],
  ['change an FK action', 'ALTER TABLE public.users DROP CONSTRAINT users_org_id_fkey, ADD CONSTRAINT users_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.organizations(id) ON DELETE RESTRICT', 'constraint', 'public.users.users_org_id_fkey', 'changed'],
  ['make an FK not deferrable', 'ALTER TABLE public.organization_users ALTER CONSTRAINT organization_users_user_fkey NOT DEFERRABLE', 'constraint', 'public.organization_users.organization_users_user_fkey', 'changed'],
  ['drop a unique constraint', 'ALTER TABLE public.users DROP CONSTRAINT users_email_key', 'constraint', 'public.users.users_email_key', 'removed'],
  ['add a unique constraint', 'ALTER TABLE public.organizations ADD CONSTRAINT organizations_name_key UNIQUE (name)', 'constraint', 'public.organizations.organizations_name_key', 'added'],
  ['validate a NOT VALID constraint', 'ALTER TABLE public.users VALIDATE CONSTRAINT users_score_check', 'constraint', 'public.users.users_score_check', 'changed'],
  ['drop an exclusion constraint', 'ALTER TABLE app.bookings DROP CONSTRAINT bookings_no_overlap', 'constraint', 'app.bookings.bookings_no_overlap', 'removed'],
  ['drop a primary key', 'ALTER TABLE public.cache_entries DROP CONSTRAINT cache_entries_pkey', 'constraint', 'public.cache_entries.cache_entries_pkey', 'removed'],
  ['change a function body', 'CREATE OR REPLACE FUNCTION app.user_count(org bigint) RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER AS $$ SELECT count(*) + 0 FROM public.users WHERE org_id = org $$', 'function', 'app.user_count', 'changed'],
  ['change a function volatility', 'ALTER FUNCTION app.user_count(bigint) VOLATILE', 'function', 'app.user_count', 'changed'],
  ['drop SECURITY DEFINER', 'ALTER FUNCTION app.user_count(bigint) SECURITY INVOKER', 'function', 'app.user_count', 'changed'],
  ['drop one overload', 'DROP FUNCTION public.add_numbers(numeric, numeric)', 'function', 'public.add_numbers(numeric, numeric)', 'removed'],
  ['add a function', "CREATE FUNCTION public.now_utc() RETURNS timestamp without time zone LANGUAGE sql AS $$ SELECT now() AT TIME ZONE 'utc' $$", 'function', 'public.now_utc', 'added'],
  ['change a procedure body', 'CREATE OR REPLACE PROCEDURE app.purge_cache(IN older_than interval) LANGUAGE plpgsql AS $$ BEGIN DELETE FROM public.cache_entries; END; $$', 'function', 'app.purge_cache', 'changed'],
  ['change a view query', "CREATE OR REPLACE VIEW public.active_users AS SELECT u.id, u.email, o.name AS org_name FROM public.users u JOIN public.organizations o ON o.id = u.org_id WHERE u.status::text = 'invited'", 'view', 'public.active_users', 'changed'],
  ['drop a view', 'DROP VIEW public.org_members', 'view', 'public.org_members', 'removed'],
  ['drop a materialized view (with its index)', 'DROP MATERIALIZED VIEW public.org_stats', 'materialized_view', 'public.org_stats', 'removed'],
  ['drop a materialized view index', 'DROP INDEX public.org_stats_org_idx', 'index', 'public.org_stats.org_stats_org_idx', 'removed'],
  ['drop a trigger', 'DROP TRIGGER users_audit ON public.users', 'trigger', 'public.users.users_audit', 'removed'],
  ['change a trigger timing', 'DROP TRIGGER organizations_audit ON public.organizations; CREATE TRIGGER organizations_audit AFTER UPDATE OF name, slug ON public.organizations FOR EACH ROW WHEN (old.name IS DISTINCT FROM new.name) EXECUTE FUNCTION public.touch_audit()', 'trigger', 'public.organizations.organizations_audit', 'changed'],
  ['append an enum label', "ALTER TYPE public.mood ADD VALUE 'ecstatic'", 'type', 'public.mood', 'changed'],
  ['add an enum type', "CREATE TYPE public.color AS ENUM ('red', 'green')", 'type', 'public.color', 'added'],
  ['change a domain default', 'ALTER DOMAIN public.positive_int SET DEFAULT 2', 'type', 'public.positive_int', 'changed'],
  ['add a composite attribute', 'ALTER TYPE public.address ADD ATTRIBUTE country text', 'type', 'public.address', 'changed'],
  ['change a table comment', "COMMENT ON TABLE public.users IS 'humans'", 'comment', 'public.users', 'changed'],
  ['drop a column comment', 'COMMENT ON COLUMN public.users.email IS NULL', 'comment', 'public.users.email', 'removed'],
  ['add a column comment', "COMMENT ON COLUMN public.organizations.name IS 'display name'", 'comment', 'public.organizations.name', 'added'],
  ['drop a view comment', 'COMMENT ON VIEW public.active_users IS NULL', 'comment', 'public.active_users', 'removed'],
  ['change an index comment', "COMMENT ON INDEX public.users_tags_idx IS 'tags'", 'comment', 'public.users.users_tags_idx', 'changed'],
  ['change a function comment', "COMMENT ON FUNCTION public.touch_audit() IS 'audit'", 'comment', 'public.touch_audit', 'changed'],
  ['change a policy', 'ALTER POLICY users_same_org ON public.users USING (org_id = 2)', 'policy', 'public.users.users_same_org', 'changed'],
  ['add a policy', 'CREATE POLICY users_insert ON public.users FOR INSERT WITH CHECK (true)', 'policy', 'public.users.users_insert', 'added'],
  ['turn FORCE row level security off', 'ALTER TABLE public.users NO FORCE ROW LEVEL SECURITY', 'table', 'public.users', 'changed'],
  ['make an unlogged table logged', 'ALTER TABLE public.cache_entries SET LOGGED', 'table', 'public.cache_entries', 'changed'],
  ['drop a table', 'DROP TABLE public.cache_entries', 'table', 'public.cache_entries', 'removed'],
  ['drop a table with a serial column (sequence folded)', 'DROP TABLE public.audit_log', 'table', 'public.audit_log', 'removed'],
  ['add a table', 'CREATE TABLE public.notes (id serial PRIMARY KEY, body text NOT NULL)', 'table', 'public.notes', 'added'],
  ['drop a partition', 'DROP TABLE public.events_default', 'table', 'public.events_default', 'removed'],
  ['change a sequence', 'ALTER SEQUENCE public.invoice_numbers INCREMENT BY 10', 'sequence', 'public.invoice_numbers', 'changed'],
  ['add a schema', 'CREATE SCHEMA reporting', 'schema', 'reporting', 'added'],
];

describe('each single-object mutation of the rich schema gives exactly one drift item', () => {
  test.each(cases)('%s', async (_title, sql, kind, name, change) => {
    await resetRichSchema();
    await db.exec(sql);
    const migrations = await dumpModel('migrations.sql');
    const items = diffModels(migrations, baseline);
    expect(items.map(({ kind, name, change }) => ({ kind, name, change }))).toEqual([{ kind, name, change }]);
    expect(items[0].details.length).toBeGreaterThan(0);
    if (change !== 'added') expect(items[0].source.snapshot).toMatchObject({ file: 'snapshot.sql' });
  });

  test('the baseline reloaded is unchanged', async () => {
    await resetRichSchema();
    const again = await dumpModel('again.sql');
    expect([again.tables.length > 0, baseline.tables.length > 0]).toEqual([true, true]);
    expect(diffModels(again, baseline)).toEqual([]);
  });

  test(`covers at least 40 mutations (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });
});
