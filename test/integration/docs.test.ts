import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { docs, generateDocs, migrationsSource, renderProjectDocs } from '../../src/commands/docs.js';
import { replayProject, type ReplayOutcome } from '../../src/pipeline/replay-project.js';
import { GENERATED_MARKER } from '../../src/docs/render.js';
import { adminQuery, SERVER_URL, serverDescribe } from '../helpers/postgres.js';
import { brokenTableRows, golden } from '../fixtures/docs/golden.js';

const repoRoot = path.resolve('.');
const edgeRoot = path.resolve('test/fixtures/docs/edge-project');
const temporary: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), `pgdrift-${prefix}-`));
  temporary.push(dir);
  return dir;
};
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Compares file by file, so a failure names the page and shows a readable diff. */
function expectSameFiles(actual: Map<string, string>, expected: Map<string, string>) {
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [file, content] of actual) expect(content, file).toBe(expected.get(file));
}

describe('the bundled sample', () => {
  let sample: ReplayOutcome;
  beforeAll(async () => {
    sample = await replayProject({ cwd: repoRoot });
    expect(sample.report.migrationFailures).toEqual([]);
  });
  const source = () => migrationsSource(sample.history, sample.dump);

  test('golden Markdown (UPDATE_GOLDEN=1 refreshes test/golden/docs/sample)', async () => {
    const { files } = await renderProjectDocs(sample.history.project, source());
    expectSameFiles(files, golden('test/golden/docs/sample', files));
    for (const [file, content] of files) expect(brokenTableRows(content), file).toEqual([]);
    const users = files.get('tables/public.organization_users.md')!;
    // the migration history: files that created and altered the table, with header title and date, linked
    expect(users).toContain('| [migrations/002_organization_users.sql](../../../migrations/002_organization_users.sql) | Organization Users | 2025-01-08 | created |');
    expect(users).toContain('| [migrations/024_rename_pending_to_staged.sql](../../../migrations/024_rename_pending_to_staged.sql) | Rename Pending To Staged | 2025-10-14 | altered |');
    expect(files.get('README.md')).toContain('```mermaid\nerDiagram\n');
  });

  test('the committed docs/schema are fresh: docs --check exits 0', async () => {
    const result = await generateDocs(sample.history.project, source(), { check: true });
    expect({ stale: result.stale, missing: result.missing, extra: result.extra, exitCode: result.exitCode }).toEqual({ stale: [], missing: [], extra: [], exitCode: 0 });
    expect(result.written).toEqual([]);
  });

  test('docs --check: clean, stale, missing and extra files; docs rewrites only what changed and keeps files it did not generate', async () => {
    const out = tempDir('docs-check');
    const project = sample.history.project;
    const first = await generateDocs(project, source(), { out });
    expect(first.written).toContain('README.md');
    expect(first.written).toContain('tables/public.organizations.md');

    expect(await generateDocs(project, source(), { out, check: true })).toMatchObject({ stale: [], missing: [], extra: [], written: [], exitCode: 0 });

    writeFileSync(path.join(out, 'tables/public.organizations.md'), `${readFileSync(path.join(out, 'tables/public.organizations.md'), 'utf8')}edited by hand\n`);
    rmSync(path.join(out, 'views/public.active_organization_users.md'));
    writeFileSync(path.join(out, 'tables/public.dropped_table.md'), `${GENERATED_MARKER}\n\n# public.dropped_table\n`);
    writeFileSync(path.join(out, 'tables/notes.md'), '# Notes kept by people\n');
    const check = await generateDocs(project, source(), { out, check: true });
    expect(check).toMatchObject({
      stale: ['tables/public.organizations.md'],
      missing: ['views/public.active_organization_users.md'],
      extra: ['tables/public.dropped_table.md'],
      written: [],
      exitCode: 1,
    });
    expect(readFileSync(path.join(out, 'tables/public.organizations.md'), 'utf8')).toContain('edited by hand');

    const rewrite = await generateDocs(project, source(), { out });
    expect(rewrite).toMatchObject({ written: ['tables/public.organizations.md', 'views/public.active_organization_users.md'], extra: ['tables/public.dropped_table.md'], exitCode: 0 });
    expect(existsSync(path.join(out, 'tables/public.dropped_table.md'))).toBe(false);
    expect(existsSync(path.join(out, 'tables/notes.md'))).toBe(true);
    expect((await generateDocs(project, source(), { out, check: true })).exitCode).toBe(0);
  });

  test('--from snapshot and --from <file.sql> document a dump without replaying; the history still comes from the migrations', async () => {
    const root = tempDir('docs-from');
    cpSync(path.join(repoRoot, 'migrations'), path.join(root, 'migrations'), { recursive: true });
    mkdirSync(path.join(root, 'docs/architecture'), { recursive: true });
    writeFileSync(path.join(root, 'docs/architecture/schema-actual-2025-01-01.sql'), sample.dump);
    writeFileSync(path.join(root, 'prod.sql'), sample.dump);

    const fromSnapshot = await docs({ cwd: root, from: 'snapshot' });
    expect(fromSnapshot.report).toBeUndefined();
    expect(fromSnapshot.out).toBe(path.join(root, 'docs/schema'));
    const readme = readFileSync(path.join(root, 'docs/schema/README.md'), 'utf8');
    expect(readme).toContain('from the snapshot docs/architecture/schema-actual-2025-01-01.sql: 15 tables');
    expect(readFileSync(path.join(root, 'docs/schema/tables/public.user_groups.md'), 'utf8')).toContain('](../../../migrations/016_user_groups.sql) | User Groups |');

    // the same schema from another dump: only the README's first line (what was documented) differs
    const fromFile = await docs({ cwd: root, from: 'prod.sql', check: true });
    expect(fromFile).toMatchObject({ stale: ['README.md'], missing: [], extra: [], exitCode: 1 });
    await expect(docs({ cwd: root, from: 'nope.sql' })).rejects.toThrow(/--from: no such file: nope.sql/);
  });

  test('--from <file.sql> in a folder with no migrations: the docs without the history, said once, not an error', async () => {
    const root = tempDir('docs-from-dump-only');
    writeFileSync(path.join(root, 'prod.sql'), sample.dump);
    const notices: string[] = [];
    const result = await docs({ cwd: root, from: 'prod.sql', onNotice: (message) => notices.push(message) });
    expect(result.exitCode).toBe(0);
    expect(result.written).toContain('tables/public.user_groups.md');
    expect(notices).toEqual(['no migrations folder found: the docs leave out the migration history (name the folder with --migrations to add it)']);
    const page = readFileSync(path.join(root, 'docs/schema/tables/public.user_groups.md'), 'utf8');
    expect(page).toContain('## Columns');
    expect(page).not.toContain('Migration history');
    expect(readFileSync(path.join(root, 'docs/schema/README.md'), 'utf8')).toContain('from the dump prod.sql: 15 tables');
    expect(await docs({ cwd: root, from: 'prod.sql', check: true })).toMatchObject({ stale: [], missing: [], extra: [], exitCode: 0 });
    // documenting the migrations still needs them
    await expect(docs({ cwd: root })).rejects.toThrow(/no migrations folder found/);
  });
});

