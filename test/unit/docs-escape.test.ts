import { marked } from 'marked';
import { describe, expect, test } from 'vitest';
import { mdCode, mdCodeBlock, mdLink, mdText } from '../../src/docs/escape.js';
import { tableCells } from '../fixtures/docs/golden.js';

describe('mdText: a value from the database printed as Markdown text', () => {
  test('a pipe is escaped so it cannot end a table cell', () => {
    expect(mdText('a | b')).toBe('a \\| b');
    expect(tableCells(`| ${mdText('a | b | c')} | next |`)).toHaveLength(2);
  });

  test('HTML cannot be injected: < and > become entities', () => {
    expect(mdText('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  test('a newline becomes <br>, so a row stays on one line', () => {
    expect(mdText('first line\nsecond line\r\nthird')).toBe('first line<br>second line<br>third');
    expect(mdText('trailing\n')).toBe('trailing');
  });

  test('backticks, emphasis and link brackets are escaped', () => {
    expect(mdText('use `rm -rf` *now* [here]')).toBe('use \\`rm -rf\\` \\*now\\* \\[here\\]');
  });

  test('underscores inside identifiers are left alone, at word edges they are escaped', () => {
    expect(mdText('organization_users')).toBe('organization_users');
    expect(mdText('_private_')).toBe('\\_private\\_');
  });

  test('an entity-looking text and a backslash survive literally', () => {
    expect(mdText('&lt; is not <')).toBe('&amp;lt; is not &lt;');
    expect(mdText('C:\\temp')).toBe('C:\\\\temp');
    expect(mdText('A & B')).toBe('A & B');
  });

  test('a line that would start a heading or a list is escaped', () => {
    expect(mdText('# not a heading')).toBe('\\# not a heading');
    expect(mdText('x\n- not a list')).toBe('x<br>\\- not a list');
  });

  // rendered by marked (GFM) as GitHub renders a cell: `\1.` showed its backslash, `~x~` was struck through
  test('an ordered-list start is escaped at its dot, so no backslash shows; tildes and dollars stay literal', () => {
    expect(mdText('1. first\n2) second')).toBe('1\\. first<br>2\\) second');
    expect(marked.parseInline(mdText('1. first'))).toBe('1. first');
    expect(mdText('  - indented')).toBe('\\- indented');
    expect(mdText('matches ~foo~ only')).toBe('matches \\~foo\\~ only');
    expect(marked.parseInline(mdText('matches ~foo~ only'))).toBe('matches ~foo~ only');
    // GitHub renders $...$ as math: `($1,$2)` would lose its dollars
    expect(mdText('called as f($1,$2)')).toBe('called as f(\\$1,\\$2)');
    expect(marked.parseInline(mdText('called as f($1,$2)'))).toBe('called as f($1,$2)');
  });

  test('null and undefined print as nothing', () => {
    expect(mdText(null)).toBe('');
    expect(mdText(undefined)).toBe('');
  });
});

describe('mdCode: a code span on one line', () => {
  test('plain text', () => {
    expect(mdCode('now()')).toBe('`now()`');
  });

  test('backticks inside get a longer fence, padded when at an edge', () => {
    expect(mdCode("'a `b` c'")).toBe("``'a `b` c'``");
    expect(mdCode('`x`')).toBe('`` `x` ``');
  });

  test('a pipe is escaped even inside the span (GFM splits cells first)', () => {
    expect(mdCode("'a|b'")).toBe("`'a\\|b'`");
    expect(tableCells(`| ${mdCode('x || y')} | z |`)).toHaveLength(2);
  });

  test('newlines are folded into spaces', () => {
    expect(mdCode('CHECK (a > 0\n  AND b > 0)')).toBe('`CHECK (a > 0 AND b > 0)`');
  });

  test('empty and null print as nothing', () => {
    expect(mdCode(null)).toBe('');
    expect(mdCode('')).toBe('');
  });
});

test('mdCodeBlock: the fence is longer than any backtick run in the body', () => {
  expect(mdCodeBlock('SELECT 1')).toBe('```sql\nSELECT 1\n```');
  expect(mdCodeBlock('x ```` y')).toBe('`````sql\nx ```` y\n`````');
});

test('mdLink: the label is escaped, spaces and parentheses in the target are encoded', () => {
  expect(mdLink('a|b', 'tables/x (1).md')).toBe('[a\\|b](tables/x%20%281%29.md)');
});
