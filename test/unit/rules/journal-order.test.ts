import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../../src/commands/lint.js';
import { runRules } from '../../../src/lint/engine.js';
import { DEFAULT_FILE_NAME_PATTERN } from '../../../src/lint/config.js';
import type { SinceSnapshot } from '../../../src/lint/define-rule.js';
import { loadSqlParser } from '../../../src/sql/parse.js';
import { memoryMigration } from '../../fixtures/lint/helpers.js';
import { REPO_ROOT, runCli } from '../../helpers/cli.js';
import { tempProject } from '../../helpers/project.js';

beforeAll(() => loadSqlParser());

const SQL = 'CREATE TABLE t (id bigint PRIMARY KEY);\n';

/** A drizzle-kit journal as drizzle-kit writes it, one entry per `when`, tags 0000_m0, 0001_m1, ... */
function drizzleProject(whens: number[], sql: (tag: string) => string = () => SQL) {
  const tags = whens.map((_, i) => `${String(i).padStart(4, '0')}_m${i}`);
  const journal = {
    version: '7',
    dialect: 'postgresql',
    entries: whens.map((when, idx) => ({ idx, version: '7', when, tag: tags[idx], breakpoints: true })),
  };
  return tempProject({
    'drizzle/meta/_journal.json': `${JSON.stringify(journal, null, 2)}\n`,
    ...Object.fromEntries(tags.map((tag) => [`drizzle/${tag}.sql`, sql(tag)])),
  });
}

async function journalOrder(whens: number[], options: { runner?: string; sql?: (tag: string) => string; files?: string[] } = {}) {
  const project = drizzleProject(whens, options.sql);
  try {
    const result = await lint({ cwd: project.root, today: '2026-01-01', runner: options.runner, files: options.files?.map((f) => path.join(project.root, f)) });
    return { ...result, findings: result.findings.filter((f) => f.rule === 'journal-order') };
  } finally {
    project.cleanup();
  }
}

/** A journal entry's "when" value sits on line 8 + 7 * idx of JSON.stringify(journal, null, 2). */
const whenLine = (idx: number) => 8 + 7 * idx;

