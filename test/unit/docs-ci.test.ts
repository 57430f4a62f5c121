import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';

/** A GitHub Actions workflow, parsed (YAML 1.2: `on` stays a string key). */
function workflow(file: string): any {
  return parse(readFileSync(file, 'utf8'), { strict: true, uniqueKeys: true });
}

const steps = (wf: any, job: string): any[] => wf.jobs[job].steps;
const runs = (wf: any, job: string): string => steps(wf, job).map((s: any) => s.run ?? '').join('\n');

describe('docs/ci/pull-request.yml', () => {
  const wf = workflow('docs/ci/pull-request.yml');

  test('runs on pull requests with read-only permissions', () => {
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.permissions).toEqual({ contents: 'read' });
  });

  test('checks out, installs, runs pgdrift check and docs --check', () => {
    const uses = steps(wf, 'check').map((s: any) => s.uses).filter(Boolean);
    expect(uses[0]).toMatch(/^actions\/checkout@v\d+$/);
    expect(uses).toContainEqual(expect.stringMatching(/^actions\/setup-node@v\d+$/));
    expect(runs(wf, 'check')).toMatch(/npm ci[\s\S]*npx pgdrift check[\s\S]*npx pgdrift docs --check/);
    for (const step of steps(wf, 'check')) expect(step.name, JSON.stringify(step)).toBeTruthy();
  });
});

describe('docs/ci/nightly-snapshot.yml', () => {
  const wf = workflow('docs/ci/nightly-snapshot.yml');

  test('runs nightly and on demand, may push a branch and open a pull request', () => {
    expect(wf.on.schedule[0].cron).toMatch(/^\S+ \S+ \* \* \*$/);
    expect(wf.on).toHaveProperty('workflow_dispatch');
    expect(wf.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
  });

  test('runs pgdrift snapshot, then opens a pull request with git and gh only when files changed', () => {
    const all = steps(wf, 'snapshot');
    const snapshotIndex = all.findIndex((s: any) => /npx pgdrift snapshot/.test(s.run ?? ''));
    const prStep = all.find((s: any) => /gh pr create/.test(s.run ?? ''));
    expect(snapshotIndex).toBeGreaterThan(0);
    expect(all.indexOf(prStep)).toBeGreaterThan(snapshotIndex);
    expect(prStep.env.GH_TOKEN).toBe('${{ secrets.GITHUB_TOKEN }}');
    expect(prStep.run).toMatch(/git status --porcelain/);
    expect(prStep.run).toMatch(/exit 0/);
    expect(prStep.run).toMatch(/git push/);
    // only git, gh and shell builtins: no third-party pull-request action
    expect(all.map((s: any) => s.uses).filter(Boolean).every((u: string) => u.startsWith('actions/'))).toBe(true);
  });
});
