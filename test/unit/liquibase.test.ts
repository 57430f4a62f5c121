import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { movedToRunnable, runnableText } from '../../src/migrations/discover.js';
import { substitute } from '../../src/runners/substitution.js';
import { postgresMatches, readChangelog, type LiquibaseRun } from '../../src/runners/liquibase-changelog.js';
import { changeSetRuns, expressionMatches } from '../../src/runners/liquibase-filters.js';
import { liquibaseCuts } from '../../src/runners/liquibase-split.js';
import { findMaster, liquibase, mavenChangeLogFile } from '../../src/runners/liquibase.js';
import { loadSqlParser } from '../../src/sql/parse.js';

const made: string[] = [];
function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-liquibase-unit-'));
  made.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

/** What the replay sends of a run: its lines, with the run's substitutions moved there as discover.ts moves them. */
function sent(run: LiquibaseRun, text: string): string {
  const runnable = runnableText(text, [{ startLine: run.startLine, endLine: run.endLine, transaction: run.transaction }]);
  return substitute(runnable, movedToRunnable(run.substitutions, text, runnable)).text.trim();
}

/** What the replay sends of a run, from its own file. */
function sentText(run: LiquibaseRun, root: string): string {
  return sent(run, readFileSync(path.resolve(root, run.file), 'utf8'));
}

function read(root: string, master: string) {
  return readChangelog(path.join(root, master), { root, searchPath: [root] });
}

beforeAll(() => loadSqlParser());
afterAll(() => {
  for (const root of made) rmSync(root, { recursive: true, force: true });
});

describe("Liquibase's statement cuts (StringUtil.processMultiLineSQL)", () => {
  const cutTexts = (sql: string, options: { splitStatements: boolean; endDelimiter?: string } = { splitStatements: true }) => liquibaseCuts(sql, options).cuts.map((c) => [c.start, sql.slice(c.start, c.end)]);

  it('cuts at each ; outside strings and comments', () => {
    expect(cutTexts("SELECT 'a;b'; -- c;d\nSELECT \"x;y\";")).toEqual([
      [12, ';'],
      [33, ';'],
    ]);
  });

  it('does not know dollar quotes: a ; inside $$ is a cut, unless BEGIN ... END holds it', () => {
    expect(cutTexts('CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;').map(([at]) => at)).toEqual([59, 63]);
    const plpgsql = 'CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql;';
    expect(cutTexts(plpgsql).map(([at]) => plpgsql.slice(0, at as number).split('\n').length)).toEqual([4, 5]);
  });

  it('liquibase/liquibase#5538: END IF closes the BEGIN count, so the ; after it is a cut inside the body', () => {
    const body = (inner: string) => `CREATE OR REPLACE FUNCTION f() RETURNS TRIGGER AS $$\nBEGIN\n${inner}RETURN OLD;\nEND\n$$ LANGUAGE plpgsql;`;
    const ok = body("  -- IF 1 > 0 THEN\n    RAISE EXCEPTION 'ERROR';\n  -- END IF;\n");
    expect(cutTexts(ok).map(([at]) => at)).toEqual([ok.length - 1]); // only the last ;
    const failing = body("  IF 1 > 0 THEN\n    RAISE EXCEPTION 'ERROR';\n  END IF;\n");
    expect(cutTexts(failing).map(([at]) => failing.slice(0, at as number).split('\n').length)).toEqual([5, 6, 8]); // END IF; then RETURN OLD; inside the body
  });

  it('BEGIN TRANSACTION is no block; splitStatements false cuts nothing', () => {
    expect(cutTexts('BEGIN TRANSACTION; SELECT 1;')).toHaveLength(2);
    expect(cutTexts('SELECT 1; SELECT 2;', { splitStatements: false })).toEqual([]);
  });

  it('GO and / on their own line are delimiters; an endDelimiter replaces ;', () => {
    expect(cutTexts('SELECT 1\nGO\nSELECT 2\n/\n').map(([, text]) => text)).toEqual(['GO', '/']);
    expect(cutTexts('SELECT 1; SELECT 2\n//\nSELECT 3', { splitStatements: true, endDelimiter: '//' }).map(([, text]) => text)).toEqual(['//']);
  });
});

describe('dbms (DatabaseList.definitionMatches)', () => {
  it.each([
    [undefined, true],
    ['postgresql', true],
    ['h2, postgresql', true],
    ['mysql', false],
    ['!mysql', true],
    ['!postgresql', false],
    ['all', true],
    ['none', false],
  ])('%s -> %s', (dbms, expected) => expect(postgresMatches(dbms)).toBe(expected));
});

