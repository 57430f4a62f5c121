import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { atlas, atlasHashFile, atlasSumText, fileDirectives, isCheckpoint, planAtlas } from '../../src/runners/atlas.js';
import { resolveProject } from '../../src/config/project.js';
import { detectRunner, runnerByName } from '../../src/runners/index.js';
import { substitute } from '../../src/runners/substitution.js';
import { loadSqlParser, parseSql } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

const project = tempProjects();
beforeAll(() => loadSqlParser());

/**
 * ariga/atlas@a5e0aec sql/migrate/testdata/partial-checkpoint: the files and the atlas.sum `atlas migrate hash` wrote
 * for them, copied as they are (MySQL backquotes and all: only the bytes matter to the sum).
 */
const PARTIAL_CHECKPOINT: Record<string, string> = {
  '1_first.sql': 'create table `tbl_1` (`col` int);\n',
  '2_second.sql': 'create table `tbl_2` (`col` int);\n',
  '3_checkpoint.sql': '-- atlas:checkpoint\n\nCREATE TABLE `tbl_1` (`col` int);\nCREATE TABLE `tbl_2` (`col` int);\n',
  '4_fourth.sql': 'create table `tbl_3` (`col` int);\n',
  '5_checkpoint.sql': '-- atlas:checkpoint\n\nCREATE TABLE `tbl_1` (`col` int);\nCREATE TABLE `tbl_2` (`col` int);\ncreate table `tbl_3` (`col` int);\n',
  '6_sixth.sql': 'CREATE TABLE `tbl_4` (`col` int);\n',
  'atlas.sum': `h1:POfbsH2G2GIXAZQ2CdPa5ufTxcLpcnperz/gX0Vw6Uk=
1_first.sql h1:uJ2MyyeTqXx4rCqtRMQAvRrfsvdwmvsZ3LcadVvCdOc=
2_second.sql h1:TLO00GtsqSi8o0ySoaofBqxemrElL8fHOs3IRnqYvB8=
3_checkpoint.sql h1:LR4UjDYVtrRuHLN5GQwLAYnXrSf/iO70psY8hTmLmjw=
4_fourth.sql h1:QvaneqKxg+3R+zNzCP/wW43XkECdHkUwEpxJKPICEP8=
5_checkpoint.sql h1:syyuaJb/hoMRO7MJlv4AMhYqMCoSb8ZgcHENO8RqN3I=
6_sixth.sql h1:JNhpyBtH7XKqGBNRHQ+AvM9IDpO08C3G/swWPHfLkfw=
`,
};

function folder(files: Record<string, string>): string {
  const p = project(Object.fromEntries(Object.entries(files).map(([name, text]) => [`migrations/${name}`, text])));
  return path.join(p.root, 'migrations');
}

/** The folder's files with an atlas.sum as `atlas migrate hash` writes it. */
function hashed(files: Record<string, string>): Record<string, string> {
  const names = Object.keys(files).filter((name) => name.endsWith('.sql')).sort();
  return { ...files, 'atlas.sum': atlasSumText(atlasHashFile(names.map((name) => ({ name, bytes: Buffer.from(files[name]) })))) };
}

