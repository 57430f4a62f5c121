// Generated entries are kept sorted; `npm run new-rule <id>` inserts new ones.
import addColumnCheck from './add-column-check.js';
import addForeignKeyInline from './add-foreign-key-inline.js';
import addPrimaryKey from './add-primary-key.js';
import addRequiredColumn from './add-required-column.js';
import addUniqueConstraint from './add-unique-constraint.js';
import banCharType from './ban-char-type.js';
import banDropDatabase from './ban-drop-database.js';
import bareStatusColumn from './bare-status-column.js';
import blockingMaintenance from './blocking-maintenance.js';
import changeColumnType from './change-column-type.js';
import concurrentIndexInTransaction from './concurrent-index-in-transaction.js';
import constraintNotValid from './constraint-not-valid.js';
import dropCascade from './drop-cascade.js';
import dropColumn from './drop-column.js';
import dropIndexConcurrently from './drop-index-concurrently.js';
import dropTable from './drop-table.js';
import duplicateNumber from './duplicate-number.js';
import fileName from './file-name.js';
import fkNeedsIndex from './fk-needs-index.js';
import fkPartialIndex from './fk-partial-index.js';
import forbiddenFile from './forbidden-file.js';
import idempotentDdl from './idempotent-ddl.js';
import identifierTooLong from './identifier-too-long.js';
import immutableHistory from './immutable-history.js';
import journalOrder from './journal-order.js';
import migrationHeader from './migration-header.js';
import newMigrationNumber from './new-migration-number.js';
import noTenantId from './no-tenant-id.js';
import noTenantsTable from './no-tenants-table.js';
import numberGap from './number-gap.js';
import numberRange from './number-range.js';
import organizationFkName from './organization-fk-name.js';
import preferBigint from './prefer-bigint.js';
import preferIdentity from './prefer-identity.js';
import preferJsonb from './prefer-jsonb.js';
import preferText from './prefer-text.js';
import preferTimestamptz from './prefer-timestamptz.js';
import renameColumn from './rename-column.js';
import renameTable from './rename-table.js';
import requireConcurrentIndex from './require-concurrent-index.js';
import requireLockTimeout from './require-lock-timeout.js';
import requirePrimaryKey from './require-primary-key.js';
import requireStatementTimeout from './require-statement-timeout.js';
import requireWhere from './require-where.js';
import runnerRefuses from './runner-refuses.js';
import setNotNull from './set-not-null.js';
import suppressionReason from './suppression-reason.js';
import syntaxError from './syntax-error.js';
import tableRewrite from './table-rewrite.js';
import transactionControl from './transaction-control.js';
import truncate from './truncate.js';
import unusedSuppression from './unused-suppression.js';
import versionOrder from './version-order.js';
import type { Rule } from '../define-rule.js';

/** Every lint rule, by id. The registry is typed: \`RuleId\` is the union of the ids. */
export const rules = [
  addColumnCheck,
  addForeignKeyInline,
  addPrimaryKey,
  addRequiredColumn,
  addUniqueConstraint,
  banCharType,
  banDropDatabase,
  bareStatusColumn,
  blockingMaintenance,
  changeColumnType,
  concurrentIndexInTransaction,
  constraintNotValid,
  dropCascade,
  dropColumn,
  dropIndexConcurrently,
  dropTable,
  duplicateNumber,
  fileName,
  fkNeedsIndex,
  fkPartialIndex,
  forbiddenFile,
  idempotentDdl,
  identifierTooLong,
  immutableHistory,
  journalOrder,
  migrationHeader,
  newMigrationNumber,
  noTenantId,
  noTenantsTable,
  numberGap,
  numberRange,
  organizationFkName,
  preferBigint,
  preferIdentity,
  preferJsonb,
  preferText,
  preferTimestamptz,
  renameColumn,
  renameTable,
  requireConcurrentIndex,
  requireLockTimeout,
  requirePrimaryKey,
  requireStatementTimeout,
  requireWhere,
  runnerRefuses,
  setNotNull,
  suppressionReason,
  syntaxError,
  tableRewrite,
  transactionControl,
  truncate,
  unusedSuppression,
  versionOrder,
] as const satisfies readonly Rule[];

export type RuleId = (typeof rules)[number]['id'];

export const ruleById: ReadonlyMap<string, Rule> = new Map(rules.map((rule) => [rule.id, rule as Rule]));
