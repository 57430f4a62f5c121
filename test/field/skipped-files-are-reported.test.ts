import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempProject } from '../helpers/project.js';

// Field report: a file the runner skips (Supabase's add_b.sql without a timestamp, a drizzle file missing from the
// journal) was said only by `pgdrift init`; check, dump and lint were silent, and check said "2 files applied".
// Its SQL is in no replay, so a team that believes it applied must be told. Down migrations are skipped by design:
// no notice for them.
const supabase = tempProject({
  'supabase/migrations/20240101000000_a.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n',
  'supabase/migrations/add_b.sql': 'CREATE TABLE b (id int PRIMARY KEY);\n',
});
const golang = tempProject({
  'db/migrations/1_a.up.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n',
  'db/migrations/1_a.down.sql': 'DROP TABLE a;\n',
});
// postgres-migrations applies a .js migration (its generateSql()); pgdrift cannot replay it, so the schema it
// compares lacks that file's effect: check must not say clean.
const jsMigration = tempProject({
  'migrations/1_users.js': 'module.exports.generateSql = () => "CREATE TABLE users (id int)";\n',
  'migrations/2_posts.sql': 'CREATE TABLE posts (id int PRIMARY KEY);\n',
});
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-skipped-cache-'));
const env = { PGDRIFT_CACHE_DIR: cacheDir };
afterAll(() => {
  supabase.cleanup();
  golang.cleanup();
  jsMigration.cleanup();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('files the runner skips are reported', () => {
  it('dump: a notice on stderr naming the file and why, and skippedFiles in the JSON report', async () => {
    const result = await runCli(['dump', '-C', supabase.root, '--format', 'json'], { env });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('1 file in the migrations folder is not applied by the supabase runner, so not replayed: supabase/migrations/add_b.sql (not <timestamp>_name.sql: the Supabase CLI skips it)');
    expect(JSON.parse(result.stdout).skippedFiles).toEqual([{ file: 'supabase/migrations/add_b.sql', reason: 'not <timestamp>_name.sql: the Supabase CLI skips it' }]);
  }, 120_000);

  it('lint says it too; -q silences the notice', async () => {
    expect((await runCli(['lint', '-C', supabase.root], { env })).stderr).toContain('supabase/migrations/add_b.sql (not <timestamp>_name.sql');
    expect((await runCli(['lint', '-q', '-C', supabase.root], { env })).stderr).not.toContain('add_b.sql');
  }, 120_000);

  it('down migrations are not reported: the runner never applies them by design', async () => {
    const result = await runCli(['dump', '-C', golang.root, '--format', 'json'], { env });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('not applied');
    expect(JSON.parse(result.stdout).skippedFiles).toBeUndefined();
  }, 120_000);

  it('check: a migration the runner applies but pgdrift cannot replay makes the result incomplete, never clean (exit 1)', async () => {
    const args = ['-C', jsMigration.root, '--runner', 'postgres-migrations'];
    const dumped = await runCli(['dump', ...args, '-o', path.join(jsMigration.root, 'docs/architecture/schema-actual-2026-01-01.sql')], { env });
    expect(dumped.stderr).toContain('1 migration the postgres-migrations runner applies cannot be replayed, so the replayed schema lacks its effect: migrations/1_users.js');
    const text = await runCli(['check', ...args, '--no-lint'], { env });
    expect(text.stdout).toContain('✖ replay incomplete: 1 migration the runner applies could not be replayed (migrations/1_users.js)');
    expect(text.stdout).not.toContain('✔ no drift');
    expect(text.code).toBe(1);
    const json = await runCli(['check', ...args, '--no-lint', '--format', 'json'], { env });
    expect(JSON.parse(json.stdout).skippedFiles).toEqual([expect.objectContaining({ file: 'migrations/1_users.js', appliedByRunner: true })]);
    expect(json.code).toBe(1);
  }, 120_000);
});
