import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ruleDocsPath } from '../../src/lint/define-rule.js';
import { presets } from '../../src/lint/presets.js';
import { rules } from '../../src/lint/rules/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const testFiles = [
  ...readdirSync(path.join(root, 'test/unit/rules')).map((f) => path.join(root, 'test/unit/rules', f)),
  ...readdirSync(path.join(root, 'test/unit')).filter((f) => f.startsWith('lint')).map((f) => path.join(root, 'test/unit', f)),
  ...readdirSync(path.join(root, 'test/integration')).filter((f) => f.startsWith('lint')).map((f) => path.join(root, 'test/integration', f)),
].filter((f) => f.endsWith('.test.ts') && !f.endsWith('lint-meta.test.ts'));
const allTests = testFiles.map((f) => readFileSync(f, 'utf8')).join('\n');

describe('every registered rule', () => {
  it('has one file named after its id, in the registry exactly once', () => {
    const ruleFiles = readdirSync(path.join(root, 'src/lint/rules')).filter((f) => f !== 'index.ts').map((f) => f.replace(/\.ts$/, ''));
    expect(rules.map((r) => r.id).sort()).toEqual(ruleFiles.sort());
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it.each(rules.map((r) => [r.id]))('%s has docs/rules/<id>.md with problem, why, how to fix and an example', (id) => {
    const file = path.join(root, ruleDocsPath(id));
    expect(existsSync(file), `${ruleDocsPath(id)} is missing (npm run new-rule writes it)`).toBe(true);
    const text = readFileSync(file, 'utf8');
    for (const heading of ['# ' + id, '## Problem', '## Why it matters', '## How to fix', '## Example']) expect(text).toContain(heading);
    expect(text).not.toContain('TODO');
  });

  it.each(rules.map((r) => [r.id]))('%s is mentioned by a test', (id) => {
    expect(allTests.includes(`'${id}'`), `no lint test mentions '${id}'`).toBe(true);
  });

  it.each(rules.map((r) => [r.id]))('%s has a row in docs/rules/README.md with its severity in each preset', (id) => {
    const table = readFileSync(path.join(root, 'docs/rules/README.md'), 'utf8');
    const row = table.split('\n').find((line) => line.startsWith(`| [${id}](${id}.md) |`));
    expect(row, `docs/rules/README.md has no row for ${id}`).toBeDefined();
    const cells = row!.split('|').map((cell) => cell.trim()).filter(Boolean);
    expect(cells.slice(-3)).toEqual([presets.recommended[id], presets.helios[id], presets.strict[id]]);
  });

  it('has a severity in every preset, and helios keeps require-concurrent-index off', () => {
    for (const preset of Object.values(presets)) expect(Object.keys(preset).sort()).toEqual(rules.map((r) => r.id).sort());
    expect(presets.helios['require-concurrent-index']).toBe('off');
    expect(presets.helios['idempotent-ddl']).toBe('error');
  });
});

describe('npm run new-rule', () => {
  it('writes the rule, its test and its docs page, registers it, and refuses an existing id', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'pgdrift-new-rule-'));
    try {
      for (const dir of ['scripts', 'src/lint', 'docs/rules', 'test/unit/rules']) cpSync(path.join(root, dir), path.join(copy, dir), { recursive: true });
      const run = (id: string) => execFileSync('node', [path.join(copy, 'scripts/new-rule.mjs'), id], { cwd: copy, encoding: 'utf8', stdio: 'pipe' });
      expect(run('ban-example-rule')).toContain('wrote src/lint/rules/ban-example-rule.ts');
      for (const file of ['src/lint/rules/ban-example-rule.ts', 'test/unit/rules/ban-example-rule.test.ts', 'docs/rules/ban-example-rule.md']) expect(existsSync(path.join(copy, file))).toBe(true);
      const index = readFileSync(path.join(copy, 'src/lint/rules/index.ts'), 'utf8');
      expect(index).toContain("import banExampleRule from './ban-example-rule.js';");
      expect(index.indexOf('  banExampleRule,')).toBeLessThan(index.indexOf('  bareStatusColumn,'));
      expect(readFileSync(path.join(copy, 'src/lint/presets.ts'), 'utf8')).toContain("'ban-example-rule': 'warning',");
      expect(() => run('drop-table')).toThrow(/already exists/);
      expect(() => run('Bad_Id')).toThrow(/kebab-case/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
