import { quoteIdentIfNeeded } from '../engine/quote.js';

/**
 * Names written into the SQL a finding's help suggests, quoted only where Postgres needs it (`"Account"`, `"user"`,
 * `orders`): Prisma and drizzle name tables and columns in mixed case, and an unquoted `Account` folds to `account`,
 * so a copied fix would fail with 42P01.
 */
export function sqlName(...parts: string[]): string {
  return parts.map(quoteIdentIfNeeded).join('.');
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
