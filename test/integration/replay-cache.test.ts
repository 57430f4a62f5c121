import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { MIN_FILES_FOR_A_NEW_STATE } from '../../src/pipeline/cached-replay.js';
import { tempProject } from '../helpers/project.js';

// One data-dir cache for the file (a fresh cluster is loaded, not initdb'd, after the first start); each test its
// own replay cache folder, so what it reuses is only what it wrote itself.
const dataDirCache = path.join(os.tmpdir(), 'pgdrift-test-datadir-cache');
const base = {
  'migrations/001_users.sql': 'CREATE TABLE users (\n  id bigint PRIMARY KEY,\n  email text NOT NULL\n);\n',
  'migrations/002_posts.sql': 'CREATE TABLE posts (\n  id bigint PRIMARY KEY,\n  user_id bigint REFERENCES users (id)\n);\n',
  'migrations/003_index.sql': 'CREATE INDEX posts_user_id_idx ON posts (user_id);\n',
};
let project: ReturnType<typeof tempProject>;
let cacheDir: string;

beforeAll(() => {
  process.env.PGDRIFT_CACHE_DIR = dataDirCache;
});
afterAll(() => {
  delete process.env.PGDRIFT_CACHE_DIR;
});

function freshProject(files: Record<string, string> = base) {
  project?.cleanup();
  project = tempProject(files);
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-replay-cache-'));
  return project;
}
afterAll(() => {
  project?.cleanup();
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
});

describe('replay cache', () => {
  it('reuses the dump of an unchanged history without starting an engine, and replays after any change', async () => {
    freshProject();
    const first = await dump({ cwd: project.root, cacheDir });
    expect(first.report.engine.replayCache).toBe('miss');
    const again = await dump({ cwd: project.root, cacheDir });
    expect(again.report.engine.replayCache).toBe('dump');
    expect(again.sql).toBe(first.sql);
    expect(again.report.files.every((f) => f.status === 'applied' && f.cached)).toBe(true);

    project.write('migrations/003_index.sql', 'CREATE INDEX posts_user_id_idx ON posts (user_id, id);\n');
    const changed = await dump({ cwd: project.root, cacheDir });
    // Only the state after the whole history was saved: a changed last file replays everything.
    expect(changed.report.engine.replayCache).toBe('miss');
    expect(changed.sql).toContain('(user_id, id)');

    const bypass = await dump({ cwd: project.root, cacheDir, noCache: true });
    expect(bypass.report.engine.replayCache).toBeUndefined();
    expect(bypass.sql).toBe(changed.sql);
  });

  it('applies only an appended file on top of the saved prefix, with the same failure position as a full replay', async () => {
    freshProject();
    await dump({ cwd: project.root, cacheDir });
    project.write('migrations/004_bad.sql', '-- adds a column\nALTER TABLE posts ADD COLUMN title text;\nALTER TABLE posts ADD COLUMN body txet;\n');
    const appended = await dump({ cwd: project.root, cacheDir });
    expect(appended.report.engine).toMatchObject({ replayCache: 'prefix', reusedFiles: 3 });
    expect(appended.report.files.map((f) => [f.file, f.status, Boolean(f.cached)])).toEqual([
      ['migrations/001_users.sql', 'applied', true],
      ['migrations/002_posts.sql', 'applied', true],
      ['migrations/003_index.sql', 'applied', true],
      ['migrations/004_bad.sql', 'failed', false],
    ]);
    const full = await dump({ cwd: project.root, cacheDir, noCache: true });
    expect(appended.report.migrationFailures).toEqual(full.report.migrationFailures);
    expect(appended.report.migrationFailures[0]).toMatchObject({ file: 'migrations/004_bad.sql', line: 3, sqlstate: '42704' });
    // A failing history is never served from the cache: the next run reports the failure again.
    const rerun = await dump({ cwd: project.root, cacheDir });
    expect(rerun.report.engine.replayCache).toBe('prefix');
    expect(rerun.report.migrationFailures).toEqual(full.report.migrationFailures);
  });

  it('keeps attribution and --idempotent results when the replay comes from the cache', async () => {
    freshProject();
    const replayed = await dump({ cwd: project.root, cacheDir });
    // The snapshot lacks the index: drift attributed to 003_index.sql:1.
    project.write('docs/architecture/schema-actual-2026-01-01.sql', replayed.sql.replace(/CREATE INDEX posts_user_id_idx[^;]*;/, ''));
    project.write('migrations/005_reapply.sql', 'CREATE TABLE audit (id int);\n'); // not re-runnable: --idempotent reports it
    const options = { cwd: project.root, cacheDir, lint: false, idempotent: true };
    const uncached = await check({ ...options, noCache: true });
    await check(options); // fills the cache
    const cached = await check(options);
    expect(cached.engine.replayCache).toBe('dump');
    expect(cached.drift).toEqual(uncached.drift);
    expect(cached.drift.map((d) => [d.name, d.source.migration?.file, d.source.migration?.line])).toContainEqual([
      'public.posts.posts_user_id_idx',
      'migrations/003_index.sql',
      1,
    ]);
    expect(cached.idempotency).toEqual(uncached.idempotency);
    expect(cached.idempotency?.failures.map((f) => f.file)).toContain('migrations/005_reapply.sql');
  });

  it('on top of a loaded prefix, saves a new state only once enough files were applied (saving costs as much as loading)', async () => {
    freshProject();
    await dump({ cwd: project.root, cacheDir }); // a full replay: the state after 3 files is saved
    project.write('migrations/004_a.sql', 'CREATE TABLE a (id int);\n');
    expect((await dump({ cwd: project.root, cacheDir })).report.engine).toMatchObject({ replayCache: 'prefix', reusedFiles: 3 });
    project.write('migrations/005_b.sql', 'CREATE TABLE b (id int);\n');
    // one file on top was not worth a new state: the 3-file state is still the longest
    expect((await dump({ cwd: project.root, cacheDir })).report.engine).toMatchObject({ replayCache: 'prefix', reusedFiles: 3 });
    for (let i = 0; i < MIN_FILES_FOR_A_NEW_STATE; i++) project.write(`migrations/${100 + i}_t${i}.sql`, `CREATE TABLE t${i} (id int);\n`);
    const grown = await dump({ cwd: project.root, cacheDir });
    expect(grown.report.engine).toMatchObject({ replayCache: 'prefix', reusedFiles: 3 });
    project.write('migrations/900_last.sql', 'CREATE TABLE last (id int);\n');
    const next = await dump({ cwd: project.root, cacheDir });
    expect(next.report.engine).toMatchObject({ replayCache: 'prefix', reusedFiles: 5 + MIN_FILES_FOR_A_NEW_STATE });
    expect(next.sql).toBe((await dump({ cwd: project.root, cacheDir, noCache: true })).sql);
  });

  it('--idempotent after a reused dump starts from the longest saved state and applies the rest', async () => {
    freshProject();
    const first = await dump({ cwd: project.root, cacheDir }); // state after 3 files
    project.write('docs/architecture/schema-actual-2026-01-01.sql', first.sql);
    project.write('migrations/004_again.sql', 'CREATE TABLE again (id int);\n'); // not re-runnable
    const options = { cwd: project.root, cacheDir, lint: false, idempotent: true };
    const uncached = await check({ ...options, noCache: true });
    await check(options); // prefix hit (no new state: one file on top), dump stored
    const cached = await check(options);
    expect(cached.engine.replayCache).toBe('dump');
    expect(cached.idempotency).toEqual(uncached.idempotency);
    expect(cached.idempotency?.failures.map((f) => f.file)).toContain('migrations/004_again.sql');
  });

  it('saves the state before a file that leaves session state, and reuses only up to there', async () => {
    freshProject({ ...base, 'migrations/002_posts.sql': `SET search_path TO public;\n${base['migrations/002_posts.sql']}` });
    const first = await dump({ cwd: project.root, cacheDir });
    project.write('migrations/004_more.sql', 'CREATE TABLE tags (id int);\n');
    const second = await dump({ cwd: project.root, cacheDir });
    expect(second.report.engine).toMatchObject({ replayCache: 'prefix', reusedFiles: 1 });
    expect(second.sql).toContain('CREATE TABLE public.tags');
    expect(first.report.migrationFailures).toEqual([]);
  });
});

