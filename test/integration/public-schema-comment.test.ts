import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempProjects } from '../helpers/project.js';

// A comment a migration sets on the public schema (COMMENT ON SCHEMA public IS '...') is schema that pg_dump prints
// (pg_dump 15+ prints it once it differs from the default 'standard public schema', and `IS ''` once removed;
// 9.6-14 print the default in every dump). pgdrift dropped every comment on public, whatever it said, and the
// confirming reload drops the statement too: a changed or added comment was a false "no drift" (field sweep: a
// planted COMMENT ON SCHEMA public in a dbmate history, Axbon/radler, checked against a pg_dump 15.20 db/schema.sql).
const project = tempProjects();

const header = `--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 15.20\n-- Dumped by pg_dump version 15.20\n\nSET statement_timeout = 0;\nSELECT pg_catalog.set_config('search_path', '', false);\n\n`;
const table = `--\n-- Name: accounts; Type: TABLE; Schema: public; Owner: -\n--\n\nCREATE TABLE public.accounts (\n    id integer NOT NULL\n);\n\n`;
const comment = (text: string) => `--\n-- Name: SCHEMA public; Type: COMMENT; Schema: -; Owner: -\n--\n\nCOMMENT ON SCHEMA public IS '${text}';\n\n`;

describe('a comment on the public schema', () => {
  test('diff: a comment other than the default is a difference; the default, or none, is not', async () => {
    const p = project({
      'plain.sql': header + table,
      'default.sql': header + comment('standard public schema') + table,
      'removed.sql': header + comment('') + table,
      'tenant.sql': header + comment('tenant data') + table,
    });
    const differs = await runCli(['diff', '-C', p.root, 'plain.sql', 'tenant.sql']);
    expect(differs.code).toBe(1);
    expect(differs.stdout).toContain("COMMENT ON SCHEMA public IS 'tenant data'");
    // what pg_dump 9.6-14 (the default, always printed) and 15+ (nothing; '' once removed) write is no drift
    for (const other of ['default.sql', 'removed.sql']) {
      const same = await runCli(['diff', '-C', p.root, 'plain.sql', other]);
      expect({ other, code: same.code, stdout: same.stdout }).toMatchObject({ code: 0 });
    }
  }, 120_000);

  test('check: a migration that sets it is drift against a snapshot without it, at the COMMENT line', async () => {
    const p = project({
      'migrations/001_init.sql': 'CREATE TABLE accounts (id integer NOT NULL);\n',
      'migrations/002_comment.sql': "-- describe the schema\nCOMMENT ON SCHEMA public IS 'tenant data';\n",
      'docs/architecture/schema-actual-2026-01-01.sql': header + table,
    });
    const env = { PGDRIFT_CACHE_DIR: path.join(p.root, '.cache') };
    const check = await runCli(['check', '-q', '--no-lint', '-C', p.root, '--format', 'json'], { env });
    expect(check.code).toBe(1);
    const drift = JSON.parse(check.stdout).drift as Array<{ name: string; source: { migration?: { file: string; line: number } } }>;
    expect(drift.map((item) => [item.name, item.source.migration?.file, item.source.migration?.line])).toEqual([
      ['comment on schema public', 'migrations/002_comment.sql', 2],
    ]);
    // the same comment in the snapshot: clean
    p.write('docs/architecture/schema-actual-2026-01-01.sql', header + comment('tenant data') + table);
    const clean = await runCli(['check', '-q', '--no-lint', '-C', p.root], { env });
    expect({ code: clean.code, stdout: clean.stdout }).toMatchObject({ code: 0 });
  }, 120_000);
});
