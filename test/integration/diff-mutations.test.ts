import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSqlParser } from '../../src/sql/parse.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { diffModels } from '../../src/diff/diff.js';
import type { SchemaModel } from '../../src/model/types.js';
import { cases } from '../fixtures/mutations.js';

const richSchema = readFileSync(new URL('../fixtures/dumps/rich-schema.sql', import.meta.url), 'utf8');

let db: PGlite;
let baseline: SchemaModel;

/** Drops everything and loads the rich schema again: one PGlite instance serves every mutation. */
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

async function dumpModel(file: string): Promise<SchemaModel> {
  const dump = await (await pgDump({ pg: db, args: ['--schema-only'] })).text();
  // PGlite's pg_dump leaves its read-only transaction open in the shared session.
  await db.exec('ROLLBACK; SET search_path TO public');
  return buildSchemaModel(dump, file);
}

beforeAll(async () => {
  await loadSqlParser();
  db = await PGlite.create({ extensions: { citext } });
  await resetRichSchema();
  baseline = await dumpModel('snapshot.sql');
});

afterAll(async () => {
  await db?.close();
});

describe('each single-object mutation of the rich schema gives exactly one drift item', () => {
  test.each(cases)('%s', async (_title, sql, kind, name, change) => {
    await resetRichSchema();
    await db.exec(sql);
    const migrations = await dumpModel('migrations.sql');
    const items = diffModels(migrations, baseline);
    expect(items.map(({ kind, name, change }) => ({ kind, name, change }))).toEqual([{ kind, name, change }]);
    expect(items[0].details.length).toBeGreaterThan(0);
    if (change !== 'added') expect(items[0].source.snapshot).toMatchObject({ file: 'snapshot.sql' });
  });

  test('the baseline reloaded is unchanged', async () => {
    await resetRichSchema();
    const again = await dumpModel('again.sql');
    expect([again.tables.length > 0, baseline.tables.length > 0]).toEqual([true, true]);
    expect(diffModels(again, baseline)).toEqual([]);
  });

  test(`covers at least 40 mutations (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });
});
