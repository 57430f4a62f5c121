import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { SERVER_URL } from '../helpers/postgres.js';
import { tempProjects } from '../helpers/project.js';

/**
 * The goose and golang-migrate runners against what the real tools leave. Each dump is `pg_dump -s --no-owner` of a
 * database the tool migrated up from the fixture folder, PostgreSQL 15:
 * - test/fixtures/dumps/goose-3.27.3-applied.sql: pressly/goose v3.27.3 (goose.Up, postgres dialect, lib/pq) over
 *   test/fixtures/runners/goose-applied/migrations: a StatementBegin/End body and a statement after it, a Down
 *   section whose last statement has no `;` (never read for up), NO TRANSACTION with CREATE INDEX CONCURRENTLY (alone
 *   and in a block), an empty StatementBegin/End block (goose drops the next line: never_created is not made),
 *   ENVSUB ON/OFF (`${UNSET:-plans}`, `\$5`; `$NAME` left as written after OFF), lowercase and spaced annotations,
 *   a `SET search_path TO app, public` that the next file's session keeps, an empty Up section, a README.md.
 * - test/fixtures/dumps/golang-migrate-4.19.1-applied.sql: golang-migrate/migrate@18966c7 (v4.19.1+9; migrate.New
 *   with file:// and postgres://, Up) over test/fixtures/runners/golang-migrate-applied/migrations: versions with
 *   leading zeros, a `.up.txt` (applied), a whole file with a $$ body sent as one query, a version with only a down
 *   file, an empty file, a file's own BEGIN/COMMIT, CREATE INDEX CONCURRENTLY alone, a `SET search_path TO app` that
 *   the next file's session keeps (migrate holds one connection), `.UP.sql` and `notes.sql` (skipped).
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

const CASES = [
  ['goose', 'goose-applied', 'goose-3.27.3-applied.sql'],
  ['golang-migrate', 'golang-migrate-applied', 'golang-migrate-4.19.1-applied.sql'],
] as const;

function fixtureWithSnapshot(fixture: string, dump: string) {
  const p = project({ 'schema/schema.sql': readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'dumps', dump), 'utf8') });
  cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'runners', fixture, 'migrations'), path.join(p.root, 'migrations'), { recursive: true });
  return p;
}

describe.each(CASES)('%s replay against the database the real tool made', (runner, fixture, dump) => {
  it.each([
    ['pglite', {}],
    ['server', { databaseUrl: SERVER_URL }],
  ] as const)('%s: check is clean', async (engine, extra) => {
    const p = fixtureWithSnapshot(fixture, dump);
    // the runner named, as a team configures it (detection refuses the golang-migrate folder: 10_upper.UP.sql would
    // be applied by the numbered runner and skipped by migrate)
    const checked = await check({ cwd: p.root, snapshot: 'schema/schema.sql', runner, engine, ...extra, noCache: true, lint: false });
    expect(checked.migrationFailures).toEqual([]);
    expect(checked.drift).toEqual([]);
    expect(checked.exitCode).toBe(0);
  });

  it('the numbered fallback is not clean on the same project', async () => {
    const p = fixtureWithSnapshot(fixture, dump);
    const checked = await check({ cwd: p.root, snapshot: 'schema/schema.sql', runner: 'numbered', engine: 'pglite', noCache: true, lint: false });
    expect(checked.exitCode).not.toBe(0);
  });
});
