import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { newerKeywordHint } from '../../src/sql/newer-keywords.js';
import { loadSqlParser, parseSql, SqlSyntaxError } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * SQL Postgres 15 and older accept that pgdrift's parser (Postgres 18's grammar) refuses, because a word became a
 * restricted keyword in 16 or 17 (json in 17: Postgres 16 still has it unreserved) (field: provenance-io/explorer-service, a Postgres 13.2 project: five functions
 * `RETURNS TABLE (..., json jsonb, ...)` failed the replay with a bare "syntax error at or near json", on the
 * Postgres 15 server engine too). The failure now says why and how to write it for every major.
 */
beforeAll(() => loadSqlParser());
const project = tempProjects();

const syntaxError = (sql: string) => {
  try {
    parseSql(sql, 'V1__f.sql');
  } catch (error) {
    if (error instanceof SqlSyntaxError) return { message: error.detail, line: sql.split('\n')[error.line - 1] };
    throw error;
  }
  throw new Error('parsed');
};

describe('newerKeywordHint', () => {
  it('names the word, the major that made it a keyword, and the quoting that works on every major', () => {
    for (const [sql, word, since] of [
      ['CREATE FUNCTION f() RETURNS TABLE (\n  id int,\n  json jsonb\n) AS $$ SELECT 1, NULL::jsonb $$ LANGUAGE sql;', 'json', 17],
      ['CREATE FUNCTION f(json jsonb) RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;', 'json', 17],
      ['CREATE TABLE t (system_user text);', 'system_user', 16],
      ['CREATE FUNCTION f(json_table int) RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;', 'json_table', 17],
    ] as const) {
      const { message, line } = syntaxError(sql);
      expect(newerKeywordHint(message, line)).toBe(
        `${word} is a keyword since Postgres ${since}: it no longer names a function, a function parameter or a RETURNS TABLE column unquoted (Postgres ${since - 1} and older accept it); pgdrift reads migrations with Postgres 18's grammar on every engine, so double-quote it ("${word}"), as every major accepts`,
      );
    }
    // quoted, it parses
    expect(() => parseSql('CREATE FUNCTION f() RETURNS TABLE ("json" jsonb) AS $$ SELECT NULL::jsonb $$ LANGUAGE sql;', 'V1__f.sql')).not.toThrow();
  });

  it('no hint for another syntax error on a line that merely holds the word', () => {
    const { message, line } = syntaxError('CREATE TABLE t (payload json,, id int);');
    expect(newerKeywordHint(message, line)).toBeUndefined();
    expect(newerKeywordHint('syntax error at or near "jsonb"', "SELECT 'json' jsonb")).toBeUndefined();
  });
});

describe('a replay failure at such a word', () => {
  it('carries the hint (a Flyway project of provenance-io/explorer-service\'s shape)', async () => {
    const root = project({
      'src/main/resources/db/migration/V1_38__Add_validator_state_function.sql':
        'CREATE OR REPLACE FUNCTION get_validator_list(active_set integer)\n    RETURNS TABLE\n            (\n                operator_addr_id integer,\n                json              jsonb\n            )\nAS\n$func$ SELECT 1, NULL::jsonb $func$ LANGUAGE sql;\n',
    }).root;
    const result = await dump({ cwd: root, engine: 'pglite', noCache: true, keepGoing: true });
    expect(result.report.migrationFailures[0]).toMatchObject({ line: 5, sqlstate: '42601', message: 'syntax error at or near "json"' });
    expect(result.report.migrationFailures[0].hint).toContain('json is a keyword since Postgres 17');
  });
});
