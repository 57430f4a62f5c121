import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/commands/lint.js';

function project(files: Record<string, string>, config: object = { preset: 'recommended' }): string {
  const root = mkdtempSync(path.join(tmpdir(), 'pgdrift-lint-'));
  mkdirSync(path.join(root, 'migrations'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, 'migrations', name), text);
  writeFileSync(path.join(root, 'pgdrift.config.json'), JSON.stringify(config));
  return root;
}
const show = (findings: Array<{ file: string; line: number; column: number; rule: string; message: string }>) =>
  findings.map((f) => `${f.file.replace('migrations/', '')}:${f.line}:${f.column} ${f.rule}: ${f.message}`);
const users = 'CREATE TABLE users (id uuid PRIMARY KEY, legacy text, age int);\n';

describe('suppressions', () => {
  it('silences the next statement when the comment gives a reason', async () => {
    const root = project({
      '001_users.sql': users,
      '002_cleanup.sql': '-- pgdrift-ignore drop-column: nothing reads legacy since 2.4\nALTER TABLE users\n  DROP COLUMN legacy;\nALTER TABLE users DROP COLUMN age;\n',
    });
    const result = await lint({ cwd: root });
    expect(show(result.findings)).toEqual(['002_cleanup.sql:4:19 drop-column: drops column age of users and its data']);
    expect(result.suppressed).toBe(1);
  });

  it('still silences without a reason, but reports the missing reason', async () => {
    const root = project({ '001_users.sql': users, '002_cleanup.sql': '-- pgdrift-ignore drop-column\nALTER TABLE users DROP COLUMN legacy;\n' });
    const result = await lint({ cwd: root });
    expect(show(result.findings)).toEqual(['002_cleanup.sql:1:1 suppression-reason: pgdrift-ignore drop-column has no reason']);
    expect(result.suppressed).toBe(1);
  });

  it('reports a suppression that silences nothing, and one naming an unknown rule', async () => {
    const root = project({
      '001_users.sql': users,
      '002_x.sql': '-- pgdrift-ignore drop-table: not needed\nALTER TABLE users DROP COLUMN legacy;\n-- pgdrift-ignore-file no-such-rule: typo\n',
    });
    const result = await lint({ cwd: root });
    expect(show(result.findings)).toEqual([
      '002_x.sql:1:1 unused-suppression: pgdrift-ignore drop-table silences nothing on the next statement',
      '002_x.sql:2:19 drop-column: drops column legacy of users and its data',
      '002_x.sql:3:1 unused-suppression: pgdrift-ignore-file names an unknown rule "no-such-rule"',
    ]);
  });

  it('pgdrift-ignore-file silences a rule in the whole file, several rules at once', async () => {
    const root = project({
      '001_users.sql': users,
      '002_x.sql': '-- pgdrift-ignore-file drop-column, rename-column: users is rebuilt in this release\nALTER TABLE users DROP COLUMN legacy;\nALTER TABLE users RENAME COLUMN age TO years;\nALTER TABLE users DROP COLUMN years;\n',
    });
    const result = await lint({ cwd: root });
    expect(result.findings).toEqual([]);
    expect(result.suppressed).toBe(3);
  });
});

describe('baseline', () => {
  it('writes, filters and prunes by fingerprint, never by line number', async () => {
    const root = project({ '001_users.sql': users, '002_cleanup.sql': 'ALTER TABLE users DROP COLUMN legacy;\nALTER TABLE users DROP COLUMN age;\n' });
    const written = await lint({ cwd: root, writeBaseline: true });
    expect(written).toMatchObject({ findings: [], baselined: 2, exitCode: 0 });
    const baselineFile = path.join(root, 'pgdrift-baseline.json');
    const first = JSON.parse(readFileSync(baselineFile, 'utf8'));
    expect(first.entries.map((e: any) => [e.rule, e.file, e.count])).toEqual([
      ['drop-column', 'migrations/002_cleanup.sql', 1],
      ['drop-column', 'migrations/002_cleanup.sql', 1],
    ]);
    expect(JSON.stringify(first)).not.toMatch(/"line"/);

    // Lines shift and a new problem appears: only the new one is reported.
    writeFileSync(path.join(root, 'migrations', '002_cleanup.sql'), '-- moved down\n\nALTER TABLE users DROP COLUMN legacy;\nALTER   TABLE users\n  DROP COLUMN age;\n');
    writeFileSync(path.join(root, 'migrations', '003_more.sql'), 'ALTER TABLE users RENAME COLUMN id TO user_id;\n');
    const later = await lint({ cwd: root });
    expect(show(later.findings)).toEqual(['003_more.sql:1:1 rename-column: renames column users.id to user_id']);
    expect(later.baselined).toBe(2);

    // One legacy finding goes away: writing again prunes it and adds the new one.
    writeFileSync(path.join(root, 'migrations', '002_cleanup.sql'), 'ALTER TABLE users DROP COLUMN legacy;\n');
    await lint({ cwd: root, writeBaseline: true });
    const pruned = JSON.parse(readFileSync(baselineFile, 'utf8'));
    expect(pruned.entries.map((e: any) => [e.rule, e.file])).toEqual([
      ['drop-column', 'migrations/002_cleanup.sql'],
      ['rename-column', 'migrations/003_more.sql'],
    ]);
    expect((await lint({ cwd: root })).findings).toEqual([]);
  });

  it('lets a legacy history adopt the gate: errors are baselined, exit 0, new mistakes exit 1', async () => {
    const root = project({ '001_a.sql': users, '001_b.sql': 'CREATE TABLE t (id uuid PRIMARY KEY, status text);\n' }, {});
    expect((await lint({ cwd: root })).exitCode).toBe(1);
    await lint({ cwd: root, writeBaseline: true });
    expect((await lint({ cwd: root })).exitCode).toBe(0);
    writeFileSync(path.join(root, 'migrations', '002_c.sql'), 'CREATE TABLE u (id uuid PRIMARY KEY, tenant_id uuid);\n');
    const result = await lint({ cwd: root, preset: 'recommended' });
    expect(result.exitCode).toBe(0);
    expect((await lint({ cwd: root, preset: 'recommended', maxWarnings: 0 })).exitCode).toBe(0);
    writeFileSync(path.join(root, 'migrations', '003_d.sql'), 'UPDATE u SET id = id;\n');
    expect((await lint({ cwd: root, preset: 'recommended', maxWarnings: 0 })).exitCode).toBe(1);
  });
});