describe('changelog reading', () => {
  it('include and includeAll in order: includeAll takes every file below the folder, sorted by path, any depth', () => {
    const root = project({
      'master.xml': '<databaseChangeLog>\n  <include file="first.sql"/>\n  <includeAll path="all/"/>\n  <include file="last.sql" relativeToChangelogFile="true"/>\n</databaseChangeLog>\n',
      'first.sql': '--liquibase formatted sql\n--changeset a:1\nCREATE TABLE first (id int);\n',
      'last.sql': 'CREATE TABLE last (id int);\n',
      'all/b.sql': '--liquibase formatted sql\n--changeset a:b\nCREATE TABLE b (id int);\n',
      'all/A.sql': '--liquibase formatted sql\n--changeset a:A\nCREATE TABLE "A" (id int);\n',
      'all/a/z.sql': '--liquibase formatted sql\n--changeset a:z\nCREATE TABLE z (id int);\n',
      'all/a.txt': 'not a changelog',
    });
    const changelog = read(root, 'master.xml');
    expect(changelog.runs.map((run) => [path.relative(root, run.file), run.changeSet])).toEqual([
      ['first.sql', 'a:1'],
      ['all/A.sql', 'a:A'],
      ['all/a/z.sql', 'a:z'],
      ['all/b.sql', 'a:b'],
      ['last.sql', 'raw:last.sql'],
    ]);
  });

  it('a relative path with a leading / is below the changelog\'s folder (Resource.resolveSiblingPath joins them; field: LucaVas/recruiter)', () => {
    const root = project({
      'db/changelog/master.xml': '<databaseChangeLog>\n  <includeAll path="/changesets/tables" relativeToChangelogFile="true"/>\n  <include file="/one.sql" relativeToChangelogFile="true"/>\n</databaseChangeLog>\n',
      'db/changelog/changesets/tables/t.sql': '--liquibase formatted sql\n--changeset a:t\nCREATE TABLE t (id int);\n',
      'db/changelog/one.sql': 'CREATE TABLE one (id int);\n',
    });
    expect(read(root, 'db/changelog/master.xml').runs.map((run) => path.relative(root, run.file))).toEqual(['db/changelog/changesets/tables/t.sql', 'db/changelog/one.sql']);
  });

  it('a changelog included twice is refused at the second changeset with its identifier (ValidatingVisitor duplicates)', () => {
    const root = project({
      'master.yaml': 'databaseChangeLog:\n  - include:\n      file: t.sql\n  - include:\n      file: t.sql\n',
      't.sql': '--liquibase formatted sql\n--changeset a:1\nCREATE TABLE t (id int);\n',
    });
    expect(() => read(root, 'master.yaml')).toThrow('t.sql:2:1: changeset a:1 of t.sql is already in the changelog (t.sql:2:1)');
    const twice = project({ 'c.sql': '--liquibase formatted sql\n--changeset a:1\nSELECT 1;\n--changeset a:1 dbms:mysql\nSELECT 2;\n--changeset a:1\nSELECT 3;\n' });
    expect(() => read(twice, 'c.sql')).toThrow(/^c\.sql:6:1: changeset a:1/);
  });

  it('formatted SQL: each changeset its lines; runInTransaction:false; dbms skipped; rollback blocks and ignoreLines not sent; endDelimiter turned into ;', () => {
    const text = [
      '--liquibase formatted sql',
      '',
      '--changeset ann:1',
      '--comment: first',
      'CREATE TABLE a (id int);',
      '--rollback DROP TABLE a;',
      '/* liquibase rollback',
      'DROP TABLE a;',
      '*/',
      '--changeset ann:2 runInTransaction:false',
      'CREATE INDEX CONCURRENTLY a_idx ON a (id);',
      '--changeset ann:3 dbms:mysql',
      'CREATE TABLE m (id int);',
      '--changeset ann:4 endDelimiter:/',
      'CREATE TABLE b (id int)',
      '/',
      '--ignoreLines:start',
      'not sql at all',
      '--ignoreLines:end',
      'CREATE TABLE c (id int)',
      '/',
    ].join('\n');
    const root = project({ 'changes.sql': text });
    const changelog = read(root, 'changes.sql');
    expect(changelog.runs.map((run) => [run.changeSet, run.startLine, run.endLine, run.transaction])).toEqual([
      ['ann:1', 3, 9, 'wrapped'],
      ['ann:2', 10, 11, 'none'],
      ['ann:4', 14, 21, 'wrapped'],
    ]);
    expect(sent(changelog.runs[0], text)).toBe('--comment: first\nCREATE TABLE a (id int);\n--rollback DROP TABLE a;');
    expect(sent(changelog.runs[2], text)).toBe('CREATE TABLE b (id int)\n;\nCREATE TABLE c (id int)'); // the last / ends the text: mergeTokens drops it
    expect(changelog.notices).toEqual([]);
    expect(changelog.runs.every((run) => run.problem === undefined)).toBe(true);
  });

  it('${name} of a changelog property is expanded (the first value set wins; one for another dbms is not set); an unknown one is sent as written, with a notice', () => {
    const master = '<databaseChangeLog>\n  <property name="schema" value="app" dbms="postgresql"/>\n  <property name="schema" value="later"/>\n  <property name="idtype" value="NUMBER" dbms="oracle"/>\n  <property name="idtype" value="bigint"/>\n  <include file="t.sql"/>\n</databaseChangeLog>\n';
    const sql = '--liquibase formatted sql\n--property name:tag value:v1\n--changeset a:1\nCREATE TABLE ${schema}.t (id ${idtype}, note text DEFAULT \'${tag}\');\n';
    const root = project({ 'master.xml': master, 't.sql': sql });
    const changelog = read(root, 'master.xml');
    expect(sent(changelog.runs[0], sql)).toBe("CREATE TABLE app.t (id bigint, note text DEFAULT 'v1');");
    expect(changelog.notices).toEqual([]);
    const parameters = readChangelog(path.join(root, 'master.xml'), { root, searchPath: [root], parameters: { schema: 'given' } });
    expect(sent(parameters.runs[0], sql)).toContain('CREATE TABLE given.t'); // set before the changelogs: first
    const unknown = read(project({ 'c.sql': '--liquibase formatted sql\n--changeset a:1\nCREATE TABLE ${nobody}.t (id int);\n' }), 'c.sql');
    expect(unknown.notices.join('\n')).toContain('${...} changelog properties that no property');
  });

  it("a property's context and labels are matched against the project's contexts and labels, as ChangeLogParameters.Filter does; names ignore case; global:false keeps a property to its changelog", () => {
    const master = [
      '<databaseChangeLog>',
      '  <property name="schema" value="dev_app" context="dev"/>',
      '  <property name="schema" value="prod_app" context="prod"/>',
      '  <property name="owner" value="v2_owner" labels="v2"/>',
      '  <property name="owner" value="plain_owner"/>',
      '  <property name="local" value="master_only" global="false"/>',
      '  <include file="t.sql"/>',
      '</databaseChangeLog>',
      '',
    ].join('\n');
    const sql = '--liquibase formatted sql\n--property name:Tag value:v1 context:prod\n--changeset a:1\nCREATE TABLE ${SCHEMA}.t (id int, note text DEFAULT \'${tag}\', who text DEFAULT \'${owner}\', l text DEFAULT \'${local}\');\n';
    const root = project({ 'master.xml': master, 't.sql': sql });
    const under = (runtime: { contexts?: string; labels?: string }) => readChangelog(path.join(root, 'master.xml'), { root, searchPath: [root], runtime });
    // liquibase update --contexts prod: the dev value is not set, so prod's is the first that matches
    const prod = under({ contexts: 'prod', labels: 'v1' });
    expect(sent(prod.runs[0], sql)).toBe("CREATE TABLE prod_app.t (id int, note text DEFAULT 'v1', who text DEFAULT 'plain_owner', l text DEFAULT '${local}');");
    expect(prod.filtered).toEqual([]); // evaluated: nothing in doubt
    const dev = under({ contexts: 'dev', labels: 'v2' });
    expect(sent(dev.runs[0], sql)).toBe("CREATE TABLE dev_app.t (id int, note text DEFAULT '${tag}', who text DEFAULT 'v2_owner', l text DEFAULT '${local}');");
    expect(dev.notices.join('\n')).toContain('${...} changelog properties that no property'); // ${tag} and ${local} stay as written
    // no contexts or labels given: every property matches (the first set wins), and those with filters are named
    const none = under({});
    expect(sent(none.runs[0], sql)).toContain('CREATE TABLE dev_app.t');
    expect(none.filtered).toEqual(['property schema (master.xml:2) context dev', 'property schema (master.xml:3) context prod', 'property owner (master.xml:4) labels v2', 'property Tag (t.sql:2) context prod']);
    // a local property is seen by its own changelog only
    const own = project({ 'c.sql': '--liquibase formatted sql\n--property name:local value:mine global:false\n--changeset a:1\nCREATE TABLE ${local}.t (id int);\n' });
    expect(sent(read(own, 'c.sql').runs[0], readFileSync(path.join(own, 'c.sql'), 'utf8'))).toBe('CREATE TABLE mine.t (id int);');
  });

  it('contexts, labels, preconditions and ${...} properties are assumptions the replay says (it runs every changeset as if met)', () => {
    const text = '--liquibase formatted sql\n--changeset a:1 context:dev labels:x\n--precondition-sql-check expectedResult:0 SELECT count(*) FROM t\nCREATE TABLE ${schema}.t (id int);\n';
    const changelog = read(project({ 'c.sql': text }), 'c.sql');
    expect(changelog.runs).toHaveLength(1);
    expect(changelog.filtered).toEqual(['c.sql:2 context dev, labels x']);
    expect(changelog.notices.join('\n')).toContain('preconditions not evaluated, replayed as if met');
    expect(changelog.notices.join('\n')).toContain('${...} changelog properties that no property');
  });

  it("context and label expressions as Liquibase's ExpressionMatcher evaluates them", () => {
    const items = (...names: string[]) => new Set(names);
    // ExpressionMatcher's rules, case by case (precedence: parentheses, then "," and or, then and, then ! / not)
    expect(expressionMatches('a', items('a'))).toBe(true);
    expect(expressionMatches('a', items('b'))).toBe(false);
    expect(expressionMatches('!a', items('a'))).toBe(false);
    expect(expressionMatches('not a', items('b'))).toBe(true);
    expect(expressionMatches('a and b', items('a', 'b'))).toBe(true);
    expect(expressionMatches('a and b', items('a'))).toBe(false);
    expect(expressionMatches('a or b', items('b'))).toBe(true);
    expect(expressionMatches('a, b and c', items('a'))).toBe(true); // "," is an or of the highest precedence
    expect(expressionMatches('(a or b) and !c', items('b'))).toBe(true);
    expect(expressionMatches('(a or b) and !c', items('b', 'c'))).toBe(false);
    expect(expressionMatches('!(a and b)', items('a', 'b'))).toBe(false);
    expect(expressionMatches('A', items('a'))).toBe(true); // case-insensitive
    expect(expressionMatches('anything', items())).toBe(true); // nothing given: everything matches
    expect(() => expressionMatches('(a or b', items('a'))).toThrow(/Cannot parse expression/);
    // ContextChangeSetFilter: no runtime contexts run everything; a changeset without a context always runs
    expect(changeSetRuns({}, { context: 'test' }, [])).toBe(true);
    expect(changeSetRuns({ contexts: 'prod' }, {}, [])).toBe(true);
    expect(changeSetRuns({ contexts: 'prod' }, { context: 'test' }, [])).toBe(false);
    expect(changeSetRuns({ contexts: 'prod, eu' }, { context: 'prod and eu' }, [])).toBe(true);
    expect(changeSetRuns({ contexts: 'prod' }, { context: '!test' }, [])).toBe(true);
    // an include's context must match too (getInheritableContextFilter)
    expect(changeSetRuns({ contexts: 'prod' }, {}, [{ context: 'test' }])).toBe(false);
    expect(changeSetRuns({ contexts: 'prod' }, { context: 'prod' }, [{ context: 'test' }])).toBe(false);
    // LabelChangeSetFilter: the runtime expression against the changeset's labels
    expect(changeSetRuns({ labels: 'v1 and !beta' }, { labels: 'v1' }, [])).toBe(true);
    expect(changeSetRuns({ labels: 'v1 and !beta' }, { labels: 'v1, beta' }, [])).toBe(false);
    expect(changeSetRuns({ labels: 'v2' }, {}, [])).toBe(true);
    expect(changeSetRuns({}, { labels: '@v1' }, [])).toBe(false); // a required label needs a runtime label expression
  });

  it("the project's contexts and labels filter the changesets, the includes' filters inherited, and no notice is needed", () => {
    const changelog = [
      '--liquibase formatted sql',
      '--changeset a:1',
      'CREATE TABLE always (id int);',
      '--changeset a:2 context:test',
      'CREATE TABLE test_data (id int);',
      '--changeset a:3 context:"prod or staging"',
      'CREATE TABLE prod_only (id int);',
      '--changeset a:4 labels:beta',
      'CREATE TABLE beta (id int);',
      '',
    ].join('\n');
    const master = '<databaseChangeLog>\n  <include file="c.sql" relativeToChangelogFile="true"/>\n  <include file="t.sql" relativeToChangelogFile="true" context="test"/>\n</databaseChangeLog>\n';
    const files = { 'master.xml': master, 'c.sql': changelog, 't.sql': '--liquibase formatted sql\n--changeset a:5\nCREATE TABLE fixtures (id int);\n' };
    const tables = (runtime: { contexts?: string; labels?: string }) => {
      const root = project(files);
      const read = readChangelog(path.join(root, 'master.xml'), { root, searchPath: [root], runtime });
      return read.runs.map((run) => /CREATE TABLE (\w+)/.exec(sentText(run, root))?.[1]);
    };
    expect(tables({})).toEqual(['always', 'test_data', 'prod_only', 'beta', 'fixtures']);
    expect(tables({ contexts: 'prod' })).toEqual(['always', 'prod_only', 'beta']);
    expect(tables({ contexts: 'test' })).toEqual(['always', 'test_data', 'beta', 'fixtures']);
    expect(tables({ contexts: 'prod', labels: '!beta' })).toEqual(['always', 'prod_only']);
  });

  it('XML sql: entities decoded, CDATA markers, comments and <comment> dropped, the tags around it not sent', () => {
    const text = '<databaseChangeLog>\n  <changeSet id="1" author="a">\n    <sql>CREATE TABLE t (n int CHECK (n &gt; 0)); <!-- x --> <comment>c</comment><![CDATA[CREATE VIEW v AS SELECT * FROM t WHERE n < 5;]]></sql>\n  </changeSet>\n</databaseChangeLog>\n';
    const root = project({ 'master.xml': text });
    const [run] = read(root, 'master.xml').runs;
    expect(sent(run, text)).toBe('CREATE TABLE t (n int CHECK (n > 0));  CREATE VIEW v AS SELECT * FROM t WHERE n < 5;');
  });

  it('YAML literal block: its indentation is not sent (a function body keeps its own)', () => {
    const text = 'databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: a\n      changes:\n        - sql:\n            splitStatements: false\n            sql: |\n              CREATE FUNCTION f() RETURNS int AS $$\n                SELECT 1;\n              $$ LANGUAGE sql;\n';
    const root = project({ 'master.yaml': text });
    const [run] = read(root, 'master.yaml').runs;
    expect(sent(run, text)).toBe('CREATE FUNCTION f() RETURNS int AS $$\n  SELECT 1;\n$$ LANGUAGE sql;');
  });

  it('JSON changelogs are read like YAML', () => {
    const text = JSON.stringify({ databaseChangeLog: [{ changeSet: { id: '1', author: 'a', changes: [{ sql: { sql: 'CREATE TABLE j (id int);' } }] } }] }, null, 2);
    const root = project({ 'master.json': text });
    const [run] = read(root, 'master.json').runs;
    expect(sent(run, text)).toBe('CREATE TABLE j (id int);');
  });

  it('a changeset for another dbms in XML is skipped; a change type pgdrift does not generate is a problem at its place', () => {
    const text = '<databaseChangeLog>\n  <changeSet id="1" author="a" dbms="oracle"><createTable tableName="x"/></changeSet>\n  <changeSet id="2" author="a">\n    <executeCommand executable="x"/>\n  </changeSet>\n</databaseChangeLog>\n';
    const root = project({ 'master.xml': text });
    const runs = read(root, 'master.xml').runs;
    expect(runs).toHaveLength(1);
    expect(runs[0].problem).toMatchObject({ line: 4, column: 5 });
    expect(runs[0].problem!.message).toContain('change type executeCommand');
  });

  it('createProcedure: its text (YAML procedureText, or a path) is one statement, never cut at its ;s; schemaName and replaceIfExists are refused at the change', () => {
    const yaml = 'databaseChangeLog:\n  - changeSet:\n      id: p1\n      author: a\n      changes:\n        - createProcedure:\n            procedureText: |\n              CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END; $$;\n  - changeSet:\n      id: p2\n      author: a\n      changes:\n        - createProcedure:\n            path: f2.sql\n            relativeToChangelogFile: true\n';
    const root = project({ 'master.yaml': yaml, 'f2.sql': 'CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n' });
    const runs = read(root, 'master.yaml').runs;
    expect(runs.map((run) => [run.changeSet, run.problem])).toEqual([['a:p1', undefined], ['a:p2', undefined]]);
    expect(sent(runs[0], yaml)).toBe('CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END; $$;');
    expect(sent(runs[1], readFileSync(path.join(root, 'f2.sql'), 'utf8'))).toBe('CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;');
    const xml = '<databaseChangeLog>\n  <changeSet id="1" author="a">\n    <createProcedure replaceIfExists="true" procedureName="f">CREATE PROCEDURE f() LANGUAGE sql AS $$ SELECT 1 $$</createProcedure>\n  </changeSet>\n</databaseChangeLog>\n';
    const refused = read(project({ 'master.xml': xml }), 'master.xml').runs;
    expect(refused.map((run) => [run.problem?.line, run.problem?.column])).toEqual([[3, 5]]);
    expect(refused[0].problem!.message).toContain('createProcedure with replaceIfExists');
  });

  it('a generated change is a run in place of its element: its lines, every position at the element; one Liquibase refuses is a problem there', () => {
    const text = '<databaseChangeLog>\n  <changeSet id="1" author="a">\n    <createTable tableName="t">\n      <column name="id" type="int"/>\n    </createTable>\n    <addColumn tableName="t"/>\n  </changeSet>\n</databaseChangeLog>\n';
    const root = project({ 'master.xml': text });
    const runs = read(root, 'master.xml').runs;
    expect(runs.map((r) => [r.startLine, r.endLine, r.transaction])).toEqual([[2, 5, 'wrapped'], [5, 6, 'wrapped']]);
    expect(sent(runs[0], text)).toBe('CREATE TABLE public.t (id INTEGER);');
    const { origin } = substitute(text, runs[0].substitutions);
    expect(origin!.toOriginal(text.indexOf('<createTable') + 10)).toBe(text.indexOf('<createTable'));
    expect(runs[1].problem).toMatchObject({ line: 6, column: 5, message: "addColumn without columns: Liquibase's validation refuses it" });
  });

  it('QUOTE_ALL_OBJECTS (a changeset or XML changelog) quotes every generated name; an unknown strategy is refused at its first generated change', () => {
    const xml = '<databaseChangeLog objectQuotingStrategy="QUOTE_ALL_OBJECTS">\n  <changeSet id="1" author="a">\n    <sql>SELECT 1</sql>\n    <dropTable tableName="t"/>\n  </changeSet>\n</databaseChangeLog>\n';
    const yaml = 'databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: a\n      objectQuotingStrategy: QUOTE_SOME\n      changes:\n        - dropTable: {tableName: t}\n';
    const root = project({ 'master.xml': xml, 'master.yaml': yaml });
    const runs = read(root, 'master.xml').runs;
    expect(runs.map((r) => r.problem)).toEqual([undefined, undefined]);
    expect(sent(runs[1], xml)).toBe('DROP TABLE "public"."t";');
    expect(read(root, 'master.yaml').runs.map((r) => r.problem && [r.problem.line, r.problem.column, r.problem.message])).toEqual([[7, 11, 'objectQuotingStrategy QUOTE_SOME: Liquibase knows LEGACY, QUOTE_ALL_OBJECTS and QUOTE_ONLY_RESERVED_WORDS']]);
  });

  // Field: AAFC-BICoE/seqdb-api (1-Add_Javers_audit_tables.xml). `liquibase update` 4.28.0 on PostgreSQL 15 created
  // public.jvcommit (commitpk, "user", "my-col") with PRIMARY KEY jvcommitpk from this changelog.
  it('QUOTE_ONLY_RESERVED_WORDS quotes reserved words and names with a - but not mixed case (AbstractJdbcDatabase.mustQuoteObjectName)', () => {
    const xml = '<databaseChangeLog objectQuotingStrategy="QUOTE_ONLY_RESERVED_WORDS">\n  <changeSet id="1" author="a">\n    <createTable tableName="JvCommit">\n      <column name="commitPk" type="BIGINT"><constraints primaryKey="true" primaryKeyName="jvCommitPk"/></column>\n      <column name="user" type="VARCHAR(200)"/>\n      <column name="my-col" type="int"/>\n    </createTable>\n  </changeSet>\n</databaseChangeLog>\n';
    const root = project({ 'master.xml': xml });
    const runs = read(root, 'master.xml').runs;
    expect(runs.map((r) => r.problem)).toEqual([undefined]);
    expect(sent(runs[0], xml)).toBe('CREATE TABLE public.JvCommit (commitPk BIGINT NOT NULL, "user" VARCHAR(200), "my-col" INTEGER, CONSTRAINT jvCommitPk PRIMARY KEY (commitPk));');
  });

  // Field: AAFC-BICoE/seqdb-api (db.changelog-init.xml): `<preConditions onFail="MARK_RAN"><dbms type="postgresql"/>`
  // was taken for a change type and stopped the replay. `liquibase update` 4.28.0 on PostgreSQL 15 skipped changeset 2,
  // ran 3 and 4 (4 with "Executing ... despite precondition failure due to onFail='WARN'").
  it('a changeset\'s <preConditions> (Liquibase\'s spelling) is read: dbms ones are evaluated, onFail decides', () => {
    const changeSet = (id: string, preconditions: string, name: string) => `  <changeSet id="${id}" author="a">\n    ${preconditions}\n    <createTable tableName="${name}"><column name="id" type="int"/></createTable>\n  </changeSet>\n`;
    const xml =
      '<databaseChangeLog>\n' +
      changeSet('1', '<preConditions onFail="MARK_RAN"><dbms type="postgresql"/></preConditions>', 'pg') +
      changeSet('2', '<preConditions onFail="MARK_RAN"><dbms type="h2"/></preConditions>', 'only_h2') +
      changeSet('3', '<preConditions onFail="MARK_RAN"><not><dbms type="h2"/></not></preConditions>', 'not_h2') +
      changeSet('4', '<preConditions onFail="WARN"><dbms type="mysql"/></preConditions>', 'warned') +
      changeSet('5', '<preConditions onFail="CONTINUE"><or><dbms type="h2"/><dbms type="mysql"/></or></preConditions>', 'h2_or_mysql') +
      changeSet('6', '<preConditions><sqlCheck expectedResult="0">SELECT 1</sqlCheck></preConditions>', 'checked') +
      '</databaseChangeLog>\n';
    const root = project({ 'master.xml': xml });
    const changelog = read(root, 'master.xml');
    expect(changelog.runs.map((r) => r.problem ?? sent(r, xml))).toEqual([
      'CREATE TABLE public.pg (id INTEGER);',
      'CREATE TABLE public.not_h2 (id INTEGER);',
      'CREATE TABLE public.warned (id INTEGER);',
      'CREATE TABLE public.checked (id INTEGER);',
    ]);
    expect(changelog.notices.join('\n')).toContain('preconditions not evaluated, replayed as if met (pgdrift does not run them): master.xml:23 (a:6)');
    const halt = '<databaseChangeLog>\n' + changeSet('1', '<preConditions><dbms type="h2"/></preConditions>', 't') + '</databaseChangeLog>\n';
    expect(() => read(project({ 'master.xml': halt }), 'master.xml')).toThrow('master.xml:3:5: changeset a:1: its dbms preconditions fail on PostgreSQL, and Liquibase stops there (onFail HALT, the default)');
  });

  it('a YAML changeset\'s preConditions: a dbms one that fails with onFail MARK_RAN skips the changeset', () => {
    const yaml =
      'databaseChangeLog:\n  - preConditions:\n      - dbms:\n          type: postgresql\n' +
      '  - changeSet:\n      id: 1\n      author: a\n      preConditions:\n        - onFail: MARK_RAN\n        - dbms:\n            type: h2\n      changes:\n        - dropTable: {tableName: h2_only}\n' +
      '  - changeSet:\n      id: 2\n      author: a\n      preConditions:\n        - onFail: MARK_RAN\n        - not:\n            - dbms:\n                type: h2\n      changes:\n        - dropTable: {tableName: t}\n';
    const root = project({ 'master.yaml': yaml });
    const changelog = read(root, 'master.yaml');
    expect(changelog.runs.map((r) => r.problem ?? sent(r, yaml))).toEqual(['DROP TABLE public.t;']);
    expect(changelog.notices.join('\n')).not.toContain('preconditions not evaluated');
    const wrongDbms = 'databaseChangeLog:\n  - preConditions:\n      - dbms:\n          type: oracle\n';
    expect(() => read(project({ 'master.yaml': wrongDbms }), 'master.yaml')).toThrow("the changelog's preconditions require dbms oracle");
  });

  it('loadData and loadUpdateData load rows, not schema: skipped with a notice', () => {
    const text = 'databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: a\n      changes:\n        - loadData: {tableName: t, file: data/t.csv}\n        - dropTable: {tableName: t}\n';
    const root = project({ 'master.yaml': text });
    const changelog = read(root, 'master.yaml');
    expect(changelog.runs.map((r) => sent(r, text))).toEqual(['DROP TABLE public.t;']);
    expect(changelog.notices.join('\n')).toContain('loadData/loadUpdateData not replayed (they load CSV rows, not schema; the replay holds no data they add): master.yaml:6 (loadData)');
  });
});

