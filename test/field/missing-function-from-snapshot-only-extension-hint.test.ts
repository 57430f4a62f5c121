import { describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';

// Field: cerc-io/ipld-eth-db (goose). 00020_convert_to_hypertables.sql calls create_hypertable(), which the
// timescaledb extension provides; no migration creates it (the team's timescale image does), the snapshot has it.
// The replay failed with 42883 and Postgres's hint only ("You might need to add explicit type casts"), while the
// drift listed `- extension timescaledb` further down: nothing tied the two or said what to do.
const projects = tempProjects();

describe('a migration calling a function of an extension only the snapshot has', () => {
  it('the failure says the snapshot has the extension, no migration creates it, and how to provide it', async () => {
    const theirs = projects({ 'db/migrations/00001_init.sql': '-- +goose Up\nCREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE TABLE public.words (w text);\n' });
    const snapshot = (await dump({ cwd: theirs.root, engine: 'pglite' })).sql;
    const ours = projects({
      'db/migrations/00001_init.sql': '-- +goose Up\nCREATE TABLE public.words (w text);\n',
      'db/migrations/00002_use.sql': "-- +goose Up\nSELECT similarity('word', 'words');\n",
      'schema.sql': snapshot,
    });
    const result = await check({ cwd: ours.root, engine: 'pglite', lint: false, snapshot: 'schema.sql' });
    expect(result.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['db/migrations/00002_use.sql', '42883']]);
    expect(result.migrationFailures[0].hint).toMatch(/The snapshot has the extension pg_trgm, which no migration creates: .*CREATE EXTENSION pg_trgm;.*baseline/);
    expect(result.drift.map((d) => [d.kind, d.name, d.change])).toEqual([['extension', 'pg_trgm', 'removed']]);
  }, 120_000);

  it('no such hint when the snapshot has no extension the migrations lack', async () => {
    const p = projects({ 'db/migrations/00001_use.sql': "-- +goose Up\nSELECT no_such_function(1);\n" });
    p.write('schema.sql', (await dump({ cwd: projects({ 'db/migrations/00001_t.sql': '-- +goose Up\nCREATE TABLE t (a int);\n' }).root, engine: 'pglite' })).sql);
    const result = await check({ cwd: p.root, engine: 'pglite', lint: false, snapshot: 'schema.sql', keepGoing: true });
    expect(result.migrationFailures[0].hint ?? '').not.toMatch(/snapshot has the extension/);
  }, 120_000);
});