describe('atlas.sum (sql/migrate/dir.go HashFile, Validate)', () => {
  it("computes the sum Atlas wrote for its own testdata, byte for byte", () => {
    const names = Object.keys(PARTIAL_CHECKPOINT).filter((name) => name.endsWith('.sql'));
    expect(atlasSumText(atlasHashFile(names.map((name) => ({ name, bytes: Buffer.from(PARTIAL_CHECKPOINT[name]) }))))).toBe(PARTIAL_CHECKPOINT['atlas.sum']);
    expect(atlas.discover(folder(PARTIAL_CHECKPOINT)).problems).toEqual([]);
  });

  it('refuses an edited, added or removed file, naming the atlas.sum line and the file as Atlas does', () => {
    const edited = { ...PARTIAL_CHECKPOINT, '4_fourth.sql': 'create table `tbl_3` (`col` bigint);\n' };
    expect(atlas.discover(folder(edited)).problems).toEqual([expect.stringMatching(/^atlas\.sum:5: 4_fourth\.sql was edited: Atlas refuses the directory/)]);
    const added = { ...PARTIAL_CHECKPOINT, '7_seventh.sql': 'select 1;\n' };
    expect(atlas.discover(folder(added)).problems).toEqual([expect.stringMatching(/^atlas\.sum:8: 7_seventh\.sql was added/)]);
    const { ['2_second.sql']: _removed, ...rest } = PARTIAL_CHECKPOINT;
    expect(atlas.discover(folder(rest)).problems).toEqual([expect.stringMatching(/^atlas\.sum:3: 2_second\.sql was removed/)]);
    const { ['atlas.sum']: _sum, ...noSum } = PARTIAL_CHECKPOINT;
    expect(atlas.discover(folder(noSum)).problems).toEqual([expect.stringMatching(/^atlas\.sum not found: atlas migrate apply refuses/)]);
    const tampered = { ...PARTIAL_CHECKPOINT, 'atlas.sum': PARTIAL_CHECKPOINT['atlas.sum'].replace('h1:uJ2M', 'h1:xJ2M') };
    expect(atlas.discover(folder(tampered)).problems).toEqual([expect.stringMatching(/^atlas\.sum:1: checksum mismatch/)]);
  });

  it('leaves out of the sum the content of a file whose first line says atlas:sum ignore (dir_test.go)', () => {
    const files = { 'include.sql': '//atlas:sum\nfoo', 'exclude_1.sql': '//atlas:sum ignore\nbar', 'exclude_2.sql': 'atlas:sum ignore' };
    const entries = atlasHashFile(Object.entries(files).sort().map(([name, text]) => ({ name, bytes: Buffer.from(text) })));
    expect(entries.map((e) => e.name)).toEqual(['include.sql']);
  });
});

