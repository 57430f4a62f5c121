import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempProject } from '../helpers/project.js';

/**
 * Issue 17: `--verbose` prints each stage on its own line with its time and what it did, the times add up to the
 * total within 5 %, and `--format json` carries the same figures under `timings`.
 */
const project = tempProject({
  'pgdrift.config.json': JSON.stringify({ migrations: 'migrations', baseline: ['base/schema.sql'] }),
  'base/schema.sql': 'CREATE TABLE orgs (id int PRIMARY KEY);\n',
  'migrations/001_users.sql': 'CREATE TABLE users (id int PRIMARY KEY, org_id int NOT NULL REFERENCES orgs(id));\nCREATE INDEX users_org ON users (org_id);\n',
  'migrations/002_notes.sql': 'CREATE TABLE notes (id int PRIMARY KEY, body text);\n',
});
afterAll(() => project.cleanup());

interface Stage {
  stage: string;
  ms: number;
  detail: string;
  side?: string;
  files?: Array<{ file: string; ms: number; status: string }>;
}

/** `[verbose] <stage (side)>  <n> ms  <detail>` lines → stage label, ms, detail; and the total line. */
function verboseLines(stderr: string) {
  const stages = [...stderr.matchAll(/^\[verbose\] (\S.*?) +(\d+) ms(?:  (.*))?$/gm)].map((m) => ({ label: m[1], ms: Number(m[2]), detail: m[3] ?? '' }));
  const total = stages.find((s) => s.label === 'total')!;
  return { stages: stages.filter((s) => s.label !== 'total'), total };
}

const stagesOf = (stderr: string) => verboseLines(stderr).stages;
const within5Percent = (sum: number, total: number) => Math.abs(sum - total) <= 0.05 * total;

describe('check --verbose', () => {
  let verbose: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    const snapshot = await runCli(['snapshot', '--no-docs', '--date', '2025-01-01', '--quiet'], { cwd: project.root });
    expect(snapshot.code).toBe(0);
    // --no-cache: the stages of a replay on a fresh engine (the replay cache merges engine start, replay and dump)
    verbose = await runCli(['check', '--verbose=2', '--format', 'json', '--no-cache'], { cwd: project.root });
    expect(verbose.code, verbose.stderr).toBe(0);
  });

  test('prints every stage on its own line, with what it did, in pipeline order', () => {
    const { stages } = verboseLines(verbose.stderr);
    expect(stages.map((s) => s.label)).toEqual([
      'start-up',
      'config',
      'load',
      'model build (snapshot)',
      'discovery',
      'parse',
      'engine start',
      'baseline',
      'replay',
      'dump',
      'model build (the replayed migrations)',
      'diff',
      'confirmation',
      'attribution',
      'engine close',
      'lint',
      'report',
    ]);
    const detail = Object.fromEntries(stages.map((s) => [s.label, s.detail]));
    expect(detail['config']).toBe('project and runner resolved; a server or container engine starts meanwhile');
    expect(detail['discovery']).toBe("2 files in migrations/ by the numbered runner's rules, 1 baseline files");
    expect(detail['parse']).toBe('3 files parsed with libpg-query');
    expect(detail['engine start']).toMatch(/^pglite, Postgres 18\.\d+, data directory cache (hit|miss|rebuilt)$/);
    expect(detail['baseline']).toBe('1 files: 1 applied');
    expect(detail['replay']).toBe('2 files: 2 applied');
    expect(detail['model build (the replayed migrations)']).toBe('3 tables, 0 views, 0 functions');
    expect(detail['confirmation']).toBe('not needed: the models agree');
    expect(detail['report']).toBe('json');
  });

  test('--verbose=2 adds each replayed file under the replay', () => {
    expect(verbose.stderr).toMatch(/^\[verbose\] replay .*\n\[verbose\]   migrations\/001_users\.sql \d+ ms applied\n\[verbose\]   migrations\/002_notes\.sql \d+ ms applied\n/m);
    expect(verbose.stderr).toMatch(/^\[verbose\]   base\/schema\.sql \d+ ms applied$/m);
  });

  test('the stage times add up to the total within 5 %', () => {
    const { stages, total } = verboseLines(verbose.stderr);
    const sum = stages.reduce((acc, s) => acc + s.ms, 0);
    // the printed sum is of the unrounded times: within a millisecond per stage of the rounded ones
    expect(Math.abs(Number(/^\(stages add up to (\d+) ms\)$/.exec(total.detail)![1]) - sum)).toBeLessThanOrEqual(stages.length);
    expect(within5Percent(sum, total.ms), `${sum} vs ${total.ms}`).toBe(true);
  });

  test('--format json carries the same stages under timings, adding up to totalMs within 5 %', () => {
    const report = JSON.parse(verbose.stdout);
    const timings: { totalMs: number; stages: Stage[] } = report.timings;
    const label = (s: Stage) => (s.side ? `${s.stage} (${s.side})` : s.stage);
    const printed = verboseLines(verbose.stderr).stages;
    // the report stage is still running while the JSON is written: it is the one stage the JSON cannot hold
    expect(timings.stages.map(label)).toEqual(printed.map((s) => s.label).filter((l) => l !== 'report'));
    for (const stage of timings.stages) expect(Math.round(stage.ms)).toBe(printed.find((p) => p.label === label(stage))!.ms);
    expect(within5Percent(timings.stages.reduce((acc, s) => acc + s.ms, 0), timings.totalMs)).toBe(true);
    expect(timings.stages.find((s) => s.stage === 'replay')!.files!.map((f) => f.file)).toEqual(['migrations/001_users.sql', 'migrations/002_notes.sql']);
    expect(report.drift).toEqual([]);
  });
});

