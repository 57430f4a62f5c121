import { PGlite } from '@electric-sql/pglite';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import { beforeAll, expect, test } from 'vitest';
import { loadSqlParser } from '../../src/sql/parse.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { diffModels } from '../../src/diff/diff.js';
import { attribute, buildObjectHistory } from '../../src/diff/attribution.js';

const files = [
  {
    file: 'migrations/001_init.sql',
    text: `CREATE TABLE users (\n  id serial PRIMARY KEY,\n  email text NOT NULL\n);\nCREATE TABLE legacy (id int);\n`,
  },
  {
    file: 'migrations/002_more.sql',
    text: `-- more columns\nALTER TABLE users ADD COLUMN name text;\n\nCREATE INDEX users_email_idx ON users (email);\n`,
  },
  {
    file: 'migrations/003_alter.sql',
    text: `ALTER TABLE users ALTER COLUMN name SET DEFAULT 'x';\nCOMMENT ON TABLE users IS 'people';\n  CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n`,
  },
  { file: 'migrations/004_drop.sql', text: `\n\nDROP TABLE IF EXISTS legacy;\n` },
  { file: 'migrations/005_broken.sql', text: `CREAT TABLE nope (id int);\n` },
];

async function dumpOf(sqlTexts: string[]): Promise<string> {
  const db = await PGlite.create();
  try {
    for (const sql of sqlTexts) await db.exec(sql);
    return await (await pgDump({ pg: db, args: ['--schema-only'] })).text();
  } finally {
    await db.close();
  }
}

beforeAll(loadSqlParser);

/** The drift between the snapshot (pg_dump of `snapshotSql`) and the replay of `history`, attributed to its files. */
async function attributedDrift(history: Array<{ file: string; text: string }>, snapshotSql: string[] = [history[0].text]) {
  const [snapshotDump, replayDump] = await Promise.all([dumpOf(snapshotSql), dumpOf(history.map((f) => f.text))]);
  return attribute(diffModels(buildSchemaModel(replayDump, 'replay'), buildSchemaModel(snapshotDump, 'docs/schema.sql')), buildObjectHistory(history));
}

test('each drift item names the migration file:line that last touched it', async () => {
  const [snapshotDump, replayDump] = await Promise.all([dumpOf([files[0].text]), dumpOf(files.slice(0, 4).map((f) => f.text))]);
  const snapshot = buildSchemaModel(snapshotDump, 'docs/schema.sql');
  const migrations = buildSchemaModel(replayDump, 'replay');
  const history = buildObjectHistory(files);
  expect(history.skipped).toEqual(['migrations/005_broken.sql']);
  const items = attribute(diffModels(migrations, snapshot), history);
  const summary = items.map((i) => [i.kind, i.name, i.change, `${i.source.migration?.file}:${i.source.migration?.line}:${i.source.migration?.column}`]);
  expect(summary).toEqual([
    ['function', 'public.f', 'added', 'migrations/003_alter.sql:3:3'],
    ['table', 'public.legacy', 'removed', 'migrations/004_drop.sql:3:1'],
    ['comment', 'public.users', 'added', 'migrations/003_alter.sql:2:1'],
    ['column', 'public.users.name', 'added', 'migrations/003_alter.sql:1:1'],
    ['index', 'public.users.users_email_idx', 'added', 'migrations/002_more.sql:4:1'],
  ]);
  const removed = items.find((i) => i.change === 'removed')!;
  expect(removed.source.snapshot).toEqual({ file: 'docs/schema.sql', line: expect.any(Number) });
  expect(snapshotDump.split('\n')[removed.source.snapshot!.line - 1]).toMatch(/^CREATE TABLE public\.legacy/);
});

test('a column falls back to its table when no statement names it', () => {
  const history = buildObjectHistory([{ file: 'a.sql', text: 'CREATE TABLE app.t (a int);\nALTER TABLE app.t RENAME TO u;' }]);
  const [item] = attribute(
    [{ kind: 'column', name: 'app.u.b', change: 'added', details: [], source: {} }],
    history,
  );
  expect(item.source.migration).toEqual({ file: 'a.sql', line: 2, column: 1 });
});

