import { expect } from 'vitest';
import { check } from '../../src/commands/check.js';
import { SERVER_URL, serverTest } from '../helpers/postgres.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field (toy-crane/claude-hunt, Supabase declarative schemas): cohorts.sql creates moddatetime, an extension only a
 * superuser may create. The server engine loads the schema files as a role that is not superuser, so the load failed
 * with 42501, and check said the schema file "does not load" and to "make them load there in that order": the file
 * is right, the engine's role cannot do it. Now an engine error (exit 3) naming the extension and the engines that can.
 */
const project = tempProjects();

serverTest('an untrusted extension in a schema file on the server engine is an engine limit, not a bad file', async () => {
  const p = project({
    'supabase/config.toml': 'project_id = "x"\n',
    'supabase/migrations/20250101000000_t.sql': 'create table public.t (id bigint primary key, updated_at timestamptz);\n',
    'supabase/schemas/t.sql': 'create extension if not exists moddatetime schema extensions;\ncreate table public.t (id bigint primary key, updated_at timestamptz);\n',
  });
  const error = (await check({ cwd: p.root, lint: false, engine: 'server', databaseUrl: SERVER_URL }).catch((e: unknown) => e)) as { message: string; hint?: string; exitCode: number };
  expect(error.message).toMatch(/^supabase\/schemas\/t\.sql:1:1: the server engine cannot load supabase\/schemas\/t\.sql: permission denied to create extension "moddatetime"/);
  expect(error.exitCode).toBe(3);
  expect(error.hint).toContain('--engine pglite');
}, 120_000);
