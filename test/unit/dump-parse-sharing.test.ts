import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSchemaModel } from '../../src/model/build.js';
import { loadSqlParser } from '../../src/sql/parse.js';

/**
 * parse-dump.ts shares the parse of a chunk between dumps of the same text (the two sides of a comparison). These
 * tests hold it to what that needs: every consumer reads the shared ASTs without writing to them (they are frozen
 * here, so a write throws in these strict-mode modules), and a chunk reused at another place in another file gets
 * that file's lines and texts.
 */
const big = 'generated: rich.pg18.sql + 400 tables (parsed in several chunks)';
const dumps = ['test/fixtures/dumps/rich.pg15.sql', 'test/golden/majors/sample-pg18.sql', big];

/** A dump big enough to be parsed in many chunks, each table under pg_dump's `-- Name:` header. */
function readDump(file: string): string {
  if (file !== big) return readFileSync(file, 'utf8');
  let text = readFileSync('test/fixtures/dumps/rich.pg18.sql', 'utf8');
  for (let i = 0; i < 400; i++) {
    text += `\n--\n-- Name: gen_${i}; Type: TABLE; Schema: public; Owner: -\n--\n\nCREATE TABLE public.gen_${i} (\n    id bigint NOT NULL,\n    note text DEFAULT 'n${i}'::text,\n    CONSTRAINT gen_${i}_note_check CHECK ((length(note) > ${i}))\n);\n`;
  }
  return text;
}

beforeAll(async () => {
  process.env.PGDRIFT_DEBUG_FREEZE_AST = '1';
  await loadSqlParser();
});
afterAll(() => {
  delete process.env.PGDRIFT_DEBUG_FREEZE_AST;
});

describe('a dump parsed twice shares its chunks', () => {
  test.each(dumps)('%s: the model built from the shared (frozen) parse equals the first, privileges included', (file) => {
    const text = readDump(file);
    const first = buildSchemaModel(text, file, { includePrivileges: true });
    const second = buildSchemaModel(text, file, { includePrivileges: true });
    expect(first.tables.length).toBeGreaterThan(file === big ? 400 : 0);
    expect(second).toEqual(first);
  });

  test.each(dumps)('%s: shifted by 40 lines, each object is 40 lines further down (no offset of the other file leaks in)', (file) => {
    const text = readDump(file);
    const original = buildSchemaModel(text, file);
    const shifted = buildSchemaModel('--\n'.repeat(40) + text, file);
    const lines = (model: typeof original) => [...model.tables, ...model.views, ...model.functions].map((object) => `${object.name}:${object.line}`);
    expect(lines(shifted)).toEqual(lines(original).map((entry) => entry.replace(/:(\d+)$/, (_, line) => `:${Number(line) + 40}`)));
    expect(shifted.others.map((other) => other.text)).toEqual(original.others.map((other) => other.text));
  });
});
