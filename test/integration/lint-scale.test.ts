import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/commands/lint.js';
import { runRules } from '../../src/lint/engine.js';
import { ruleOptions } from '../../src/lint/config.js';
import { presets } from '../../src/lint/presets.js';
import { rules } from '../../src/lint/rules/index.js';
import { loadSqlParser, parseSql } from '../../src/sql/parse.js';
import { generateHistory, writeHistory } from '../fixtures/lint/generate.js';
import { memoryMigration } from '../fixtures/lint/helpers.js';

let root: string;
beforeAll(async () => {
  await loadSqlParser();
  root = writeHistory(mkdtempSync(path.join(tmpdir(), 'pgdrift-lint-1000-')), 1000);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Wall-clock and CPU time: on a shared, loaded machine the CPU time is the fairer figure. */
function timed<T>(fn: () => T): { value: T; ms: number; cpuMs: number } {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

describe('a generated 1,000-file history', () => {
  it('lints clean under helios through lint() (files on disk)', async () => {
    await lint({ cwd: root, today: '2025-11-25' }); // warm-up (JIT, WASM)
    const start = performance.now();
    const result = await lint({ cwd: root, today: '2025-11-25' });
    const ms = performance.now() - start;
    console.log(`lint() of 1,000 files, all helios rules: ${ms.toFixed(0)} ms`);
    expect(result.findings).toEqual([]);
    expect(result.filesLinted).toBe(1000);
  });

  it('runs the static (file and statement) rules, then the end-state rules, and logs the time', () => {
    const migrations = generateHistory(1000).map((f) => memoryMigration(f.name, f.text));
    const staticOnly = new Map(Object.entries(presets.helios).map(([id, s]) => [id, rules.find((r) => r.id === id)!.scope === 'schema' ? 'off' : s] as const));
    const all = new Map(Object.entries(presets.helios));
    const options = ruleOptions({ lint: { numberRange: [1, 9999] } }, '2025-11-25');
    const run = (severities: Map<string, any>) => runRules({ root, migrations, severities, options });
    run(all); // warm-up
    const staticRun = timed(() => run(staticOnly));
    const fullRun = timed(() => run(all));
    const parseOnly = timed(() => migrations.forEach((m) => parseSql(m.text, m.file)));
    console.log(
      `1,000 files (wall / cpu ms): parseSql alone ${parseOnly.ms.toFixed(0)} / ${parseOnly.cpuMs.toFixed(0)}; ` +
        `static rules ${staticRun.ms.toFixed(0)} / ${staticRun.cpuMs.toFixed(0)}; with end-state rules ${fullRun.ms.toFixed(0)} / ${fullRun.cpuMs.toFixed(0)}`,
    );
    expect(staticRun.value.findings).toEqual([]);
    expect(fullRun.value.findings).toEqual([]);
    // The target is < 1 s on an idle machine; the timing is logged, not asserted, so a loaded CI box cannot flake.
  });
});
