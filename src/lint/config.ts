import { InputError } from '../errors.js';
import type { PgdriftConfig } from '../config/schema.js';
import type { MigrationFile } from '../migrations/discover.js';
import type { RuleOptions } from './define-rule.js';
import { numbered } from '../runners/numbered.js';
import type { Runner } from '../runners/types.js';
import { PRESET_NAMES, presets, type PresetName } from './presets.js';
import { ruleById } from './rules/index.js';
import type { SeveritySetting } from './types.js';

export const DEFAULT_FILE_NAME_PATTERN = '^\\d{3,}_[a-z0-9_]+\\.sql$';
export const DEFAULT_FORBIDDEN_FILES = ['database/schema.sql'];
export const DEFAULT_NUMBER_RANGE: [number, number] = [1, 999];

/** The seed's layout: (almost) every file is NNN_... and most start with a `-- Migration NNN:` header. */
export function looksLikeHelios(migrations: readonly MigrationFile[]): boolean {
  if (migrations.length === 0) return false;
  const numbered = migrations.filter((m) => /^\d{3}[a-zA-Z]?_/.test(m.name)).length;
  const withHeader = migrations.filter((m) => m.header.number !== undefined).length;
  return numbered >= migrations.length * 0.8 && withHeader >= migrations.length * 0.5;
}

export function choosePreset(flag: string | undefined, config: PgdriftConfig, migrations: readonly MigrationFile[], runner: Runner = numbered): PresetName {
  const name = flag ?? config.preset;
  if (name !== undefined) {
    if (!(PRESET_NAMES as readonly string[]).includes(name)) {
      throw new InputError(`unknown lint preset "${name}"`, { hint: `use one of: ${PRESET_NAMES.join(', ')}` });
    }
    return name as PresetName;
  }
  // The Helios conventions only fit its own layout: other runners get the general preset with their naming.
  return runner.name === 'numbered' && looksLikeHelios(migrations) ? 'helios' : 'recommended';
}

/** Preset, then lint.idempotent, then the per-rule settings of the config (unknown rule ids are an input error). */
export function resolveSeverities(preset: PresetName, config: PgdriftConfig): Map<string, SeveritySetting> {
  const severities = new Map<string, SeveritySetting>(Object.entries(presets[preset]));
  if (config.lint?.idempotent === true && severities.get('idempotent-ddl') === 'off') severities.set('idempotent-ddl', 'error');
  if (config.lint?.idempotent === false) severities.set('idempotent-ddl', 'off');
  const unknown = Object.keys(config.rules ?? {}).filter((id) => !ruleById.has(id));
  if (unknown.length > 0) {
    throw new InputError(`unknown lint rule${unknown.length > 1 ? 's' : ''} in "rules": ${unknown.join(', ')}`, {
      hint: `known rules: ${[...ruleById.keys()].sort().join(', ')}`,
    });
  }
  for (const [id, severity] of Object.entries(config.rules ?? {})) severities.set(id, severity);
  return severities;
}

export function ruleOptions(config: PgdriftConfig, today: string, runner: Runner = numbered): RuleOptions {
  const pattern = config.lint?.fileNamePattern ?? (runner.name === 'numbered' ? DEFAULT_FILE_NAME_PATTERN : runner.lint.fileNamePattern.source);
  let fileNamePattern: RegExp;
  try {
    fileNamePattern = new RegExp(pattern);
  } catch (error) {
    throw new InputError(`lint.fileNamePattern is not a valid regular expression: ${(error as Error | undefined)?.message ?? error}`);
  }
  return {
    fileNamePattern,
    forbiddenFiles: config.lint?.forbiddenFiles ?? DEFAULT_FORBIDDEN_FILES,
    numberRange: config.lint?.numberRange ?? DEFAULT_NUMBER_RANGE,
    today,
    runner,
    customFileNamePattern: config.lint?.fileNamePattern !== undefined,
  };
}
