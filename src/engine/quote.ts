import { QuoteUtils } from '@pgsql/quotes';

/**
 * Always-quoted identifier for the SQL engines send themselves (CREATE ROLE, CREATE/DROP DATABASE).
 */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * An identifier quoted only where Postgres needs it (`orders`, `"Account"`, `"user"`), as pg_dump writes names: for
 * SQL people read or copy (the model's DDL, lint help). @pgsql/quotes is the deparser's own quoting, without the
 * deparser.
 */
export const quoteIdentIfNeeded = (name: string): string => QuoteUtils.quoteIdentifier(name);

/** A string literal: `'it''s'` (standard_conforming_strings on, as on every engine pgdrift starts). */
export const quoteLiteral = (text: string): string => `'${text.replace(/'/g, "''")}'`;
