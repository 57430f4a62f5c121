import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempProject } from '../helpers/project.js';

// Field report: `pgdrift dump` (the bundled CLI, fresh cache) ran a Flyway file holding only CREATE INDEX
// CONCURRENTLY inside a transaction (25001), while check applied it. Discovery planned the files before the
// WASM parser had loaded; Flyway's plan parses each file to decide its transaction, took the "not loaded" failure
// for a syntax error and fell back to a transaction. A fresh process and an empty cache are what it takes.
const project = tempProject({
  'db/migration/V1__init.sql': 'CREATE TABLE case_data (id int PRIMARY KEY, data jsonb);\n',
  'db/migration/V2__idx.sql': 'CREATE INDEX CONCURRENTLY idx_case_data_data ON case_data (data);\n',
});
const mixed = tempProject({
  'db/migration/V1__init.sql': 'CREATE TABLE case_data (id int PRIMARY KEY, data jsonb);\n',
  'db/migration/V2__mixed.sql': 'CREATE TABLE other (id int);\nCREATE INDEX CONCURRENTLY idx_other ON other (id);\n',
});
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-flyway-cache-'));
afterAll(() => {
  project.cleanup();
  mixed.cleanup();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('flyway plans each file with the parser loaded, in a fresh CLI process', () => {
  const dumpJson = async (root: string) => {
    const result = await runCli(['dump', '-C', root, '--no-cache', '--format', 'json'], { env: { PGDRIFT_CACHE_DIR: cacheDir } });
    return { code: result.code, report: JSON.parse(result.stdout) };
  };

  it('dump applies a file holding only CREATE INDEX CONCURRENTLY outside a transaction', async () => {
    const { code, report } = await dumpJson(project.root);
    expect(report.migrationFailures).toEqual([]);
    const migrations = report.files.filter((f: { role: string }) => f.role === 'migration');
    expect(migrations.map((f: { status: string }) => f.status)).toEqual(['applied', 'applied']);
    expect(code).toBe(0);
  }, 120_000);

  it('dump refuses a file mixing it with transactional statements, as Flyway does', async () => {
    const { code, report } = await dumpJson(mixed.root);
    expect(report.migrationFailures[0]).toMatchObject({ file: 'db/migration/V2__mixed.sql', line: 2 });
    expect(String(report.migrationFailures[0].message)).toMatch(/mixes transactional and non-transactional/);
    expect(code).toBe(1);
  }, 120_000);
});
