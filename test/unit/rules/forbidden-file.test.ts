import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../../src/commands/lint.js';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('forbidden-file');

describe('forbidden-file', () => {
  it('reports a migration that loads or copies the forbidden file (code, not comments)', () => {
    expect(lintErrors("\\i database/schema.sql\nCOPY x FROM '/srv/database/schema.sql';")).toEqual([
      '001_m.sql:1:1 references the forbidden file database/schema.sql',
      '001_m.sql:2:13 references the forbidden file database/schema.sql',
    ]);
    lintOk('-- DO NOT use database/schema.sql\nSELECT 1;');
  });

  it('reports the forbidden file when it exists in the project', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'pgdrift-forbidden-'));
    mkdirSync(path.join(root, 'migrations'));
    mkdirSync(path.join(root, 'database'));
    writeFileSync(path.join(root, 'migrations', '001_a.sql'), 'SELECT 1;\n');
    writeFileSync(path.join(root, 'database', 'schema.sql'), 'CREATE TABLE old (id int);\n');
    writeFileSync(path.join(root, 'pgdrift.config.json'), JSON.stringify({ rules: { 'forbidden-file': 'error' } }));
    const result = await lint({ cwd: root });
    expect(result.findings.filter((f) => f.rule === 'forbidden-file').map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`)).toEqual([
      'database/schema.sql:1:1 database/schema.sql must not exist: the schema is built by the migrations only',
    ]);
  });
});
