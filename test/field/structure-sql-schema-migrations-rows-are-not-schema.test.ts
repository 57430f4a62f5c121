import { afterAll, expect, it } from 'vitest';
import { diff } from '../../src/commands/diff.js';
import { tempProject } from '../helpers/project.js';

/**
 * Field sweep of Rails db/structure.sql files (danbooru/danbooru, 3scale/zync...): Rails appends the applied
 * migrations to pg_dump's output as `INSERT INTO "schema_migrations" (version) VALUES ...` (dbmate's db/schema.sql
 * likewise). `pgdrift diff structure.sql redump.sql`, the redump being pg_dump --schema-only of the same database,
 * reported the INSERT as an "other" object removed: hidden only when the confirming reload ran (it dumps the schema
 * only), so shown unconfirmed when the reload lacked one of the dump's extensions (danbooru's pgstattuple on the
 * embedded engine) and as certain with --no-canonicalize. Rows are data, not schema: left out, and said as "not
 * compared" when both sides have rows that differ.
 */
const SCHEMA = `SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);

CREATE TABLE public.schema_migrations (
    version character varying NOT NULL
);

CREATE TABLE public.posts (
    id bigint NOT NULL,
    title text DEFAULT ''::text NOT NULL
);

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);
`;
const RAILS = `${SCHEMA}
SET search_path TO "$user", public;

INSERT INTO "schema_migrations" (version) VALUES
('20260323172054'),
('20260309181625');

UPDATE public.posts SET title = 'x' WHERE id = 0;
DELETE FROM public.posts WHERE id < 0;
`;

const projects: ReturnType<typeof tempProject>[] = [];
afterAll(() => {
  for (const p of projects) p.cleanup();
});
const project = (files: Record<string, string>) => {
  const p = tempProject(files);
  projects.push(p);
  return p;
};

it('a structure.sql with its schema_migrations rows against pg_dump --schema-only of it: no differences', async () => {
  const p = project({ 'structure.sql': RAILS, 'redump.sql': SCHEMA });
  for (const canonicalize of [false, true]) {
    const result = await diff('structure.sql', 'redump.sql', { cwd: p.root, canonicalize });
    expect(result.drift).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.notCompared ?? []).toEqual([]);
  }
});

it('two structure.sql files whose rows differ: no difference, said as not compared; a schema change still is one', async () => {
  const newer = RAILS.replace("('20260309181625');", "('20260309181625'),\n('20260401000000');").replace("DEFAULT ''::text", "DEFAULT 'untitled'::text");
  const p = project({ 'old.sql': RAILS, 'new.sql': newer });
  const result = await diff('old.sql', 'new.sql', { cwd: p.root, canonicalize: false });
  expect(result.drift.map(({ kind, name }) => ({ kind, name }))).toEqual([{ kind: 'column', name: 'public.posts.title' }]);
  expect(result.notCompared).toEqual(['rows: 2 INSERT / UPDATE / DELETE statements are on one side only (table rows are not schema: never compared)']);
});
