import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import * as formatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { renderSarif } from '../../src/report/sarif.js';
import type { Report } from '../../src/report/types.js';
import { checkReport, reports } from '../fixtures/report/reports.js';

const schemaFile = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/sarif/sarif-2.1.0-rtm.5.json');

/**
 * The official schema, its draft-04 header swapped for draft-07 (see test/fixtures/sarif/README.md). unicodeRegExp
 * off: the schema's `language` pattern has a stray `]` that only non-unicode regular expressions accept.
 */
function sarifValidator() {
  const { $schema: _draft, id, ...schema } = JSON.parse(readFileSync(schemaFile, 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  // ajv-formats is CommonJS: under NodeNext its default import is the module object.
  const addFormats = formatsModule.default as unknown as typeof formatsModule.default.default;
  addFormats(ajv);
  return ajv.compile({ ...schema, $id: id });
}

const validate = sarifValidator();
const rules = [{ id: 'drop-table', description: 'DROP TABLE on a table created by an earlier migration', docs: 'Dropping a table destroys its data.' }];

describe('SARIF', () => {
  for (const [name, report] of Object.entries(reports)) {
    it(`${name} is valid against the official SARIF 2.1.0 schema`, () => {
      const log = JSON.parse(renderSarif(report, { rules, toolVersion: '1.2.3' }));
      const valid = validate(log);
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    });
  }

  it('the validator does reject a broken log (it is really checking)', () => {
    const log = JSON.parse(renderSarif(checkReport, { rules }));
    log.runs[0].results[0].level = 'fatal';
    delete log.version;
    expect(validate(log)).toBe(false);
  });

  const log = JSON.parse(renderSarif(checkReport, { rules, toolVersion: '1.2.3' }));
  const run = log.runs[0];

  it('describes the tool and every rule that occurs, with help and a docs link for lint rules', () => {
    expect(run.tool.driver).toMatchObject({ name: 'pgdrift', version: '1.2.3', informationUri: expect.stringMatching(/^https:\/\//) });
    const ids = run.tool.driver.rules.map((rule: { id: string }) => rule.id);
    expect(ids).toEqual(['migration-failed', 'drift/column', 'drift/index', 'drift/table', 'drift/function', 'drop-table', 'prefer-timestamptz', 'prefer-text']);
    const dropTable = run.tool.driver.rules.find((rule: { id: string }) => rule.id === 'drop-table');
    expect(dropTable.shortDescription.text).toBe('DROP TABLE on a table created by an earlier migration');
    expect(dropTable.help.text).toContain('Dropping a table destroys its data.');
    expect(dropTable.helpUri).toMatch(/\/docs\/rules\/drop-table\.md$/);
    for (const rule of run.tool.driver.rules) expect(rule.help.text.length).toBeGreaterThan(0);
  });

  it('locates results at file, line and column; drift by rule drift/<kind>, failures as migration-failed', () => {
    const byRule = (id: string) => run.results.filter((result: { ruleId: string }) => result.ruleId === id);
    expect(byRule('migration-failed')[0]).toMatchObject({
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'migrations/014_add_invoices.sql' }, region: { startLine: 7, startColumn: 12 } } }],
    });
    expect(byRule('drift/column')[0].locations[0].physicalLocation.region).toEqual({ startLine: 14, startColumn: 3 });
    expect(byRule('drift/table')[0].locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: 'docs/architecture/schema-actual-2025-11-06.sql' }, region: { startLine: 300 } });
    expect(byRule('prefer-text')[0].level).toBe('note');
    expect(byRule('prefer-timestamptz')[0].level).toBe('warning');
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
  });

  it('an empty report is a valid log with no results', () => {
    const empty: Report = { command: 'lint', migrationFailures: [], findings: [], exitCode: 0 };
    const emptyLog = JSON.parse(renderSarif(empty));
    expect(validate(emptyLog)).toBe(true);
    expect(emptyLog.runs[0].results).toEqual([]);
  });
});
