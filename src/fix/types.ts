import type { SchemaModel } from '../model/types.js';

/** How the generated DDL may be written: what the project's runner and lint preset allow. */
export interface FixOptions {
  /** emit DROP TABLE / DROP COLUMN / narrowing type changes as SQL rather than as comments */
  allowDestructive?: boolean;
  /** the runner runs each statement outside a transaction, so CREATE/DROP INDEX CONCURRENTLY can run */
  concurrently?: boolean;
  /** write re-runnable DDL (IF NOT EXISTS, IF EXISTS, OR REPLACE, DO blocks), as the idempotent-ddl rule asks */
  idempotent?: boolean;
  /** major version of the Postgres the SQL will run on (SET EXPRESSION needs 17); default: from the target dump */
  postgresMajor?: number;
}

/**
 * Where a step stands in the script. Drops run first, dependents before what they depend on (the reverse of
 * pg_dump's creation order); creations follow in pg_dump's order (schemas, types, functions, tables, constraints,
 * indexes, foreign keys, views, triggers, policies, comments, privileges).
 */
export const Phase = {
  dropPolicy: 10,
  dropTrigger: 11,
  dropView: 20,
  dropForeignKey: 30,
  dropConstraint: 40,
  dropIndex: 41,
  dropDefault: 45,
  dropColumn: 50,
  dropTable: 55,
  dropSequence: 60,
  dropFunction: 65,
  dropType: 70,
  dropExtension: 75,
  dropSchema: 76,
  createSchema: 100,
  createExtension: 101,
  createType: 110,
  createSequence: 120,
  createFunction: 130,
  createTable: 140,
  alterTable: 145,
  alterColumn: 150,
  dropRebuiltType: 151,
  alterSequence: 155,
  createSqlFunction: 160,
  createConstraint: 170,
  createIndex: 180,
  createForeignKey: 190,
  validateConstraint: 195,
  createView: 200,
  createTrigger: 210,
  createPolicy: 220,
  comment: 230,
  privilege: 240,
} as const;

/** One step of the script: one or more statements that belong together. */
export interface FixStep {
  phase: number;
  /** statements, each ending with `;` */
  sql: string;
  /** the drift-item name this step reconciles (a dependent view's recreation names the column that forced it) */
  target: string;
  /** a name to fall back to when no drift item is named `target` (a sequence folded into its new table) */
  owner?: string;
  /** why the step loses data or may fail on existing rows; such steps are comments unless allowDestructive */
  unsafe?: string;
  /** a note printed above the step (why it is there, when that is not obvious) */
  note?: string;
  /** runs outside a transaction block only (CREATE INDEX CONCURRENTLY) */
  outsideTransaction?: boolean;
  /** order inside the phase (dependency rank for views; else generation order) */
  rank?: number;
}

/** The DDL that turns `from` into `to`, as ordered steps. */
export interface FixPlan {
  steps: FixStep[];
  /** steps left out as comments because they are destructive (allowDestructive off) */
  unsafeCount: number;
}

export type { SchemaModel };
