import { describe, expect, it } from 'vitest';
import { lint } from '../../src/commands/lint.js';
import { atlasHashFile, atlasSumText } from '../../src/runners/atlas.js';
import { pgdriftRulesOf } from '../../src/runners/atlas-nolint.js';
import { tempProjects } from '../helpers/project.js';

/**
 * `-- atlas:nolint` on an atlas project (ariga/atlas cmd/atlas/internal/migratelint/lint.go nolintRules, reporterFor;
 * sql/migrate/lex.go Stmt.Directive and Scanner.comment; dir.go LocalFile.Directive): pgdrift's findings are
 * suppressed where Atlas's would be.
 */
const project = tempProjects();
const FIRST = 'CREATE TABLE t (id bigint PRIMARY KEY, a int, b int, c int);\n';

/** An atlas project whose second migration is `second`, with the atlas.sum `atlas migrate hash` writes. */
async function findings(second: string, runner = 'atlas') {
  const files: Record<string, string> = { '20240101000000_init.sql': FIRST, '20240102000000_change.sql': second };
  const names = Object.keys(files).sort();
  const sum = atlasSumText(atlasHashFile(names.map((name) => ({ name, bytes: Buffer.from(files[name]) }))));
  const p = project({
    'pgdrift.config.json': JSON.stringify({ migrations: 'migrations', runner }),
    ...Object.fromEntries(Object.entries(files).map(([name, text]) => [`migrations/${name}`, text])),
    ...(runner === 'atlas' ? { 'migrations/atlas.sum': sum } : {}),
  });
  const result = await lint({ cwd: p.root, today: '2026-01-01' });
  const of = (rules: string[]) => result.findings.filter((f) => rules.includes(f.rule) && f.file.endsWith('change.sql')).map((f) => `${f.rule}@${f.line}`);
  return { found: of(['drop-column', 'rename-column', 'set-not-null']), unused: of(['unused-suppression']), suppressed: result.suppressed };
}

describe('-- atlas:nolint on a statement', () => {
  it('a bare directive right above a statement suppresses every finding there; the next statement keeps its findings', async () => {
    const result = await findings('-- atlas:nolint\nALTER TABLE t DROP COLUMN a;\nALTER TABLE t DROP COLUMN b;\n');
    expect(result.found).toEqual(['drop-column@3']);
    expect(result.suppressed).toBe(1);
    expect(result.unused).toEqual([]); // Atlas's comments, not pgdrift's: never "unused"
    // in the comment group with other comments, and as --atlas:nolint
    expect((await findings('-- drop it\n--atlas:nolint\n-- really\nALTER TABLE t DROP COLUMN a;\n')).found).toEqual([]);
  });

  it('not where Atlas reads none: after an empty line, with another prefix, inside the statement, or on another runner', async () => {
    expect((await findings('SELECT 1;\n-- atlas:nolint\n\nALTER TABLE t DROP COLUMN a;\nALTER TABLE t DROP COLUMN b;\n')).found).toEqual(['drop-column@4', 'drop-column@5']);
    expect((await findings('SELECT 1;\n--  atlas:nolint\nALTER TABLE t DROP COLUMN a;\n')).found).toEqual(['drop-column@3']);
    expect((await findings('SELECT 1;\n/* atlas:nolint */\nALTER TABLE t DROP COLUMN a;\n')).found).toEqual(['drop-column@3']);
    expect((await findings('ALTER TABLE t\n-- atlas:nolint\nDROP COLUMN a;\n')).found).toEqual(['drop-column@3']);
    expect((await findings('-- atlas:nolint\nALTER TABLE t DROP COLUMN a;\n', 'numbered')).found).toEqual(['drop-column@2']);
  });
});

describe('-- atlas:nolint for the whole file', () => {
  it('one bare directive in the comments at the top, followed by an empty line, suppresses the file', async () => {
    const body = 'ALTER TABLE t DROP COLUMN a;\nALTER TABLE t RENAME COLUMN b TO bb;\n';
    expect((await findings(`-- atlas:nolint\n\n${body}`)).found).toEqual([]);
    expect((await findings(`-- Drop the old columns.\n-- atlas:nolint\n\n${body}`)).found).toEqual([]);
    // without the empty line it is the first statement's directive only
    expect((await findings(`-- atlas:nolint\n${body}`)).found).toEqual(['rename-column@3']);
    // two bare file directives skip nothing (nolintRules: len(ds) == 1)
    expect((await findings(`-- atlas:nolint\n-- atlas:nolint\n\n${body}`)).found).toEqual(['drop-column@4', 'rename-column@5']);
  });

  it('a file directive with codes applies them to every statement', async () => {
    const result = await findings('-- atlas:nolint DS103\n\nALTER TABLE t DROP COLUMN a;\nALTER TABLE t RENAME COLUMN b TO bb;\nALTER TABLE t DROP COLUMN c;\n');
    expect(result.found).toEqual(['rename-column@4']);
    expect(result.suppressed).toBe(2);
  });
});

describe('-- atlas:nolint <codes>', () => {
  it('suppresses the pgdrift rules of the Atlas checks it names (code or analyzer), and nothing for a check pgdrift has no rule for', async () => {
    const drop = 'ALTER TABLE t DROP COLUMN a;\n';
    expect((await findings(`-- atlas:nolint DS103\n${drop}`)).found).toEqual([]);
    expect((await findings(`-- atlas:nolint destructive\n${drop}`)).found).toEqual([]);
    expect((await findings(`/*atlas:nolint BC102 DS103*/\n${drop}`)).found).toEqual([]);
    expect((await findings(`-- atlas:nolint BC102\n${drop}`)).found).toEqual(['drop-column@2']);
    expect((await findings(`-- atlas:nolint CD101\n${drop}`)).found).toEqual(['drop-column@2']);
    expect((await findings(`-- atlas:nolint drop-column\n${drop}`)).found).toEqual(['drop-column@2']); // a pgdrift id is not an Atlas word
    expect((await findings('-- atlas:nolint BC102\nALTER TABLE t RENAME COLUMN b TO bb;\n-- atlas:nolint MF104\nALTER TABLE t ALTER COLUMN c SET NOT NULL;\n')).found).toEqual([]);
    // a bare directive with a coded one on the same statement is no longer bare (reporterFor: len(rules) == 1)
    expect((await findings(`-- atlas:nolint\n-- atlas:nolint BC102\n${drop}`)).found).toEqual(['drop-column@3']);
  });

  it('maps only the checks whose change a pgdrift rule reports', () => {
    expect(pgdriftRulesOf(['DS102', 'DS103', 'MF103', 'MF104', 'BC101', 'BC102', 'PG101', 'PG102', 'PG103'])).toEqual([
      'drop-table', 'drop-column', 'add-required-column', 'set-not-null', 'rename-table', 'rename-column', 'require-concurrent-index', 'drop-index-concurrently', 'concurrent-index-in-transaction',
    ]);
    expect(pgdriftRulesOf(['DS101', 'MF101', 'MF102', 'CD101', 'condrop', 'naming', 'NM101', ''])).toEqual([]);
  });
});
