import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { diffModels } from '../../src/diff/diff.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { REPO_ROOT } from '../helpers/cli.js';

/**
 * A Spring Boot project whose Liquibase changelogs use generated change types (createTable with constraints, addColumn,
 * createIndex, foreign keys, sequences, views, remarks, insert/update...) in XML, JSON and YAML
 * (test/fixtures/runners/liquibase-generated), replayed on PGlite and compared with the schema real Liquibase left:
 * test/fixtures/dumps/liquibase-4.28.0-applied.sql is `pg_dump --schema-only` (PostgreSQL 15.20) after `liquibase
 * update` of Liquibase 4.28.0 (the npm liquibase package's bundled distribution) ran the same changelogs.
 */
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'runners', 'liquibase-generated');
const APPLIED = path.join(REPO_ROOT, 'test', 'fixtures', 'dumps', 'liquibase-4.28.0-applied.sql');
const CHANGELOG = 'src/main/resources/db/changelog';

const made: string[] = [];
function copy(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-liquibase-generated-'));
  cpSync(FIXTURE, root, { recursive: true });
  made.push(root);
  return root;
}

const differences = (ours: string, real: string) => diffModels(buildSchemaModel(ours, 'pgdrift'), buildSchemaModel(real, 'liquibase')).map((item) => `${item.kind} ${item.name}`);

beforeAll(() => loadSqlParser());
afterAll(() => {
  for (const root of made) rmSync(root, { recursive: true, force: true });
});

describe('liquibase runner: change types Liquibase generates', () => {
  it('replays XML, JSON and YAML changelogs to the schema liquibase update 4.28.0 left', async () => {
    const result = await dump({ cwd: copy(), engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(differences(result.sql, readFileSync(APPLIED, 'utf8'))).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE public."Product" (');
  });

  it('a generated statement PostgreSQL refuses fails at the change element\'s line:column', async () => {
    const root = copy();
    const file = path.join(root, CHANGELOG, 'changes/003-catalog.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('referencedTableName: account', 'referencedTableName: no_such_table'));
    const result = await dump({ cwd: root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.column, f.sqlstate])).toEqual([[`${CHANGELOG}/changes/003-catalog.yaml`, 10, 11, '42P01']]);
  });

  it('an XML change refused by Liquibase\'s validation (afterColumn on PostgreSQL) is refused at the element', async () => {
    const root = copy();
    const file = path.join(root, CHANGELOG, 'changes/001-customers.xml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('<column name="phone" type="VARCHAR(32)"/>', '<column name="phone" type="VARCHAR(32)" afterColumn="email"/>'));
    const result = await dump({ cwd: root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.column])).toEqual([[`${CHANGELOG}/changes/001-customers.xml`, 44, 9]]);
    expect(result.report.migrationFailures[0].message).toContain('addAfterColumn is not allowed on postgresql');
    expect(result.report.migrationFailures[0].hint).toContain('its validation fails before anything runs');
  });
});
