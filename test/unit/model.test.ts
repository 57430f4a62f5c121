import { beforeAll, describe, expect, test } from 'vitest';
import { loadSqlParser } from '../../src/sql/parse.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { diffModels } from '../../src/diff/diff.js';
import { compareDumps } from '../../src/pipeline/compare.js';

const model = (sql: string, options?: { includePrivileges?: boolean }) => buildSchemaModel(sql, 'dump.sql', options);
const drift = (migrations: string, snapshot: string, ignore?: string[]) => diffModels(model(migrations), model(snapshot), { ignore });

beforeAll(loadSqlParser);

describe('buildSchemaModel', () => {
  test('canonical column types', () => {
    const m = model(`CREATE TABLE public.t (
      a character varying(255), b timestamp with time zone, c integer[], d timestamp(3) without time zone,
      e numeric(10,2), f bit varying(3), g "char", h public.mood[], i double precision, j interval);`);
    expect(Object.fromEntries(m.tables[0].columns.map((c) => [c.name, c.type]))).toEqual({
      a: 'character varying(255)',
      b: 'timestamp with time zone',
      c: 'integer[]',
      d: 'timestamp(3) without time zone',
      e: 'numeric(10,2)',
      f: 'bit varying(3)',
      g: '"char"',
      h: 'public.mood[]',
      i: 'double precision',
      j: 'interval',
    });
  });

  test('unknown statements are kept in others, never dropped', () => {
    const m = model(`CREATE TABLE public.t (a int);
      CREATE EVENT TRIGGER et ON ddl_command_start EXECUTE FUNCTION public.f();
      ALTER TABLE public.t CLUSTER ON t_pkey;`);
    expect(m.others.map((o) => [o.statementKind, o.name])).toEqual([
      ['AlterTableStmt', 'public.t'],
      ['CreateEventTrigStmt', 'et'],
    ]);
  });

  test('a cast and a text search configuration kept in others are named by what they are, not by statement kind', () => {
    const m = model(`CREATE CAST (public.pair AS text) WITH INOUT;
      CREATE TEXT SEARCH CONFIGURATION public.mycfg (PARSER = pg_catalog."default");
      ALTER TEXT SEARCH CONFIGURATION public.mycfg ADD MAPPING FOR asciiword WITH english_stem;`);
    expect(m.others.map((o) => o.name).sort()).toEqual(['cast (public.pair AS text)', 'public.mycfg', 'public.mycfg']);
    // a foreign table is named by itself, not by its server
    const foreign = model(`CREATE FOREIGN TABLE public.ft1 (a integer) SERVER srv1 OPTIONS (table_name 'x');`);
    expect(foreign.others.map((o) => o.name)).toEqual(['public.ft1']);
  });

  test('owners, SET lines, set_config, \\restrict and the public schema are ignored; privileges only when asked', () => {
    const dump = `\\restrict abc
SET statement_timeout = 0;
SET transaction_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
CREATE SCHEMA public;
COMMENT ON SCHEMA public IS 'standard public schema';
CREATE TABLE public.t (a int);
ALTER TABLE public.t OWNER TO alice;
GRANT SELECT ON TABLE public.t TO bob;
\\unrestrict abc
`;
    const m = model(dump);
    expect(m.schemas).toEqual([]);
    expect(m.others).toEqual([]);
    expect(m.privileges).toEqual([]);
    expect(model(dump, { includePrivileges: true }).privileges).toHaveLength(1);
    expect(drift(dump, 'CREATE TABLE public.t (a integer);')).toEqual([]);
  });

  test('every object carries the line of its statement', () => {
    const m = model('CREATE TABLE public.t (\n  a int\n);\n\nALTER TABLE ONLY public.t\n    ADD CONSTRAINT t_pkey PRIMARY KEY (a);\n');
    expect(m.tables[0].line).toBe(1);
    expect(m.tables[0].constraints[0].line).toBe(5);
  });
});

