import { beforeAll, describe, expect, it } from 'vitest';
import { gooseChunks, planGoose } from '../../src/runners/goose.js';
import { loadSqlParser } from '../../src/sql/parse.js';

// goose cuts the Up section into statements at lines ending with ";" (pressly/goose internal/sqlparser/parser.go)
// and executes each piece on its own; pgdrift replays the section as one query, so a cut inside a statement and a
// last statement without ";" (both refused by goose) must be found from the plan.
beforeAll(() => loadSqlParser());

const lines = (text: string) => text.split('\n');

describe('gooseChunks: the statements goose executes', () => {
  it('cuts at each line ending with ";", drops comments and empty lines before a statement, keeps StatementBegin blocks whole', () => {
    const text = [
      '-- +goose Up', // 0
      '-- a comment', // 1
      'CREATE TABLE a (', // 2
      '  id int', // 3
      ');', // 4
      '', // 5
      '-- +goose StatementBegin', // 6
      'CREATE FUNCTION f() RETURNS int AS $$', // 7
      'BEGIN RETURN 1; END;', // 8
      '$$ LANGUAGE plpgsql;', // 9
      '-- +goose StatementEnd', // 10
      'SELECT 1; -- done', // 11
      '-- +goose Down', // 12
    ].join('\n');
    expect(gooseChunks(lines(text), 1, 12)).toEqual({
      chunks: [
        { startLine: 2, endLine: 5 },
        { startLine: 7, endLine: 10 },
        { startLine: 11, endLine: 12 },
      ],
    });
  });

  it('refuses a last statement without ";", and a StatementBegin block left open', () => {
    expect(gooseChunks(lines('-- +goose Up\nCREATE TABLE t (id int)\n'), 1, 3).problem).toMatchObject({ line: 2, message: expect.stringMatching(/missing semicolon/) });
    expect(gooseChunks(lines('-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n'), 1, 4).problem?.message).toMatch(/missing '-- \+goose StatementEnd'/);
    expect(gooseChunks(lines('-- +goose Up\n-- +goose StatementEnd\n'), 1, 2).problem?.message).toMatch(/without '-- \+goose StatementBegin'/);
  });

  it('reads a ";" followed by a -- comment word as the end of a statement, and ";--x" as not', () => {
    expect(gooseChunks(lines('-- +goose Up\nSELECT 1; -- x\nSELECT 2;--x\nSELECT 3;\n'), 1, 4).chunks).toEqual([
      { startLine: 1, endLine: 2 },
      { startLine: 2, endLine: 4 },
    ]);
  });
});

describe('planGoose: a statement goose would cut', () => {
  const fn = ['-- +goose Up', 'CREATE TABLE t (id int, updated_at timestamptz);', 'CREATE FUNCTION touch() RETURNS trigger AS $$', 'BEGIN', '  NEW.updated_at = now();', '  RETURN NEW;', 'END;', '$$ LANGUAGE plpgsql;', '', '-- +goose Down', 'DROP TABLE t;', ''];

  it('a PL/pgSQL body without StatementBegin/StatementEnd is refused where Postgres refuses the piece goose sends', () => {
    const plan = planGoose(fn.join('\n'), '00001_fn.sql');
    expect(plan.parts).toEqual([]);
    expect(plan.problem).toMatchObject({ line: 3, message: expect.stringMatching(/unterminated dollar-quoted string/), hint: expect.stringMatching(/StatementBegin/) });
  });

  it('the same body inside StatementBegin/StatementEnd is planned as before', () => {
    const wrapped = [...fn.slice(0, 2), '-- +goose StatementBegin', ...fn.slice(2, 8), '-- +goose StatementEnd', ...fn.slice(8)];
    const plan = planGoose(wrapped.join('\n'), '00001_fn.sql');
    expect(plan.problem).toBeUndefined();
    expect(plan.parts).toEqual([{ startLine: 1, endLine: 11, transaction: 'wrapped' }]);
  });

  it('a statement on several lines with ";" only on its last line is one piece; the missing ";" is refused', () => {
    expect(planGoose('-- +goose Up\nCREATE TABLE t (\n  id int\n);\nCREATE INDEX ON t (id);\n').problem).toBeUndefined();
    expect(planGoose('-- +goose Up\nCREATE TABLE t (id int PRIMARY KEY)\n\n-- +goose Down\nDROP TABLE t;\n').problem).toMatchObject({ line: 2, message: expect.stringMatching(/does not end with ";"/) });
  });
});

describe('planGoose: -- +goose NO TRANSACTION', () => {
  it('one part per statement goose sends, each one query (Postgres runs a query of several statements as one implicit transaction)', () => {
    const text = [
      '-- +goose NO TRANSACTION', // 0
      '-- +goose Up', // 1
      'CREATE TABLE t (id int);', // 2
      '-- the index', // 3
      'CREATE INDEX CONCURRENTLY t_id ON t (id);', // 4
      '-- +goose StatementBegin', // 5
      'CREATE INDEX CONCURRENTLY t_id2 ON t (id);', // 6
      'ALTER TABLE t ADD COLUMN note text;', // 7
      '-- +goose StatementEnd', // 8
      '-- +goose Down', // 9
      'DROP TABLE t;', // 10
    ].join('\n');
    expect(planGoose(text, '00001_t.sql').parts).toEqual([
      { startLine: 2, endLine: 3, transaction: 'implicit' },
      { startLine: 4, endLine: 5, transaction: 'implicit' },
      { startLine: 6, endLine: 8, transaction: 'implicit' },
    ]);
    // in a transaction nothing changes: the section in one BEGIN … COMMIT
    expect(planGoose(text.replace('-- +goose NO TRANSACTION', ''), '00001_t.sql').parts).toEqual([{ startLine: 2, endLine: 9, transaction: 'wrapped' }]);
  });
});