describe('names, comments and shapes that stress the Markdown', () => {
  let edge: ReplayOutcome;
  let files: Map<string, string>;
  beforeAll(async () => {
    edge = await replayProject({ cwd: edgeRoot });
    expect(edge.report.migrationFailures).toEqual([]);
    files = (await renderProjectDocs(edge.history.project, migrationsSource(edge.history, edge.dump))).files;
  });

  test('golden Markdown (UPDATE_GOLDEN=1 refreshes test/golden/docs/edge)', () => {
    expectSameFiles(files, golden('test/golden/docs/edge', files));
  });

  test('a comment with |, <script>, a newline and backticks never breaks a row nor injects HTML', () => {
    for (const [file, content] of files) {
      expect(brokenTableRows(content), file).toEqual([]);
      expect(content, file).not.toMatch(/<script/);
    }
    const categories = files.get('tables/public.categories.md')!;
    expect(categories).toContain('Pipe \\| here, &lt;script&gt;alert(1)&lt;/script&gt;,<br>a newline, and \\`backticks\\` and \\`\\`double\\`\\` ones.');
    // a column named with a pipe and a default with backticks and angle brackets
    expect(categories).toContain("| Weird\\|Name | `text` | NULL | ``'a\\|b `c` <d>'::text`` |  | col \\| comment with \\*stars\\* and \\_underscores\\_ |");
  });

  test('a table with no columns', () => {
    expect(files.get('tables/public.empty_marker.md')).toContain('This table has no columns.');
    expect(files.get('README.md')).toContain('| [public.empty_marker](tables/public.empty_marker.md) | 0 |  |');
  });

  test('a self-referencing foreign key: listed out and in, drawn as a loop', () => {
    const categories = files.get('tables/public.categories.md')!;
    expect(categories).toContain('| categories_parent_id_fkey | parent_id | [public.categories](public.categories.md) (id) |');
    expect(categories).toContain('| [public.categories](public.categories.md) | categories_parent_id_fkey | parent_id → id |');
    expect(categories).toContain('    categories |o--o{ categories : "parent_id"');
  });

  test('a schema other than public: its own pages, linked both ways, and a distinct diagram entity', () => {
    const invoices = files.get('tables/billing.invoices.md')!;
    expect(invoices).toContain('| category_id | `integer` | NOT NULL |  | [public.categories](public.categories.md) (id) |');
    expect(files.get('tables/public.categories.md')).toContain('| [billing.invoices](billing.invoices.md) | invoices_category_id_fkey |');
    expect(files.get('README.md')).toContain('    categories ||--o{ billing__invoices : "category_id"');
    expect(files.get('types/billing.invoice_state.md')).toContain('- [billing.invoices](../tables/billing.invoices.md).state');
    expect(files.get('functions/billing.total_of.md')).toMatch(/\| sql \| STABLE \| SECURITY INVOKER \|/);
    expect(files.get('views/billing.totals.md')).toContain('materialized view');
  });

  test('a renamed table has its history under its final name; CREATE TABLE IF NOT EXISTS of an existing one is marked a no-op', () => {
    expect(files.get('tables/public.tags.md')).toContain('| Rename Tags | 2025-01-03 | created | create table; rename from tags_old; add column label |');
    expect(files.get('tables/public.categories.md')).toContain('| altered | create table if not exists (already there: no-op) |');
  });
});

