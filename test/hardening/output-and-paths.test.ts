import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { escapeControlCharacters } from '../../src/report/sanitize.js';
import { loadSqlParser, parseSql, SqlSyntaxError, SqlTooLargeError, MAX_PARSE_BYTES } from '../../src/sql/parse.js';
import { runCli } from '../helpers/cli.js';
import { tempProject } from '../helpers/project.js';

// CLI runs on a shared 2-core machine: PGlite starts alone can take half a minute
vi.setConfig({ testTimeout: 300_000 });

/** Issue 12 items 5 (plain message for a file too large), 7 (output injection), 8 (paths), 9 (misleading messages). */

let project: ReturnType<typeof tempProject> | undefined;
afterEach(() => project?.cleanup());

const SNAPSHOT = 'CREATE TABLE public.a (\n    id integer\n);\n';

describe('names from a pull request cannot forge output lines', () => {
  it('a table named with a newline + ::error and a terminal escape: text and github output stay one line per item', async () => {
    project = tempProject({
      'migrations/001_a.sql': 'CREATE TABLE a (id int);\n',
      'migrations/002_forged.sql': 'CREATE TABLE "x\n::error file=forged.sql,line=3::forged" (id int);\nCREATE TABLE "red\x1b[31mtext\x1b]0;title\x07" (id int);\n',
      'docs/architecture/schema-actual-2025-01-01.sql': SNAPSHOT,
    });
    const result = await runCli(['check', '--no-lint', '--format', 'text', '--format', 'github=annotations.txt'], { cwd: project.root });
    expect(result.code).toBe(1);
    const github = readFileSync(path.join(project.root, 'annotations.txt'), 'utf8');
    for (const output of [result.stdout, github]) {
      expect(output.split('\n').filter((line) => line.startsWith('::error file=forged.sql'))).toEqual([]);
      expect(output).not.toContain('\x1b');
      expect(output).not.toContain('\x07');
    }
    expect(result.stdout).toContain('x\\n::error file=forged.sql,line=3::forged');
    expect(result.stdout).toContain('red\\x1b[31mtext\\x1b]0;title\\x07');
    // GitHub's own encoding still applies on top (%0A for a newline the report kept)
    expect(github.split('\n').every((line) => line === '' || line.startsWith('::'))).toBe(true);
  });

  it('escapeControlCharacters: C0, C1, DEL, bidi overrides and line separators become visible', () => {
    expect(escapeControlCharacters('a\nb\r\tc\x1b\x7f\u0085\u202e\u2028')).toBe('a\\nb\\r\\tc\\x1b\\x7f\\x85\\u202e\\u2028');
    expect(escapeControlCharacters('line one\nline two\r', true)).toBe('line one\nline two\\r');
  });
});

describe('config paths stay inside the project unless --allow-outside-project', () => {
  it.each([
    [{ docs: { templates: { index: '/etc/passwd' } } }, 'docs.templates.index', 'leaves the project folder', ['docs', '--from', 'snapshot']],
    [{ docs: { templates: { index: '../../outside.md.hbs' } } }, 'docs.templates.index', 'leaves the project folder', ['docs', '--from', 'snapshot']],
    [{ snapshot: '../elsewhere/schema-*.sql' }, '"snapshot"', 'leaves the project folder', ['check']],
    [{ docs: { out: '/tmp/pgdrift-docs-elsewhere' } }, 'docs.out', 'leaves the project folder', ['docs', '--from', 'snapshot']],
    [{ lint: { baselineFile: '../baseline.json' } }, 'lint.baselineFile', 'leaves the project folder', ['lint']],
    [{ baseline: ['/etc/hostname'] }, 'baseline[0]', 'leaves the project folder', ['dump']],
  ])('%j: exit 2 naming the setting', async (config, key, words, command) => {
    project = tempProject({
      'migrations/001_a.sql': 'CREATE TABLE a (id int);\n',
      'docs/architecture/schema-actual-2025-01-01.sql': SNAPSHOT,
      'pgdrift.config.json': JSON.stringify(config),
    });
    const result = await runCli(command, { cwd: project.root });
    expect(result.stderr).not.toContain('root:');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(key);
    expect(result.stderr).toContain(words);
  });

  it('--allow-outside-project lets a config path leave the project (never into /proc)', async () => {
    const outside = tempProject({ 'index.md.hbs': 'custom index {{title}}\n' });
    try {
      project = tempProject({
        'migrations/001_a.sql': 'CREATE TABLE a (id int);\n',
        'docs/architecture/schema-actual-2025-01-01.sql': SNAPSHOT,
        'pgdrift.config.json': JSON.stringify({ docs: { templates: { index: path.join(outside.root, 'index.md.hbs') } } }),
      });
      const refused = await runCli(['docs', '--from', 'snapshot'], { cwd: project.root });
      expect(refused.code).toBe(2);
      const allowed = await runCli(['docs', '--from', 'snapshot', '--allow-outside-project'], { cwd: project.root });
      expect(allowed.stderr).toBe('');
      expect(allowed.code).toBe(0);
      expect(readFileSync(path.join(project.root, 'docs/schema/README.md'), 'utf8')).toContain('custom index');

      project.write('pgdrift.config.json', JSON.stringify({ docs: { templates: { index: '/proc/self/environ' } } }));
      const proc = await runCli(['docs', '--from', 'snapshot', '--allow-outside-project'], { cwd: project.root });
      expect(proc.code).toBe(2);
      expect(proc.stderr).toContain('"docs.templates.index" in pgdrift.config.json points into /proc');
    } finally {
      outside.cleanup();
    }
  });
});

