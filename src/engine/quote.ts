/**
 * Always-quoted identifier for the SQL engines send themselves (CREATE ROLE, CREATE/DROP DATABASE). The model's
 * quoteIdent quotes only when needed but loads the deparser, which engines must not pay for.
 */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** A string literal: `'it''s'` (standard_conforming_strings on, as on every engine pgdrift starts). */
export const quoteLiteral = (text: string): string => `'${text.replace(/'/g, "''")}'`;