describe('diffModels', () => {
  test('a changed column lists the attribute-level changes', () => {
    const [item] = drift('CREATE TABLE public.t (a bigint NOT NULL);', 'CREATE TABLE public.t (a integer DEFAULT 1);');
    expect(item).toMatchObject({ kind: 'column', name: 'public.t.a', change: 'changed' });
    expect(item.details).toEqual([
      { field: 'type', from: 'integer', to: 'bigint' },
      { field: 'notNull', from: 'false', to: 'true' },
      { field: 'default', from: '1', to: null },
    ]);
    expect(item.ddl).toEqual({ snapshot: 'ALTER TABLE public.t ADD COLUMN a integer DEFAULT 1;', migrations: 'ALTER TABLE public.t ADD COLUMN a bigint NOT NULL;' });
    expect(item.source.snapshot).toEqual({ file: 'dump.sql', line: 1 });
  });

  test('a table on one side only is one item with its columns, constraints and indexes folded', () => {
    const items = drift('', 'CREATE TABLE public.t (a int, b text);\nALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (a);\nCREATE INDEX t_b_idx ON public.t (b);');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'table', name: 'public.t', change: 'removed' });
    expect(items[0].details).toEqual(['column a integer', 'column b text', 'constraint t_pkey PRIMARY KEY (a)', 'index CREATE INDEX t_b_idx ON public.t USING btree (b)']);
  });

  test('an INHERITS child column whose parent has it NOT NULL is NOT NULL, as pg_dump 15 (omits it) and 18 (writes it) say', () => {
    // the two texts are what pg_dump 15.20 and pg_dump 18.3 wrote for the same replayed schema (opentdf/platform)
    const parent = 'CREATE TABLE public.asym_key (\n    id uuid DEFAULT gen_random_uuid() NOT NULL,\n    key_id text\n);\n';
    const pg15 = `${parent}CREATE TABLE public.kas_keys (\n    id uuid DEFAULT gen_random_uuid(),\n    kas_id uuid NOT NULL\n)\nINHERITS (public.asym_key);\n`;
    const pg18 = `${parent}CREATE TABLE public.kas_keys (\n    id uuid DEFAULT gen_random_uuid() NOT NULL,\n    kas_id uuid NOT NULL\n)\nINHERITS (public.asym_key);\n`;
    expect(drift(pg15, pg18)).toEqual([]);
    // a grandchild inherits it through a parent that does not list the column itself
    const grandchild = (notNull: string) => `${parent}CREATE TABLE public.mid (\n    x int\n)\nINHERITS (public.asym_key);\nCREATE TABLE public.leaf (\n    id uuid${notNull}\n)\nINHERITS (public.mid);\n`;
    expect(drift(grandchild(''), grandchild(' NOT NULL'))).toEqual([]);
    // a column the parent allows NULL in still compares on the child's own NOT NULL
    const loose = (notNull: string) => `CREATE TABLE public.p (\n    a int\n);\nCREATE TABLE public.c (\n    a int${notNull}\n)\nINHERITS (public.p);\n`;
    expect(drift(loose(''), loose(' NOT NULL')).map((i) => i.name)).toEqual(['public.c.a']);
    // Postgres 18's NOT NULL NO INHERIT stays on the parent: the child's own nullability is compared
    const noInherit = (notNull: string) => `CREATE TABLE public.p (\n    a int CONSTRAINT p_a_not_null NOT NULL NO INHERIT\n);\nCREATE TABLE public.c (\n    a int${notNull}\n)\nINHERITS (public.p);\n`;
    expect(drift(noInherit(''), noInherit(' NOT NULL')).map((i) => i.name)).toEqual(['public.c.a']);
  });

  test('plpgsql in pg_catalog is no drift: older pg_dump versions write it, current ones do not (field report: OpenCue schema.sql)', () => {
    const old = "CREATE EXTENSION IF NOT EXISTS plpgsql WITH SCHEMA pg_catalog;\nCOMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';\n";
    expect(drift('', old)).toEqual([]);
    expect(drift(old, '')).toEqual([]);
    // in a schema of the project's own it is the project's doing
    expect(drift('', 'CREATE EXTENSION IF NOT EXISTS plpgsql WITH SCHEMA app;\n').map((i) => i.name)).toEqual(['plpgsql']);
  });

  test('ignore patterns: exact, any schema, bare name', () => {
    const snapshot = 'CREATE TABLE public.migrations (id int);\nCREATE TABLE app.migrations (id int);\nCREATE TABLE public.keep (id int);';
    expect(drift('', snapshot, ['public.migrations']).map((i) => i.name)).toEqual(['app.migrations', 'public.keep']);
    expect(drift('', snapshot, ['*.migrations']).map((i) => i.name)).toEqual(['public.keep']);
    expect(drift('', snapshot, ['migrations']).map((i) => i.name)).toEqual(['public.keep']);
  });

  test('function names carry argument types only when overloads collide', () => {
    const f = (args: string) => `CREATE FUNCTION public.f(${args}) RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;`;
    expect(drift(f('a integer'), '').map((i) => i.name)).toEqual(['public.f']);
    expect(drift(f('a integer') + f('a text'), f('a text')).map((i) => i.name)).toEqual(['public.f(integer)']);
  });

  test('a comment-only change is a comment item', () => {
    const items = drift("CREATE TABLE public.t (a int);\nCOMMENT ON TABLE public.t IS 'new';", "CREATE TABLE public.t (a int);\nCOMMENT ON TABLE public.t IS 'old';");
    expect(items).toMatchObject([{ kind: 'comment', name: 'public.t', change: 'changed', details: [{ field: 'comment', from: 'old', to: 'new' }] }]);
  });

  test('other statements are compared by their normalized text', () => {
    const a = 'CREATE EVENT TRIGGER et ON ddl_command_start EXECUTE FUNCTION public.f();';
    expect(drift(a, a.replace(/ /g, '  '))).toEqual([]);
    expect(drift(a, '')).toMatchObject([{ kind: 'other', name: 'et', change: 'added' }]);
  });
  test('a policy changed between AS RESTRICTIVE and permissive is drift (libpg-query leaves permissive out when it is false)', () => {
    // pg_dump 15.20 text; the snapshot copy had AS RESTRICTIVE removed and check said "no drift"
    const policy = (restrictive: string) =>
      `CREATE TABLE public.account (\n    tenant_id integer NOT NULL\n);\nCREATE POLICY tenant_ins ON public.account${restrictive} FOR INSERT WITH CHECK ((tenant_id > 0));\n`;
    const [item] = drift(policy(' AS RESTRICTIVE'), policy(''));
    expect(item).toMatchObject({ kind: 'policy', name: 'public.account.tenant_ins', change: 'changed' });
    expect(item.details).toEqual([{ field: 'permissive', from: 'true', to: 'false' }]);
    expect(drift(policy(' AS RESTRICTIVE'), policy(' AS RESTRICTIVE'))).toEqual([]);
    expect(drift(policy(' AS PERMISSIVE'), policy(''))).toEqual([]);
  });

  test("an identity column's sequence options are compared; pg_dump's full spec equals the defaults written inline", () => {
    // pg_dump 15.20 writes every option of the identity's sequence
    const table = 'CREATE TABLE public.account (\n    id bigint NOT NULL,\n    name text\n);\n';
    const dumped = (start: string, increment = '1', name = 'public.account_id_seq') =>
      `${table}ALTER TABLE public.account ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (\n    SEQUENCE NAME ${name}\n    START WITH ${start}\n    INCREMENT BY ${increment}\n    NO MINVALUE\n    NO MAXVALUE\n    CACHE 1\n);\n`;
    const [item] = drift(dumped('1000'), dumped('1'));
    expect(item).toMatchObject({ kind: 'column', name: 'public.account.id', change: 'changed' });
    expect(item.details).toEqual([{ field: 'identityOptions', from: '', to: 'START WITH 1000' }]);
    expect(drift(dumped('1', '5'), dumped('1')).map((i) => i.name)).toEqual(['public.account.id']);
    expect(drift(dumped('1', '1', 'public.account_seq'), dumped('1')).map((i) => i.name)).toEqual(['public.account.id']);
    // the same sequence, spelled with no options (a hand-written snapshot) or in full (pg_dump)
    expect(drift(dumped('1'), 'CREATE TABLE public.account (\n    id bigint GENERATED ALWAYS AS IDENTITY,\n    name text\n);\n')).toEqual([]);
    expect(drift(dumped('1'), dumped('1'))).toEqual([]);
  });
  test("a table's storage parameters are compared (WITH (fillfactor=...) after the columns, as pg_dump writes them)", () => {
    const table = (storage: string) => `CREATE TABLE public.item (\n    id integer NOT NULL\n)${storage};\n`;
    const [item] = drift(table("\nWITH (fillfactor='70')"), table(''));
    expect(item).toMatchObject({ kind: 'table', name: 'public.item', change: 'changed' });
    expect(item.details).toEqual([{ field: 'storageParameters', from: '', to: 'fillfactor=70' }]);
    expect(drift(table("\nWITH (fillfactor='70')"), table("\nWITH (fillfactor='80')")).map((i) => i.name)).toEqual(['public.item']);
    // the same parameters, in another order and spelling
    expect(drift(table("\nWITH (autovacuum_enabled='false', fillfactor='70')"), table('\nWITH (fillfactor=70, autovacuum_enabled=off)'))).toEqual([]);
  });
});

