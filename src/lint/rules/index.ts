// Generated entries are kept sorted; `npm run new-rule <id>` inserts new ones.
import addRequiredColumn from './add-required-column.js';
import bareStatusColumn from './bare-status-column.js';
import changeColumnType from './change-column-type.js';
import constraintNotValid from './constraint-not-valid.js';
import dropCascade from './drop-cascade.js';
import dropColumn from './drop-column.js';
import dropTable from './drop-table.js';
import duplicateNumber from './duplicate-number.js';
import fileName from './file-name.js';
import fkNeedsIndex from './fk-needs-index.js';
import forbiddenFile from './forbidden-file.js';
import idempotentDdl from './idempotent-ddl.js';
import immutableHistory from './immutable-history.js';
import migrationHeader from './migration-header.js';
import newMigrationNumber from './new-migration-number.js';
import noTenantId from './no-tenant-id.js';
import noTenantsTable from './no-tenants-table.js';
import numberGap from './number-gap.js';
import numberRange from './number-range.js';
import organizationFkName from './organization-fk-name.js';
import preferIdentity from './prefer-identity.js';
import preferJsonb from './prefer-jsonb.js';
import preferText from './prefer-text.js';
import preferTimestamptz from './prefer-timestamptz.js';
import renameColumn from './rename-column.js';
import renameTable from './rename-table.js';
import requireConcurrentIndex from './require-concurrent-index.js';
import requirePrimaryKey from './require-primary-key.js';
import requireWhere from './require-where.js';
import setNotNull from './set-not-null.js';
import suppressionReason from './suppression-reason.js';
import syntaxError from './syntax-error.js';
import transactionControl from './transaction-control.js';
import truncate from './truncate.js';
import unusedSuppression from './unused-suppression.js';
import versionOrder from './version-order.js';
import type { Rule } from '../define-rule.js';

/** Every lint rule, by id. The registry is typed: \`RuleId\` is the union of the ids. */
export const rules = [
  addRequiredColumn,
  bareStatusColumn,
  changeColumnType,
  constraintNotValid,
  dropCascade,
  dropColumn,
  dropTable,
  duplicateNumber,
  fileName,
  fkNeedsIndex,
  forbiddenFile,
  idempotentDdl,
  immutableHistory,
  migrationHeader,
  newMigrationNumber,
  noTenantId,
  noTenantsTable,
  numberGap,
  numberRange,
  organizationFkName,
  preferIdentity,
  preferJsonb,
  preferText,
  preferTimestamptz,
  renameColumn,
  renameTable,
  requireConcurrentIndex,
  requirePrimaryKey,
  requireWhere,
  setNotNull,
  suppressionReason,
  syntaxError,
  transactionControl,
  truncate,
  unusedSuppression,
  versionOrder,
] as const satisfies readonly Rule[];

export type RuleId = (typeof rules)[number]['id'];

export const ruleById: ReadonlyMap<string, Rule> = new Map(rules.map((rule) => [rule.id, rule as Rule]));
