import { describe, expect, test } from 'vitest';
import { expandVerboseLevel } from '../../src/cli/main.js';
import { formatTimings, TimingRecorder } from '../../src/pipeline/timings.js';

/** A clock the test moves by hand. */
function fakeClock(start = 100) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('TimingRecorder', () => {
  test('stages are timed one after the other and add up to the total (start-up counted from process start)', async () => {
    const clock = fakeClock(100);
    const timings = new TimingRecorder(clock.now);
    clock.advance(5);
    timings.timeSync('config', () => clock.advance(20), 'pgdrift.config.json');
    await timings.time('engine start', async () => clock.advance(300), () => 'pglite');
    timings.add('replay', 50, '2 files', { files: [{ file: 'a.sql', ms: 50, status: 'applied' }] });
    const summary = timings.summary();
    expect(summary.stages.map((s) => [s.stage, s.ms, s.detail])).toEqual([
      ['start-up', 100, 'node, modules, arguments'],
      ['config', 20, 'pgdrift.config.json'],
      ['engine start', 300, 'pglite'],
      ['replay', 50, '2 files'],
    ]);
    expect(summary.totalMs).toBe(425);
    // the 5 ms between start-up and config belong to no stage: the sum is short by exactly that
    expect(summary.stages.reduce((sum, s) => sum + s.ms, 0)).toBe(470);
  });

  test('a stage that throws is recorded as failed, and the error goes on', async () => {
    const clock = fakeClock();
    const timings = new TimingRecorder(clock.now);
    await expect(timings.time('engine start', async () => {
      clock.advance(7);
      throw new Error('no server');
    })).rejects.toThrow('no server');
    expect(timings.summary().stages.at(-1)).toEqual({ stage: 'engine start', ms: 7, detail: 'failed' });
  });

  test('--verbose lines: one per stage with its side, files only at level 2, then the total and the sum', () => {
    const clock = fakeClock(10);
    const timings = new TimingRecorder(clock.now);
    timings.timeSync('model build', () => clock.advance(30), '3 tables', { side: 'snapshot' });
    clock.advance(40); // the replay, measured by its owner
    timings.add('replay', 40, '1 file', { files: [{ file: 'migrations/001.sql', ms: 40, status: 'applied' }] });
    const level1 = formatTimings(timings.summary(), 1);
    expect(level1).toEqual([
      'start-up                   10 ms  node, modules, arguments',
      'model build (snapshot)     30 ms  3 tables',
      'replay                     40 ms  1 file',
      'total                      80 ms  (stages add up to 80 ms)',
    ]);
    expect(formatTimings(timings.summary(), 2)).toContain('  migrations/001.sql 40 ms applied');
  });
});

test('--verbose=2 is read as a level: the flag counted twice', () => {
  expect(expandVerboseLevel(['check', '--verbose=2', '--format', 'json'])).toEqual(['check', '--verbose', '--verbose', '--format', 'json']);
  expect(expandVerboseLevel(['check', '--verbose'])).toEqual(['check', '--verbose']);
  expect(expandVerboseLevel(['check', '--verbose=0'])).toEqual(['check']);
});
