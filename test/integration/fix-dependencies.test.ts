import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Engine } from '../../src/engine/index.js';
import { planFix, renderFixSql, runnableStatements } from '../../src/fix/index.js';
import { diffModels } from '../../src/diff/diff.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { openTestEngine, roundTrip, schemaAfter } from '../helpers/fix-roundtrip.js';
import { SERVER_SKIP_REASON, serverAvailable } from '../helpers/postgres.js';

/** Where each statement starts in the script: the dependency order is asserted on these positions. */
function position(sql: string, statement: string): number {
  const at = sql.indexOf(statement);
  if (at < 0) throw new Error(`"${statement}" is not in the script:\n${sql}`);
  return at;
}

interface DependencyCase {
  title: string;
  /** extra objects of the starting schema (run after the rich schema) */
  base: string;
  /** the change, as a person would write it (with the drops Postgres demands) */
  change: string;
  /** statements that must appear, in this order */
  order: string[];
}

const cases: DependencyCase[] = [
  {
    title: 'a view over a retyped column is dropped before the ALTER and created again after it, its comment and grant too',
    base: `CREATE VIEW public.user_scores AS SELECT id, score FROM public.users;
      COMMENT ON VIEW public.user_scores IS 'scores';
      GRANT SELECT ON public.user_scores TO PUBLIC`,
    change: `DROP VIEW public.user_scores;
      ALTER TABLE public.users ALTER COLUMN score TYPE numeric(12,2);
      CREATE VIEW public.user_scores AS SELECT id, score FROM public.users;
      COMMENT ON VIEW public.user_scores IS 'scores';
      GRANT SELECT ON public.user_scores TO PUBLIC`,
    order: ['DROP VIEW public.user_scores', 'ALTER TABLE public.users ALTER COLUMN score TYPE numeric(12,2);', 'CREATE VIEW public.user_scores', "COMMENT ON VIEW public.user_scores IS 'scores'"],
  },
  {
    title: 'an FK over a recreated unique index is dropped first and added again last',
    base: `CREATE UNIQUE INDEX organizations_slug_name_idx ON public.organizations (slug, name);
      CREATE TABLE public.org_links (id integer PRIMARY KEY, slug character varying(64), name text,
        CONSTRAINT org_links_org_fkey FOREIGN KEY (slug, name) REFERENCES public.organizations (slug, name));
      CREATE INDEX org_links_slug_name_idx ON public.org_links (slug, name)`,
    change: `ALTER TABLE public.org_links DROP CONSTRAINT org_links_org_fkey;
      DROP INDEX public.organizations_slug_name_idx;
      CREATE UNIQUE INDEX organizations_slug_name_idx ON public.organizations (name, slug);
      ALTER TABLE public.org_links ADD CONSTRAINT org_links_org_fkey FOREIGN KEY (slug, name) REFERENCES public.organizations (slug, name)`,
    order: ['ALTER TABLE public.org_links DROP CONSTRAINT org_links_org_fkey', 'DROP INDEX public.organizations_slug_name_idx', 'CREATE UNIQUE INDEX organizations_slug_name_idx', 'ALTER TABLE public.org_links ADD CONSTRAINT org_links_org_fkey'],
  },
  {
    title: 'an enum value added between two others goes in with ADD VALUE ... BEFORE/AFTER',
    base: '',
    change: `ALTER TYPE public.mood ADD VALUE 'meh' BEFORE 'ok'`,
    order: ["ALTER TYPE public.mood ADD VALUE 'meh' AFTER 'sad'"],
  },
  {
    title: 'a function whose arguments change is dropped and created again, with the trigger that calls it around it',
    base: `CREATE FUNCTION public.is_named(n text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT n IS NOT NULL $$;
      CREATE TRIGGER organizations_named BEFORE INSERT ON public.organizations FOR EACH ROW WHEN (public.is_named(new.name)) EXECUTE FUNCTION public.touch_audit()`,
    change: `DROP TRIGGER organizations_named ON public.organizations;
      DROP FUNCTION public.is_named(text);
      CREATE FUNCTION public.is_named(value text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT value IS NOT NULL $$;
      CREATE TRIGGER organizations_named BEFORE INSERT ON public.organizations FOR EACH ROW WHEN (public.is_named(new.name)) EXECUTE FUNCTION public.touch_audit()`,
    order: ['DROP TRIGGER organizations_named ON public.organizations', 'DROP FUNCTION public.is_named(text)', 'CREATE FUNCTION public.is_named(value text)', 'CREATE TRIGGER organizations_named'],
  },
  {
    title: 'a trigger function whose return type changes (a signature change) takes its trigger with it',
    base: `CREATE FUNCTION public.stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
      CREATE TRIGGER organizations_stamp BEFORE UPDATE ON public.organizations FOR EACH ROW EXECUTE FUNCTION public.stamp();
      CREATE FUNCTION public.org_count() RETURNS integer LANGUAGE sql STABLE AS $$ SELECT count(*)::integer FROM public.organizations $$;
      CREATE VIEW public.org_totals AS SELECT public.org_count() AS total`,
    change: `DROP VIEW public.org_totals;
      DROP FUNCTION public.org_count();
      CREATE FUNCTION public.org_count() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM public.organizations $$;
      CREATE VIEW public.org_totals AS SELECT public.org_count() AS total`,
    order: ['DROP VIEW public.org_totals', 'DROP FUNCTION public.org_count()', 'CREATE FUNCTION public.org_count() RETURNS bigint', 'CREATE VIEW public.org_totals'],
  },
];