describe('plain messages', () => {
  it('a file too large for the parser: file, size and limit, nothing else', async () => {
    await loadSqlParser();
    const text = `SELECT 1;\n${'-- padding\n'.repeat(Math.ceil(MAX_PARSE_BYTES / 11) + 10)}`;
    let error: unknown;
    try {
      parseSql(text, 'migrations/001_big.sql');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SqlTooLargeError);
    expect((error as Error).message).toMatch(/^migrations\/001_big\.sql is 24\.\d MB, more than the SQL parser takes in one file \(24\.0 MB\)$/);
  });

  it('a NUL byte is reported at its own line and column (Postgres says 08P01 at 1:1)', async () => {
    await loadSqlParser();
    expect(() => parseSql('CREATE TABLE a (id int);\nCREATE TABLE b (\0id int);\n', 'm.sql')).toThrow(SqlSyntaxError);
    try {
      parseSql('CREATE TABLE a (id int);\nCREATE TABLE b (\0id int);\n', 'm.sql');
    } catch (e) {
      expect((e as SqlSyntaxError).line).toBe(2);
      expect((e as SqlSyntaxError).column).toBe(17);
    }
  });

  it('a data-dump snapshot is named at its first COPY block', async () => {
    project = tempProject({
      'migrations/001_a.sql': 'CREATE TABLE a (id int);\n',
      'docs/architecture/schema-actual-2025-01-01.sql': `\\restrict abc\n${SNAPSHOT}\nCOPY public.a (id) FROM stdin;\n1\n\\.\n\n\\unrestrict abc\n`,
    });
    const result = await runCli(['check', '--no-lint'], { cwd: project.root });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('docs/architecture/schema-actual-2025-01-01.sql:6:1: a data dump (COPY ... FROM stdin with table rows), not a schema dump');
  });

  it('a data-only dump with rows as INSERT statements (supabase db dump --data-only) is refused at its first row', async () => {
    // supabase/cli internal/db/dump/templates/dump_data.sh: pg_dump --data-only --column-inserts; it parsed, and every
    // table of the migrations was reported as drift against it
    const data = [
      'SET statement_timeout = 0;',
      "SELECT pg_catalog.set_config('search_path', '', false);",
      '',
      '--',
      '-- Data for Name: todos; Type: TABLE DATA; Schema: public; Owner: postgres',
      '--',
      '',
      'INSERT INTO "public"."todos" ("id", "title") VALUES',
      "\t(1, 'a');",
      '',
      '--',
      '-- Name: todos_id_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres',
      '--',
      '',
      'SELECT pg_catalog.setval(\'"public"."todos_id_seq"\', 1, true);',
      '',
      'RESET ALL;',
      '',
    ].join('\n');
    project = tempProject({
      'supabase/migrations/20240101000000_init.sql': 'create table public.todos (id bigint generated by default as identity primary key, title text not null);\n',
      'supabase/data.sql': data,
      'supabase/empty-data.sql': data.replace(/^INSERT[^;]*;$/m, '').replace(/^SELECT pg_catalog.setval.*$/m, ''),
    });
    const rows = await runCli(['check', '--no-lint', '--snapshot', 'supabase/data.sql'], { cwd: project.root });
    expect(rows.code).toBe(2);
    expect(rows.stderr).toContain("supabase/data.sql:8:1: a data dump (pg_dump's TABLE DATA, rows as INSERT statements), not a schema dump");
    expect(rows.stderr).toContain('`supabase db dump` without --data-only');
    // no rows at all: named at pg_dump's first TABLE DATA comment
    const none = await runCli(['check', '--no-lint', '--snapshot', 'supabase/empty-data.sql'], { cwd: project.root });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('supabase/empty-data.sql:5:1: a data dump');
  });
});