describe('a dump written by pg_dump --no-comments (field: getlago/lago-api structure_dump_flags)', () => {
  const extension = (comment: boolean) =>
    `CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;\n${comment ? "COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';\n" : ''}`;
  const table = (comment: string | undefined) =>
    `CREATE TABLE public.items (id bigint NOT NULL, name text);\n${comment ? `COMMENT ON COLUMN public.items.name IS '${comment}';\n` : ''}`;
  const compare = (migrations: string, snapshot: string) =>
    compareDumps({ text: migrations, label: 'the replayed migrations' }, { text: snapshot, label: 'db/structure.sql' });

  test('no comment at all, not even the extension one pg_dump always writes: comments are not compared, and that is said', async () => {
    const result = await compare(extension(true) + table('shown in the admin'), extension(false) + table(undefined));
    expect(result.drift).toEqual([]);
    expect(result.notes).toEqual([
      'db/structure.sql has no comments at all, not even the COMMENT ON EXTENSION pgcrypto pg_dump writes (dumped with --no-comments): comments are not compared',
    ]);
    // with the verdict too (a notice alone left `--format json` a bare "no differences"): the other side's comments
    // beside its extensions', which this side cannot tell
    expect(result.notCompared).toEqual(['comments: 1 comment on the other side, as db/structure.sql has none at all (dumped with --no-comments)']);
    const same = await compare(extension(true) + table(undefined), extension(false) + table(undefined));
    expect(same.notCompared).toEqual([]);
    // anything else still differs
    const other = await compare(extension(true) + table('x').replace('name text', 'name character varying(80)'), extension(false) + table(undefined));
    expect(other.drift.map((item) => `${item.kind} ${item.name}`)).toEqual(['column public.items.name']);
  });

  test('a dump that has comments: every comment difference is reported, the extension one included', async () => {
    const result = await compare(extension(true) + table('shown in the admin'), extension(false) + table('old text'));
    expect(result.notes).toEqual([]);
    expect(result.drift.map((item) => `${item.kind} ${item.name} ${item.change}`)).toEqual(['comment pgcrypto added', 'comment public.items.name changed']);
  });

  test('no extension to prove it: a snapshot without comments is taken at its word', async () => {
    const result = await compare(table('shown in the admin'), table(undefined));
    expect(result.notes).toEqual([]);
    expect(result.drift.map((item) => `${item.kind} ${item.name} ${item.change}`)).toEqual(['comment public.items.name added']);
  });
});