describe('the master changelog', () => {
  it("Spring Boot's spring.liquibase.change-log, over the default name", () => {
    const root = project({
      'src/main/resources/application.properties': 'spring.liquibase.change-log=classpath:db/changelog/main.xml\n',
      'src/main/resources/db/changelog/main.xml': '<databaseChangeLog/>',
      'src/main/resources/db/changelog/db.changelog-master.yaml': 'databaseChangeLog: []\n',
    });
    const master = findMaster(path.join(root, 'src/main/resources/db/changelog'), root, {});
    expect(path.relative(root, master!.file)).toBe('src/main/resources/db/changelog/main.xml');
    expect(master!.setting).toBe('spring.liquibase.change-log in src/main/resources/application.properties');
  });

  it("liquibase.properties' changeLogFile (changelog-file too)", () => {
    const root = project({ 'liquibase.properties': 'changelog-file: db/root.yaml\nurl=jdbc:postgresql://x/y\n', 'db/root.yaml': 'databaseChangeLog: []\n' });
    const master = findMaster(path.join(root, 'db'), root, {});
    expect(path.relative(root, master!.file)).toBe('db/root.yaml');
  });

  it('a changelog run on another database (spring.datasource.url, liquibase.properties url) is not PostgreSQL (field: nick-bi/spring-boot liquibase-demo, MySQL)', () => {
    const root = project({
      'src/main/resources/application.properties': 'spring.datasource.url=jdbc:mysql://localhost:3306/x?useUnicode=true\\\n  &characterEncoding=UTF-8\n',
      'src/main/resources/db/changelog/db.changelog-master.yaml': 'databaseChangeLog:\n  - include:\n      file: db/changelog/t.sql\n',
      'src/main/resources/db/changelog/t.sql': 'CREATE TABLE t (id bigint auto_increment);\n',
    });
    const discovery = liquibase.discover(path.join(root, 'src/main/resources/db/changelog'), { projectRoot: root, env: {} });
    expect(discovery.notPostgres).toBe('spring.datasource.url in src/main/resources/application.properties connects Liquibase to a MySQL database (jdbc:mysql://localhost:3306/x): these changelogs run on MySQL, not PostgreSQL');
    const oracle = project({ 'liquibase.properties': 'url=jdbc:oracle:thin:@localhost:1521/XE\nchangeLogFile=root.xml\n', 'root.xml': '<databaseChangeLog/>' });
    expect(liquibase.discover(oracle, { projectRoot: oracle, env: {} }).notPostgres).toContain('connects Liquibase to an Oracle database');
  });

  it('the only db.changelog-master.* below the folder, as an assumption said in a notice (field: PavelDrozd/PavelDrozd-clevertec-task-house-manager, named in Java code)', () => {
    const root = project({
      'src/main/resources/db/changelog/v0.0/db.changelog-master.yml': 'databaseChangeLog:\n  - include:\n      file: db/changelog/v0.0/schema.sql\n',
      'src/main/resources/db/changelog/v0.0/schema.sql': 'CREATE TABLE houses (id int);\n',
    });
    const folder = path.join(root, 'src/main/resources/db/changelog');
    expect(path.relative(root, findMaster(folder, root, {})!.file)).toBe('src/main/resources/db/changelog/v0.0/db.changelog-master.yml');
    expect(liquibase.discover(folder, { projectRoot: root, env: {} }).migrations.map((m) => m.name)).toEqual(['v0.0/schema.sql']);
    expect(liquibase.forProject!(folder, { projectRoot: root, env: {} }).notices?.[0]).toContain('the only db.changelog-master.* below src/main/resources/db/changelog');
    writeFileSync(path.join(folder, 'db.changelog-other.yml'), 'databaseChangeLog: []\n');
    mkdirSync(path.join(folder, 'v0.1'));
    writeFileSync(path.join(folder, 'v0.1', 'db.changelog-master.yml'), 'databaseChangeLog: []\n');
    expect(findMaster(folder, root, {})).toBeUndefined(); // two: no guess
  });

  it('spring.liquibase.parameters.* and liquibase.properties parameter.* are changelog properties', () => {
    const spring = project({
      'src/main/resources/application.properties': 'spring.liquibase.parameters.schema=app\n',
      'src/main/resources/db/changelog/db.changelog-master.sql': '--liquibase formatted sql\n--changeset a:1\nCREATE TABLE ${schema}.t (id int);\n',
    });
    const [migration] = liquibase.discover(path.join(spring, 'src/main/resources/db/changelog'), { projectRoot: spring, env: {} }).migrations;
    expect(migration.plan!.substitutions).toEqual([{ start: 55, end: 64, value: 'app' }]);
    const builtin = project({ 'liquibase.properties': 'changeLogFile=c.sql\ndefaultSchemaName=App\n', 'c.sql': '--liquibase formatted sql\n--changeset a:1\nCREATE TABLE ${database.defaultSchemaName}.t (id int);\n' });
    expect(liquibase.discover(builtin, { projectRoot: builtin, env: {} }).migrations[0].plan!.substitutions).toEqual([{ start: 55, end: 84, value: 'app' }]);
    const cli = project({ 'liquibase.properties': 'changeLogFile=c.sql\nparameter.schema=cli\n', 'c.sql': '--liquibase formatted sql\n--changeset a:1\nCREATE TABLE ${schema}.t (id int);\n' });
    expect(liquibase.discover(cli, { projectRoot: cli, env: {} }).migrations[0].plan!.substitutions).toEqual([{ start: 55, end: 64, value: 'cli' }]);
  });

  it("the liquibase-maven-plugin's <changeLogFile>", () => {
    const pom = '<project><build><plugins><plugin><groupId>org.liquibase</groupId><artifactId>liquibase-maven-plugin</artifactId><configuration><changeLogFile>db/changelog/root.xml</changeLogFile></configuration></plugin></plugins></build></project>';
    expect(mavenChangeLogFile(pom)).toBe('db/changelog/root.xml');
    const root = project({ 'pom.xml': pom, 'src/main/resources/db/changelog/root.xml': '<databaseChangeLog/>' });
    expect(path.relative(root, findMaster(path.join(root, 'src/main/resources/db/changelog'), root, {})!.file)).toBe('src/main/resources/db/changelog/root.xml');
  });
});
