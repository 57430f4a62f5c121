import type { SeveritySetting } from './types.js';
import type { RuleId } from './rules/index.js';

export type PresetName = 'recommended' | 'helios' | 'strict';
export const PRESET_NAMES: readonly PresetName[] = ['recommended', 'helios', 'strict'];

type Preset = Record<RuleId, SeveritySetting>;

/** General migration hygiene and safety; the Helios naming conventions and idempotent DDL are off. */
const recommended: Preset = {
  'runner-refuses': 'error',
  'blocking-maintenance': 'warning',
  'ban-drop-database': 'error',
  'concurrent-index-in-transaction': 'error',
  'require-statement-timeout': 'off',
  'require-lock-timeout': 'off',
  'ban-char-type': 'warning',
  'prefer-bigint': 'off',
  'identifier-too-long': 'warning',
  'add-foreign-key-inline': 'warning',
  'table-rewrite': 'warning',
  'add-primary-key': 'warning',
  'add-unique-constraint': 'warning',
  'drop-index-concurrently': 'warning',
  'fk-partial-index': 'info',
  'file-name': 'warning',
  'duplicate-number': 'error',
  'number-gap': 'warning',
  'number-range': 'off',
  'migration-header': 'off',
  'forbidden-file': 'off',
  'immutable-history': 'error',
  'new-migration-number': 'error',
  'no-tenant-id': 'off',
  'no-tenants-table': 'off',
  'bare-status-column': 'off',
  'organization-fk-name': 'off',
  'fk-needs-index': 'warning',
  'idempotent-ddl': 'off',
  'drop-table': 'warning',
  'drop-column': 'warning',
  'rename-table': 'warning',
  'rename-column': 'warning',
  'change-column-type': 'warning',
  'add-required-column': 'error',
  'set-not-null': 'warning',
  'require-concurrent-index': 'warning',
  'constraint-not-valid': 'warning',
  'add-column-check': 'warning',
  'prefer-timestamptz': 'warning',
  'prefer-text': 'info',
  'prefer-identity': 'info',
  'prefer-jsonb': 'warning',
  'transaction-control': 'warning',
  'drop-cascade': 'warning',
  truncate: 'warning',
  'require-where': 'warning',
  'require-primary-key': 'warning',
  'syntax-error': 'error',
  'suppression-reason': 'warning',
  'unused-suppression': 'warning',
  'version-order': 'warning',
  'journal-order': 'error',
};

/**
 * The seed project's conventions (../shared/seed/helios-database-README.md) as errors, plus idempotent DDL
 * because its runner re-applies every file at start. require-concurrent-index and drop-index-concurrently are off:
 * the runner executes each file inside a transaction, where CONCURRENTLY cannot run (concurrent-index-in-transaction,
 * which follows the runner's transaction semantics, reports it as an error there). The opt-in timeout rules stay off: they are for runners whose connection has none.
 */
const helios: Preset = {
  ...recommended,
  'file-name': 'error',
  'number-gap': 'error',
  'number-range': 'error',
  'migration-header': 'error',
  'forbidden-file': 'error',
  'no-tenant-id': 'error',
  'no-tenants-table': 'error',
  'bare-status-column': 'error',
  'organization-fk-name': 'error',
  'fk-needs-index': 'error',
  'fk-partial-index': 'warning',
  'idempotent-ddl': 'error',
  'require-concurrent-index': 'off',
  'drop-index-concurrently': 'off',
  // its merged history adds checked columns this way (the sample's migrations 012 and 014): see the rule's page
  'add-column-check': 'off',
  'transaction-control': 'error',
  'suppression-reason': 'error',
};

/** Everything recommended turns on (the prefer-* rules included), as errors; the Helios conventions stay off. */
const strict: Preset = Object.fromEntries(
  Object.entries(recommended).map(([id, severity]) => [id, severity === 'off' ? 'off' : 'error']),
) as Preset;

export const presets: Readonly<Record<PresetName, Readonly<Preset>>> = { recommended, helios, strict };
