import { describe, expect, it } from 'vitest';
import { ruleTester } from '../../fixtures/lint/helpers.js';

const { lintOk, lintErrors } = ruleTester('migration-header');
const header = (n: string, date = '2025-11-06') => `-- Migration ${n}: Add Things\n-- Purpose: Explain\n-- Created: ${date}\n\nSELECT 1;\n`;

describe('migration-header', () => {
  it('accepts the Helios template', () => {
    lintOk({ '025_add_things.sql': header('025') });
    lintOk({ '009b_fix.sql': header('009b') });
  });
  it('reports a missing header once, and missing fields one by one', () => {
    expect(lintErrors({ '001_a.sql': 'SELECT 1;' })).toEqual(['001_a.sql:1:1 missing migration header']);
    expect(lintErrors({ '001_a.sql': '-- Migration 001: A\nSELECT 1;' })).toEqual([
      '001_a.sql:1:1 missing "-- Purpose: ..." header line',
      '001_a.sql:1:1 missing "-- Created: YYYY-MM-DD" header line',
    ]);
  });
  it('reports a header number that differs from the file number, at the number', () => {
    expect(lintErrors({ '012_a.sql': header('011') })).toEqual(['012_a.sql:1:14 header says migration 011 but the file is number 012']);
  });
  it('reports invalid and future dates at the date', () => {
    expect(lintErrors({ '001_a.sql': header('001', '2025-02-30') })).toEqual(['001_a.sql:3:13 "2025-02-30" is not a valid YYYY-MM-DD date']);
    expect(lintErrors({ '001_a.sql': header('001', '06/11/2025') })).toHaveLength(1);
    expect(lintErrors({ '001_a.sql': header('001', '2031-01-01') })).toEqual(['001_a.sql:3:13 created date 2031-01-01 is in the future']);
  });
  it('only reads comments before the first statement', () => {
    expect(lintErrors({ '001_a.sql': 'SELECT 1;\n-- Migration 001: A\n-- Purpose: B\n-- Created: 2025-01-01\n' })).toEqual(['001_a.sql:1:1 missing migration header']);
  });
});
