import { describe, expect, it } from 'vitest';
import { lintMemory } from '../../fixtures/lint/helpers.js';

describe('syntax-error', () => {
  it("reports libpg-query's exact position, in characters, after multibyte text", () => {
    const findings = lintMemory(["-- é 😀\nCREATE TABLE a (id int);\nSELECT 'é😀' AS a b;", 'CREATE TABLE b (id int PRIMARY KEY);'], { rules: ['syntax-error'] });
    expect(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.message}`)).toEqual(['migrations/001_m.sql:3:18 syntax-error syntax error at or near "b"']);
  });
  it('reports an unterminated string', () => {
    const findings = lintMemory("SELECT 'oops;\n", { rules: ['syntax-error'] });
    expect(findings.map((f) => [f.line, f.column, f.message])).toEqual([[1, 8, 'unterminated quoted string at or near "\'oops;\n"']]);
  });
});
