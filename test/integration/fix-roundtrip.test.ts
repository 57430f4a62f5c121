import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Engine } from '../../src/engine/index.js';
import type { SchemaModel } from '../../src/model/types.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { openTestEngine, roundTrip, schemaAfter } from '../helpers/fix-roundtrip.js';
import { SERVER_SKIP_REASON, serverAvailable } from '../helpers/postgres.js';
import { cases as richMutations } from '../fixtures/mutations.js';

/** Mutations combined: several objects of several kinds change at once, dependencies between them included. */
const multiObject: Array<[title: string, sql: string]> = [
  [
    'a new table with an FK to a new column, an index, a view over it and an enum label',
    `ALTER TABLE public.organizations ADD COLUMN code text;
     ALTER TABLE public.organizations ADD CONSTRAINT organizations_code_key UNIQUE (code);
     CREATE TABLE app.projects (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, org_code text NOT NULL REFERENCES public.organizations (code), title text);
     CREATE INDEX projects_org_code_idx ON app.projects (org_code);
     CREATE VIEW app.project_titles AS SELECT p.id, p.title, o.name FROM app.projects p JOIN public.organizations o ON o.code = p.org_code;
     ALTER TYPE public.mood ADD VALUE 'meh' BEFORE 'ok';
     COMMENT ON TABLE app.projects IS 'work items'`,
  ],
  [
    'drop a table that others reference, a view over it, and a function',
    `DROP VIEW public.org_members;
     DROP MATERIALIZED VIEW public.org_stats;
     DROP TABLE public.organization_users;
     DROP FUNCTION app.user_count(bigint);
     ALTER TABLE public.users DROP COLUMN home;
     DROP TYPE public.address`,
  ],
  [
    'retype columns read by a view, a policy and a trigger',
    `DROP VIEW public.active_users;
     DROP POLICY users_self_update ON public.users;
     DROP TRIGGER organizations_audit ON public.organizations;
     ALTER TABLE public.users ALTER COLUMN status TYPE text;
     ALTER TABLE public.organizations ALTER COLUMN name TYPE character varying(200);
     CREATE VIEW public.active_users AS SELECT u.id, u.email, o.name AS org_name FROM public.users u JOIN public.organizations o ON o.id = u.org_id WHERE u.status = 'active';
     COMMENT ON VIEW public.active_users IS 'users who can log in';
     CREATE POLICY users_self_update ON public.users AS RESTRICTIVE FOR UPDATE USING (id = 1) WITH CHECK (status <> 'disabled');
     CREATE TRIGGER organizations_audit BEFORE UPDATE OF name, slug ON public.organizations FOR EACH ROW WHEN (old.name IS DISTINCT FROM new.name) EXECUTE FUNCTION public.touch_audit()`,
  ],
  [
    'every kind at once',
    `CREATE SCHEMA reporting;
     CREATE SEQUENCE reporting.report_numbers START 10;
     CREATE TABLE reporting.reports (id integer DEFAULT nextval('reporting.report_numbers') PRIMARY KEY, mood public.mood, at timestamptz);
     ALTER SEQUENCE reporting.report_numbers OWNED BY reporting.reports.id;
     CREATE FUNCTION reporting.latest() RETURNS timestamptz LANGUAGE sql STABLE AS $$ SELECT max(at) FROM reporting.reports $$;
     CREATE POLICY users_insert ON public.users FOR INSERT WITH CHECK (true);
     ALTER TABLE public.users DROP CONSTRAINT users_email_key;
     ALTER TABLE public.cache_entries SET LOGGED;
     ALTER DOMAIN public.positive_int SET DEFAULT 2;
     DROP INDEX public.users_tags_idx;
     COMMENT ON COLUMN public.users.email IS NULL`,
  ],
];

for (const engineName of ['pglite', 'server'] as const) {
  describe(`diff --sql round trip on ${engineName}`, () => {
    let engine: Engine | undefined;
    let baseline: SchemaModel;
    let skipReason: string | undefined;

    beforeAll(async () => {
      await loadSqlParser();
      if (engineName === 'server' && !serverAvailable) {
        skipReason = SERVER_SKIP_REASON;
        return;
      }
      engine = await openTestEngine(engineName);
      baseline = await schemaAfter(engine, [], 'baseline.sql');
    }, 120_000);

    afterAll(async () => {
      await engine?.close();
    });

    /** B = the rich schema after `mutation`; a mutation the engine's Postgres cannot run skips the case. */
    async function target(mutation: string, skip: (reason: string) => void): Promise<SchemaModel> {
      if (!engine) skip(skipReason!);
      try {
        return await schemaAfter(engine!, [mutation], 'target.sql');
      } catch (error: any) {
        skip(`Postgres ${engine!.info.postgresVersion} cannot run the mutation: ${String(error.message).split('\n')[0]}`);
        throw error;
      }
    }

    test.for(richMutations.map(([title, sql]) => [title, sql] as const))('%s: A → B and back', async ([, mutation], { skip }) => {
      const mutated = await target(mutation, skip);
      const forward = await roundTrip(engine!, [], baseline, mutated);
      expect(forward.sql).not.toMatch(/no differences/);
      expect(forward.remaining, forward.sql).toEqual([]);
      const backward = await roundTrip(engine!, [mutation], mutated, baseline);
      expect(backward.remaining, backward.sql).toEqual([]);
    });

    test.for(multiObject)('multi-object: %s', async ([, mutation], { skip }) => {
      const mutated = await target(mutation, skip);
      const forward = await roundTrip(engine!, [], baseline, mutated);
      expect(forward.remaining, forward.sql).toEqual([]);
      const backward = await roundTrip(engine!, [mutation], mutated, baseline);
      expect(backward.remaining, backward.sql).toEqual([]);
    });
  });
}