describe('names an old pg_dump printed unqualified under SET search_path (field: 18F/e-manifest, 3scale/zync db/structure.sql)', () => {
  const tables = 'CREATE TABLE public.users (id integer NOT NULL);\nCREATE TABLE public.posts (id integer NOT NULL, user_id integer);\n';
  const newDump = (target: string) => `${tables}ALTER TABLE ONLY public.posts ADD CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES ${target}(id) ON DELETE CASCADE;\n`;
  const oldDump = (schema: string) =>
    `SET search_path = ${schema}, pg_catalog;\n${tables.replace(/public\./g, '')}ALTER TABLE ONLY posts ADD CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;\n`;

  test('a foreign key to users under SET search_path = public, pg_catalog is the one pg_dump 10.3+ prints as public.users', () => {
    expect(drift(newDump('public.users'), oldDump('public'))).toEqual([]);
  });

  test('a foreign key to another table, or the same name in another schema, still differs', () => {
    expect(drift(newDump('public.posts'), oldDump('public')).map((item) => `${item.kind} ${item.name}`)).toEqual(['constraint public.posts.posts_user_fk']);
    const other = `CREATE SCHEMA app;\nCREATE TABLE app.users (id integer NOT NULL);\n`;
    expect(drift(other + newDump('app.users'), other + oldDump('public')).map((item) => `${item.kind} ${item.name}`)).toEqual(['constraint public.posts.posts_user_fk']);
  });
});

