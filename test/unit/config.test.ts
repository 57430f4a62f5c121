import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/config/schema.js';
import { validateConfig } from '../../src/config/load.js';
import { InputError } from '../../src/errors.js';
import { naturalCompare } from '../../src/migrations/discover.js';
import { REPO_ROOT } from '../helpers/cli.js';

describe('configuration', () => {
  it('the committed JSON Schema is the one generated from the zod schema', () => {
    const committed = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schema', 'pgdrift.config.schema.json'), 'utf8'));
    expect(committed).toEqual(configJsonSchema());
    expect(Object.keys(committed.properties)).toEqual(expect.arrayContaining(['migrations', 'baseline', 'snapshot']));
    expect(committed.additionalProperties).toBe(false);
  });

  it('reports every problem at once, with key paths', () => {
    const error = (() => {
      try {
        validateConfig({ baseline: 'base.sql', lint: { idempotnt: true }, rules: { 'fk-needs-index': 'loud' } }, 'x.json');
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error!.message.split('\n').slice(1)).toEqual([
      '  baseline: Invalid input: expected array, received string',
      '  lint.idempotnt: unknown key',
      expect.stringMatching(/^  rules\.fk-needs-index: Invalid option/),
    ]);
  });
});

describe('migration order', () => {
  const names = ['010_j.sql', '009b_i.sql', '009_h.sql', '1000_z.sql', '002_b.sql', '9_x.sql'];
  it('lexicographic is exactly readdirSync().sort(): 009b_ right after 009_', () => {
    expect([...names].sort()).toEqual(['002_b.sql', '009_h.sql', '009b_i.sql', '010_j.sql', '1000_z.sql', '9_x.sql']);
  });
  it('natural compares the numeric prefix as a number', () => {
    expect([...names].sort(naturalCompare)).toEqual(['002_b.sql', '009_h.sql', '009b_i.sql', '9_x.sql', '010_j.sql', '1000_z.sql']);
  });
});