describe('files, order and checkpoints (dir.go LocalDir.Files, FilesFromLastCheckpoint; migrate.go Executor.Pending)', () => {
  it('starts a new database at the latest checkpoint: the files before it never run', () => {
    const d = atlas.discover(folder(PARTIAL_CHECKPOINT));
    expect(d.migrations).toEqual([
      { name: '5_checkpoint.sql', version: '5' },
      { name: '6_sixth.sql', version: '6' },
    ]);
    expect(d.ignored.map((f) => [f.name, f.expected])).toEqual([
      ['1_first.sql', true],
      ['2_second.sql', true],
      ['3_checkpoint.sql', true],
      ['4_fourth.sql', true],
    ]);
    expect(d.ignored[0].reason).toContain('before the checkpoint 5_checkpoint.sql');
  });

  it('reads a file it only hashes (before the checkpoint) as a project file: a link out of the project is refused by name', () => {
    const migrations = folder(PARTIAL_CHECKPOINT);
    symlinkSync('/etc/hostname', path.join(migrations, '0_outside.sql'));
    expect(() => atlas.discover(migrations, { projectRoot: path.dirname(migrations) })).toThrow(/migrations\/0_outside\.sql/);
  });

  it('reads every *.sql name in byte order (a .down.sql too), the version up to the first _, and no other suffix', () => {
    const d = atlas.discover(folder(hashed({ '2_b.sql': '', '10_a.sql': '', '1_initial.down.sql': '', 'B.sql': '', 'x.SQL': '', 'notes.txt': '' })));
    expect(d.migrations.map((m) => [m.name, m.version])).toEqual([
      ['10_a.sql', '10'],
      ['1_initial.down.sql', '1'],
      ['2_b.sql', '2'],
      ['B.sql', 'B'],
    ]);
    expect(d.ignored.map((f) => f.name)).toEqual(['x.SQL']);
    expect(d.problems).toEqual([]);
  });

  it('file directives are the comment lines the file starts with, followed by a blank line (dir_test.go)', () => {
    expect(fileDirectives('-- atlas:lint ignore\nalter table users drop column id;\n', 'lint')).toEqual([]);
    expect(fileDirectives('-- atlas:lint ignore\n-- atlas:txmode none\n\nalter table users drop column id;\n', 'txmode')).toEqual(['none']);
    expect(fileDirectives('-- atlas:nolint\n\nalter table users drop column id;\n', 'nolint')).toEqual(['']);
    expect(fileDirectives('-- atlas:lint ignore', 'lint')).toEqual([]);
    expect(fileDirectives('-- atlas:lint ignore\n\n', 'lint')).toEqual(['ignore']);
    expect(isCheckpoint('-- atlas:checkpoint\nSELECT 1;')).toBe(false);
    expect(isCheckpoint('-- atlas:checkpoint tag\n\nSELECT 1;')).toBe(true);
    // a CRLF file: "\r\n" after the comments is no blank line to Atlas
    expect(isCheckpoint('-- atlas:checkpoint\r\n\r\nSELECT 1;')).toBe(false);
  });

  it('is detected by atlas.sum, which yields to another runner whose folder Atlas hashes for lint (--dir-format)', () => {
    expect(detectRunner(folder(hashed({ '20240101000000_init.sql': 'select 1;' })), path.dirname(folder({}))).runner.name).toBe('atlas');
    const goMigrate = folder(hashed({ '1_init.up.sql': 'select 1;', '1_init.down.sql': 'select 1;' }));
    expect(detectRunner(goMigrate, path.dirname(goMigrate)).runner.name).toBe('golang-migrate');
  });

  it('wins over Diesel folders when atlas.sum names the folder\'s own .sql files (a project that moved to Atlas); the folders are named as never applied', () => {
    // field: ARGA-Genomes/arga-backend core/migrations (Diesel <version>_<name>/up.sql folders, then Atlas files)
    const diesel = { '2024-01-01-000000_old/up.sql': 'CREATE TABLE old (id int);\n', '2024-01-01-000000_old/down.sql': 'DROP TABLE old;\n' };
    const moved = project({ 'diesel.toml': '[migrations_directory]\ndir = "migrations"\n', ...Object.fromEntries(Object.entries({ ...diesel, ...hashed({ '20250101000000_initial.sql': 'CREATE TABLE t (id int);\n' }) }).map(([name, text]) => [`migrations/${name}`, text])) });
    const dir = path.join(moved.root, 'migrations');
    expect(detectRunner(dir, moved.root).runner.name).toBe('atlas');
    const discovery = atlas.discover(dir, { projectRoot: moved.root });
    expect(discovery.migrations.map((m) => m.name)).toEqual(['20250101000000_initial.sql']);
    expect(discovery.ignored.map((f) => f.name)).toEqual(['2024-01-01-000000_old/down.sql', '2024-01-01-000000_old/up.sql']);
    // an atlas.sum naming none of the folder's own files is no such sign: Diesel's folders stay Diesel's
    const stale = project({ 'diesel.toml': '', ...Object.fromEntries(Object.entries({ ...diesel, 'atlas.sum': 'h1:x=\n' }).map(([name, text]) => [`migrations/${name}`, text])) });
    expect(detectRunner(path.join(stale.root, 'migrations'), stale.root).runner.name).toBe('diesel');
  });
});

describe('transactions (cmdapi/migrate.go tx.modeFor, txmodeFor)', () => {
  it('runs a file in its own transaction unless its directives say txmode none', () => {
    expect(planAtlas('CREATE TABLE a (id int);\n', 'a.sql').parts).toEqual([{ startLine: 0, endLine: 2, transaction: 'wrapped' }]);
    expect(planAtlas('-- atlas:txmode none\n\nCREATE INDEX CONCURRENTLY i ON a (id);\n', 'a.sql').parts[0].transaction).toBe('none');
    // not followed by a blank line: a statement's comment, not a file directive
    expect(planAtlas('-- atlas:txmode none\nCREATE INDEX CONCURRENTLY i ON a (id);\n', 'a.sql').parts[0].transaction).toBe('wrapped');
    expect(planAtlas('-- atlas:txmode file\n\nCREATE TABLE a (id int);\n', 'a.sql', 'none').parts[0].transaction).toBe('wrapped');
  });

  it('refuses the directives Atlas refuses', () => {
    expect(planAtlas('-- atlas:txmode all\n\nselect 1;\n', 'a.sql').problem?.message).toBe('Atlas refuses a.sql: txmode "all" is not allowed in a file directive');
    expect(planAtlas('-- atlas:txmode maybe\n\nselect 1;\n', 'a.sql').problem?.message).toBe('Atlas refuses a.sql: unknown txmode "maybe" in its file directive');
    expect(planAtlas('-- atlas:txmode none\n-- atlas:txmode file\n\nselect 1;\n', 'a.sql').problem?.message).toContain('multiple txmode values');
    expect(planAtlas('-- atlas:txmode none\n\nselect 1;\n', 'a.sql', 'all').problem?.message).toContain('cannot be used when the run\'s --tx-mode is "all"');
  });
});