describe('a type of the dump an old pg_dump printed unqualified (field: openstreetmap-website db/structure.sql 2017)', () => {
  const types = "CREATE TYPE public.nwr_enum AS ENUM ('Node', 'Way', 'Relation');\n";
  test('a column of nwr_enum under SET search_path = public, pg_catalog is a column of public.nwr_enum', () => {
    const oldDump = `SET search_path = public, pg_catalog;\n${types.replace('public.', '')}CREATE TABLE members (member_type nwr_enum NOT NULL);\n`;
    expect(drift(`${types}CREATE TABLE public.members (member_type public.nwr_enum NOT NULL);\n`, oldDump)).toEqual([]);
  });

  test('a column of another type still differs', () => {
    const oldDump = `SET search_path = public, pg_catalog;\n${types.replace('public.', '')}CREATE TABLE members (member_type text NOT NULL);\n`;
    expect(drift(`${types}CREATE TABLE public.members (member_type public.nwr_enum NOT NULL);\n`, oldDump).map((item) => `${item.kind} ${item.name}`)).toEqual([
      'column public.members.member_type',
    ]);
  });
});

describe('a serial default an old pg_dump printed unqualified (field: danbooru 2017, openstreetmap-website db/structure.sql)', () => {
  // pg_dump 9.5: the sequence named unqualified, and an INHERITS child's own default as ALTER TABLE ONLY <child>
  const oldDump = (sequence: string) => `SET search_path = public, pg_catalog;
CREATE TABLE favorites (id integer NOT NULL, post_id integer);
CREATE TABLE favorites_0 () INHERITS (favorites);
CREATE SEQUENCE favorites_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER TABLE ONLY favorites ALTER COLUMN id SET DEFAULT nextval('${sequence}'::regclass);
ALTER TABLE ONLY favorites_0 ALTER COLUMN id SET DEFAULT nextval('${sequence}'::regclass);
`;
  const newDump = (sequence: string) => `CREATE TABLE public.favorites (id integer NOT NULL, post_id integer);
CREATE TABLE public.favorites_0 () INHERITS (public.favorites);
CREATE SEQUENCE public.favorites_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER TABLE ONLY public.favorites ALTER COLUMN id SET DEFAULT nextval('${sequence}'::regclass);
ALTER TABLE ONLY public.favorites_0 ALTER COLUMN id SET DEFAULT nextval('${sequence}'::regclass);
`;

  test("nextval('favorites_id_seq'::regclass) is nextval('public.favorites_id_seq'::regclass), on the table and on the child", () => {
    expect(drift(newDump('public.favorites_id_seq'), oldDump('favorites_id_seq'))).toEqual([]);
    // a quoted name too
    expect(drift(newDump('public."Favorites.Seq"'), oldDump('"Favorites.Seq"'))).toEqual([]);
  });

  test('a CREATE TABLE whose default names the sequence unqualified keeps its line (the qualified copy kept text and line)', () => {
    const m = model(`SET search_path = public, pg_catalog;\n\nCREATE TABLE favorites (\n    id integer DEFAULT nextval('favorites_id_seq'::regclass) NOT NULL\n);\n`);
    expect(m.tables.map((t) => [t.name, t.line, t.columns.map((c) => c.line)])).toEqual([['favorites', 3, [3]]]);
    expect(m.tables[0].columns[0].default).toBe("nextval(CAST('public.favorites_id_seq' AS regclass))");
  });

  test('another sequence still differs, on the table and on the child', () => {
    expect(drift(newDump('public.other_seq'), oldDump('favorites_id_seq')).map((item) => `${item.kind} ${item.name} ${item.change}`)).toEqual([
      'column public.favorites.id changed',
      'other public.favorites_0.id added',
      'other public.favorites_0.id removed',
    ]);
    // under SET search_path = app, pg_catalog the same text is app's sequence
    expect(drift(newDump('app.favorites_id_seq'), oldDump('favorites_id_seq')).length).toBeGreaterThan(0);
    expect(drift(newDump('app.favorites_id_seq').replace(/public\./g, 'app.'), oldDump('favorites_id_seq').replace('= public,', '= app,'))).toEqual([]);
  });
});

