import { quoteLiteral } from '../engine/quote.js';

/**
 * The `search_path` a postgres:// URL's query gives the session. The Go drivers the runners use (lib/pq for dbmate
 * and golang-migrate's postgres driver) send a query parameter they do not know as a run-time parameter of the
 * startup packet, so the server reads the value itself, as it reads the string of `SET search_path` (guc.c
 * check_search_path → varlena.c SplitIdentifierString): a comma list of names, a double-quoted one kept as written
 * (`""` a quote), an unquoted one folded to lower case.
 */
export interface UrlSearchPath {
  /** the value as the URL has it (query-decoded): what the server is sent */
  value: string;
  /** the schemas as the server reads the value; undefined when it does not read it (the connection fails there) */
  schemas: string[] | undefined;
}

/**
 * The URL's search_path, undefined when the URL sets none (or is not a URL: a key=value DSN, which these runners
 * refuse before migrating). The query is decoded as Go's url.ParseQuery decodes it (`+` a space, `%XX` escapes).
 */
export function urlSearchPath(url: string | undefined): UrlSearchPath | undefined {
  return searchPathValue(urlQuery(url)?.get('search_path'));
}

/** A connection URL's query parameters (after `?`, before any `#`; `+` a space, `%XX` escapes); undefined without a query. */
export function urlQuery(url: string | undefined): URLSearchParams | undefined {
  const at = url?.indexOf('?') ?? -1;
  return url && at >= 0 ? new URLSearchParams(url.slice(at + 1).replace(/#.*$/s, '')) : undefined;
}

/** A search_path value as sent to the server (from a URL or a keyword/value connection string); undefined when empty. */
export function searchPathValue(value: string | null | undefined): UrlSearchPath | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  return { value, schemas: splitIdentifierList(value) };
}

/** SQL that gives the session exactly that search_path, as the startup packet does (the server parses the value). */
export function setSearchPathSql(searchPath: UrlSearchPath): string {
  return `SELECT pg_catalog.set_config('search_path', ${quoteLiteral(searchPath.value)}, false);\n`;
}

const SPACE = new Set([' ', '\t', '\n', '\r', '\f']); // scanner_isspace

/**
 * varlena.c SplitIdentifierString with a comma: the names of a list GUC value, undefined on what the server refuses
 * (an unterminated quote, an empty unquoted name, text after a name). Unquoted names fold to lower case
 * (downcase_truncate_identifier: ASCII letters only, as in a UTF-8 database) and every name is cut to 63 bytes.
 */
export function splitIdentifierList(value: string): string[] | undefined {
  const names: string[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < value.length && SPACE.has(value[i])) i++;
  };
  skipSpace();
  if (i >= value.length) return names;
  for (;;) {
    let name: string;
    if (value[i] === '"') {
      name = '';
      i++;
      for (;;) {
        const end = value.indexOf('"', i);
        if (end < 0) return undefined;
        name += value.slice(i, end);
        i = end + 1;
        if (value[i] !== '"') break;
        name += '"';
        i++;
      }
    } else {
      const start = i;
      while (i < value.length && value[i] !== ',' && !SPACE.has(value[i])) i++;
      if (i === start) return undefined;
      name = value.slice(start, i).replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
    }
    names.push(truncateIdentifier(name));
    skipSpace();
    if (i >= value.length) return names;
    if (value[i] !== ',') return undefined;
    i++;
    skipSpace();
  }
}

/** truncate_identifier: at most NAMEDATALEN - 1 = 63 bytes, never inside a character. */
function truncateIdentifier(name: string): string {
  if (Buffer.byteLength(name, 'utf8') <= 63) return name;
  let out = '';
  for (const char of name) {
    if (Buffer.byteLength(out + char, 'utf8') > 63) break;
    out += char;
  }
  return out;
}
