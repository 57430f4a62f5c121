import type { FixContext } from '../context.js';
import { commentOn, quoteIdent } from '../sql.js';
import { Phase } from '../types.js';

/** Schemas and extensions: created first, dropped last. */
export function schemaSteps(ctx: FixContext): void {
  const { idempotent } = ctx.options;
  const before = new Map(ctx.from.schemas.map((s) => [s.name, s]));
  const after = new Map(ctx.to.schemas.map((s) => [s.name, s]));
  for (const [name] of before) {
    if (!after.has(name)) ctx.add({ phase: Phase.dropSchema, target: name, sql: `DROP SCHEMA ${idempotent ? 'IF EXISTS ' : ''}${quoteIdent(name)};` });
  }
  for (const [name, schema] of after) {
    const old = before.get(name);
    if (!old) ctx.add({ phase: Phase.createSchema, target: name, sql: `CREATE SCHEMA ${idempotent ? 'IF NOT EXISTS ' : ''}${quoteIdent(name)};` });
    if (schema.comment !== (old ? old.comment : null)) ctx.add({ phase: Phase.comment, target: name, sql: commentOn(`SCHEMA ${quoteIdent(name)}`, schema.comment) });
  }
}

export function extensionSteps(ctx: FixContext): void {
  const { idempotent } = ctx.options;
  const before = new Map(ctx.from.extensions.map((e) => [e.name, e]));
  const after = new Map(ctx.to.extensions.map((e) => [e.name, e]));
  for (const [name] of before) {
    if (!after.has(name)) ctx.add({ phase: Phase.dropExtension, target: name, sql: `DROP EXTENSION ${idempotent ? 'IF EXISTS ' : ''}${quoteIdent(name)};` });
  }
  for (const [name, extension] of after) {
    const old = before.get(name);
    const schema = extension.schema ? ` WITH SCHEMA ${quoteIdent(extension.schema)}` : '';
    // pg_dump writes IF NOT EXISTS for extensions too: some are installed by the platform before any migration.
    if (!old) ctx.add({ phase: Phase.createExtension, target: name, sql: `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(name)}${schema};` });
    else if (old.schema !== extension.schema && extension.schema) {
      ctx.add({ phase: Phase.createExtension, target: name, sql: `ALTER EXTENSION ${quoteIdent(name)} SET SCHEMA ${quoteIdent(extension.schema)};` });
    }
    if (extension.comment !== (old ? old.comment : null)) ctx.add({ phase: Phase.comment, target: name, sql: commentOn(`EXTENSION ${quoteIdent(name)}`, extension.comment) });
  }
}
