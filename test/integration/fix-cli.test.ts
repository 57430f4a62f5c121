import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli, REPO_ROOT } from '../helpers/cli.js';
import { tempProject } from '../helpers/project.js';

const A = readFileSync(path.join(REPO_ROOT, 'test/fixtures/dumps/rich.pg18.sql'), 'utf8');
/** B: A with a new column, an index and a dropped table (pg_dump's own text, edited as a hotfix would show up). */
const B = A.replace('    nickname public.citext,\n', '    nickname public.citext,\n    age integer,\n')
  .replace(/CREATE UNLOGGED TABLE public\.cache_entries \([^;]*\);/, '')
  .replace(/ALTER TABLE ONLY public\.cache_entries\s+ADD CONSTRAINT cache_entries_pkey PRIMARY KEY \(key\);/, '')
  .concat('\nCREATE INDEX users_age_idx ON public.users USING btree (age);\n');

describe('pgdrift diff A B --sql', () => {
  const dir = tempProject({ 'a.sql': A, 'b.sql': B });
  afterAll(() => dir.cleanup());

  test('prints the DDL, destructive steps as comments; exit 1 as for any difference', async () => {
    expect(B).not.toContain('CREATE UNLOGGED TABLE public.cache_entries');
    const result = await runCli(['diff', 'a.sql', 'b.sql', '--sql', '--no-canonicalize'], { cwd: dir.root });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toBe(
      [
        '-- 1 destructive step is left as comments (marked UNSAFE): re-run with --allow-destructive to write it.',
        '-- CREATE/DROP INDEX CONCURRENTLY cannot run inside a transaction block: run this script statement by statement.',
        '',
        '-- UNSAFE, not run: DROP TABLE public.cache_entries deletes the table and its rows',
        '-- DROP TABLE public.cache_entries;',
        'ALTER TABLE public.users ADD COLUMN age integer;',
        'CREATE INDEX CONCURRENTLY users_age_idx ON public.users (age);',
        '',
      ].join('\n'),
    );
  });

  test('--allow-destructive --no-concurrently -o writes the file; JSON items carry their sql', async () => {
    const written = await runCli(['diff', 'a.sql', 'b.sql', '--sql', '--allow-destructive', '--no-concurrently', '-o', 'fix.sql', '--no-canonicalize'], { cwd: dir.root });
    expect(written.code, written.stderr).toBe(1);
    expect(written.stdout).toBe('');
    const fix = readFileSync(path.join(dir.root, 'fix.sql'), 'utf8');
    expect(fix).toContain('-- destructive: DROP TABLE public.cache_entries deletes the table and its rows\nDROP TABLE public.cache_entries;');
    expect(fix).toContain('CREATE INDEX users_age_idx ON public.users (age);');

    const json = await runCli(['diff', 'a.sql', 'b.sql', '--sql', '--format', 'json', '--no-canonicalize'], { cwd: dir.root });
    const items = JSON.parse(json.stdout).drift as Array<{ name: string; sql?: string }>;
    expect(Object.fromEntries(items.map((item) => [item.name, item.sql]))).toEqual({
      'public.cache_entries': '-- UNSAFE, not run: DROP TABLE public.cache_entries deletes the table and its rows\n-- DROP TABLE public.cache_entries;',
      'public.users.age': 'ALTER TABLE public.users ADD COLUMN age integer;',
      'public.users.users_age_idx': 'CREATE INDEX CONCURRENTLY users_age_idx ON public.users (age);',
    });
  });

  test('the same schema gives an empty script and exit 0', async () => {
    const result = await runCli(['diff', 'a.sql', 'a.sql', '--sql'], { cwd: dir.root });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('-- pgdrift: no differences, nothing to do\n');
  });

  test('--help documents the flags', async () => {
    const diff = await runCli(['diff', '--help']);
    for (const flag of ['--sql', '--allow-destructive', '--concurrently', '--idempotent']) expect(diff.stdout).toContain(flag);
    const check = await runCli(['check', '--help']);
    for (const flag of ['--write-migration', '--allow-destructive']) expect(check.stdout).toContain(flag);
  });
});
