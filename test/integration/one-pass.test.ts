import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { check } from '../../src/commands/check.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { resetWorkCount, workCount } from '../../src/util/work-count.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { leftovers } from '../helpers/postgres.js';

beforeAll(loadSqlParser);
afterAll(async () => expect(await leftovers()).toEqual([]));

// Issue 10: a clean `check` on the sample resolved the project 5 times, read the migrations twice, parsed each
// twice and parsed each dump more than once. Each stage now runs once and hands its result forward.
test('a clean check on the sample resolves the project once, reads and parses each migration once, each dump once', async () => {
  const migrations = readdirSync(path.join(REPO_ROOT, 'migrations')).filter((f) => f.endsWith('.sql'));
  resetWorkCount();
  const result = await check({ cwd: REPO_ROOT });
  expect(result.drift).toEqual([]);
  expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
  expect(workCount.projectsResolved).toBe(1);
  const expected = new Map(migrations.map((f) => [`migrations/${f}`, 1]));
  expect(new Map([...workCount.filesRead].filter(([file]) => file.startsWith('migrations/')))).toEqual(expected);
  expect(new Map([...workCount.filesParsed].filter(([file]) => file.startsWith('migrations/')))).toEqual(expected);
  expect(migrations.length).toBeGreaterThan(20);
  // one parse per side: the replay's dump and the snapshot
  expect([...workCount.dumpsParsed.values()]).toEqual([1, 1]);
  expect([...workCount.dumpsParsed.keys()].some((label) => label.startsWith('docs/'))).toBe(true);
});