test('with drift, the confirmation stage says what it reloaded; plain check prints no stage lines', async () => {
  // a default is expression text: the one kind of difference the confirming reload is for
  project.write('migrations/003_more.sql', "ALTER TABLE notes ALTER COLUMN body SET DEFAULT 'none';\n");
  const [withVerbose, plain] = [await runCli(['check', '--verbose', '--no-lint'], { cwd: project.root }), await runCli(['check', '--no-lint'], { cwd: project.root })];
  // with the replay cache (the default): one replay stage that says what the cache did
  expect(stagesOf(withVerbose.stderr).find((s) => s.label === 'replay')!.detail).toMatch(/^engine start, replay and dump through the replay cache \(replay cache: (hit|prefix hit|miss)\b.*\); pglite, Postgres /);
  expect(withVerbose.code).toBe(1);
  const { stages, total } = verboseLines(withVerbose.stderr);
  expect(stages.map((s) => s.label)).not.toContain('engine start');
  expect(stages.find((s) => s.label === 'confirmation')!.detail).toBe('1 differences in expression text: both sides reloaded through pglite (2 reloads in parallel), 1 confirmed');
  expect(stages.find((s) => s.label === 'attribution')!.detail).toBe('1 of 1 differences traced to a migration line');
  expect(stages.find((s) => s.label === 'lint')!.detail).toBe('skipped (--no-lint)');
  expect(within5Percent(stages.reduce((acc, s) => acc + s.ms, 0), total.ms)).toBe(true);
  expect(plain.stderr).not.toContain('[verbose]');
});

// `pgdrift lint --verbose` took the option and printed nothing: its stages, as check prints them, and the JSON's timings
test('lint --verbose prints its stages (config, load, discovery, lint, report) and --format json carries them', async () => {
  const verbose = await runCli(['lint', '--verbose'], { cwd: project.root });
  const { stages, total } = verboseLines(verbose.stderr);
  expect(stages.map((s) => s.label)).toEqual(['start-up', 'config', 'load', 'discovery', 'lint', 'report']);
  expect(stages.find((s) => s.label === 'discovery')!.detail).toMatch(/^\d+ files in migrations\/ by the numbered runner's rules, read$/);
  expect(stages.find((s) => s.label === 'lint')!.detail).toMatch(/^\d+ files parsed with libpg-query and linted, \d+ findings$/);
  expect(within5Percent(stages.reduce((acc, s) => acc + s.ms, 0), total.ms)).toBe(true);
  const json = await runCli(['lint', '--format', 'json'], { cwd: project.root });
  const timings = JSON.parse(json.stdout).timings as { stages: Stage[] };
  expect(timings.stages.map((s) => s.stage)).toEqual(['start-up', 'config', 'load', 'discovery', 'lint']);
  expect((await runCli(['lint'], { cwd: project.root })).stderr).not.toContain('[verbose]');
});
