import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ruleById } from '../../src/lint/rules/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const squawk = path.join(root, 'node_modules/.bin/squawk');

/** Squawk 2.66's rule names (crates/squawk_linter/src/lib.rs, Rule::try_from), plus its syntax-error docs page. */
const SQUAWK_RULES = [
  'adding-field-with-default', 'adding-foreign-key-constraint', 'adding-not-nullable-field', 'adding-required-field',
  'adding-serial-primary-key-field', 'ban-alter-domain-with-add-constraint', 'ban-char-field',
  'ban-concurrent-index-creation-in-transaction', 'ban-create-domain-with-constraint', 'ban-drop-column', 'ban-drop-database',
  'ban-drop-not-null', 'ban-drop-table', 'ban-duplicate-column-assignments', 'ban-truncate-cascade', 'ban-uncommitted-transaction',
  'changing-column-type', 'constraint-missing-not-valid', 'disallowed-unique-constraint', 'identifier-too-long',
  'prefer-bigint-over-int', 'prefer-bigint-over-smallint', 'prefer-identity', 'prefer-repack', 'prefer-robust-stmts',
  'prefer-text-field', 'prefer-timestamptz', 'renaming-column', 'renaming-table', 'require-concurrent-index-creation',
  'require-concurrent-index-deletion', 'require-concurrent-partition-detach', 'require-concurrent-reindex',
  'require-enum-value-ordering', 'require-lock-timeout', 'require-statement-timeout', 'require-table-schema',
  'require-timeout-settings', 'syntax-error', 'transaction-nesting',
];

describe('Squawk parity table (docs/rules/README.md)', () => {
  const readme = readFileSync(path.join(root, 'docs/rules/README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Squawk parity'));
  const rows = new Map(
    section
      .split('\n')
      .filter((line) => /^\| [a-z]/.test(line))
      .map((line) => line.split('|').map((cell) => cell.trim()))
      .map((cells) => [cells[1], cells[2]] as const),
  );

  it('has a row for every Squawk rule, naming existing pgdrift rules or saying none is needed', () => {
    for (const rule of SQUAWK_RULES) {
      const target = rows.get(rule);
      expect(target, `no row for Squawk's ${rule}`).toBeDefined();
      if (target === 'none needed') continue;
      const linked = [...target!.matchAll(/\[([a-z0-9-]+)\]\(\1\.md\)/g)].map((m) => m[1]);
      expect(linked.length, `row ${rule} links no rule`).toBeGreaterThan(0);
      for (const id of linked) expect(ruleById.has(id), `${rule} -> unknown pgdrift rule ${id}`).toBe(true);
    }
  });

  it.skipIf(!existsSync(squawk))('lists names the installed squawk-cli accepts (the list is not made up)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pgdrift-squawk-'));
    try {
      const file = path.join(dir, 'ok.sql');
      writeFileSync(file, 'SELECT 1;\n');
      // squawk refuses an unknown rule name in --exclude with exit 2 before linting
      // syntax-error is a docs page, not a rule name squawk takes
      const names = SQUAWK_RULES.filter((r) => r !== 'syntax-error');
      const out = execFileSync(squawk, [`--exclude=${names.join(',')}`, file], { encoding: 'utf8' });
      expect(out).not.toContain('invalid rule name');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
