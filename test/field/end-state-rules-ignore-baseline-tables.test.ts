import { afterAll, expect, test } from 'vitest';
import { lint } from '../../src/commands/lint.js';
import { tempProject } from '../helpers/project.js';

const project = tempProject({
  'pgdrift.config.json': JSON.stringify({ migrations: 'migrations', baseline: ['base/schema.sql'] }),
  'base/schema.sql': [
    'CREATE TABLE parents (id bigint PRIMARY KEY);',
    'CREATE TABLE children (',
    '  id bigint PRIMARY KEY,',
    '  parent_id bigint REFERENCES parents (id)',
    ');',
    'CREATE TABLE loose (v text);',
    '',
  ].join('\n'),
  'migrations/001_more.sql': 'CREATE TABLE extra (id bigint PRIMARY KEY);\n',
});
afterAll(() => project.cleanup());

// Issue 9 item 12: end-state rules skipped tables created by baseline files, so a baseline's unindexed FK and
// key-less table never showed. They are part of the end state: reported at the baseline file's line.
test("fk-needs-index and require-primary-key report the baseline's tables at the baseline file's lines", async () => {
  const result = await lint({ cwd: project.root });
  const endState = result.findings.filter((f) => f.rule === 'fk-needs-index' || f.rule === 'require-primary-key');
  expect(endState.map((f) => [f.rule, f.file, f.line, f.object])).toEqual([
    ['fk-needs-index', 'base/schema.sql', 4, 'public.children.parent_id'],
    ['require-primary-key', 'base/schema.sql', 6, 'public.loose'],
  ]);
});
