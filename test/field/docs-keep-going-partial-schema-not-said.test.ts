import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { docs } from '../../src/commands/docs.js';

// Issue 9 item 17: docs generated with --keep-going past failing migrations did not say they were incomplete.
const root = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-field-partial-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

test('the index names each failed file (linked, with line and message) and says the schema shown is partial', async () => {
  cpSync(path.resolve('test/fixtures/docs/edge-project'), root, { recursive: true });
  writeFileSync(path.join(root, 'migrations/003_broken.sql'), '-- a broken file\nALTER TABLE no_such_table ADD COLUMN x integer;\n');
  const result = await docs({ cwd: root, keepGoing: true });
  expect(result.exitCode).toBe(1);
  const readme = readFileSync(path.join(root, 'docs/schema/README.md'), 'utf8');
  expect(readme).toContain('> **Incomplete schema.**');
  expect(readme).toContain('the schema shown here is\n> partial');
  expect(readme).toMatch(/^> - \[migrations\/003_broken\.sql:2:\d+\]\(\.\.\/\.\.\/migrations\/003_broken\.sql\): relation "no_such_table" does not exist$/m);
});

test('a complete replay says nothing of the kind', async () => {
  rmSync(path.join(root, 'migrations/003_broken.sql'));
  const result = await docs({ cwd: root });
  expect(result.exitCode).toBe(0);
  expect(readFileSync(path.join(root, 'docs/schema/README.md'), 'utf8')).not.toContain('Incomplete');
});
