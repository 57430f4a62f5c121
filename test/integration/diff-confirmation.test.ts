import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { splitByReprinting } from '../../src/diff/confirmation.js';
import { diffModels } from '../../src/diff/diff.js';
import { openEngine, type Engine } from '../../src/engine/index.js';
import { canonicalizeThroughEngine } from '../../src/engine/reload.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { compareDumps } from '../../src/pipeline/compare.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { cases } from '../fixtures/mutations.js';
import { leftovers, SERVER_URL, serverDescribe } from '../helpers/postgres.js';

/**
 * Issue 13, "confirm only what needs confirming": structural differences are reported without a reload, only
 * expression-text ones go through it. Proved two ways:
 * 1. the same schema printed several ways (pg_dump 15 and 18, before and after a reload, through either engine)
 *    gives differences, if any, that are all expression text: re-printing never yields a structural difference;
 * 2. on every single-object mutation of the rich schema (the fidelity corpus of diff-mutations), the result is
 *    exactly what confirming every difference through the reload gives, and the reload runs only for the
 *    mutations that change expression text.
 */
const richSchema = readFileSync(new URL('../fixtures/dumps/rich-schema.sql', import.meta.url), 'utf8');
const reprintSchema = readFileSync(new URL('../fixtures/dumps/reprint-schema.sql', import.meta.url), 'utf8');
const fixture = (name: string) => readFileSync(new URL(`../fixtures/dumps/${name}`, import.meta.url), 'utf8');
const server = { engine: 'server' as const, databaseUrl: SERVER_URL };

let db: PGlite;
let baseline: string;

async function resetRichSchema(): Promise<void> {
  await db.exec(`
    SET search_path TO public;
    DROP SCHEMA IF EXISTS app CASCADE;
    DROP SCHEMA IF EXISTS reporting CASCADE;
    DROP SCHEMA public CASCADE;
    CREATE SCHEMA public;
  `);
  await db.exec(richSchema);
}

async function dumpText(): Promise<string> {
  const text = await (await pgDump({ pg: db, args: ['--schema-only'] })).text();
  await db.exec('ROLLBACK; SET search_path TO public');
  return text;
}

beforeAll(async () => {
  await loadSqlParser();
  db = await PGlite.create({ extensions: { citext } });
  await resetRichSchema();
  baseline = await dumpText();
});

afterAll(async () => {
  await db?.close();
  expect(await leftovers()).toEqual([]);
});

