import { scanSqlTokens } from '../sql/parse.js';

/**
 * Whether two function bodies of one language are the same code. Postgres keeps a body (`prosrc`) as the text the
 * CREATE FUNCTION gave, and pg_dump prints it back verbatim; a `sql` or `plpgsql` body is read by the core SQL
 * scanner (plpgsql's pl_scanner.c uses it too), to which whitespace and comments outside literals are nothing. So two
 * such bodies whose token sequences are equal, comments left out, are the same function, whatever their layout.
 * They differ this way when the tool that ran the migration rewrote its text: goose before v3 dropped every empty
 * line of a migration, and every line starting with `--`, even inside `-- +goose StatementBegin` blocks (goose
 * v2.7 sql_parser.go: "Ignore empty lines", "Ignore comments"), so a database migrated by it holds the body without
 * them (field: cerc-io/ipld-eth-db, schema.sql written after `goose up` with github.com/pressly/goose/cmd/goose).
 * String literals, quoted identifiers and dollar-quoted strings are single tokens: a change inside one still counts,
 * as does any change of a token's spelling (keyword case included). Other languages (C symbols, plpython, whose
 * indentation is code) compare by their text; so does a body the scanner refuses.
 */
export function sameFunctionBody(a: string, b: string, language: string): boolean {
  if (a === b) return true;
  if (language !== 'sql' && language !== 'plpgsql') return false;
  const [left, right] = [codeTokens(a), codeTokens(b)];
  if (!left || !right || left.length !== right.length) return false;
  return left.every((token, i) => token === right[i]);
}

const COMMENT_TOKENS = new Set(['SQL_COMMENT', 'C_COMMENT']);

/** The body's tokens without its comments, or undefined when the scanner refuses it. */
function codeTokens(body: string): string[] | undefined {
  try {
    return scanSqlTokens(body)
      .filter((token) => !COMMENT_TOKENS.has(token.tokenName))
      .map((token) => token.text);
  } catch {
    return undefined;
  }
}
