import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/commands/lint.js';

const header = (n: string) => `-- Migration ${n}: Step ${n}\n-- Purpose: test\n-- Created: 2025-01-01\n\n`;

function gitRepo(): { root: string; git: (...args: string[]) => string } {
  const root = mkdtempSync(path.join(tmpdir(), 'pgdrift-since-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.org', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: root }).toString();
  git('init', '-q', '-b', 'main');
  mkdirSync(path.join(root, 'migrations'));
  for (const n of ['001', '002', '003']) {
    writeFileSync(path.join(root, 'migrations', `${n}_step.sql`), `${header(n)}CREATE TABLE IF NOT EXISTS t${n} (id uuid PRIMARY KEY);\n`);
  }
  git('add', '.');
  git('commit', '-q', '-m', 'merged history');
  git('checkout', '-q', '-b', 'feature');
  return { root, git };
}
const show = (findings: Array<{ file: string; line: number; column: number; rule: string; message: string }>) =>
  findings.filter((f) => f.rule === 'immutable-history' || f.rule === 'new-migration-number').map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}: ${f.message}`);

describe('--since <ref>', () => {
  it('finds an edited merged file and a new file with a taken number', async () => {
    const { root } = gitRepo();
    writeFileSync(path.join(root, 'migrations', '002_step.sql'), `${header('002')}CREATE TABLE IF NOT EXISTS t002 (id uuid PRIMARY KEY, x text);\n`);
    writeFileSync(path.join(root, 'migrations', '003_other.sql'), `${header('003')}CREATE TABLE IF NOT EXISTS o (id uuid PRIMARY KEY);\n`);
    writeFileSync(path.join(root, 'migrations', '004_next.sql'), `${header('004')}CREATE TABLE IF NOT EXISTS n (id uuid PRIMARY KEY);\n`);
    const result = await lint({ cwd: root, since: 'main' });
    expect(show(result.findings)).toEqual([
      'migrations/002_step.sql:5:1 immutable-history: 002_step.sql was edited after it was merged (differs from main)',
      'migrations/003_other.sql:1:1 new-migration-number: new migration number 003 is not above 003_step.sql, the highest on main',
    ]);
    expect(result.exitCode).toBe(1);
  });

  it('finds a deleted and a renamed merged file; an untouched history is clean', async () => {
    const { root, git } = gitRepo();
    expect(show((await lint({ cwd: root, since: 'main' })).findings)).toEqual([]);
    rmSync(path.join(root, 'migrations', '003_step.sql'));
    renameSync(path.join(root, 'migrations', '001_step.sql'), path.join(root, 'migrations', '001_first_step.sql'));
    git('add', '-A');
    git('commit', '-q', '-m', 'oops');
    expect(show((await lint({ cwd: root, since: 'main' })).findings)).toEqual([
      'migrations/001_first_step.sql:1:1 immutable-history: 001_first_step.sql is 001_step.sql renamed (merged on main)',
      'migrations/001_first_step.sql:1:1 new-migration-number: new migration number 001 is not above 003_step.sql, the highest on main',
      'migrations/003_step.sql:1:1 immutable-history: 003_step.sql was deleted, but it is merged on main',
    ]);
  });

  it('rejects an unknown ref as an input error', async () => {
    const { root } = gitRepo();
    await expect(lint({ cwd: root, since: 'no-such-branch' })).rejects.toThrow(/--since no-such-branch/);
  });
});