describe('objects an old pg_dump (before 10.3) printed unqualified under SET search_path = <schema>, pg_catalog', () => {
  // pg_dump 9.6's layout: a `SET search_path = app, pg_catalog;` before each schema's section, then unqualified names
  const oldDump = `SET search_path = app, pg_catalog;
CREATE TYPE mood AS ENUM ('ok', 'sad');
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE accounts (id integer NOT NULL, feeling mood);
COMMENT ON TABLE accounts IS 'the accounts';
CREATE SEQUENCE accounts_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE accounts_id_seq OWNED BY accounts.id;
ALTER TABLE ONLY accounts ALTER COLUMN id SET DEFAULT nextval('accounts_id_seq'::regclass);
CREATE VIEW active AS SELECT accounts.id FROM accounts;
ALTER TABLE ONLY accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);
CREATE INDEX accounts_feeling ON accounts USING btree (feeling);
CREATE TRIGGER touch BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE PROCEDURE touch();
SET search_path = public, pg_catalog;
CREATE TABLE notes (id integer NOT NULL);
`;
  const newDump = (schema: string) => `CREATE SCHEMA ${schema};
CREATE TYPE ${schema}.mood AS ENUM ('ok', 'sad');
CREATE FUNCTION ${schema}.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE ${schema}.accounts (id integer NOT NULL, feeling ${schema}.mood);
COMMENT ON TABLE ${schema}.accounts IS 'the accounts';
CREATE SEQUENCE ${schema}.accounts_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE ${schema}.accounts_id_seq OWNED BY ${schema}.accounts.id;
ALTER TABLE ONLY ${schema}.accounts ALTER COLUMN id SET DEFAULT nextval('${schema}.accounts_id_seq'::regclass);
CREATE VIEW ${schema}.active AS SELECT accounts.id FROM ${schema}.accounts;
ALTER TABLE ONLY ${schema}.accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);
CREATE INDEX accounts_feeling ON ${schema}.accounts USING btree (feeling);
CREATE TRIGGER touch BEFORE UPDATE ON ${schema}.accounts FOR EACH ROW EXECUTE FUNCTION ${schema}.touch();
CREATE TABLE public.notes (id integer NOT NULL);
`;

  test('every object is in the schema the search_path names first, as pg_dump 10.3+ prints it qualified', () => {
    const m = model(oldDump);
    expect(m.tables.map((t) => `${t.schema}.${t.name}`).sort()).toEqual(['app.accounts', 'public.notes']);
    expect(m.views.map((v) => `${v.schema}.${v.name}`)).toEqual(['app.active']);
    expect(m.functions.map((f) => `${f.schema}.${f.name}`)).toEqual(['app.touch']);
    expect(m.types.map((t) => `${t.schema}.${t.name}`)).toEqual(['app.mood']);
    expect(m.sequences.map((s) => `${s.schema}.${s.name}`)).toEqual(['app.accounts_id_seq']);
    // what is left is expression text printed relative to the search_path (a view's `FROM accounts`; a serial's
    // `nextval('accounts_id_seq'::regclass)` is qualified by the search_path's schema): the confirming reload (check,
    // diff) loads the dump under its own SET search_path
    const items = drift(newDump('app'), oldDump).filter((item) => item.kind !== 'schema');
    expect(items.flatMap((item) => (item.details as Array<string | { field: string }>).map((detail) => `${item.name} ${typeof detail === 'string' ? detail : detail.field}`))).toEqual(['app.active query']);
  });

  test('the same objects in another schema are drift, named by schema', () => {
    const names = drift(newDump('billing'), oldDump).filter((item) => item.kind !== 'schema').map((item) => `${item.kind} ${item.name} ${item.change}`);
    expect(names).toContain('table app.accounts removed');
    expect(names).toContain('table billing.accounts added');
  });
});
