import type { Project } from '../config/project.js';
import type { DriftItem } from '../diff/types.js';
import { choosePreset, resolveSeverities } from '../lint/config.js';
import type { MigrationFile } from '../migrations/discover.js';
import type { SchemaModel } from '../model/types.js';
import { attachFixSql, stepsForItems } from './attach.js';
import { planFix } from './plan.js';
import { renderFixSql } from './render.js';
import type { FixOptions, FixPlan } from './types.js';

/** How a project wants its DDL written: what its runner allows and what its lint preset asks for. */
export interface ProjectFixStyle extends Pick<FixOptions, 'concurrently' | 'idempotent'> {
  /** the migration-header rule is on: a written migration starts with the team's header */
  header: boolean;
}

/**
 * CONCURRENTLY only when the runner runs a file statement by statement outside any transaction (a multi-statement
 * query is one implicit transaction, where CREATE INDEX CONCURRENTLY fails); IF NOT EXISTS & co when the
 * idempotent-ddl rule is on (the helios preset: its runner re-applies every file at start).
 */
export function projectFixStyle(project: Project, migrations: readonly MigrationFile[], preset?: string): ProjectFixStyle {
  const severities = resolveSeverities(choosePreset(preset, project.config, migrations, project.runner), project.config);
  const probe = 'SELECT 1;\nSELECT 2;\n';
  const parts = project.runner.plan(probe, 'probe.sql', project.migrationsDir).parts;
  return {
    concurrently: parts.length > 0 && parts.every((part) => part.transaction === 'none'),
    idempotent: (severities.get('idempotent-ddl') ?? 'off') !== 'off',
    header: (severities.get('migration-header') ?? 'off') !== 'off',
  };
}

export interface GeneratedFix {
  plan: FixPlan;
  /** the whole script */
  sql: string;
  /** the drift items, each with the SQL that reconciles it */
  drift: DriftItem[];
}

/**
 * The fix for a list of drift items, planned from the two models they came from: only the steps that serve an
 * item are kept (the items already left out what `ignore` patterns and the confirming reload left out).
 */
export function generateFix(from: SchemaModel, to: SchemaModel, drift: DriftItem[], options: FixOptions): GeneratedFix {
  const full = planFix(from, to, options);
  const steps = stepsForItems(drift, full);
  const plan = { steps, unsafeCount: options.allowDestructive ? 0 : steps.filter((s) => s.unsafe).length };
  // differences with no step at all are named in the script (a step may serve an item under another name, so only then)
  return { plan, sql: renderFixSql(plan, options, steps.length === 0 ? drift : []), drift: attachFixSql(drift, plan, options.allowDestructive ?? false) };
}

/** The user's flags on top of the project's style; without a project, psql-style (statement by statement) defaults. */
export function fixOptionsFor(
  project: Project | undefined,
  flags: { allowDestructive?: boolean; concurrently?: boolean; idempotent?: boolean },
  loadMigrations: () => readonly MigrationFile[],
): FixOptions {
  let style: Pick<FixOptions, 'concurrently' | 'idempotent'> = { concurrently: true, idempotent: false };
  // a project without migrations (diff of two dumps in a folder with none) has no style to follow: its migrationsDir
  // is the root, whose loose .sql files (a fix.sql written there) are no history
  if (project && !project.withoutMigrations) {
    try {
      style = projectFixStyle(project, loadMigrations());
    } catch {
      // a project without readable migrations keeps the defaults
    }
  }
  return {
    allowDestructive: flags.allowDestructive ?? false,
    concurrently: flags.concurrently ?? style.concurrently,
    idempotent: flags.idempotent ?? style.idempotent,
  };
}