async function withEngineDo<T>(options: Parameters<typeof openEngine>[0], fn: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await openEngine(options);
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

/** Differences between every pair of printings that the split calls structural (there must be none). */
function structuralBetween(printings: Record<string, string>): { structural: string[]; pairs: number } {
  const names = Object.keys(printings);
  const structural: string[] = [];
  let pairs = 0;
  for (const a of names) {
    for (const b of names) {
      if (a >= b) continue;
      pairs++;
      const ours = buildSchemaModel(printings[a], a);
      const theirs = buildSchemaModel(printings[b], b);
      const split = splitByReprinting(diffModels(ours, theirs), ours, theirs);
      for (const item of split.structural) structural.push(`${a} vs ${b}: ${item.kind} ${item.name} ${JSON.stringify(item.details)}`);
    }
  }
  return { structural, pairs };
}

serverDescribe('re-printing the same schema never yields a structural difference', () => {
  test('the rich schema: pg_dump 15 and 18, before and after a reload through either engine', async () => {
    const printings: Record<string, string> = {
      'PGlite 18 dump': baseline,
      'pg_dump 15 fixture': fixture('rich.pg15.sql'),
      'pg_dump 18 fixture': fixture('rich.pg18.sql'),
      'pg_dump 15 fixture reloaded': fixture('rich.pg15.reloaded.sql'),
      'pg_dump 18 fixture reloaded': fixture('rich.pg18.reloaded.sql'),
    };
    printings['Postgres 15 server dump'] = await withEngineDo(server, async (e) => {
      await e.exec(richSchema);
      return e.dump();
    });
    printings['PGlite dump reloaded into Postgres 15'] = await withEngineDo(server, (e) => canonicalizeThroughEngine(baseline, e));
    printings['Postgres 15 dump reloaded into PGlite'] = await withEngineDo({ engine: 'pglite', extensions: ['citext'] }, (e) =>
      canonicalizeThroughEngine(printings['Postgres 15 server dump'], e),
    );
    const { structural, pairs } = structuralBetween(printings);
    expect(pairs).toBe(28);
    expect(structural).toEqual([]);
  });

  test('expressions Postgres re-prints (casts, BETWEEN, LIKE, IN lists, EXTRACT, SQL-standard bodies...), printed five ways', async () => {
    const printings: Record<string, string> = {};
    printings['Postgres 15'] = await withEngineDo(server, async (e) => {
      await e.exec(reprintSchema);
      return e.dump();
    });
    printings['PGlite 18'] = await withEngineDo({ engine: 'pglite' }, async (e) => {
      await e.exec(reprintSchema);
      return e.dump();
    });
    printings['Postgres 15 reloaded into PGlite'] = await withEngineDo({ engine: 'pglite' }, (e) => canonicalizeThroughEngine(printings['Postgres 15'], e));
    printings['PGlite 18 reloaded into Postgres 15'] = await withEngineDo(server, (e) => canonicalizeThroughEngine(printings['PGlite 18'], e));
    printings['Postgres 15 reloaded into Postgres 15'] = await withEngineDo(server, (e) => canonicalizeThroughEngine(printings['Postgres 15'], e));
    expect(printings['PGlite 18']).toContain('CREATE VIEW public.v2');
    const { structural, pairs } = structuralBetween(printings);
    expect(pairs).toBe(10);
    expect(structural).toEqual([]);
  });
});

/** The mutations whose one difference is in expression text: only these need the reload. */
const EXPRESSION_TEXT = new Set([
  'change a default',
  'drop a default',
  'change a generated expression',
  'change index expression',
  'change an index predicate',
  'change a CHECK',
  'change a CHECK on varchar (IN list)',
  'change a function body',
  'change a procedure body',
  'change a view query',
  'change a trigger timing',
  'change a domain default',
  'change a policy',
  // statements kept as text are compared by their text
  "set a column's statistics target",
  'add a rule',
]);

serverDescribe('confirmed results are unchanged on every mutation of the fidelity corpus (server engine)', () => {
  test.each(cases)('%s', async (title, sql) => {
    await resetRichSchema();
    await db.exec(sql);
    const mutated = await dumpText();
    const ours = { text: mutated, label: 'migrations.sql' };
    const theirs = { text: baseline, label: 'snapshot.sql' };
    const everything = await compareDumps(ours, theirs, { engine: server, confirm: 'all' });
    const split = await compareDumps(ours, theirs, { engine: server });
    expect(split.drift).toEqual(everything.drift);
    expect(everything.method).toBe('canonicalized');
    expect(split.method).toBe(EXPRESSION_TEXT.has(title) ? 'canonicalized' : 'direct');
  });

  test('the expression-text list names real cases', () => {
    const titles = new Set(cases.map(([title]) => title));
    expect([...EXPRESSION_TEXT].filter((title) => !titles.has(title))).toEqual([]);
  });
});

describe('the same on PGlite, for a structural and an expression-text mutation', () => {
  test.each(cases.filter(([title]) => ['change a column type', 'change a view query'].includes(title)))('%s', async (title, sql) => {
    await resetRichSchema();
    await db.exec(sql);
    const ours = { text: await dumpText(), label: 'migrations.sql' };
    const theirs = { text: baseline, label: 'snapshot.sql' };
    const pglite = { engine: 'pglite' as const, extensions: ['citext'] };
    const everything = await compareDumps(ours, theirs, { engine: pglite, confirm: 'all' });
    const split = await compareDumps(ours, theirs, { engine: pglite });
    expect(split.drift).toEqual(everything.drift);
    expect(split.method).toBe(EXPRESSION_TEXT.has(title) ? 'canonicalized' : 'direct');
  });
});

describe('an operator class pg_dump before 10.3 printed unqualified (field: danbooru db/structure.sql 2017)', () => {
  const table = 'CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;\nCREATE TABLE public.tags (name character varying NOT NULL);\n';
  const oldDump = (opclass: string) => `SET search_path = public, pg_catalog;\n${table}CREATE INDEX tags_name_trgm ON tags USING gin (name ${opclass});\n`;
  const newDump = (opclass: string) => `${table}CREATE INDEX tags_name_trgm ON public.tags USING gin (name ${opclass});\n`;
  const pglite = { engine: 'pglite' as const, extensions: ['pg_trgm'] };
  const compare = (ours: string, theirs: string) => compareDumps({ text: ours, label: 'migrations.sql' }, { text: theirs, label: 'structure.sql' }, { engine: pglite });

  test('gin_trgm_ops under SET search_path = public, pg_catalog is public.gin_trgm_ops: confirmed by the reload, no drift', async () => {
    const result = await compare(newDump('public.gin_trgm_ops'), oldDump('gin_trgm_ops'));
    expect(result.drift).toEqual([]);
    expect(result.method).toBe('canonicalized');
  });

  test('another operator class still differs, without a reload', async () => {
    const result = await compare(newDump('public.gin_trgm_ops').replace('USING gin (name public.gin_trgm_ops)', 'USING btree (name varchar_pattern_ops)'), oldDump('gin_trgm_ops').replace('USING gin (name gin_trgm_ops)', 'USING btree (name text_pattern_ops)'));
    expect(result.drift.map((item) => `${item.kind} ${item.name}`)).toEqual(['index public.tags.tags_name_trgm']);
    expect(result.method).toBe('direct');
  });
});

describe('a schema pg_dump before 10.3 printed unqualified under SET search_path = app, pg_catalog', () => {
  const oldDump = (query: string) =>
    `CREATE SCHEMA app;\nSET search_path = app, pg_catalog;\nCREATE TABLE accounts (id integer NOT NULL);\nCREATE SEQUENCE accounts_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;\nALTER SEQUENCE accounts_id_seq OWNED BY accounts.id;\nALTER TABLE ONLY accounts ALTER COLUMN id SET DEFAULT nextval('accounts_id_seq'::regclass);\nCREATE VIEW active AS ${query};\n`;
  const newDump = `CREATE SCHEMA app;\nCREATE TABLE app.accounts (id integer NOT NULL);\nCREATE SEQUENCE app.accounts_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;\nALTER SEQUENCE app.accounts_id_seq OWNED BY app.accounts.id;\nALTER TABLE ONLY app.accounts ALTER COLUMN id SET DEFAULT nextval('app.accounts_id_seq'::regclass);\nCREATE VIEW app.active AS SELECT accounts.id FROM app.accounts;\n`;
  const compare = (ours: string, theirs: string) => compareDumps({ text: ours, label: 'migrations.sql' }, { text: theirs, label: 'structure.sql' }, { engine: { engine: 'pglite' as const } });

  test('the objects are app\'s, and the expression text printed relative to it is confirmed by the reload (which keeps the SET): no drift', async () => {
    const result = await compare(newDump, oldDump('SELECT accounts.id FROM accounts'));
    expect(result.drift).toEqual([]);
    expect(result.method).toBe('canonicalized');
  });

  test('a real difference in the view is still reported, on app.active', async () => {
    const result = await compare(newDump, oldDump('SELECT accounts.id FROM accounts WHERE accounts.id > 1'));
    expect(result.drift.map((item) => `${item.kind} ${item.name} ${item.change}`)).toEqual(['view app.active changed']);
  });
});
