import { functionHeader, routineKeyword } from '../../model/ddl.js';
import type { FunctionObject } from '../../model/types.js';
import { sameObject, signature, type FixContext } from '../context.js';
import { statementReferences } from '../references.js';
import { commentOn, literal, qualifiedName } from '../sql.js';
import { Phase } from '../types.js';

/**
 * Functions and procedures: CREATE OR REPLACE when Postgres allows it, else DROP and CREATE (a changed return
 * type or argument list), with the triggers, views and policies that call the function recreated around it.
 */
export function functionSteps(ctx: FixContext): void {
  const { idempotent } = ctx.options;
  for (const [key, fn] of ctx.fromFunctions) {
    if (ctx.toFunctions.has(key) && !ctx.recreatedFunctions.has(key)) continue;
    ctx.add({
      phase: Phase.dropFunction,
      target: ctx.functionName(fn),
      sql: `DROP ${routineKeyword(fn)} ${idempotent ? 'IF EXISTS ' : ''}${qualifiedName(fn.schema, fn.name)}(${fn.identityArguments});`,
      note: ctx.recreatedFunctions.has(key) ? `${signature(fn)}: CREATE OR REPLACE cannot change its return type or arguments; dropped and created again` : undefined,
    });
  }
  for (const [key, fn] of ctx.toFunctions) {
    const old = ctx.fromFunctions.get(key);
    const target = ctx.functionName(fn);
    const created = !old || ctx.recreatedFunctions.has(key);
    if (created || !sameObject(old, fn)) {
      if (fn.kind === 'aggregate') {
        ctx.add({ phase: Phase.createFunction, target, sql: `-- CREATE AGGREGATE ${signature(fn)}`, unsafe: `pgdrift does not write aggregates: write CREATE AGGREGATE ${signature(fn)} by hand` });
        continue;
      }
      ctx.add({ phase: createPhase(ctx, fn), target, sql: functionSql(fn, !created || idempotent) });
    }
    const comment = created ? null : old!.comment;
    if (fn.comment !== comment) ctx.add({ phase: Phase.comment, target, sql: commentOn(`${routineKeyword(fn)} ${qualifiedName(fn.schema, fn.name)}(${fn.identityArguments})`, fn.comment) });
  }
}

/** A SQL-language body is checked when created: it waits for the tables and columns this script adds. */
function createPhase(ctx: FixContext, fn: FunctionObject): number {
  if (fn.language !== 'sql') return Phase.createFunction;
  const body = /^(BEGIN ATOMIC|RETURN)/.test(fn.body) ? `SELECT 1` : fn.body;
  const refs = statementReferences(body);
  const gainsColumns = (r: string) => ctx.toTables.get(r)?.columns.some((c) => !ctx.fromTables.get(r)!.columns.some((o) => o.name === c.name));
  const readsNew = [...refs.relations].some((r) => r === '*' || (!ctx.fromTables.has(r) && !ctx.fromViews.has(r)) || ctx.droppedViews.has(r) || gainsColumns(r));
  return readsNew ? Phase.createSqlFunction : Phase.createFunction;
}

/** CREATE [OR REPLACE] FUNCTION from the model, the body in a dollar quote that does not occur in it. */
export function functionSql(fn: FunctionObject, replace: boolean): string {
  const text = functionHeader(fn, replace);
  if (/^(BEGIN ATOMIC|RETURN)/.test(fn.body)) return `${text}\n${fn.body};`;
  if (fn.language === 'c' || fn.language === 'internal') return `${text}\n    AS ${literal(fn.body)};`;
  let tag = '$$';
  for (let n = 1; fn.body.includes(tag); n++) tag = `$fn${n}$`;
  const multiline = fn.body.includes('\n');
  return `${text}\n    AS ${tag}${multiline ? '\n' : ' '}${fn.body}${multiline ? '\n' : ' '}${tag};`;
}