for (const engineName of ['pglite', 'server'] as const) {
  describe(`dependency order of diff --sql on ${engineName}`, () => {
    let engine: Engine | undefined;

    beforeAll(async () => {
      await loadSqlParser();
      if (engineName === 'server' && !serverAvailable) return;
      engine = await openTestEngine(engineName);
    }, 120_000);

    afterAll(async () => {
      await engine?.close();
    });

    test.for(cases)('$title', async ({ base, change, order }, { skip }) => {
      if (!engine) return skip(SERVER_SKIP_REASON);
      const bases = base ? [base] : [];
      const from = await schemaAfter(engine, bases, 'from.sql');
      const to = await schemaAfter(engine, [...bases, change], 'to.sql');
      const { sql, remaining } = await roundTrip(engine, bases, from, to);
      const positions = order.map((statement) => position(sql, statement));
      expect(positions, sql).toEqual([...positions].sort((a, b) => a - b));
      expect(remaining, sql).toEqual([]);
    });

    test('destructive steps are comments that say why, unless allowed; the rest still applies', async ({ skip }) => {
      if (!engine) return skip(SERVER_SKIP_REASON);
      const from = await schemaAfter(engine, [], 'from.sql');
      const to = await schemaAfter(engine, ['DROP TABLE public.cache_entries; ALTER TABLE public.users DROP COLUMN nickname; ALTER TABLE public.users ALTER COLUMN score TYPE numeric(6,1); ALTER TABLE public.users ADD COLUMN age integer'], 'to.sql');
      const plan = planFix(from, to);
      const sql = renderFixSql(plan);
      expect(plan.unsafeCount).toBe(3);
      expect(sql).toMatch(/^-- 3 destructive steps are left as comments \(marked UNSAFE\): re-run with --allow-destructive/);
      expect(sql).toContain('-- UNSAFE, not run: DROP TABLE public.cache_entries deletes the table and its rows\n-- DROP TABLE public.cache_entries;');
      expect(sql).toContain('-- UNSAFE, not run: DROP COLUMN public.users.nickname deletes the column');
      expect(sql).toContain('-- UNSAFE, not run: public.users.score: numeric(10,2) → numeric(6,1) may fail on existing rows or lose data');
      const partly = await schemaAfter(engine, [sql], 'partly.sql');
      const left = diffModels(partly, to).map((item) => `${item.kind} ${item.name}`);
      expect(left.sort()).toEqual(['column public.users.nickname', 'column public.users.score', 'table public.cache_entries']);
    });

    test('with --include privileges, a recreated view gets its grants back and a removed grant is revoked', async ({ skip }) => {
      if (!engine) return skip(SERVER_SKIP_REASON);
      const base = 'CREATE VIEW public.user_scores AS SELECT id, score FROM public.users; GRANT SELECT ON public.user_scores TO PUBLIC';
      const change = 'DROP VIEW public.user_scores; ALTER TABLE public.users ALTER COLUMN score TYPE numeric(12,2); CREATE VIEW public.user_scores AS SELECT id, score FROM public.users; GRANT SELECT ON public.user_scores TO PUBLIC; REVOKE SELECT ON public.active_users FROM PUBLIC';
      const withPrivileges = { includePrivileges: true };
      const from = await schemaAfter(engine, [base], 'from.sql', withPrivileges);
      const to = await schemaAfter(engine, [base, change], 'to.sql', withPrivileges);
      const sql = renderFixSql(planFix(from, to));
      expect(position(sql, 'CREATE VIEW public.user_scores')).toBeLessThan(position(sql, 'GRANT SELECT ON public.user_scores TO PUBLIC'));
      expect(sql).toContain('REVOKE SELECT ON public.active_users FROM PUBLIC');
      const result = await schemaAfter(engine, [base, sql], 'fixed.sql', withPrivileges);
      expect(diffModels(result, to), sql).toEqual([]);
    });

    test('idempotent DDL (the helios style) runs twice and still gives the target', async ({ skip }) => {
      if (!engine) return skip(SERVER_SKIP_REASON);
      const change = `CREATE TYPE public.color AS ENUM ('red'); ALTER TABLE public.users ADD COLUMN color public.color;
        CREATE INDEX users_color_idx ON public.users (color); ALTER TYPE public.mood ADD VALUE 'meh';
        ALTER TABLE public.organizations ADD CONSTRAINT organizations_name_check CHECK (name <> '');
        CREATE TABLE public.notes (id integer PRIMARY KEY, body text); CREATE SCHEMA reporting;
        CREATE TRIGGER notes_audit AFTER INSERT ON public.notes FOR EACH ROW EXECUTE FUNCTION public.touch_audit();
        CREATE POLICY notes_all ON public.notes USING (true); CREATE VIEW public.note_bodies AS SELECT body FROM public.notes`;
      const from = await schemaAfter(engine, [], 'from.sql');
      const to = await schemaAfter(engine, [change], 'to.sql');
      const options = { idempotent: true };
      const sql = renderFixSql(planFix(from, to, options), options);
      expect(sql).toContain('CREATE TABLE IF NOT EXISTS public.notes');
      expect(sql).toContain("ADD VALUE IF NOT EXISTS 'meh'");
      expect(sql).toMatch(/DO \$do\$BEGIN IF NOT EXISTS \(SELECT 1 FROM pg_catalog.pg_type/);
      const twice = await schemaAfter(engine, [sql, sql], 'twice.sql');
      expect(diffModels(twice, to), sql).toEqual([]);
    });

    test('CREATE INDEX CONCURRENTLY and the UNIQUE ... USING INDEX form, run statement by statement', async ({ skip }) => {
      if (!engine) return skip(SERVER_SKIP_REASON);
      const change = `CREATE INDEX users_mood_idx ON public.users (mood); ALTER TABLE public.organizations ADD CONSTRAINT organizations_name_key UNIQUE (name);
        ALTER TABLE public.users ADD CONSTRAINT users_org_check CHECK (org_id > 0)`;
      const from = await schemaAfter(engine, [], 'from.sql');
      const to = await schemaAfter(engine, [change], 'to.sql');
      const plan = planFix(from, to, { concurrently: true });
      const sql = renderFixSql(plan, { concurrently: true });
      expect(sql).toContain('CREATE INDEX CONCURRENTLY users_mood_idx ON public.users');
      expect(sql).toContain('CREATE UNIQUE INDEX CONCURRENTLY organizations_name_key ON public.organizations USING btree (name);\nALTER TABLE public.organizations ADD CONSTRAINT organizations_name_key UNIQUE USING INDEX organizations_name_key;');
      expect(sql).toContain('ALTER TABLE public.users ADD CONSTRAINT users_org_check CHECK (org_id > 0) NOT VALID;');
      expect(sql).toContain('ALTER TABLE public.users VALIDATE CONSTRAINT users_org_check;');
      expect(sql).toMatch(/^-- CREATE\/DROP INDEX CONCURRENTLY cannot run inside a transaction block/m);
      // One statement per query, as psql -f runs a file: CONCURRENTLY refuses a multi-statement query.
      const statements = runnableStatements(plan, false).flatMap((step) => step.split(/;\n/).map((s) => s.replace(/;$/, '')));
      const result = await schemaAfter(engine, statements, 'concurrently.sql');
      expect(diffModels(result, to), sql).toEqual([]);
    });

    test('the script planned from PG-version-specific dumps of the same schema is empty', async () => {
      const model = buildSchemaModel((await import('node:fs')).readFileSync(new URL('../fixtures/dumps/rich.pg15.sql', import.meta.url), 'utf8'), 'a.sql');
      const other = buildSchemaModel((await import('node:fs')).readFileSync(new URL('../fixtures/dumps/rich.pg15.reloaded.sql', import.meta.url), 'utf8'), 'b.sql');
      expect(diffModels(model, other)).toEqual([]);
      expect(planFix(model, other).steps).toEqual([]);
    });
  });
}
