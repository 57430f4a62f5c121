import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { lint } from '../../src/commands/lint.js';
import { escapeLiteral, psqlScriptSegments } from '../../src/runners/psql-script.js';
import { loadSqlParser } from '../../src/sql/parse.js';

/**
 * Sqitch deploy scripts as psql runs them (`psql --file --set ON_ERROR_STOP=1 --set registry=...`, Engine/pg.pm):
 * includes replayed in place and attributed to the included file, psql variables interpolated, the other
 * meta-commands skipped (display) or refused at their file:line:column. Replayed on PGlite.
 */
const made: string[] = [];

/** A Sqitch project (sqitch.conf at the root, top_dir db) with one change per script, in this order. */
function project(scripts: Record<string, string>, files: Record<string, string> = {}, conf = ''): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-sqitch-psql-'));
  made.push(root);
  writeFileSync(path.join(root, 'sqitch.conf'), `[core]\n\tengine = pg\n\ttop_dir = db\n${conf}`);
  const changes = Object.keys(scripts).map((name) => `${name} 2024-01-01T00:00:00Z Marge <marge@example.com>`);
  mkdirSync(path.join(root, 'db', 'deploy'), { recursive: true });
  writeFileSync(path.join(root, 'db', 'sqitch.plan'), `%syntax-version=1.0.0\n%project=widgets\n\n${changes.join('\n')}\n`);
  for (const [name, text] of Object.entries(scripts)) writeFileSync(path.join(root, 'db', 'deploy', `${name}.sql`), text);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

async function replay(root: string) {
  const result = await dump({ cwd: root, engine: 'pglite', noCache: true });
  return {
    sql: result.sql,
    files: result.report.files.filter((f) => f.role === 'migration').map((f) => f.file),
    failures: result.report.migrationFailures.map((f) => [f.file, f.line, f.column, f.message]),
  };
}

beforeAll(() => loadSqlParser());
afterAll(() => {
  for (const root of made) rmSync(root, { recursive: true, force: true });
});

