/**
 * Words that became keywords Postgres restricts (col_name_keyword or reserved) after 15, by the major that made them
 * so (src/include/parser/kwlist.h of REL_16 / REL_17). A col_name_keyword can still name a table column but no
 * longer a function, a function parameter or a RETURNS TABLE column (gram.y: param_name and func_name take
 * type_function_name, which excludes col_name_keyword); a reserved one names nothing unquoted. pgdrift parses every
 * migration with libpg-query's grammar (Postgres 18), whatever engine replays it, so SQL an older major accepts fails
 * before it reaches that engine (field: provenance-io/explorer-service, Postgres 13.2, `RETURNS TABLE (... json jsonb,
 * ...)` in five functions).
 */
export const NEWER_KEYWORDS: Record<string, number> = {
  // unreserved in 16 (pg_get_keywords() of Postgres 16.4: catcode U), a col_name_keyword from 17 (C)
  json: 17,
  json_array: 16,
  json_arrayagg: 16,
  json_object: 16,
  json_objectagg: 16,
  system_user: 16,
  json_exists: 17,
  json_query: 17,
  json_scalar: 17,
  json_serialize: 17,
  json_table: 17,
  json_value: 17,
  merge_action: 17,
};

/**
 * The hint for a syntax error (`message`, "syntax error at or near \"x\"") on a line that uses one of those words
 * unquoted, where the parser stopped: at the word, or at the word right after it (`f(json jsonb)` stops at jsonb,
 * json having been read as the parameter's type). Else undefined.
 */
export function newerKeywordHint(message: string, line: string): string | undefined {
  const near = /at or near "([^"]*)"/.exec(message)?.[1]?.toLowerCase();
  if (near === undefined) return undefined;
  // quoted strings and identifiers are not keywords; a -- comment is not SQL
  const code = line.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, ' ').replace(/--.*$/, '');
  const words = [...code.matchAll(/[a-z_][a-z0-9_$]*|\S/gi)].map((m) => m[0].toLowerCase());
  const at = words.findIndex((word, i) => NEWER_KEYWORDS[word] !== undefined && (word === near || (words[i + 1] === near && /^[a-z_]/.test(near))));
  if (at < 0) return undefined;
  const name = words[at];
  const since = NEWER_KEYWORDS[name];
  return `${name} is a keyword since Postgres ${since}: it no longer names a function, a function parameter or a RETURNS TABLE column unquoted (Postgres ${since - 1} and older accept it); pgdrift reads migrations with Postgres 18's grammar on every engine, so double-quote it ("${name}"), as every major accepts`;
}
