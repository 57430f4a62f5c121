import { beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/commands/lint.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Flyway's file names (flyway/flyway@c5e20fc flyway-core .../internal/resource/ResourceNameParser.java): the suffix is
 * matched ignoring case (stripSuffix compares toUpperCase), the prefixes exactly.
 */
const project = tempProjects();
const byRule = <F extends { rule: string }>(findings: F[], rule: string) => findings.filter((f) => f.rule === rule);

beforeAll(() => loadSqlParser());

describe('lint file-name follows Flyway\'s naming', () => {
  it('a .SQL suffix, which Flyway and the discovery take, is no file-name finding (field report: V80__Add_Function.SQL)', async () => {
    const p = project({
      'db/migration/V1__init.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n',
      'db/migration/V80__Add_Function.SQL': 'CREATE FUNCTION one() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n',
      'db/migration/R__views.Sql': 'CREATE OR REPLACE VIEW v AS SELECT 1 AS one;\n',
      'db/migration/afterMigrate.SQL': 'SELECT 1;\n',
    });
    const result = await lint({ cwd: p.root, today: '2026-01-01' });
    expect(result.filesLinted).toBe(4);
    expect(byRule(result.findings, 'file-name')).toEqual([]);
  });
});
