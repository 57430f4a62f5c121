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
