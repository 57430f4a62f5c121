import { PGlite } from '@electric-sql/pglite';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import { beforeAll, expect, test } from 'vitest';
import { attribute, buildObjectHistory } from '../../src/diff/attribution.js';
import { diffModels } from '../../src/diff/diff.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { loadSqlParser } from '../../src/sql/parse.js';

beforeAll(loadSqlParser);

async function dumpOf(sql: string): Promise<string> {
  const db = await PGlite.create();
  try {
    await db.exec(sql);
    return await (await pgDump({ pg: db, args: ['--schema-only'] })).text();
  } finally {
    await db.close();
  }
}

const migration = `CREATE TABLE orders (
  id bigint PRIMARY KEY,
  amount numeric NOT NULL,
  status text,
  CHECK (amount > 0),
  note text CHECK (length(note) < length(status))
);
CREATE INDEX ON orders (lower(status));
`;
const snapshot = `CREATE TABLE orders (
  id bigint PRIMARY KEY,
  amount integer NOT NULL,
  status text,
  CHECK (amount >= 0),
  note text CHECK (length(note) <= length(status))
);
CREATE INDEX ON orders (upper(status));
`;

// Issue 9 item 8: drift about a column or constraint created with its table pointed at the CREATE TABLE line.
// The unnamed CHECKs and the expression index got names Postgres does not give (orders_check, orders_note_check,
// orders_expr_idx), so attribution fell back to the table.
test('column and constraint drift points at their own lines inside CREATE TABLE', async () => {
  const [ours, theirs] = await Promise.all([dumpOf(migration), dumpOf(snapshot)]);
  const items = attribute(diffModels(buildSchemaModel(ours, 'replay'), buildSchemaModel(theirs, 'snapshot.sql')), buildObjectHistory([{ file: 'migrations/001_orders.sql', text: migration }]));
  const where = Object.fromEntries(items.map((i) => [`${i.kind} ${i.name} ${i.change}`, `${i.source.migration?.line}:${i.source.migration?.column}`]));
  expect(where).toEqual({
    'column public.orders.amount changed': '3:3',
    'constraint public.orders.orders_amount_check changed': '5:3',
    'constraint public.orders.orders_check changed': '6:13',
    'index public.orders.orders_lower_idx added': '8:1',
    'index public.orders.orders_upper_idx removed': '1:1',
  });
});
