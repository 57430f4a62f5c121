import type { RangeVar } from '@pgsql/types';
import { quoteIdentIfNeeded } from '../engine/quote.js';

/**
 * Names written into the SQL a finding's help suggests, quoted only where Postgres needs it (`"Account"`, `"user"`,
 * `orders`): Prisma and drizzle name tables and columns in mixed case, and an unquoted `Account` folds to `account`,
 * so a copied fix would fail with 42P01.
 */
export function sqlName(...parts: string[]): string {
  return parts.map(quoteIdentIfNeeded).join('.');
}

/**
 * A table named in a statement, as the statement wrote it (`basejump.accounts`, `accounts`): the help's fix goes in
 * the same migration, under the same search_path, so the schema it wrote, and only that, is needed.
 */
export function sqlRelation(relation: RangeVar | undefined): string {
  return sqlName(...[relation?.schemaname, relation?.relname ?? ''].filter((part): part is string => Boolean(part)));
}

/**
 * A table of the history's end state by its key (`basejump.accounts`): schema-qualified outside `public`, since the
 * fix may go in a later migration whose search_path does not reach the table's schema (field: usebasejump/basejump's
 * fk-needs-index help said `ON accounts`, which fails with 42P01 where the table is basejump.accounts).
 */
export function sqlTable(key: string): string {
  const dot = key.indexOf('.');
  const schema = key.slice(0, dot);
  const name = key.slice(dot + 1);
  return schema === 'public' ? sqlName(name) : sqlName(schema, name);
}

/** A column list, each name as sqlName writes it. */
export function sqlNames(names: readonly string[]): string {
  return names.map(quoteIdentIfNeeded).join(', ');
}

/**
 * Where a CREATE INDEX CONCURRENTLY of a lint recipe can go: the runner's to say (drizzle: no migration can hold it,
 * all run in one transaction; Prisma: alone in its migration.sql), else a file the runner runs outside a transaction.
 */
export function concurrentlyWhere(runner: { lint: { outsideTransaction: string } } | undefined): string {
  return runner?.lint.outsideTransaction ?? 'put the CREATE INDEX in a file that runs outside one';
}