describe('-- atlas:delimiter (sql/migrate/lex.go Scanner)', () => {
  /** The statements pgdrift parses once Atlas's delimiters are replaced. */
  const statements = (text: string) => {
    const plan = planAtlas(text, 'a.sql');
    expect(plan.problem).toBeUndefined();
    const { text: sent } = substitute(text, plan.substitutions ?? []);
    return parseSql(sent, 'a.sql').statements.map((s) => s.text);
  };

  it('cuts at the delimiter as lex.go does (testdata/lex 3_delimiter, 4_delimiter: the statements of their .golden files)', () => {
    expect(statements('-- atlas:delimiter \\n\\n\n\nCREATE INDEX i1 ON t1(c1)\n\nCREATE INDEX i2 ON t2(c2)')).toEqual(['CREATE INDEX i1 ON t1(c1)', 'CREATE INDEX i2 ON t2(c2)']);
    expect(statements('-- atlas:delimiter \\n---\\n\n\nCREATE INDEX i1 ON t1(c1)\n---\nCREATE INDEX i2 ON t2(c2)')).toEqual(['CREATE INDEX i1 ON t1(c1)', 'CREATE INDEX i2 ON t2(c2)']);
  });

  it('never cuts inside parentheses, quotes, dollar quotes or a comment; lines do not move', () => {
    const text = "-- atlas:delimiter \\n\\n\n\nCREATE TABLE t (\n\n  id int\n)\n\nCREATE FUNCTION f() RETURNS int AS $$\nSELECT 1;\n\nSELECT 2\n$$ LANGUAGE sql\n\nCOMMENT ON TABLE t IS 'a\n\nb'";
    expect(statements(text)).toHaveLength(3);
    const plan = planAtlas(text, 'a.sql');
    expect(substitute(text, plan.substitutions ?? []).text.split('\n')).toHaveLength(text.split('\n').length);
  });

  it("refuses what Atlas's scanner refuses with its default delimiter: no backslash escapes in E'' strings, a last comment line with no line break", () => {
    expect(planAtlas("CREATE TABLE t (c text);\nINSERT INTO t VALUES (E'it\\'s');\n", 'a.sql').problem).toMatchObject({ line: 2, column: 30, message: "Atlas cannot split the file into statements: unclosed quote \"'\"" });
    expect(planAtlas("SELECT 1; -- it's", 'a.sql').problem).toMatchObject({ line: 1, column: 16 });
    expect(planAtlas("SELECT 1; -- it's\n", 'a.sql').problem).toBeUndefined();
    expect(planAtlas("CREATE TABLE t (c text DEFAULT E'\\\\', d text DEFAULT 'it''s', \"a\"\"b\" int);\nDO $x$ BEGIN PERFORM ')'; END $x$;\n", 'a.sql').problem).toBeUndefined();
  });

  it("refuses a file Atlas's scanner cannot read, at its line", () => {
    expect(planAtlas("-- atlas:delimiter \\n\\n\n\nCOMMENT ON TABLE t IS 'open", 'a.sql').problem).toMatchObject({ line: 3, column: 23, message: expect.stringContaining('unclosed quote') });
    expect(planAtlas('-- atlas:delimiter\n\nselect 1', 'a.sql').problem?.message).toContain('empty delimiter');
  });
});

