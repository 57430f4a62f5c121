import { expect, test } from 'vitest';
import { loadSqlParser } from '../../src/sql/parse.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { diffModels } from '../../src/diff/diff.js';

/** A pg_dump-style text of `count` tables, each with columns, a primary key, a CHECK, an FK, an index and comments. */
function syntheticDump(count: number): string {
  const parts: string[] = ["SET statement_timeout = 0;\nSELECT pg_catalog.set_config('search_path', '', false);\n"];
  for (let i = 0; i < count; i++) {
    parts.push(`--
-- Name: t${i}; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.t${i} (
    id bigint NOT NULL,
    parent_id bigint,
    name character varying(255) NOT NULL,
    status character varying(20) DEFAULT 'active'::character varying NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    payload jsonb,
    CONSTRAINT t${i}_status_check CHECK (((status)::text = ANY ((ARRAY['active'::character varying, 'disabled'::character varying])::text[])))
);

ALTER TABLE public.t${i} OWNER TO postgres;
COMMENT ON TABLE public.t${i} IS 'table ${i}';
COMMENT ON COLUMN public.t${i}.name IS 'the name';
`);
  }
  for (let i = 0; i < count; i++) {
    parts.push(`ALTER TABLE ONLY public.t${i}\n    ADD CONSTRAINT t${i}_pkey PRIMARY KEY (id);\n`);
    parts.push(`CREATE INDEX t${i}_active_idx ON public.t${i} USING btree (created_at) WHERE ((status)::text = 'active'::text);\n`);
  }
  for (let i = 1; i < count; i++) {
    parts.push(`ALTER TABLE ONLY public.t${i}\n    ADD CONSTRAINT t${i}_parent_fkey FOREIGN KEY (parent_id) REFERENCES public.t${i - 1}(id) ON DELETE CASCADE;\n`);
  }
  return parts.join('\n');
}

// Speed is the benchmark's job (bench/run.mjs, stage parse-diff): this test only checks what the large dump yields.
test('a 1,000-table dump is modeled completely and diffed against itself and against a one-comment change', async () => {
  await loadSqlParser();
  const snapshot = syntheticDump(1000);
  const migrations = snapshot.replace("COMMENT ON TABLE public.t500 IS 'table 500';", "COMMENT ON TABLE public.t500 IS 'changed';");
  const a = buildSchemaModel(migrations, 'migrations.sql');
  const b = buildSchemaModel(snapshot, 'snapshot.sql');
  for (const model of [a, b]) {
    expect(model.tables).toHaveLength(1000);
    expect(model.tables.reduce((n, t) => n + t.columns.length, 0)).toBe(6000);
    expect(model.tables.reduce((n, t) => n + t.constraints.length, 0)).toBe(2999);
    expect(model.tables.reduce((n, t) => n + t.indexes.length, 0)).toBe(1000);
    expect(model.tables.filter((t) => t.comment !== null)).toHaveLength(1000);
    expect(model.others).toEqual([]);
  }
  expect(diffModels(b, b)).toEqual([]);
  expect(diffModels(b, buildSchemaModel(snapshot, 'again.sql'))).toEqual([]);
  expect(diffModels(a, b)).toMatchObject([{ kind: 'comment', name: 'public.t500', change: 'changed', details: [{ field: 'comment', from: 'table 500', to: 'changed' }] }]);
});

test('one changed column among 1,000 unchanged tables is reported', async () => {
  await loadSqlParser();
  const snapshot = syntheticDump(1000);
  const migrations = snapshot.replace(
    'CREATE TABLE public.t999 (\n    id bigint NOT NULL,\n    parent_id bigint,',
    'CREATE TABLE public.t999 (\n    id bigint NOT NULL,\n    parent_id integer,',
  );
  expect(migrations).not.toBe(snapshot);
  const items = diffModels(buildSchemaModel(migrations, 'migrations.sql'), buildSchemaModel(snapshot, 'snapshot.sql'));
  expect(items).toMatchObject([{ kind: 'column', name: 'public.t999.parent_id', change: 'changed', details: [{ field: 'type', from: 'bigint', to: 'integer' }] }]);
});

test('parts whose keys collide (a dot inside a name) are still compared one by one', async () => {
  await loadSqlParser();
  const dump = (type: string) => `
CREATE TABLE public.a (
    "b.c" integer
);
CREATE TABLE public."a.b" (
    c ${type}
);
${Array.from({ length: 20 }, (_, i) => `CREATE TABLE public.t${i} (\n    id bigint NOT NULL\n);`).join('\n')}
`;
  const same = diffModels(buildSchemaModel(dump('integer'), 'a.sql'), buildSchemaModel(dump('integer'), 'b.sql'));
  expect(same).toEqual([]);
  const changed = diffModels(buildSchemaModel(dump('bigint'), 'a.sql'), buildSchemaModel(dump('integer'), 'b.sql'));
  expect(changed).toMatchObject([{ kind: 'column', name: 'public.a.b.c', change: 'changed', details: [{ field: 'type', from: 'integer', to: 'bigint' }] }]);
});