describe('a history with a broken file', () => {
  const brokenCopy = () => {
    const root = tempDir('docs-broken');
    cpSync(edgeRoot, root, { recursive: true });
    writeFileSync(path.join(root, 'migrations/003_broken.sql'), 'ALTER TABLE no_such_table ADD COLUMN x integer;\n');
    return root;
  };

  test('without --keep-going: no docs are written, exit 1', async () => {
    const root = brokenCopy();
    const result = await docs({ cwd: root });
    expect(result.exitCode).toBe(1);
    expect(result.written).toEqual([]);
    expect(result.report?.migrationFailures.map((f) => f.file)).toEqual(['migrations/003_broken.sql']);
    expect(existsSync(path.join(root, 'docs/schema'))).toBe(false);
  });

  test('with --keep-going: docs of what applied, exit 1 with the failure reported', async () => {
    const root = brokenCopy();
    const result = await docs({ cwd: root, keepGoing: true, out: 'site/db' });
    expect(result.exitCode).toBe(1);
    expect(result.out).toBe(path.join(root, 'site/db'));
    expect(result.written).toContain('tables/public.tags.md');
    expect(result.report?.migrationFailures).toHaveLength(1);
  });
});

serverDescribe('--from a postgres URL', () => {
  const database = `pgdrift_docs_${process.pid}_${Date.now().toString(36)}`;
  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${database}`);
    const url = new URL(SERVER_URL);
    url.pathname = `/${database}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await client.query(readFileSync(path.join(edgeRoot, 'migrations/001_edge_cases.sql'), 'utf8'));
    await client.end();
  });
  afterAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  test('dumps the live database read-only with pg_dump and documents it', async () => {
    const url = new URL(SERVER_URL);
    url.pathname = `/${database}`;
    const out = tempDir('docs-url');
    const result = await docs({ cwd: edgeRoot, from: url.toString(), out });
    expect(result.exitCode).toBe(0);
    expect(result.written).toContain('tables/billing.invoices.md');
    expect(readFileSync(path.join(out, 'README.md'), 'utf8')).toContain(`from the database ${url.toString()}`);
    // the database itself is untouched: still the one table of 001
    expect(await adminQuery(`SELECT count(*)::int AS n FROM pg_database WHERE datname = $1`, [database])).toEqual([{ n: 1 }]);
  });

  test('in a folder with no migrations: the database documented without the history', async () => {
    const url = new URL(SERVER_URL);
    url.pathname = `/${database}`;
    const root = tempDir('docs-url-only');
    const notices: string[] = [];
    const result = await docs({ cwd: root, from: url.toString(), onNotice: (message) => notices.push(message) });
    expect(result.exitCode).toBe(0);
    expect(result.written).toContain('tables/billing.invoices.md');
    expect(notices).toHaveLength(1);
    expect(readFileSync(path.join(root, 'docs/schema/tables/billing.invoices.md'), 'utf8')).not.toContain('Migration history');
  });
});