// Field sweep (a dbmate history, Axbon/radler): a constraint the snapshot still has under its old name, renamed by a
// later migration, was traced to the table's last ALTER before the rename instead of the RENAME itself.
test('an object the snapshot has under a name a migration renamed points at the RENAME', () => {
  const history = buildObjectHistory([
    { file: '1_t.sql', text: 'CREATE TABLE t (a int CONSTRAINT t_a_check CHECK (a > 0));\nALTER TABLE t ENABLE ROW LEVEL SECURITY;\n' },
    { file: '2_rename.sql', text: '-- tidy names\nALTER TABLE t RENAME CONSTRAINT t_a_check TO t_a_ck;\n' },
  ]);
  const [removed, added] = attribute(
    [
      { kind: 'constraint', name: 'public.t.t_a_check', change: 'removed', details: [], source: {} },
      { kind: 'constraint', name: 'public.t.t_a_ck', change: 'added', details: [], source: {} },
    ],
    history,
  );
  expect(removed.source.migration).toEqual({ file: '2_rename.sql', line: 2, column: 1 });
  expect(added.source.migration).toEqual({ file: '2_rename.sql', line: 2, column: 1 });
});

// Field: cerc-io/ipld-eth-db (goose): a trigger only the snapshot has, on eth.transaction_cids, was traced through its
// table to `COMMENT ON TABLE eth.transaction_cids` of 00011_create_postgraphile_comments.sql, not to the table itself.
test("an object on one side only, traced through its table, points at the table's last change, not its comment", () => {
  const history = buildObjectHistory([
    { file: '1_t.sql', text: 'CREATE TABLE eth.t (a int);\nALTER TABLE eth.t SET (fillfactor = 70);\n' },
    { file: '2_comments.sql', text: "COMMENT ON TABLE eth.t IS 'x';\n" },
  ]);
  const [trigger, comment] = attribute(
    [
      { kind: 'trigger', name: 'eth.t.ts_insert_blocker', change: 'removed', details: [], source: {} },
      { kind: 'comment', name: 'eth.t', change: 'changed', details: [], source: {} },
    ],
    history,
  );
  expect(trigger.source.migration).toEqual({ file: '1_t.sql', line: 2, column: 1 });
  // the comment itself is still traced to the COMMENT ON
  expect(comment.source.migration).toEqual({ file: '2_comments.sql', line: 1, column: 1 });
});

// Field report (UPchieve/subway, check --keep-going): a file that failed and was rolled back was named as the source
// of a default it never set, through the comment it would have changed. Only statements that took effect count.
test('check --keep-going: a rolled-back file is never the source; the statement that really set the value is', async () => {
  const { tempProject } = await import('../helpers/project.js');
  const { check } = await import('../../src/commands/check.js');
  const { dump } = await import('../../src/commands/dump.js');
  const p = tempProject({
    'migrations/001_t.sql': 'CREATE TABLE t (id int PRIMARY KEY);\nALTER TABLE t ADD COLUMN shown boolean DEFAULT false;\n',
    'migrations/002_comments.sql': "COMMENT ON COLUMN t.shown IS 'shown to the user';\nSELECT no_such_function();\n",
    'old/001_t.sql': "CREATE TABLE t (id int PRIMARY KEY, shown boolean);\nCOMMENT ON COLUMN t.shown IS 'shown to the user';\n",
  });
  try {
    p.write('docs/architecture/schema-actual-2026-01-01.sql', (await dump({ cwd: p.root, migrations: 'old', engine: 'pglite', noCache: true })).sql);
    const result = await check({ cwd: p.root, migrations: 'migrations', engine: 'pglite', keepGoing: true, lint: false, noCache: true });
    expect(result.migrationFailures.map((f) => f.file)).toEqual(['migrations/002_comments.sql']);
    const shown = result.drift.find((d) => d.name === 'public.t.shown');
    expect(shown?.source.migration).toEqual({ file: 'migrations/001_t.sql', line: 2, column: 26 });
  } finally {
    p.cleanup();
  }
}, 120_000);

test("a column's statistics target or storage (kept as statement text) is traced to the statement that set it, not the table's last change", async () => {
  // field (mutation run): SET STATISTICS in a later file was attributed to an earlier REPLICA IDENTITY of the table
  const history = [
    { file: 'migrations/001.sql', text: 'CREATE TABLE t (a text, b int);\nALTER TABLE t ALTER COLUMN a SET STATISTICS 500;\nALTER TABLE t REPLICA IDENTITY FULL;\n' },
    { file: 'migrations/002.sql', text: '-- tune\nALTER TABLE t ALTER COLUMN a SET STATISTICS 100, ALTER COLUMN a SET STORAGE MAIN;\n' },
  ];
  const items = await attributedDrift(history);
  expect(items.length).toBeGreaterThan(0);
  expect(items.map((i) => [i.name, `${i.source.migration?.file}:${i.source.migration?.line}`])).toEqual(items.map(() => ['public.t.a', 'migrations/002.sql:2']));
});

