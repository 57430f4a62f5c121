import { beforeAll, describe, expect, it } from 'vitest';
import { planGoose } from '../../src/runners/goose.js';
import { annotationOf, parseGoose } from '../../src/runners/goose-sqlparser.js';
import { loadSqlParser } from '../../src/sql/parse.js';

// goose cuts the Up section into statements at lines ending with ";" (pressly/goose internal/sqlparser/parser.go)
// and executes each piece on its own; pgdrift replays the section as one query, so a cut inside a statement and a
// last statement without ";" (both refused by goose) must be found from the plan.
beforeAll(() => loadSqlParser());

const chunks = (text: string) => parseGoose(text).file?.chunks;
const refusal = (text: string) => parseGoose(text).problem;

describe('parseGoose: the statements goose executes', () => {
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
    expect(parseGoose(text).file).toEqual({
      up: 0,
      down: 12,
      chunks: [
        { startLine: 2, endLine: 5 },
        { startLine: 7, endLine: 10 },
        { startLine: 11, endLine: 12 },
      ],
      dropped: [],
      noTransaction: false,
    });
  });

  it('after a StatementBegin/StatementEnd block with nothing in it, drops the next line that is not a comment or empty', () => {
    // parser.go: the empty block's StatementEnd line is skipped as a comment (the buffer is empty), so the state stays
    // gooseStatementEndUp until the next such line, which is not written to the buffer: an empty statement is stored.
    const text = [
      '-- +goose Up', // 0
      '-- +goose StatementBegin', // 1
      '-- nothing yet', // 2
      '-- +goose StatementEnd', // 3
      '', // 4
      '-- a comment', // 5
      'CREATE TABLE dropped (id int);', // 6
      'CREATE TABLE kept (id int);', // 7
    ].join('\n');
    expect(parseGoose(text).file).toMatchObject({ chunks: [{ startLine: 7, endLine: 8 }], dropped: [6] });
    // an annotation right after the block is read as one: nothing dropped
    expect(parseGoose('-- +goose Up\n-- +goose StatementBegin\n-- +goose StatementEnd\n-- +goose Down\nSELECT 1;\n').file).toMatchObject({ chunks: [], dropped: [] });
  });

  it('refuses a last statement without ";", and a StatementBegin block left open', () => {
    expect(refusal('-- +goose Up\nCREATE TABLE t (id int)\n')).toMatchObject({ line: 2, message: expect.stringMatching(/missing semicolon/) });
    expect(refusal('-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n')).toMatchObject({ line: 2, message: expect.stringMatching(/missing '-- \+goose StatementEnd'/) });
    expect(refusal('-- +goose Up\n-- +goose StatementEnd\n')?.message).toMatch(/without '-- \+goose StatementBegin'/);
  });

  it('reads a ";" followed by a -- comment word as the end of a statement, and ";--x" as not', () => {
    expect(chunks('-- +goose Up\nSELECT 1; -- x\nSELECT 2;--x\nSELECT 3;\n')).toEqual([
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

describe('planGoose: the line goose drops after an empty StatementBegin/StatementEnd block', () => {
  const text = ['-- +goose Up', '-- +goose StatementBegin', '-- +goose StatementEnd', 'CREATE TABLE dropped (id int);\r', 'CREATE TABLE kept (id int);', '-- +goose Down', ''].join('\n');

  it('in a transaction: the section is one part, and the dropped line is emptied from the text sent (its line break kept)', () => {
    const plan = planGoose(text, '00001_t.sql');
    expect(plan.parts).toEqual([{ startLine: 1, endLine: 5, transaction: 'wrapped' }]);
    const start = text.indexOf('CREATE TABLE dropped');
    expect(plan.substitutions).toEqual([{ start, end: start + 'CREATE TABLE dropped (id int);'.length, value: '' }]);
  });

  it('with NO TRANSACTION: the line is in no statement goose sends, nothing to empty', () => {
    const plan = planGoose(`-- +goose NO TRANSACTION\n${text}`, '00001_t.sql');
    expect(plan.parts).toEqual([{ startLine: 5, endLine: 6, transaction: 'implicit' }]);
    expect(plan.substitutions).toBeUndefined();
  });
});

describe('goose annotations: what parser.go extractAnnotation refuses, goose up refuses (at the line, with its words)', () => {
  it('reads annotations as Test_extractAnnotation has them', () => {
    expect(annotationOf('-- +goose Up')).toEqual({ command: 'Up' });
    expect(annotationOf('-- +goose   UP \t')).toEqual({ command: 'Up' });
    expect(annotationOf('-- +goose no transaction')).toEqual({ command: 'NO TRANSACTION' });
    expect(annotationOf('-- a comment about goose')).toBeUndefined();
    expect(annotationOf('SELECT 1; -- +goose Up')).toBeUndefined(); // does not start with --
    expect(annotationOf(' -- +goose   UP \t')).toMatchObject({ error: expect.stringContaining('contains leading whitespace: invalid annotation') });
    expect(annotationOf('\t-- +goose   UP \t')).toMatchObject({ error: expect.stringContaining('contains leading whitespace') });
    expect(annotationOf('-- +goose +goose Up')).toMatchObject({ error: expect.stringContaining("contains multiple '+goose' annotations") });
    expect(annotationOf('-- +goose')).toMatchObject({ error: 'empty annotation' });
    expect(annotationOf('-- +goose unsupported')).toMatchObject({ error: '"unsupported" not supported: invalid annotation' });
  });

  it('a comment that mentions +goose mid-sentence is an annotation to goose, and an unknown one: refused at its line', () => {
    const text = ['-- +goose Up', '-- Note: bodies below use +goose StatementBegin blocks', 'CREATE TABLE t (id int);', ''].join('\n');
    expect(planGoose(text, '00001_t.sql')).toEqual({
      parts: [],
      problem: {
        message: 'goose: failed to parse annotation line "-- Note: bodies below use +goose StatementBegin blocks": "Note: bodies below use  StatementBegin blocks" not supported: invalid annotation',
        line: 2,
        column: 1,
        hint: expect.stringContaining('write the comment without "+goose"'),
      },
    });
  });

  it('an indented annotation, a doubled +goose, a bare -- +goose: refused where they stand, in the Down section too', () => {
    const refusedAt = (text: string) => [planGoose(text).problem?.line, planGoose(text).problem?.message];
    expect(refusedAt('-- +goose Up\n  -- +goose StatementBegin\nSELECT 1;\n  -- +goose StatementEnd\n')).toEqual([2, expect.stringContaining('contains leading whitespace')]);
    expect(refusedAt('-- +goose Up\nSELECT 1;\n-- +goose +goose Down\n')).toEqual([3, expect.stringContaining("multiple '+goose' annotations")]);
    expect(refusedAt('-- +goose Up\nSELECT 1;\n-- +goose Down\n-- +goose\nSELECT 2;\n')).toEqual([4, expect.stringContaining('empty annotation')]);
    expect(refusedAt('-- +goose Up\nSELECT 1;\n-- +goose Down\n-- +goose Downgrade\n')).toEqual([4, expect.stringContaining('"Downgrade" not supported')]);
  });

  it('the order of annotations goose requires, in the whole file', () => {
    const refusedAt = (text: string) => [planGoose(text).problem?.line, planGoose(text).problem?.message];
    expect(refusedAt('-- +goose StatementBegin\n-- +goose Up\nSELECT 1;\n')).toEqual([1, expect.stringContaining("must be defined after '-- +goose Up' or '-- +goose Down'")]);
    expect(refusedAt('-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 2;\n-- +goose Down\n')).toEqual([5, expect.stringContaining("a second '-- +goose Down'")]);
    expect(refusedAt('-- +goose Up\nSELECT 1;\n-- +goose Down\n-- +goose StatementEnd\n')).toEqual([4, expect.stringContaining("without '-- +goose StatementBegin'")]);
    expect(refusedAt('-- +goose Up\nSELECT 1;\n-- +goose Down\n-- +goose StatementBegin\nSELECT 2;\n')).toEqual([4, expect.stringContaining("missing '-- +goose StatementEnd'")]);
    expect(refusedAt('-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n-- +goose Down\n')).toEqual([2, expect.stringContaining('not closed before')]);
    // what goose accepts: blocks in both sections, annotations in any case
    expect(planGoose('-- +goose up\n-- +goose statementbegin\nSELECT 1;\n-- +goose statementend\n-- +goose down\n-- +goose StatementBegin\nSELECT 2;\n-- +goose StatementEnd\n').problem).toBeUndefined();
  });

  it('ENVSUB expands the Down section too: a $ goose cannot expand there fails goose up', () => {
    const text = '-- +goose Up\n-- +goose ENVSUB ON\nCREATE TABLE t (id int);\n-- +goose Down\nSELECT $1;\n';
    expect(planGoose(text, '00001_t.sql', undefined, { env: {} }).problem).toMatchObject({ line: 5, column: 8, message: expect.stringContaining('variable substitution failed') });
  });
});
