import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { copyOfSample } from '../helpers/project.js';

// `--snapshot <file>`: a repository's committed dump (db/structure.sql, schema.sql...) is compared with, and
// rewritten by `pgdrift snapshot`, without a config file; as --migrations and --baseline, relative to -C.
describe('--snapshot names the committed dump on the command line', () => {
  const project = copyOfSample();
  afterAll(() => project.cleanup());
  const architecture = path.join(project.root, 'docs/architecture');
  mkdirSync(path.join(project.root, 'db'));
  // the sample's only snapshot moves to a name no default glob matches
  renameSync(path.join(architecture, 'schema-actual-2026-11-26.sql'), path.join(project.root, 'db/structure.sql'));
  const snapshotText = () => readFileSync(path.join(project.root, 'db/structure.sql'), 'utf8');
  const env = { PGDRIFT_CACHE_DIR: path.join(project.root, '.cache') };

  test('without it there is no snapshot to compare with; with it check is clean against that file', async () => {
    const without = await runCli(['check', '-q', '--no-lint', '-C', project.root], { env });
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('no snapshot matches docs/architecture/schema-actual-*.sql');

    const withFlag = await runCli(['check', '--no-lint', '-C', project.root, '--snapshot', 'db/structure.sql', '--format', 'json'], { env });
    expect(withFlag.code).toBe(0);
    const report = JSON.parse(withFlag.stdout);
    expect(report.snapshot.path).toBe('db/structure.sql');
    expect(report.drift).toEqual([]);
  }, 120_000);

  test('a change in that file is drift, and `snapshot --snapshot` rewrites that file (not a dated one)', async () => {
    writeFileSync(path.join(project.root, 'db/structure.sql'), snapshotText().replace('CREATE TABLE public.departments (\n', 'CREATE TABLE public.departments (\n    extra_col integer,\n'));
    const check = await runCli(['check', '-q', '--no-lint', '-C', project.root, '--snapshot', 'db/structure.sql', '--format', 'json'], { env });
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout).drift.map((item: { name: string }) => item.name)).toEqual(['public.departments.extra_col']);

    const written = await runCli(['snapshot', '-q', '--no-docs', '-C', project.root, '--snapshot', 'db/structure.sql'], { env });
    expect(written.code).toBe(0);
    expect(snapshotText()).not.toContain('extra_col');
    expect(snapshotText()).toContain('CREATE TABLE public.departments (');
  }, 120_000);

  test('a --snapshot out of the project is refused unless allowed (exit 2, nothing read)', async () => {
    const outside = await runCli(['check', '-q', '--no-lint', '-C', project.root, '--snapshot', '../elsewhere.sql'], { env });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('--snapshot leaves the project folder');
  });
});