test('a field set by CREATE TABLE is traced to it, not to a later ALTER TABLE of something else', async () => {
  // WITH (fillfactor) drift pointed at the table's last REPLICA IDENTITY / RLS statement
  const history = [
    { file: 'migrations/001.sql', text: 'CREATE TABLE t (a int) WITH (fillfactor = 70);\n' },
    { file: 'migrations/002.sql', text: 'ALTER TABLE t REPLICA IDENTITY FULL;\n' },
  ];
  const items = await attributedDrift(history, ['CREATE TABLE t (a int) WITH (fillfactor = 80);\nALTER TABLE t REPLICA IDENTITY FULL;\n']);
  expect(items.map((i) => [i.kind, i.name, `${i.source.migration?.file}:${i.source.migration?.line}`])).toEqual([['table', 'public.t', 'migrations/001.sql:1']]);
});

test("a view's options and a view column's default are traced to the ALTER VIEW that set them", async () => {
  const history = [
    { file: 'migrations/001.sql', text: 'CREATE TABLE t (a int, b text);\nCREATE VIEW v WITH (security_barrier = true) AS SELECT a, b FROM t;\n' },
    { file: 'migrations/002.sql', text: "ALTER VIEW v SET (security_barrier = false);\nALTER VIEW v ALTER COLUMN b SET DEFAULT 'x';\n" },
  ];
  const items = await attributedDrift(history);
  expect(items.map((i) => [i.kind, i.name, `${i.source.migration?.file}:${i.source.migration?.line}`])).toEqual([
    ['view', 'public.v', 'migrations/002.sql:1'],
    ['other', 'public.v.b', 'migrations/002.sql:2'],
  ]);
});

test('a partition bound changed by DETACH / ATTACH and a rule replaced later are traced to the statements that did it', async () => {
  const history = [
    {
      file: 'migrations/001.sql',
      text: "CREATE TABLE m (at date) PARTITION BY RANGE (at);\nCREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\nCREATE TABLE l (id int);\nCREATE RULE r AS ON DELETE TO l DO INSTEAD NOTHING;\n",
    },
    {
      file: 'migrations/002.sql',
      text: "ALTER TABLE m DETACH PARTITION m_2024;\nALTER TABLE m ATTACH PARTITION m_2024 FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');\nDROP RULE r ON l;\n",
    },
  ];
  const items = await attributedDrift(history);
  expect(items.map((i) => [i.kind, i.name, i.change, `${i.source.migration?.file}:${i.source.migration?.line}`])).toEqual([
    ['other', 'public.l', 'removed', 'migrations/002.sql:3'],
    ['table', 'public.m_2024', 'changed', 'migrations/002.sql:2'],
  ]);
});

test("a table added to a publication is traced to the ALTER PUBLICATION, not the table's last change", async () => {
  // Supabase projects add their tables to supabase_realtime in migrations
  const history = [
    { file: 'migrations/001.sql', text: 'CREATE PUBLICATION pub;\nCREATE TABLE messages (id int);\nALTER TABLE messages REPLICA IDENTITY FULL;\n' },
    { file: 'migrations/002.sql', text: '-- realtime\nALTER PUBLICATION pub ADD TABLE messages;\n' },
  ];
  const items = await attributedDrift(history);
  expect(items.map((i) => [i.kind, i.name, i.change, `${i.source.migration?.file}:${i.source.migration?.line}`])).toEqual([['other', 'public.messages', 'added', 'migrations/002.sql:2']]);
});

test('a column of a table dropped and created again without it: the DROP TABLE, not the first CREATE TABLE', async () => {
  // field: sizzle-squad/base-hunt drops badge_configuration in one Supabase migration and creates it again, with 3 of
  // its 14 columns, in the next; the 11 columns only the snapshot has pointed at the first CREATE TABLE's column lines
  const history = [
    { file: 'migrations/001_init.sql', text: 'CREATE TABLE badges (\n  id int PRIMARY KEY,\n  artist text,\n  minter text NOT NULL\n);\nCREATE INDEX badges_minter_idx ON badges (minter);\n' },
    { file: 'migrations/002_drop.sql', text: '-- start over\nDROP TABLE badges;\n' },
    { file: 'migrations/003_again.sql', text: 'CREATE TABLE badges (\n  id int PRIMARY KEY\n);\n' },
  ];
  const items = await attributedDrift(history);
  const summary = items.map((i) => [i.kind, i.name, i.change, `${i.source.migration?.file}:${i.source.migration?.line}`]);
  expect(summary).toEqual([
    ['column', 'public.badges.artist', 'removed', 'migrations/002_drop.sql:2'],
    ['index', 'public.badges.badges_minter_idx', 'removed', 'migrations/002_drop.sql:2'],
    ['column', 'public.badges.minter', 'removed', 'migrations/002_drop.sql:2'],
  ]);
});