describe('project settings (Makefile, package.json scripts, atlas.hcl)', () => {
  it('reads --tx-mode, --revisions-schema and the env of atlas.hcl that --env selects', () => {
    const p = project({
      ...Object.fromEntries(Object.entries(hashed({ '20240101000000_init.sql': 'create table a (id int);\n' })).map(([n, t]) => [`db/migrations/${n}`, t])),
      Makefile: 'migrate:\n\tatlas migrate apply --env prod --tx-mode all\n',
      'atlas.hcl': 'variable "url" {\n  type = string\n}\nenv "prod" {\n  url = var.url\n  migration {\n    dir = "file://db/migrations"\n    revisions_schema = "public"\n  }\n}\n',
    });
    const runner = runnerByName('atlas');
    const migrations = path.join(p.root, 'db/migrations');
    expect(runner.configuredFolders?.(migrations, { projectRoot: p.root })?.folders).toEqual([migrations]);
    const configured = runner.forProject!(migrations, { projectRoot: p.root });
    expect(configured.bookkeeping).toEqual(['public.atlas_schema_revisions']);
    expect(configured.bookkeepingSetup?.sql).toContain('CREATE TABLE IF NOT EXISTS public.atlas_schema_revisions');
    expect(configured.oneTransaction).toBe(true);
    expect(configured.notices).toBeUndefined();
  });

  // field: Cufee/aftermath, atlas.hcl env "local" `dir = "file://internal/database/migrations?format=golang-migrate"`
  // run by `atlas migrate apply --env local`: its atlas.sum lists the .up.sql files only (sql/sqltool/tool.go
  // GolangMigrateDir.Files and Checksum: fs.Glob "*.up.sql"); pgdrift refused the folder ("1.down.sql was added")
  it('reads a golang-migrate directory (format in the dir URL of an env) as Atlas does: its .up.sql files only', () => {
    const up = { '1_init.up.sql': 'create table a (id int);\n', '2_more.up.sql': 'create table b (id int);\n' };
    const files = { ...hashed(up), '1_init.down.sql': 'drop table a;\n', '2_more.down.sql': 'drop table b;\n' };
    const p = project({
      ...Object.fromEntries(Object.entries(files).map(([n, t]) => [`db/migrations/${n}`, t])),
      Makefile: 'migrate:\n\tatlas migrate apply --env local\n',
      'atlas.hcl': 'env "local" {\n  url = getenv("DATABASE_URL")\n  migration {\n    dir = "file://db/migrations?format=golang-migrate"\n  }\n}\n',
    });
    const discovery = atlas.discover(path.join(p.root, 'db/migrations'), { projectRoot: p.root, env: {} });
    expect(discovery.problems).toEqual([]);
    expect(discovery.migrations.map((m) => m.name)).toEqual(['1_init.up.sql', '2_more.up.sql']);
    expect(discovery.ignored).toEqual([expect.objectContaining({ name: '1_init.down.sql', expected: true }), expect.objectContaining({ name: '2_more.down.sql', expected: true })]);
    expect(atlas.forProject!(path.join(p.root, 'db/migrations'), { projectRoot: p.root, env: {} }).notices).toBeUndefined();
  });

  // field: 110y/muxac, atlas.hcl env "local" dev = "sqlite://dev?mode=memory": its SQLite migrations were replayed on
  // Postgres and failed at AUTOINCREMENT, with no word that they are not PostgreSQL's
  it('refuses a folder whose atlas.hcl URLs name another database only (sqlite, docker://mysql), not one that names PostgreSQL', () => {
    const files = Object.fromEntries(Object.entries(hashed({ '20260312000000.sql': 'CREATE TABLE s (id INTEGER PRIMARY KEY AUTOINCREMENT);\n' })).map(([n, t]) => [`db/migrations/${n}`, t]));
    const hcl = (env: string) => `env "local" {\n  src = "file://db/schema.sql"\n${env}  migration {\n    dir = "file://db/migrations"\n  }\n}\n`;
    const sqlite = project({ ...files, 'atlas.hcl': hcl('  dev = "sqlite://dev?mode=memory"\n') });
    expect(() => atlas.discover(path.join(sqlite.root, 'db/migrations'), { projectRoot: sqlite.root, env: {} })).toThrow(/db\/migrations\/ is an Atlas history for SQLite, not PostgreSQL: atlas.hcl env "local" dev = "sqlite:\/\/dev\?mode=memory"/);
    const mysql = project({ ...files, 'atlas.hcl': hcl('  dev = "docker://mysql/8/dev"\n') });
    expect(() => atlas.discover(path.join(mysql.root, 'db/migrations'), { projectRoot: mysql.root, env: {} })).toThrow(/for MySQL/);
    const postgres = project({ ...files, 'atlas.hcl': hcl('  url = "sqlite://x"\n  dev = "docker://postgres/15/dev"\n') });
    expect(atlas.discover(path.join(postgres.root, 'db/migrations'), { projectRoot: postgres.root, env: {} }).migrations).toHaveLength(1);
  });

  // a project before its first `atlas migrate diff`: it said "runner numbered detected ... no migrations for the numbered runner"
  it('an empty folder the project\'s atlas.hcl names is Atlas\'s (weakly); one with other files has no migrations', () => {
    const hcl = 'env "local" {\n  url = getenv("DATABASE_URL")\n  migration {\n    dir = "file://db/migrations"\n  }\n}\n';
    const empty = project({ 'db/migrations/.gitkeep': '', 'atlas.hcl': hcl });
    const detected = detectRunner(path.join(empty.root, 'db/migrations'), empty.root);
    expect(detected.runner.name).toBe('atlas');
    expect(detected.evidence?.what).toContain('with no migration in it yet');
    const other = project({ 'db/migrations/README.md': 'notes\n', 'atlas.hcl': hcl });
    expect(() => detectRunner(path.join(other.root, 'db/migrations'), other.root)).toThrow(/no \.sql files in db\/migrations\//);
  });

  // field: BEDOLAGA-DEV/RemnaCore: Makefile `atlas migrate apply --env local`, env "local" dir
  // file://internal/adapter/postgres/migrations, 001_identity.sql..., no atlas.sum: replayed as numbered files
  it('a folder the project applies with atlas migrate apply is Atlas\'s without an atlas.sum, which Atlas then refuses', () => {
    const p = project({
      'internal/adapter/postgres/migrations/001_identity.sql': 'CREATE TABLE users (id int);\n',
      'internal/adapter/postgres/migrations/002_billing.sql': 'CREATE TABLE plans (id int);\n',
      Makefile: 'migrate:\n\tatlas migrate apply --env local\n',
      'atlas.hcl': 'env "local" {\n  url = "postgres://u:p@localhost:5432/db"\n  migration {\n    dir = "file://internal/adapter/postgres/migrations"\n  }\n}\n',
    });
    const resolved = resolveProject({ cwd: p.root });
    expect(resolved.runner.name).toBe('atlas');
    expect(resolved.migrationsDir).toBe(path.join(p.root, 'internal/adapter/postgres/migrations'));
    expect(atlas.discover(resolved.migrationsDir, { projectRoot: p.root, env: {} }).problems).toEqual([expect.stringMatching(/^atlas\.sum not found/)]);
  });

  // sql/sqltool/tool.go GooseDir: Atlas sends a goose file's Up section only; read as Atlas's own file the Down
  // section ran too (a notice said the folder was replayed as Atlas's format)
  it('refuses a goose, dbmate or flyway directory (--dir-format) and names the runner to replay it with', () => {
    const files = Object.fromEntries(Object.entries(hashed({ '20240101000000_init.sql': '-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n' })).map(([n, t]) => [`migrations/${n}`, t]));
    const p = project({ ...files, Makefile: 'migrate:\n\tatlas migrate apply --dir file://migrations --dir-format goose\n' });
    expect(() => atlas.discover(path.join(p.root, 'migrations'), { projectRoot: p.root, env: {} })).toThrow(/as a goose directory \(--dir-format goose\).*down sections would be replayed too/);
  });

  it('says that under --tx-mode none a txmode file directive keeps its transaction open to the end of the run', () => {
    const p = project({
      ...Object.fromEntries(Object.entries(hashed({ '1_a.sql': '-- atlas:txmode file\n\ncreate table a (id int);\n', '2_b.sql': 'select 1;\n' })).map(([n, t]) => [`migrations/${n}`, t])),
      Makefile: 'migrate:\n\tatlas migrate apply --tx-mode=none\n',
    });
    const configured = atlas.forProject!(path.join(p.root, 'migrations'), { projectRoot: p.root, env: {} });
    expect(configured.notices).toEqual([expect.stringContaining('Atlas commits the transaction of 1_a.sql (-- atlas:txmode file) only at the end of the run')]);
    expect(configured.plan!('select 1;\n', '2_b.sql', path.join(p.root, 'migrations')).parts[0].transaction).toBe('none');
  });

  it('reads atlas migrate apply in a Taskfile and a justfile too', () => {
    const files = Object.fromEntries(Object.entries(hashed({ '1_a.sql': 'select 1;\n' })).map(([n, t]) => [`migrations/${n}`, t]));
    const task = project({ ...files, 'Taskfile.yml': "version: '3'\ntasks:\n  migrate:\n    cmds:\n      - atlas migrate apply --revisions-schema audit\n" });
    expect(atlas.forProject!(path.join(task.root, 'migrations'), { projectRoot: task.root, env: {} }).bookkeeping).toEqual(['audit.atlas_schema_revisions']);
    const just = project({ ...files, justfile: 'migrate:\n    atlas migrate apply --revisions-schema audit\n' });
    expect(atlas.forProject!(path.join(just.root, 'migrations'), { projectRoot: just.root, env: {} }).bookkeeping).toEqual(['audit.atlas_schema_revisions']);
  });

  // field: guacsec/guac keeps its ent migrations in pkg/assembler/backends/ent/migrate/migrations (too deep to be found)
  // and applies them from a container (atlas.sh: --dir file:///app/migrations); its Makefile diffs and lints that folder
  it('with no apply naming a folder, the one folder the other atlas migrate commands name (--dir) is the history', () => {
    const deep = 'pkg/store/backends/ent/migrate/migrations';
    const files = Object.fromEntries(Object.entries(hashed({ '20240503123155_baseline.sql': 'CREATE TABLE artifacts (id bigint NOT NULL, PRIMARY KEY (id));\n' })).map(([n, t]) => [`${deep}/${n}`, t]));
    const makefile = ['atlas-diff:', `\tatlas migrate diff ent_diff \\`, `\t  --dir "file://${deep}" \\`, '\t  --to "ent://pkg/store/backends/ent/schema" \\', '\t  --dev-url "docker://postgres/15/test?search_path=public"', '', 'atlas-lint:', `\tatlas migrate lint --dir "file://${deep}" --dev-url "docker://postgres/15/test" --latest=1`, ''].join('\n');
    const p = project({ ...files, Makefile: makefile });
    const resolved = resolveProject({ cwd: p.root });
    expect(resolved.runner.name).toBe('atlas');
    expect(path.relative(p.root, resolved.migrationsDir).split(path.sep).join('/')).toBe(deep);
    // commands on two folders name no one history: not taken
    const two = project({ ...files, 'other/migrations/1_a.sql': 'select 1;\n', Makefile: `${makefile}\nstatus:\n\tatlas migrate status --dir file://other/migrations\n` });
    expect(() => resolveProject({ cwd: two.root })).toThrow(/no migrations folder found/);
  });

  it('says what it cannot evaluate, and skips the files up to a --baseline version', () => {
    const p = project({
      ...Object.fromEntries(Object.entries(hashed({ '1_a.sql': 'select 1;\n', '2_b.sql': 'select 2;\n', '3_c.sql': 'select 3;\n' })).map(([n, t]) => [`migrations/${n}`, t])),
      'package.json': JSON.stringify({ scripts: { migrate: 'atlas migrate apply --baseline 2 --tx-mode "$MODE" -u "$DATABASE_URL"' } }),
    });
    const migrations = path.join(p.root, 'migrations');
    const configured = atlas.forProject!(migrations, { projectRoot: p.root, env: {} });
    expect(configured.notices).toEqual([expect.stringContaining('package.json script "migrate" runs atlas migrate apply --tx-mode with a value only the shell or make knows')]);
    const d = atlas.discover(migrations, { projectRoot: p.root, env: {} });
    expect(d.migrations.map((m) => m.name)).toEqual(['3_c.sql']);
    expect(d.ignored.map((f) => f.name)).toEqual(['1_a.sql', '2_b.sql']);
  });
});
