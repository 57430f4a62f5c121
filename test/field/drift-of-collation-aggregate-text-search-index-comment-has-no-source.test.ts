import { describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { SERVER_URL } from '../helpers/postgres.js';
import { tempProjects } from '../helpers/project.js';

// Field: ttab/elephant-user (tern, pg_dump in postgres/schema.sql) with one migration added that the snapshot lacks.
// A table, index, function... added that way is traced to the migration's line; a collation, an aggregate, a text
// search configuration or a comment on an index (drift items of kind "other", which the history walker does not
// follow) said "no source position", though the file that made them is right there. They are traced as
// publications and statistics objects are: to the last statement that created or altered the object.
const project = tempProjects();

const schema = `--
-- PostgreSQL database dump
--

-- Dumped from database version 17.7
-- Dumped by pg_dump version 17.7

SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);

CREATE TABLE public.document (
    id bigint NOT NULL,
    title text NOT NULL
);

ALTER TABLE ONLY public.document
    ADD CONSTRAINT document_pkey PRIMARY KEY (id);
`;

const added = `-- migrate:up
CREATE COLLATION sv_ci (provider = icu, locale = 'sv-SE-u-ks-level2', deterministic = false);
CREATE AGGREGATE text_concat(text) (SFUNC = textcat, STYPE = text);
CREATE TEXT SEARCH CONFIGURATION swedish_docs (COPY = pg_catalog.swedish);
ALTER TEXT SEARCH CONFIGURATION swedish_docs DROP MAPPING FOR email;
COMMENT ON INDEX document_pkey IS 'one row per document';
-- migrate:down
`;

describe('drift of objects the history walker does not follow names the migration line', () => {
  it('collation, aggregate, text search configuration and a comment on an index', async () => {
    const cwd = project({
      'db/schema.sql': schema,
      'db/migrations/20240101000000_document.sql': `-- migrate:up\nCREATE TABLE document (id bigint PRIMARY KEY, title text NOT NULL);\n-- migrate:down\n`,
      'db/migrations/20240102000000_more.sql': added,
    }).root;
    // the server engine: the embedded 16 and 17 lack ICU, and this test is about attribution, not the engine
    const result = await check({ cwd, engine: 'server', databaseUrl: SERVER_URL, noCache: true });
    expect(result.migrationFailures).toEqual([]);
    const where = (name: string) =>
      result.drift.filter((item) => item.name === name).map((item) => [item.kind, item.source.migration?.file, item.source.migration?.line]);
    const file = 'db/migrations/20240102000000_more.sql';
    expect(where('public.sv_ci')).toEqual([['other', file, 2]]);
    expect(where('public.text_concat')).toEqual([['other', file, 3]]);
    // the configuration and its mappings: every item at the last statement that changed it
    expect(where('public.swedish_docs').length).toBeGreaterThan(0);
    expect(new Set(where('public.swedish_docs').map(([, f, line]) => `${f}:${line}`))).toEqual(new Set([`${file}:5`]));
    expect(where('public.document_pkey')).toEqual([['other', file, 6]]);
  });
});
