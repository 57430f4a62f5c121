import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderProjectDocs } from '../../src/commands/docs.js';
import { resolveProject } from '../../src/config/project.js';
import { diffModels } from '../../src/diff/diff.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { parseExpression, writtenColumnExpressions } from '../../src/model/written-expressions.js';
import { parseDumpStatements } from '../../src/model/parse-dump.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tableCells } from '../fixtures/docs/golden.js';

beforeAll(() => loadSqlParser());

const root = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-docs-default-text-'));
mkdirSync(path.join(root, 'migrations'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// pg_dump 15.20 --schema-only of a table created with these defaults (owners, comments and SETs left out; the
// function's '→' puts multibyte text before the table in the same parsed chunk)
const dump = `\\restrict 93ZwbaCKd8lEroXzMJDwlfGzoUdjcbw6iDv1RgSWfrPQshhjrIn9jSg7RLLWQGp
SELECT pg_catalog.set_config('search_path', '', false);

CREATE TYPE public.mood AS ENUM (
    'happy',
    'sad'
);

CREATE FUNCTION public.pick(a text, b integer) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT a || '→' || b $$;

CREATE TABLE public."café" (
    id integer NOT NULL,
    "naïve ✓" text DEFAULT 'ünïcode, (still) DEFAULT'::text NOT NULL,
    m public.mood DEFAULT 'happy'::public.mood,
    created_at timestamp with time zone DEFAULT now(),
    label text DEFAULT (now())::text,
    nested text DEFAULT public.pick(concat('a', ',', 'b)'), ((1 + 2) * 3)),
    tags text[] DEFAULT '{}'::text[],
    arr integer[] DEFAULT ARRAY[1, '-2'::integer, 3],
    neg integer DEFAULT '-1'::integer,
    negnum numeric(10,2) DEFAULT '-1.5'::numeric,
    sub text DEFAULT 'x'::text COLLATE pg_catalog."C",
    doubled integer GENERATED ALWAYS AS ((neg * 2)) STORED,
    big bigint NOT NULL,
    j jsonb DEFAULT '{"a": [1, 2]}'::jsonb,
    iv interval DEFAULT '1 day'::interval,
    b boolean DEFAULT (1 > 0),
    CONSTRAINT "café_j_check" CHECK ((j IS NOT NULL))
);

ALTER TABLE public."café" ALTER COLUMN big ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public."café_big_seq"
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE SEQUENCE public."café_id_seq"
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public."café_id_seq" OWNED BY public."café".id;

ALTER TABLE ONLY public."café" ALTER COLUMN id SET DEFAULT nextval('public."café_id_seq"'::regclass);

ALTER TABLE ONLY public."café"
    ADD CONSTRAINT "café_pkey" PRIMARY KEY (id);

\\unrestrict 93ZwbaCKd8lEroXzMJDwlfGzoUdjcbw6iDv1RgSWfrPQshhjrIn9jSg7RLLWQGp
`;

async function defaultsOf(text: string, page: string): Promise<Record<string, string>> {
  const { files } = await renderProjectDocs(resolveProject({ cwd: root }), { dump: text, file: 'schema.sql', label: 'schema.sql' });
  const markdown = files.get(page);
  if (!markdown) throw new Error(`no page ${page}: ${[...files.keys()].join(', ')}`);
  const rows = markdown.split('## Columns')[1].split('\n## ')[0].split('\n').filter((line) => line.startsWith('| ')).slice(2);
  return Object.fromEntries(rows.map((row) => tableCells(row)).map((cells) => [cells[0].trim().replace(/ \(PK\)$/, ''), cells[3].trim()]));
}

describe('docs show a column default as pg_dump wrote it', () => {
  test('casts, nested calls with commas and parentheses, strings holding them and DEFAULT, arrays, negative numbers, nextval, generated, multibyte names', async () => {
    expect(await defaultsOf(dump, 'tables/public.caf_.md')).toEqual({
      id: "`nextval('public.\"café_id_seq\"'::regclass)`",
      'naïve ✓': "`'ünïcode, (still) DEFAULT'::text`",
      m: "`'happy'::public.mood`",
      created_at: '`now()`',
      label: '`(now())::text`',
      nested: "`public.pick(concat('a', ',', 'b)'), ((1 + 2) * 3))`",
      tags: "`'{}'::text[]`",
      arr: "`ARRAY[1, '-2'::integer, 3]`",
      neg: "`'-1'::integer`",
      negnum: "`'-1.5'::numeric`",
      sub: "`'x'::text`",
      doubled: 'generated `(neg * 2)`',
      big: 'identity (always)',
      j: '`\'{"a": [1, 2]}\'::jsonb`',
      iv: "`'1 day'::interval`",
      b: '`(1 > 0)`',
    });
  });

  test('drift still compares the normalised default: the dump and a deparser-spelled copy of it do not differ', () => {
    const written = buildSchemaModel(dump, 'schema.sql', { writtenExpressions: true });
    const column = (name: string) => written.tables[0].columns.find((c) => c.name === name)!;
    expect(column('m')).toMatchObject({ default: "CAST('happy' AS public.mood)", defaultText: "'happy'::public.mood" });
    expect(column('doubled')).toMatchObject({ generated: 'neg * 2', generatedText: '(neg * 2)' });
    const respelled = dump.replace("DEFAULT 'happy'::public.mood", "DEFAULT CAST('happy' AS public.mood)");
    expect(diffModels(written, buildSchemaModel(respelled, 'other.sql', { writtenExpressions: true }))).toEqual([]);
    // the text is docs-only: a plain build (check's) has none
    expect(buildSchemaModel(dump, 'schema.sql').tables[0].columns.some((c) => 'defaultText' in c || 'generatedText' in c)).toBe(false);
  });

  test("a domain's default, on its type page too (pg_dump 15.20: NOT NULL before DEFAULT, a COLLATE, a CONSTRAINT on the next line)", async () => {
    const domains = `CREATE TYPE public.mood AS ENUM (
    'happy',
    'sad'
);

CREATE DOMAIN public.d_arr AS integer[] NOT NULL DEFAULT '{}'::integer[]
	CONSTRAINT d_arr_check CHECK ((cardinality(VALUE) < 5));

CREATE DOMAIN public.d_mood AS public.mood NOT NULL DEFAULT 'happy'::public.mood;

CREATE DOMAIN public.d_plain AS integer DEFAULT 7;

CREATE DOMAIN public.d_text AS text COLLATE pg_catalog."C" DEFAULT 'a, (b)'::text
	CONSTRAINT d_text_len CHECK ((length(VALUE) < 10));
`;
    const model = buildSchemaModel(domains, 'schema.sql', { writtenExpressions: true });
    const shown = Object.fromEntries(model.types.flatMap((type) => (type.type === 'domain' ? [[type.name, type.defaultText ?? type.default]] : [])));
    expect(shown).toEqual({ d_arr: "'{}'::integer[]", d_mood: "'happy'::public.mood", d_plain: '7', d_text: "'a, (b)'::text" });
    // compared as before: the canonical default, and no text in a plain build
    expect(model.types.find((type) => type.name === 'd_mood')).toMatchObject({ default: "CAST('happy' AS public.mood)" });
    expect(buildSchemaModel(domains, 'schema.sql').types.some((type) => 'defaultText' in type)).toBe(false);
    const { files } = await renderProjectDocs(resolveProject({ cwd: root }), { dump: domains, file: 'schema.sql', label: 'schema.sql' });
    const pages = [...files.values()].join('\n');
    expect(pages).toContain("DEFAULT 'happy'::public.mood");
    expect(pages).not.toContain('CAST(');
  });

  test('ALTER TABLE: several commands in one statement, ADD COLUMN, a later SET DEFAULT or DROP DEFAULT replacing the first', async () => {
    const text = `CREATE TABLE public.t (
    a integer DEFAULT 1,
    b text DEFAULT 'first'::text,
    c text DEFAULT 'dropped'::text
);

ALTER TABLE ONLY public.t ALTER COLUMN a SET DEFAULT public.f(1, 2), ALTER COLUMN b SET DEFAULT 'later, (b)'::text, ADD COLUMN d integer DEFAULT '-7'::integer NOT NULL, ALTER COLUMN c DROP DEFAULT;
`;
    expect(await defaultsOf(text, 'tables/public.t.md')).toEqual({ a: '`public.f(1, 2)`', b: "`'later, (b)'::text`", c: '', d: "`'-7'::integer`" });
  });

  test("an old pg_dump's unqualified sequence (under SET search_path) shows as written, though the model qualifies it", async () => {
    const text = `SET search_path = public, pg_catalog;

CREATE TABLE favorites (
    id integer NOT NULL
);

CREATE SEQUENCE favorites_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;

ALTER TABLE ONLY favorites ALTER COLUMN id SET DEFAULT nextval('favorites_id_seq'::regclass);
`;
    expect(await defaultsOf(text, 'tables/public.favorites.md')).toEqual({ id: "`nextval('favorites_id_seq'::regclass)`" });
  });
});

describe('a written text is kept only when it parses back to the expression', () => {
  test('parseExpression refuses a slice that ran too far or is not one expression', () => {
    expect(parseExpression("'a'::text", 'x.sql')).toBeDefined();
    for (const wrong of ["'a'::text, 2", '1 FROM t', '1 UNION SELECT 2', '1 AS x', "'a'::text NOT NULL", '(1', '']) {
      expect(parseExpression(wrong, 'x.sql'), wrong).toBeUndefined();
    }
  });

  test('the slices of one statement', () => {
    const [statement] = parseDumpStatements(`CREATE TABLE t (a int DEFAULT 1 CONSTRAINT a_pos CHECK (a > 0), b int DEFAULT (2) NOT NULL)`, 'x.sql');
    expect(writtenColumnExpressions(statement, 'x.sql')).toEqual([
      { column: 'a', kind: 'default', text: '1' },
      { column: 'b', kind: 'default', text: '(2)' },
    ]);
  });
});

// pg_dump 15 --schema-only of views made with a cast, options, a check option, a literal over two lines, a
// materialized view and a view column default (owners, comments and SETs left out)
const viewsDump = `CREATE SCHEMA billing;

CREATE TYPE billing.invoice_state AS ENUM (
    'draft',
    'sent'
);

CREATE TABLE billing.invoices (
    id integer NOT NULL,
    state billing.invoice_state NOT NULL,
    total numeric,
    note text
);

CREATE VIEW billing.drafts WITH (security_barrier='true') AS
 SELECT invoices.id,
    invoices.total
   FROM billing.invoices
  WHERE (invoices.state = 'draft'::billing.invoice_state)
  WITH LOCAL CHECK OPTION;

CREATE VIEW billing.notes AS
 SELECT invoices.id,
    'line one
   line two'::text AS banner
   FROM billing.invoices;

CREATE MATERIALIZED VIEW billing.totals AS
 SELECT invoices.state,
    sum(invoices.total) AS total
   FROM billing.invoices
  GROUP BY invoices.state
  WITH NO DATA;

ALTER TABLE ONLY billing.drafts ALTER COLUMN total SET DEFAULT (0)::numeric;
`;

describe('docs show a view as pg_dump wrote it', () => {
  test("the query in pg_get_viewdef's spelling and layout (less its shared indent), without CHECK OPTION or WITH NO DATA", async () => {
    const { files } = await renderProjectDocs(resolveProject({ cwd: root }), { dump: viewsDump, file: 'schema.sql', label: 'schema.sql' });
    const query = (page: string) => files.get(page)!.split('## Query\n\n')[1].split('\n\n')[0].trimEnd();
    expect(query('views/billing.drafts.md')).toBe(
      "```sql\nSELECT invoices.id,\n   invoices.total\n  FROM billing.invoices\n WHERE (invoices.state = 'draft'::billing.invoice_state)\n```",
    );
    expect(query('views/billing.totals.md')).toBe('```sql\nSELECT invoices.state,\n   sum(invoices.total) AS total\n  FROM billing.invoices\n GROUP BY invoices.state\n```');
    // the literal's second line is inside a token: it keeps its three blanks, the lines around it lose one
    expect(query('views/billing.notes.md')).toBe("```sql\nSELECT invoices.id,\n   'line one\n   line two'::text AS banner\n  FROM billing.invoices\n```");
    expect([...files.values()].join('\n')).not.toContain('CAST(');
  });

  test("a view column's default is shown in its Columns table; a view without one keeps the three-column table", async () => {
    const { files } = await renderProjectDocs(resolveProject({ cwd: root }), { dump: viewsDump, file: 'schema.sql', label: 'schema.sql' });
    const drafts = files.get('views/billing.drafts.md')!;
    expect(drafts).toContain('| Column | Type | Default | Comment |');
    expect(drafts).toMatch(/\| total \| `numeric` \| `\(0\)::numeric` \| +\|/);
    expect(files.get('views/billing.notes.md')).toContain('| Column | Type | Comment |');
  });

  test('the texts are docs-only: compared as before, and a plain build has none', () => {
    const written = buildSchemaModel(viewsDump, 'schema.sql', { writtenExpressions: true });
    expect(written.views.find((v) => v.name === 'drafts')).toMatchObject({ columnDefaults: { total: '(0)::numeric' } });
    const respelled = viewsDump.replace("(invoices.state = 'draft'::billing.invoice_state)", "(invoices.state = CAST('draft' AS billing.invoice_state))");
    expect(diffModels(written, buildSchemaModel(respelled, 'other.sql', { writtenExpressions: true }))).toEqual([]);
    const plain = buildSchemaModel(viewsDump, 'schema.sql');
    expect([...plain.views, ...plain.materializedViews].some((v) => 'queryText' in v || 'columnDefaults' in v)).toBe(false);
  });
});
