import { describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { tempProjects } from '../helpers/project.js';

// Field: nhost/hasura-auth keeps go/sql/auth_schema_dump.sql, written by `pg_dump -s -n auth` (go/sql/schema.sh):
// schema auth only. Its migrations also create citext and pgcrypto (in public), which a dump of schema auth leaves
// out, so check reported them as drift with no word of why. They stay reported (the snapshot may really have lost
// them), and a note says the snapshot holds schema auth only and which "ignore" compares that schema alone.
const projects = tempProjects();

const authOnly = `--
-- PostgreSQL database dump
--

-- Dumped from database version 15.8
-- Dumped by pg_dump version 15.8

SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);

CREATE SCHEMA auth;

CREATE TABLE auth.users (
    id integer NOT NULL,
    email public.citext
);
`;

const migrations = {
  'db/migrations/20240101000000_init.sql':
    '-- migrate:up\nCREATE EXTENSION IF NOT EXISTS citext;\nCREATE SCHEMA auth;\nCREATE TABLE auth.users (id integer NOT NULL, email citext);\nCREATE TABLE public.app_settings (k text);\n-- migrate:down\n',
};

describe('a snapshot of some schemas only', () => {
  it('the objects outside them are drift, and the note says why and what to ignore; with that ignore, check passes', async () => {
    const p = projects({ 'db/schema.sql': authOnly, ...migrations });
    const notices: string[] = [];
    const result = await check({ cwd: p.root, engine: 'pglite', lint: false, onNotice: (m) => notices.push(m) });
    expect(result.drift.map((item) => [item.kind, item.name, item.change])).toEqual([
      ['extension', 'citext', 'added'],
      ['table', 'public.app_settings', 'added'],
    ]);
    const note = notices.find((n) => n.includes('holds schema auth only'));
    expect(note).toContain('pg_dump -n auth');
    expect(note).toContain('"ignore": ["public.*", "citext"]');

    const q = projects({ 'db/schema.sql': authOnly, ...migrations, 'pgdrift.config.json': '{ "ignore": ["public.*", "citext"] }\n' });
    const ignored = await check({ cwd: q.root, engine: 'pglite', lint: false });
    expect(ignored.drift).toEqual([]);
  });

  it('no note when a difference is inside the schemas the snapshot holds', async () => {
    const p = projects({ 'db/schema.sql': authOnly.replace('    id integer NOT NULL,', '    id bigint NOT NULL,'), ...migrations });
    const notices: string[] = [];
    const result = await check({ cwd: p.root, engine: 'pglite', lint: false, onNotice: (m) => notices.push(m) });
    expect(result.drift.some((item) => item.name === 'auth.users.id')).toBe(true);
    expect(notices.some((n) => n.includes('holds schema'))).toBe(false);
  });
});