describe('replay cache, a runner that applies the whole history in one transaction (drizzle)', () => {
  const journal = (tags: string[]) =>
    JSON.stringify({ version: '7', dialect: 'postgresql', entries: tags.map((tag, idx) => ({ idx, version: '7', when: 1704067200000 + idx, tag, breakpoints: true })) });
  const drizzleHistory = {
    'drizzle/0000_init.sql': `CREATE TYPE "status" AS ENUM('active', 'inactive');--> statement-breakpoint\nCREATE TABLE "items" ("id" serial PRIMARY KEY, "status" "status" DEFAULT 'active' NOT NULL);\n`,
    'drizzle/0001_add_archived.sql': `ALTER TYPE "status" ADD VALUE 'archived';\n`,
    'drizzle/meta/_journal.json': journal(['0000_init', '0001_add_archived']),
  };

  it('saves no prefix state: a file appended to the history runs in the same transaction as the rest, as on a fresh database', async () => {
    freshProject(drizzleHistory);
    const first = await dump({ cwd: project.root, cacheDir });
    expect(first.report.migrationFailures).toEqual([]);
    expect(readdirSync(cacheDir).filter((name) => name.startsWith('state-'))).toEqual([]);
    // Uses the value 0001 added: drizzle fails on a fresh database (one transaction), a committed prefix state would not.
    project.write('drizzle/0002_default_archived.sql', `ALTER TABLE "items" ALTER COLUMN "status" SET DEFAULT 'archived';\n`);
    project.write('drizzle/meta/_journal.json', journal(['0000_init', '0001_add_archived', '0002_default_archived']));
    const appended = await dump({ cwd: project.root, cacheDir });
    expect(appended.report.engine.replayCache).toBe('miss');
    expect(appended.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['drizzle/0002_default_archived.sql', 1, '55P04']]);
    expect(appended.report.migrationFailures).toEqual((await dump({ cwd: project.root, cacheDir, noCache: true })).report.migrationFailures);
  });
});

describe('a saved engine state', () => {
  it('is checkpointed, so an engine started from it has no WAL to redo', async () => {
    const { openPgliteEngine } = await import('../../src/engine/pglite.js');
    const engine = await openPgliteEngine({ engine: 'pglite', cacheDir: dataDirCache });
    try {
      for (let i = 0; i < 40; i++) await engine.exec(`CREATE TABLE t${i} (id bigint PRIMARY KEY, note text DEFAULT 'x')`);
      const walSince = `SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), redo_lsn)::bigint::text AS bytes FROM pg_control_checkpoint()`;
      // the replay wrote WAL since the last checkpoint: a state taken now would redo it on every start
      expect(Number((await engine.query<{ bytes: string }>(walSince))[0].bytes)).toBeGreaterThan(100_000);
      await engine.saveState!();
      expect(Number((await engine.query<{ bytes: string }>(walSince))[0].bytes)).toBeLessThan(1_000);
    } finally {
      await engine.close();
    }
  });
});