describe('journal-order', () => {
  it("reports an entry whose when is below an earlier entry's, at its when in meta/_journal.json (lobe-chat 0043_add_course_management)", async () => {
    const result = await journalOrder([1704067200000, 1761900934000, 1730361600000, 1761900935000]);
    expect(result.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.message}`)).toEqual([
      `drizzle/meta/_journal.json:${whenLine(2)}:15 error 0002_m2 has "when" 1730361600000, below 0001_m1's 1761900934000: drizzle applies an entry only if its "when" is above the newest one recorded in __drizzle_migrations, so 0002_m2 runs on a fresh database but is skipped, without an error, on every database that applied 0001_m1 in an earlier run`,
    ]);
    expect(result.exitCode).toBe(1);
  });

  it('reports an equal when (drizzle compares with <), naming the entry that holds the highest when', async () => {
    const equal = await journalOrder([100, 200, 200]);
    expect(equal.findings.map((f) => f.message)).toEqual([expect.stringMatching(/^0002_m2 has "when" 200, equal to 0001_m1's 200: /)]);
    const both = await journalOrder([300, 100, 100]);
    expect(both.findings.map((f) => f.message.split(':')[0])).toEqual(['0001_m1 has "when" 100, below 0000_m0\'s 300', '0002_m2 has "when" 100, below 0000_m0\'s 300']);
  });

  it('accepts an increasing journal (the drizzle fixture) and is off for other runners', async () => {
    expect((await lint({ cwd: path.join(REPO_ROOT, 'test/fixtures/runners/drizzle'), today: '2026-01-01' })).findings.filter((f) => f.rule === 'journal-order')).toEqual([]);
    expect((await journalOrder([100, 200, 300])).findings).toEqual([]);
    for (const runner of ['goose', 'golang-migrate', 'flyway', 'postgres-migrations']) {
      const result = await lint({ cwd: path.join(REPO_ROOT, 'test/fixtures/runners', runner), today: '2026-01-01' });
      expect(result.findings.filter((f) => f.rule === 'journal-order'), runner).toEqual([]);
    }
    // the same folder read by another runner: the journal is not its bookkeeping, nothing to say
    expect((await journalOrder([300, 100], { runner: 'numbered' })).findings).toEqual([]);
  });

  it('is suppressed by pgdrift-ignore-file in the skipped migration, and reported when that migration is linted by name', async () => {
    const ignore = (tag: string) => (tag === '0001_m1' ? `-- pgdrift-ignore-file journal-order: applied by hand on every database (OPS-12)\n${SQL}` : SQL);
    const suppressed = await journalOrder([300, 100], { sql: ignore });
    expect(suppressed.findings).toEqual([]);
    expect(suppressed.suppressed).toBe(1);
    expect((await journalOrder([300, 100], { files: ['drizzle/0001_m1.sql'] })).findings).toHaveLength(1);
    expect((await journalOrder([300, 100], { files: ['drizzle/0000_m0.sql'] })).findings).toEqual([]);
  });

  it('the repro through the CLI: exit 1, the finding at the journal line', async () => {
    const project = drizzleProject([1761900934000, 1730361600000, 1730361600000]);
    try {
      const result = await runCli(['lint', '-C', project.root]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`drizzle/meta/_journal.json:${whenLine(1)}:15 error journal-order 0001_m1 has "when" 1730361600000, below 0000_m0's 1761900934000`);
      expect(result.stdout).toContain(`drizzle/meta/_journal.json:${whenLine(2)}:15 error journal-order 0002_m2 has "when" 1730361600000, below 0000_m0's 1761900934000`);
    } finally {
      project.cleanup();
    }
  });
});

describe('journal-order with --since', () => {
  /** migrations 0000_m0... with journal entries at meta/_journal.json line idx + 1 */
  const history = (whens: number[]) =>
    whens.map((when, idx) => ({
      ...memoryMigration(`${String(idx).padStart(4, '0')}_m${idx}.sql`, SQL, 'drizzle'),
      journal: { file: 'drizzle/meta/_journal.json', idx, when, line: idx + 1, column: 1 },
    }));
  const run = (whens: number[], merged: number) => {
    const migrations = history(whens);
    const since: SinceSnapshot = { ref: 'main', folder: 'drizzle', files: new Map(migrations.slice(0, merged).map((m) => [m.file, SQL])) };
    return runRules({
      root: '/virtual',
      migrations,
      severities: new Map([['journal-order', 'error']]),
      options: { fileNamePattern: new RegExp(DEFAULT_FILE_NAME_PATTERN), forbiddenFiles: [], numberRange: [1, 999], today: '2026-01-01' },
      since,
    }).findings.map((f) => `${f.line} ${f.message.split(':')[0]} | ${f.help.split(':')[0]}`);
  };

  it('reports a new entry below a merged one, with the help for an entry deployed nowhere', () => {
    expect(run([100, 300, 200], 2)).toEqual(['3 0002_m2 has "when" 200, below 0001_m1\'s 300 | give 0002_m2 a "when" above 300']);
  });

  it('reports a merged entry below a merged one (databases already skipped it)', () => {
    expect(run([300, 100, 400], 3)).toEqual(['2 0001_m1 has "when" 100, below 0000_m0\'s 300 | if 0001_m1 is deployed nowhere yet, give it a "when" above 300; databases that skipped it never ran its SQL']);
  });

  it('does not report a merged entry for a new entry placed before it: databases that have the merged one ran it already', () => {
    // 0000_m0 is new (only 0001_m1 is on main), an insertion new-migration-number reports by its number
    const migrations = history([300, 100]);
    const since: SinceSnapshot = { ref: 'main', folder: 'drizzle', files: new Map([[migrations[1].file, SQL]]) };
    const { findings } = runRules({
      root: '/virtual',
      migrations,
      severities: new Map([['journal-order', 'error']]),
      options: { fileNamePattern: new RegExp(DEFAULT_FILE_NAME_PATTERN), forbiddenFiles: [], numberRange: [1, 999], today: '2026-01-01' },
      since,
    });
    expect(findings).toEqual([]);
  });
});
