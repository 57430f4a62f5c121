/**
 * Where Liquibase cuts a changeset's SQL into the statements it sends one by one (liquibase/liquibase@cdbdec7,
 * liquibase-standard/src/main/java/liquibase/util/StringUtil.java `processMultiLineSQL`, `mergeTokens`,
 * `isDelimiter`), over the tokens of its SimpleSqlGrammar (liquibase-standard/src/main/javacc/liquibase/util/grammar/
 * SimpleSqlGrammar.jj). That grammar knows single- and double-quoted strings (with backslash escapes), comments and
 * words, but not PostgreSQL's dollar quotes: a `;` inside `$$ ... $$` is a cut unless a BEGIN ... END pair around it
 * holds it (processMultiLineSQL counts BEGIN and END words), which is why Liquibase's docs ask for
 * `splitStatements:false` on function bodies. liquibase/liquibase#5538 shows both sides: a PL/pgSQL body runs while
 * BEGIN ... END hold its `;`s, and fails ("Unterminated dollar quote") once an `END IF;` closes the count early.
 */

export interface LiquibaseCut {
  /** the delimiter's place in the SQL, [start, end) */
  start: number;
  end: number;
}

interface Token {
  text: string;
  start: number;
}

const WORD_START = /[A-Za-z$_@#\u00C0-\uFFFF]/;
const WORD_PART = /[A-Za-z0-9$_@#\u00C0-\uFFFF]/;

/** SimpleSqlGrammar's tokens, as far as they decide where a delimiter is (whitespace, comments, strings, words). */
export function liquibaseTokens(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (end: number) => {
    tokens.push({ text: sql.slice(i, end), start: i });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c) || c === '\ufeff') {
      let j = i + 1;
      while (j < sql.length && (/\s/.test(sql[j]) || sql[j] === '\ufeff')) j++;
      push(j);
    } else if (sql.startsWith('--', i)) {
      let j = i + 2;
      while (j < sql.length && sql[j] !== '\n' && sql[j] !== '\r') j++;
      push(j);
    } else if (sql.startsWith('/*', i)) {
      const close = sql.indexOf('*/', i + 2);
      if (close === -1) push(i + 1); // not a comment token: `/` alone
      else push(close + 2);
    } else if (quotedAt(sql, i) !== undefined) {
      push(quotedAt(sql, i)!);
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /[0-9.eE]/.test(sql[j])) j++;
      push(j);
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < sql.length && WORD_PART.test(sql[j])) j++;
      push(j);
    } else push(i + 1);
  }
  return tokens;
}

/** S_CHAR_LITERAL: an optional prefix, then '…' or "…" with doubled quotes and backslash escapes; its end. */
function quotedAt(sql: string, at: number): number | undefined {
  const prefix = /^(?:RB|_utf8|[UENRB])?['"]/.exec(sql.slice(at, at + 6));
  if (!prefix) return undefined;
  const quote = sql[at + prefix[0].length - 1];
  for (let j = at + prefix[0].length; j < sql.length; j++) {
    if (sql[j] === '\\') j++;
    else if (sql[j] === quote) {
      if (sql[j + 1] === quote) j++;
      else return j + 1;
    }
  }
  return undefined; // unterminated: no string token, the quote is a symbol
}

/**
 * StringUtil.mergeTokens: tokens that spell a multi-token end delimiter (`//`) become one. Tokens that start one when
 * the text ends are dropped (never added back to the list): Liquibase does not send them.
 */
function mergeTokens(tokens: Token[], endDelimiter: string | undefined, dropped: Token[]): Token[] {
  if (endDelimiter === undefined) return tokens;
  const out: Token[] = [];
  let possible: Token[] = [];
  for (const token of tokens) {
    if (possible.length === 0) {
      if (endDelimiter.startsWith(token.text)) possible.push(token);
      else out.push(token);
      continue;
    }
    const merged = possible.map((t) => t.text).join('') + token.text;
    if (merged === endDelimiter) {
      out.push({ text: merged, start: possible[0].start });
      possible = [];
    } else if (endDelimiter.startsWith(merged)) possible.push(token);
    else {
      out.push(...possible, token);
      possible = [];
    }
  }
  dropped.push(...possible);
  return out;
}

/** StringUtil.isDelimiter (Liquibase's non-strict mode, its default). */
function isDelimiter(piece: string, previous: string | undefined, endDelimiter: string | undefined): boolean {
  if (endDelimiter === undefined) {
    return piece === ';' || ((piece.toLowerCase() === 'go' || piece === '/') && (previous === undefined || previous.endsWith('\n')));
  }
  if (endDelimiter.length === 1) {
    if (endDelimiter === '/' && previous !== undefined && !previous.endsWith('\n')) return false;
    return piece.toLowerCase() === endDelimiter.toLowerCase();
  }
  if (piece.toLowerCase() === endDelimiter.toLowerCase()) return true;
  try {
    // Java's String.matches: the whole text
    return new RegExp(`^(?:[\\s\\n\\r]*${endDelimiter.toLowerCase()})$`).test(((previous ?? 'null') + piece).toLowerCase());
  } catch {
    return false;
  }
}

const NOT_A_BLOCK_AFTER_BEGIN = new Set(['transaction', 'trans', 'tran', 'dialog', 'conversation', 'distributed']);
const NOT_A_BLOCK_AFTER_END = new Set(['transaction', 'trans', 'tran']);

/**
 * The delimiters at which processMultiLineSQL cuts `sql` (none with splitStatements false). With stripComments, the
 * comments are not tokens (they cannot hide a delimiter either way).
 */
export function liquibaseCuts(sql: string, options: { splitStatements: boolean; endDelimiter?: string }): { cuts: LiquibaseCut[]; dropped: LiquibaseCut[] } {
  // AbstractSQLChange.generateStatements trims the SQL first
  const lead = sql.length - sql.trimStart().length;
  const tokens0 = liquibaseTokens(sql.trim()).map((token) => ({ text: token.text, start: token.start + lead }));
  const droppedTokens: Token[] = [];
  const tokens = mergeTokens(tokens0, options.endDelimiter, droppedTokens);
  const dropped = droppedTokens.map((token) => ({ start: token.start, end: token.start + token.text.length }));
  const cuts: LiquibaseCut[] = [];
  if (!options.splitStatements) return { cuts, dropped };
  let inClause = 0;
  let previous: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const piece = tokens[i].text;
    let next: string | undefined;
    for (let k = i + 1; k < tokens.length && next === undefined; k++) next = tokens[k].text.trim() || undefined;
    const lowerNext = next?.toLowerCase() ?? '';
    if (piece.toLowerCase() === 'begin' && !NOT_A_BLOCK_AFTER_BEGIN.has(lowerNext)) inClause++;
    if (piece.toLowerCase() === 'end' && inClause > 0 && !NOT_A_BLOCK_AFTER_END.has(lowerNext)) inClause--;
    if (inClause === 0 && isDelimiter(piece, previous, options.endDelimiter)) cuts.push({ start: tokens[i].start, end: tokens[i].start + piece.length });
    previous = piece;
  }
  return { cuts, dropped };
}
