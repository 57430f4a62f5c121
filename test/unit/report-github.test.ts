import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, renderGithub, workflowCommand } from '../../src/report/github.js';
import type { Report } from '../../src/report/types.js';
import { checkReport } from '../fixtures/report/reports.js';

interface ParsedCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

function unescape(value: string): string {
  return value.replace(/%(25|0D|0A|3A|2C)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Reads a workflow command line as the Actions runner does: `::name k=v,k=v::message`. */
function parseWorkflowCommand(line: string): ParsedCommand {
  const match = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!match) throw new Error(`not a workflow command: ${line}`);
  const properties: Record<string, string> = {};
  for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
    const equals = pair.indexOf('=');
    properties[pair.slice(0, equals)] = unescape(pair.slice(equals + 1));
  }
  return { command: match[1], properties, message: unescape(match[3]) };
}

describe('GitHub workflow commands', () => {
  it('escape data and properties as @actions/core does', () => {
    expect(escapeData('100%\r\nnext: a, b')).toBe('100%25%0D%0Anext: a, b');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });

  it('round-trip file, line, col, title and a message with %, :, , and a newline', () => {
    const message = 'value 100% wrong: a, b\nsecond line: %0A literal';
    const properties = { file: 'migrations/020_a,b:c.sql', line: 12, col: 7, title: 'rule: with, punctuation %' };
    const line = workflowCommand('warning', properties, message);
    expect(line.split('\n')).toHaveLength(1);
    const parsed = parseWorkflowCommand(line);
    expect(parsed).toEqual({ command: 'warning', properties: { file: properties.file, line: '12', col: '7', title: properties.title }, message });
  });

  const lines = renderGithub(checkReport).trimEnd().split('\n');
  const parsed = lines.map(parseWorkflowCommand);

  it('one line per failure, drift item and finding, each parseable', () => {
    expect(lines).toHaveLength(1 + 4 + 3);
  });

  it('findings by severity: error, warning, notice; with file, line, col and the rule as title', () => {
    const findings = parsed.slice(5);
    expect(findings.map((c) => c.command)).toEqual(['error', 'warning', 'notice']);
    expect(findings[1].properties).toEqual({ file: 'migrations/016_events.sql', line: '9', col: '5', title: 'prefer-timestamptz' });
    expect(findings[1].message).toBe(`${checkReport.findings![1].message}\nhelp: ${checkReport.findings![1].help}`);
  });

  it('a failed migration is an error at its position', () => {
    expect(parsed[0]).toMatchObject({ command: 'error', properties: { file: 'migrations/014_add_invoices.sql', line: '7', col: '12', title: 'migration failed [42P01]' } });
    expect(parsed[0].message.split('\n')[0]).toBe('relation "public.customers" does not exist');
  });

  it('drift on a migration line is an error there; drift with no position is a notice naming the object', () => {
    expect(parsed[1]).toMatchObject({ command: 'error', properties: { file: 'migrations/012_users_email.sql', line: '14', col: '3', title: 'drift/column' } });
    expect(parsed[1].message).toBe('public.users.email: column differs (type: text → character varying(255); nullable: false → true)');
    expect(parsed[4]).toEqual({ command: 'notice', properties: { title: 'drift' }, message: 'public.touch_updated_at(): function differs (volatility: volatile → stable)' });
  });

  it('prints nothing for a clean report', () => {
    const clean: Report = { command: 'check', migrationFailures: [], drift: [], findings: [], exitCode: 0 };
    expect(renderGithub(clean)).toBe('');
  });
});

describe('what the verdict rests on, on the pull request', () => {
  const clean = { ...checkReport, migrationFailures: [], drift: [], findings: [], exitCode: 1 };
  it('an assumption not accepted is an error (it fails the check), an accepted one a notice; not compared and unconfirmed are said', () => {
    const notAccepted = renderGithub({ ...clean, notices: ['goose: Makefile:4 (target up): -dir … holds a value only make or the shell knows'], assumptionsAccepted: false, notCompared: ['privileges (GRANT/REVOKE): 2 differences; compare them with --include privileges'], unconfirmed: { reason: 'the reload could not run', hint: 'use --engine server' } })
      .trimEnd()
      .split('\n')
      .map(parseWorkflowCommand);
    expect(notAccepted.map((c) => [c.command, c.properties.title])).toEqual([
      ['error', 'assumption not accepted (--accept-assumptions)'],
      ['warning', 'drift unconfirmed'],
      ['notice', 'not compared'],
    ]);
    expect(notAccepted[0].message).toBe('goose: Makefile:4 (target up): -dir … holds a value only make or the shell knows');
    expect(notAccepted[2].message).toBe('privileges (GRANT/REVOKE): 2 differences; compare them with --include privileges');
    const accepted = renderGithub({ ...clean, exitCode: 0, notices: ['an assumption'], assumptionsAccepted: true }).trimEnd().split('\n').map(parseWorkflowCommand);
    expect(accepted.map((c) => c.command)).toEqual(['notice']);
  });
});
