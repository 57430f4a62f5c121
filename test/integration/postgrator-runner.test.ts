import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { SERVER_URL } from '../helpers/postgres.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Postgrator against what Postgrator itself leaves: test/fixtures/dumps/postgrator-8.0.0-applied.sql is `pg_dump -s
 * --no-owner` of a database `postgrator` (postgrator-cli 9.1.1 over postgrator 8.0.0, pg) migrated to max from
 * test/fixtures/runners/postgrator/migrations: versions 1, 2, 10 (10 last: by name it sorts before 2 and fails), a
 * plpgsql function with a $$ body, a CREATE INDEX CONCURRENTLY alone in its file (one query, no transaction block),
 * undo files beside each, and postgrator's schemaversion table. The replay in postgrator's order gives the same schema;
 * the numbered fallback does not.
 */
const project = tempProjects();
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'runners', 'postgrator');
const APPLIED = readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'dumps', 'postgrator-8.0.0-applied.sql'), 'utf8');

beforeAll(() => loadSqlParser());

function fixtureWithSnapshot() {
  const p = project({ 'schema/schema.sql': APPLIED });
  cpSync(path.join(FIXTURE, 'migrations'), path.join(p.root, 'migrations'), { recursive: true });
  return p;
}

describe('postgrator replay against the database postgrator made', () => {
  it.each([
    ['pglite', {}],
    ['server', { databaseUrl: SERVER_URL }],
  ] as const)('%s: check is clean: do files by version as a number, undo files left out, schemaversion is postgrator\'s', async (engine, extra) => {
    const p = fixtureWithSnapshot();
    const checked = await check({ cwd: p.root, snapshot: 'schema/schema.sql', engine, ...extra, noCache: true, lint: false });
    expect(checked.drift).toEqual([]);
    expect(checked.exitCode).toBe(0);
  });

  it('the numbered fallback (name order, undo halves skipped) is not clean on the same project', async () => {
    const p = fixtureWithSnapshot();
    const checked = await check({ cwd: p.root, snapshot: 'schema/schema.sql', runner: 'numbered', engine: 'pglite', noCache: true, lint: false });
    expect(checked.exitCode).not.toBe(0);
  });

  it('a JavaScript do migration that is more than a string literal makes the replay incomplete: check fails even when the rest matches', async () => {
    const p = fixtureWithSnapshot();
    p.write('migrations/11.do.seed.js', "module.exports.generateSql = () => `INSERT INTO users (email) VALUES ('${process.env.ADMIN_EMAIL}')`;\n");
    const checked = await check({ cwd: p.root, snapshot: 'schema/schema.sql', engine: 'pglite', noCache: true, lint: false });
    expect(checked.drift).toEqual([]);
    expect(checked.exitCode).toBe(1);
    expect(checked.skippedFiles).toEqual([expect.objectContaining({ file: 'migrations/11.do.seed.js', appliedByRunner: true })]);
  });

  it('a JavaScript do migration whose generateSql() returns one string literal is replayed as that SQL (checked with postgrator 8.0.0)', async () => {
    const p = fixtureWithSnapshot();
    p.write('migrations/11.do.more.js', 'module.exports.generateSql = () => `\nCREATE TABLE extra (id int);\n`;\n');
    const checked = await check({ cwd: p.root, snapshot: 'schema/schema.sql', engine: 'pglite', noCache: true, lint: false });
    expect(checked.skippedFiles ?? []).toEqual([]);
    expect(checked.drift).toEqual([expect.objectContaining({ kind: 'table', name: 'public.extra' })]);
  });
});
