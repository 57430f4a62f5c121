import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runRules, compareFindings, type EngineFinding } from '../../src/lint/engine.js';
import { rules } from '../../src/lint/rules/index.js';
import { DEFAULT_FILE_NAME_PATTERN } from '../../src/lint/config.js';
import { freeSyntaxTrees, loadSqlParser, parseSql, type ParsedSql } from '../../src/sql/parse.js';
import { memoryMigration } from '../fixtures/lint/helpers.js';

/**
 * The lint engine frees each file's syntax trees after the file's statement pass (so a long history's trees die
 * young), but only for files it parsed itself: a caller that gave its own parse (check's pipeline) reads the trees
 * again afterwards. Whatever rules read after the pass (project and end-state rules, suppressions, baseline
 * fingerprints) must give the same findings as when every tree stays alive.
 */
const folder = fileURLToPath(new URL('../fixtures/messy-history/migrations', import.meta.url));
const migrations = () => readdirSync(folder).sort().map((name) => memoryMigration(name, readFileSync(`${folder}/${name}`, 'utf8')));
// every rule, so project, file, statement and schema rules all run
const severities = new Map(rules.map((rule) => [rule.id, 'warning' as const]));
// a finding's fix computes its edits when `lint --fix` asks, after the engine's pass: compare what it computes
const settled = (findings: EngineFinding[]) => findings.sort(compareFindings).map(({ fix, ...finding }) => ({ ...finding, fix: fix && { title: fix.title, edits: fix.edits() } }));
const options = { fileNamePattern: new RegExp(DEFAULT_FILE_NAME_PATTERN), forbiddenFiles: ['database/schema.sql'], numberRange: [1, 999] as [number, number], today: '2025-11-25' };

beforeAll(loadSqlParser);

describe('the lint engine and the syntax trees', () => {
  it('finds the same with the trees freed file by file as with every tree kept by the caller', () => {
    const freed = settled(runRules({ root: '/virtual', migrations: migrations(), severities, options }).findings);
    const history = migrations();
    const kept = settled(
      runRules({
        root: '/virtual',
        migrations: history,
        parsedMigrations: new Map(history.map((m) => [m.file, parseSql(m.text, m.file)])),
        severities,
        options,
      }).findings,
    );
    expect(freed).toEqual(kept);
    // a meaningful comparison: findings of every scope, and fingerprints taken from a statement's text
    const scopes = new Set(freed.map((f) => rules.find((rule) => rule.id === f.rule)?.scope));
    expect([...scopes].sort()).toEqual(['file', 'project', 'schema', 'statement']);
    expect(freed.some((f) => f.object === undefined && f.fingerprintKey !== f.message)).toBe(true);
    expect(freed.filter((f) => f.fix?.edits).length).toBeGreaterThan(0);
  });

  it("leaves the trees of the files its caller parsed, and frees only its own", () => {
    const history = migrations();
    const given = new Map<string, ParsedSql>(history.slice(0, 5).map((m) => [m.file, parseSql(m.text, m.file)]));
    runRules({ root: '/virtual', migrations: history, parsedMigrations: given, severities, options });
    for (const parsed of given.values()) for (const statement of parsed.statements) expect(statement.ast).toBeDefined();
  });

  it('freeSyntaxTrees keeps text, positions and meta-commands', () => {
    const parsed = parseSql('\\set ON_ERROR_STOP on\nCREATE TABLE t (id int);\n  ALTER TABLE t ADD COLUMN x int;\n', 'migrations/001_t.sql');
    const before = parsed.statements.map(({ text, byteStart, byteEnd, line, column, kind }) => ({ text, byteStart, byteEnd, line, column, kind }));
    freeSyntaxTrees(parsed);
    expect(parsed.statements.map(({ text, byteStart, byteEnd, line, column, kind }) => ({ text, byteStart, byteEnd, line, column, kind }))).toEqual(before);
    expect(parsed.statements.map((s) => [s.ast, s.node])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
    ]);
    expect(parsed.metaCommands.map((m) => m.command)).toEqual(['set']);
  });
});