describe('sqitch deploy scripts with psql meta-commands and variables', () => {
  it('\\ir replays the included file in place, inside the script\'s transaction, with its own name in the report', async () => {
    const root = project(
      { app: 'BEGIN;\nCREATE SCHEMA app;\n\\ir ../shared/types.sql\nCREATE TABLE app.widgets (id int, status app.status);\nCOMMIT;\n' },
      { 'db/shared/types.sql': "-- shared types\nCREATE TYPE app.status AS ENUM ('on', 'off');\n" },
    );
    const result = await replay(root);
    expect(result.failures).toEqual([]);
    expect(result.files).toEqual(['db/deploy/app.sql', 'db/shared/types.sql', 'db/deploy/app.sql']);
    expect(result.sql).toContain('CREATE TYPE app.status AS ENUM');
    expect(result.sql).toContain('status app.status');
    // the script's BEGIN is committed after the include: no finding; drift in the included type is attributed to it
    const linted = await lint({ cwd: root });
    expect(linted.findings.filter((f) => f.rule === 'transaction-control')).toEqual([]);
    writeFileSync(path.join(root, 'schema.sql'), result.sql);
    writeFileSync(path.join(root, 'db', 'shared', 'types.sql'), "-- shared types\nCREATE TYPE app.status AS ENUM ('on', 'off', 'gone');\n");
    const checked = await check({ cwd: root, engine: 'pglite', noCache: true, snapshot: 'schema.sql', lint: false });
    expect(checked.drift.map((d) => [d.name, d.source.migration])).toEqual([['app.status', { file: 'db/shared/types.sql', line: 2, column: 1 }]]);
  });

  it("check lints each run of a script cut at an include (its own lines, not another run's)", async () => {
    const root = project({ app: 'CREATE TABLE a (id int);\n\\ir b.sql\nCREATE TABLE c (id int);\n' }, { 'db/deploy/b.sql': 'CREATE TABLE b (id int PRIMARY KEY);\n' });
    writeFileSync(path.join(root, 'schema.sql'), (await replay(root)).sql);
    const checked = await check({ cwd: root, engine: 'pglite', noCache: true, snapshot: 'schema.sql' });
    expect(checked.drift).toEqual([]);
    expect(checked.findings?.filter((f) => f.rule === 'require-primary-key').map((f) => [f.file, f.line])).toEqual([
      ['db/deploy/app.sql', 1],
      ['db/deploy/app.sql', 3],
    ]);
  });

  it('a failure after an include leaves what ran before it attributed (the run before the include took effect)', async () => {
    const root = project({ app: 'CREATE TABLE a (id int);\n\\ir b.sql\nCREATE TABLE c (x no_such_type);\n' }, { 'db/deploy/b.sql': 'CREATE TABLE b (id int);\n' });
    writeFileSync(path.join(root, 'schema.sql'), 'CREATE TABLE public.a (id bigint);\nCREATE TABLE public.b (id int);\n');
    const checked = await check({ cwd: root, engine: 'pglite', noCache: true, snapshot: 'schema.sql', lint: false, keepGoing: true });
    expect(checked.migrationFailures.map((f) => [f.file, f.line])).toEqual([['db/deploy/app.sql', 3]]);
    expect(checked.drift.map((d) => [d.name, d.source.migration])).toEqual([['public.a.id', { file: 'db/deploy/app.sql', line: 1, column: 17 }]]);
  });

  it("a failure in an included file is reported at that file's line and column", async () => {
    const root = project(
      { app: 'BEGIN;\nCREATE SCHEMA app;\n\\include_relative ../shared/types.sql\nCOMMIT;\n' },
      { 'db/shared/types.sql': "-- shared types\n\n  CREATE TYPE nowhere.status AS ENUM ('on', 'off');\n" },
    );
    const result = await replay(root);
    expect(result.failures).toEqual([['db/shared/types.sql', 3, 3, 'schema "nowhere" does not exist']]);
  });

  it("\\i is relative to the folder sqitch runs in (sqitch.conf's), not to the script", async () => {
    const types = { 'db/shared/types.sql': "CREATE TYPE status AS ENUM ('on');\n" };
    const good = await replay(project({ app: '\\i db/shared/types.sql\nCREATE TABLE widgets (s status);\n' }, types));
    expect(good.failures).toEqual([]);
    expect(good.files).toEqual(['db/shared/types.sql', 'db/deploy/app.sql']);
    const relative = await replay(project({ app: '\\i ../shared/types.sql\n' }, types));
    expect(relative.failures).toEqual([['db/deploy/app.sql', 1, 1, expect.stringContaining('\\i ../shared/types.sql: ')]]);
  });

  it("interpolates :'x', :\"x\" and :x from \\set, sqitch.conf's variables and the registry; not in quotes, dollar quotes or comments", async () => {
    const script = [
      "\\set tbl 'My Table'",
      '\\set n 4 2',
      'CREATE TABLE :"tbl" (id int DEFAULT :n, note text DEFAULT :\'note\', raw text DEFAULT \':n\');',
      "COMMENT ON TABLE :\"tbl\" IS :'registry';",
      'CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT \':n\' /* :n */ $$; -- :n',
      'CREATE TABLE casts (a int DEFAULT 1::int);',
      '\\unset n',
      '',
    ].join('\n');
    const result = await replay(project({ app: script }, {}, "[deploy \"variables\"]\n\tnote = it's\n[core]\n\tregistry = meta\n"));
    expect(result.failures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public."My Table"');
    expect(result.sql).toContain('id integer DEFAULT 42');
    expect(result.sql).toContain("note text DEFAULT 'it''s'::text");
    expect(result.sql).toContain("raw text DEFAULT ':n'::text");
    expect(result.sql).toContain("COMMENT ON TABLE public.\"My Table\" IS 'meta'");
    expect(result.sql).toContain("SELECT ':n' /* :n */");
  });

  it("\\set name `cat <file>` reads the project file from sqitch's folder (one trailing newline dropped); another shell command is refused", async () => {
    // field: Tamarou/Registry sql/deploy/registry-landing-page-template.sql (\set template_content `cat templates/...`)
    const root = project(
      { page: "CREATE TABLE pages (body text);\n\\set body `cat 'templates/page.html'`\nCOMMENT ON TABLE pages IS :'body';\n" },
      { 'templates/page.html': "<p>it's here</p>\n" },
    );
    const result = await replay(root);
    expect(result.failures).toEqual([]);
    expect(result.sql).toContain("COMMENT ON TABLE public.pages IS '<p>it''s here</p>';");
    const refused = await replay(project({ stamp: 'CREATE TABLE t (a int);\n\\set now `date +%s`\n' }));
    expect(refused.failures).toEqual([['db/deploy/stamp.sql', 2, 1, expect.stringContaining('`date +%s`): pgdrift does not run shell commands (only `cat <file>`')]]);
  });

  it('an undefined variable is left as written: Postgres refuses it there', async () => {
    const result = await replay(project({ app: 'CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN c int DEFAULT :missing;\n' }));
    expect(result.failures).toEqual([['db/deploy/app.sql', 2, 40, 'syntax error at or near ":"']]);
  });

  it('a file in deploy/ that a planned script includes is not named as never deployed', async () => {
    const root = project({ app: '\\ir parts/types.sql\n' }, { 'db/deploy/parts/types.sql': "CREATE TYPE status AS ENUM ('on');\n", 'db/deploy/parts/unused.sql': 'SELECT 1;\n' });
    const notices: string[] = [];
    await dump({ cwd: root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(notices.join('\n')).toContain('db/deploy/parts/unused.sql');
    expect(notices.join('\n')).not.toContain('db/deploy/parts/types.sql');
  });

  it('an include cycle is an error at the include that closes it', async () => {
    const root = project({ app: 'CREATE TABLE a (id int);\n\\ir b.sql\n' }, { 'db/deploy/b.sql': '-- b\n  \\ir app.sql\n' });
    const result = await replay(root);
    expect(result.failures).toEqual([['db/deploy/b.sql', 2, 3, '\\ir app.sql: include cycle: db/deploy/app.sql includes db/deploy/b.sql includes db/deploy/app.sql']]);
  });

  it('an included file linked out of the project is refused at the include', async () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-outside-'));
    made.push(outside);
    writeFileSync(path.join(outside, 'secret.sql'), 'SELECT 1;\n');
    const root = project({ app: '\\ir evil.sql\n' });
    symlinkSync(path.join(outside, 'secret.sql'), path.join(root, 'db', 'deploy', 'evil.sql'));
    const result = await replay(root);
    expect(result.failures).toEqual([['db/deploy/app.sql', 1, 1, expect.stringMatching(/^\\ir evil\.sql: .*outside the project|^\\ir evil\.sql: .*leaves the project/)]]);
  });

  it('display meta-commands are skipped; one that could change the schema is refused at its file:line:column', async () => {
    const skipped = await replay(project({ app: "\\echo deploying\n\\set ON_ERROR_STOP on\n\\timing on\nCREATE TABLE t (id int); \\echo done\n\\pset format aligned\n" }));
    expect(skipped.failures).toEqual([]);
    expect(skipped.sql).toContain('CREATE TABLE public.t');
    const refused = await replay(project({ app: "CREATE TABLE t (id int);\n\n   \\copy t from 'rows.csv'\n" }));
    expect(refused.failures).toEqual([
      ['db/deploy/app.sql', 3, 4, 'psql meta-command \\copy: sqitch runs deploy scripts with psql --file, which runs it, but pgdrift cannot replay it (it copies rows between a client file and a table)'],
    ]);
    const gexec = await replay(project({ app: "SELECT 'CREATE TABLE x ()' \\gexec\n" }));
    expect(gexec.failures).toEqual([['db/deploy/app.sql', 1, 28, expect.stringContaining('psql meta-command \\gexec: ')]]);
  });

  it('\\if / \\elif / \\else / \\endif on booleans: only the active branch runs, unterminated \\if is an error', async () => {
    const script = "\\set with_audit false\n\\if :with_audit\nCREATE TABLE audit (id int);\n\\elif yes\nCREATE TABLE plain (id int);\n\\else\nCREATE TABLE never (\n\\endif\n";
    const result = await replay(project({ app: script }));
    expect(result.failures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public.plain');
    expect(result.sql).not.toContain('audit');
    const open = await replay(project({ app: '\\if true\nCREATE TABLE t (id int);\n' }));
    expect(open.failures).toEqual([['db/deploy/app.sql', 3, 1, 'reached the end of db/deploy/app.sql without finding the closing \\endif']]);
  });
});

describe('psqlScriptSegments', () => {
  const run = (text: string, variables: Record<string, string> = {}) =>
    psqlScriptSegments('/p/s.sql', { cwd: '/p', variables, runner: 'psql', shown: (f) => f, read: () => text });

  it('a backslash in a string, a dollar quote or a comment is no meta-command; \\\\ separates two', () => {
    const [segment] = run("SELECT 'a\\b', $x$ \\i y $x$; /* \\i z */ -- \\i w\n\\echo a \\\\ \\echo b\n");
    expect(segment.problem).toBeUndefined();
    expect(segment.substitutions.map((s) => s.value.length)).toEqual([8, 2, 7]);
  });

  it('\\set of a variable that changes how psql runs the statements is refused; \\unset of a boolean one is "off" (bool_substitute_hook)', () => {
    expect(run('\\set ON_ERROR_STOP\nSELECT 1;\n')[0].problem).toBeUndefined();
    expect(run('\\set AUTOCOMMIT on\nSELECT 1;\n')[0].problem).toBeUndefined();
    expect(run('SELECT 1;\n\\unset ON_ERROR_STOP\n').at(-1)!.problem).toMatchObject({ line: 2, column: 1, message: expect.stringContaining('\\unset ON_ERROR_STOP: it changes how psql runs') });
    expect(run('\\set AUTOCOMMIT off\n').at(-1)!.problem).toMatchObject({ line: 1, message: expect.stringContaining('\\set AUTOCOMMIT off:') });
    expect(run('\\unset AUTOCOMMIT\n').at(-1)!.problem).toMatchObject({ line: 1 });
  });

  it("PQescapeLiteral's E form for a value with a backslash", () => {
    expect(escapeLiteral("a'b")).toBe("'a''b'");
    expect(escapeLiteral('a\\b')).toBe(" E'a\\\\b'");
    expect(run("SELECT :'v', :{?v}, :{?w};", { v: 'c:\\x' })[0].substitutions.map((s) => s.value)).toEqual([" E'c:\\\\x'", 'TRUE', 'FALSE']);
  });
});
