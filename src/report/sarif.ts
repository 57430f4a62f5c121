import type { DriftItem, ObjectKind } from '../diff/types.js';
import type { Severity } from '../lint/types.js';
import { detailLines, driftSentence } from './describe.js';
import { toolInfo, type RuleMeta, type ToolInfo } from './tool.js';
import type { Report } from './types.js';

export interface SarifOptions {
  /** lint rule metadata (descriptions, rationale); rules missing here are described by their id */
  rules?: readonly RuleMeta[];
  /** default: the installed pgdrift version */
  toolVersion?: string;
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription?: { text: string };
  help: { text: string; markdown?: string };
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
}

type SarifLevel = 'error' | 'warning' | 'note';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations?: unknown[];
}

const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

export const MIGRATION_FAILED_RULE = 'migration-failed';

/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/) for GitHub code scanning: one run, the rules that
 * occur (lint rules, drift/<kind>, migration-failed) with help text and docs links, and one result per finding,
 * failed migration and drift item, located at file:line:column when known.
 */
export function renderSarif(report: Report, options: SarifOptions = {}): string {
  const tool = toolInfo(options.toolVersion);
  const catalog = new Map((options.rules ?? []).map((rule) => [rule.id, rule]));
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  const useRule = (id: string, make: () => SarifRule): number => {
    let index = ruleIndex.get(id);
    if (index === undefined) {
      index = rules.push(make()) - 1;
      ruleIndex.set(id, index);
    }
    return index;
  };

  const results: SarifResult[] = [];
  for (const failure of report.migrationFailures) {
    const index = useRule(MIGRATION_FAILED_RULE, () => migrationFailedRule());
    const extra = [failure.detail && `Detail: ${failure.detail}`, failure.hint && `Hint: ${failure.hint}`].filter(Boolean);
    results.push({
      ruleId: MIGRATION_FAILED_RULE,
      ruleIndex: index,
      level: 'error',
      message: { text: [`[${failure.sqlstate}] ${failure.message}`, ...extra].join('\n') },
      locations: [physicalLocation(failure.file, failure.line, failure.column)],
    });
  }
  for (const item of report.drift ?? []) {
    const id = `drift/${item.kind}`;
    const index = useRule(id, () => driftRule(item.kind));
    const location = driftLocation(item, report);
    results.push({
      ruleId: id,
      ruleIndex: index,
      level: 'error',
      message: { text: driftMessage(item) },
      locations: location ? [location] : undefined,
    });
  }
  for (const finding of report.findings ?? []) {
    const index = useRule(finding.rule, () => lintRule(finding.rule, finding.severity, catalog.get(finding.rule), tool));
    results.push({
      ruleId: finding.rule,
      ruleIndex: index,
      level: LEVEL[finding.severity],
      message: { text: finding.help ? `${finding.message}\nHelp: ${finding.help}` : finding.message },
      locations: [physicalLocation(finding.file, finding.line, finding.column, finding.object)],
    });
  }

  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: tool.name, version: tool.version, semanticVersion: tool.version, informationUri: tool.informationUri, rules } },
        automationDetails: { id: `pgdrift/${report.command}/` },
        columnKind: 'unicodeCodePoints',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function physicalLocation(file: string, line: number, column?: number, object?: string): Record<string, unknown> {
  const region: Record<string, number> = { startLine: Math.max(1, line) };
  if (column && column > 0) region.startColumn = column;
  const location: Record<string, unknown> = { physicalLocation: { artifactLocation: { uri: encodeUri(file), uriBaseId: '%SRCROOT%' }, region } };
  if (object) location.logicalLocations = [{ fullyQualifiedName: object }];
  return location;
}

/** Relative path → URI reference: forward slashes, each segment percent-encoded. */
function encodeUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

function driftLocation(item: DriftItem, report: Report): Record<string, unknown> | undefined {
  const logical = [{ fullyQualifiedName: item.name, kind: item.kind }];
  const migration = item.source.migration;
  if (migration) return { ...physicalLocation(migration.file, migration.line, migration.column), logicalLocations: logical };
  const snapshot = item.source.snapshot;
  if (snapshot) return { ...physicalLocation(snapshot.file, snapshot.line), logicalLocations: logical };
  const snapshotFile = report.snapshot?.path;
  if (snapshotFile) return { physicalLocation: { artifactLocation: { uri: encodeUri(snapshotFile), uriBaseId: '%SRCROOT%' } }, logicalLocations: logical };
  return { logicalLocations: logical };
}

function driftMessage(item: DriftItem): string {
  const sentence = driftSentence(item);
  const folded = Array.isArray(item.details) && typeof item.details[0] === 'string' ? detailLines(item) : [];
  return folded.length > 0 ? `${sentence}\n${folded.map((line) => `- ${line}`).join('\n')}` : sentence;
}

function lintRule(id: string, severity: Severity, meta: RuleMeta | undefined, tool: ToolInfo): SarifRule {
  const description = meta?.description ?? `pgdrift lint rule ${id}`;
  const why = meta?.docs ? `${meta.docs} ` : '';
  const uri = tool.ruleDocsUri(id);
  return {
    id,
    name: pascalCase(id),
    shortDescription: { text: description },
    ...(meta?.docs ? { fullDescription: { text: meta.docs } } : {}),
    help: { text: `${why}See ${uri}`, markdown: `${why}[Rule documentation](${uri})` },
    helpUri: uri,
    defaultConfiguration: { level: LEVEL[severity] },
  };
}

function driftRule(kind: ObjectKind): SarifRule {
  const what = kind.replace('_', ' ');
  return {
    id: `drift/${kind}`,
    name: `Drift${pascalCase(kind)}`,
    shortDescription: { text: `${/^[aeiou]/.test(what) ? 'An' : 'A'} ${what} differs between the migrations and the committed snapshot` },
    help: {
      text: `The schema the migrations produce and the committed pg_dump snapshot disagree on this ${what}. Either a migration is missing or wrong, or the snapshot is stale: fix the migration, or regenerate the snapshot with \`pgdrift snapshot\` when the change is intended.`,
    },
    defaultConfiguration: { level: 'error' },
  };
}

function migrationFailedRule(): SarifRule {
  return {
    id: MIGRATION_FAILED_RULE,
    name: 'MigrationFailed',
    shortDescription: { text: 'A migration file failed to apply on a fresh database' },
    help: {
      text: 'Replaying the baseline and the migrations in order on a throwaway database raised this Postgres error. A fresh environment built from the history would fail the same way; fix the statement at the given position.',
    },
    defaultConfiguration: { level: 'error' },
  };
}

function pascalCase(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}
