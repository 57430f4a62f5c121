import { describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';

// Field: a dbmate db/schema.sql dumped from Postgres 15 (dbmate 2.29+ with pg_dump 15.20: `\restrict dbmate`, the
// "-- Dumped from" lines kept) replays on the embedded 16, the nearest major. pglite-tools 0.2.2 answers pg_dump's
// connection itself with server_version as its only ParameterStatus, so pg_dump took the server for SQL_ASCII with
// standard_conforming_strings off and wrote its own literals (comments, enum labels) with doubled backslashes: a
// comment or label with a backslash was drift against every real dump (field: jsr-io/jsr, ente-io/ente and
// svix/svix-webhooks histories as dbmate projects, dumped by pg_dump 15.20, checked with no config).
const project = tempProjects();
const files = {
  'db/migrations/20240101000000_init.sql': `-- migrate:up
CREATE TYPE path_kind AS ENUM ('unix', 'C:\\windows');
CREATE TABLE files (id integer PRIMARY KEY, path text NOT NULL CHECK (path ~ '^\\S+$'), kind path_kind);
COMMENT ON COLUMN files.path IS 'matches ^\\S+$ (no blanks)';

-- migrate:down
DROP TABLE files;
`,
  'db/schema.sql': `\\restrict dbmate

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: path_kind; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.path_kind AS ENUM (
    'unix',
    'C:\\windows'
);


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: files; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.files (
    id integer NOT NULL,
    path text NOT NULL,
    kind public.path_kind,
    CONSTRAINT files_path_check CHECK ((path ~ '^\\S+$'::text))
);


--
-- Name: COLUMN files.path; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.files.path IS 'matches ^\\S+$ (no blanks)';


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version character varying NOT NULL
);


--
-- Name: files files_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.files
    ADD CONSTRAINT files_pkey PRIMARY KEY (id);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- PostgreSQL database dump complete
--

\\unrestrict dbmate


--
-- Dbmate schema migrations
--

INSERT INTO public.schema_migrations (version) VALUES
    ('20240101000000');
`,
};

describe('a dbmate schema.sql from Postgres 15 checked on the embedded 16', () => {
  it('a comment and an enum label with a backslash are no drift', async () => {
    const result = await check({ cwd: project(files).root, noCache: true, lint: false });
    expect(result.engine.postgresVersion).toMatch(/^16\./);
    expect(result.drift).toEqual([]);
  });

  it("the embedded 16's dump says UTF8 and standard_conforming_strings on, as the server has them", async () => {
    const result = await dump({ cwd: project(files).root, engine: 'pglite', pg: '16', noCache: true });
    expect(result.sql).toContain("SET client_encoding = 'UTF8';");
    expect(result.sql).toContain('SET standard_conforming_strings = on;');
    expect(result.sql).toContain("COMMENT ON COLUMN public.files.path IS 'matches ^\\S+$ (no blanks)';");
    expect(result.sql).toContain("    'C:\\windows'\n");
  });
});
