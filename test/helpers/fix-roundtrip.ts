import { readFileSync } from 'node:fs';
import { diffModels } from '../../src/diff/diff.js';
import type { DriftItem } from '../../src/diff/types.js';
import { openEngine, type Engine } from '../../src/engine/index.js';
import { expect } from 'vitest';
import { planFix, renderFixSql, type FixOptions } from '../../src/fix/index.js';
import { generateFix } from '../../src/fix/project.js';
import { buildSchemaModel } from '../../src/model/build.js';
import type { SchemaModel } from '../../src/model/types.js';
import { SERVER_URL } from './postgres.js';

export const richSchema = readFileSync(new URL('../fixtures/dumps/rich-schema.sql', import.meta.url), 'utf8');

const RESET = `
  SET search_path TO public;
  DROP SCHEMA IF EXISTS app CASCADE;
  DROP SCHEMA IF EXISTS reporting CASCADE;
  DROP SCHEMA public CASCADE;
  CREATE SCHEMA public;
`;

export async function openTestEngine(name: 'pglite' | 'server'): Promise<Engine> {
  return openEngine(name === 'pglite' ? { engine: 'pglite', extensions: ['citext'] } : { engine: 'server', databaseUrl: SERVER_URL });
}

/** The schema of a database holding the rich schema after `steps` (each one query), as a model. */
export async function schemaAfter(engine: Engine, steps: string[], label: string, options: { includePrivileges?: boolean } = {}): Promise<SchemaModel> {
  await engine.exec(RESET);
  await engine.exec(richSchema);
  for (const sql of steps) {
    try {
      await engine.exec(sql);
    } catch (error: any) {
      throw new Error(`${label}: ${error?.message ?? error}\n--- SQL ---\n${sql}`);
    }
  }
  await engine.exec('SET search_path TO public');
  return buildSchemaModel(await engine.dump(), label, options);
}

export interface RoundTrip {
  sql: string;
  /** drift between the target and the database the SQL produced: must be empty */
  remaining: DriftItem[];
}

/**
 * Applies `diff from to --sql` to a database loaded with `from` (the rich schema plus `fromSteps`) and compares
 * the result with `to`.
 */
export async function roundTrip(engine: Engine, fromSteps: string[], from: SchemaModel, to: SchemaModel, options: FixOptions = { allowDestructive: true }): Promise<RoundTrip> {
  // As the commands do: the plan kept to the steps that serve the drift items of `diff from to`.
  const sql = generateFix(from, to, diffModels(to, from), options).sql;
  expect(sql).toBe(renderFixSql(planFix(from, to, options), options));
  const result = await schemaAfter(engine, [...fromSteps, sql], 'fixed.sql');
  return { sql, remaining: diffModels(result, to) };
}
