/**
 * Settings written as literals in a JavaScript/TypeScript config file, read without running it (a pull request's
 * config is code): a tokenizer that knows strings, words and punctuation, and the helpers that find `key: 'literal'`.
 */

/** A token of a JavaScript/TypeScript file: what finding `key: 'literal'` pairs needs, nothing more. */
export interface ScriptToken {
  kind: 'string' | 'word' | 'punct' | 'other';
  text: string;
  /** where the token starts in the file's text (UTF-16 index) */
  start?: number;
}

/**
 * The file's tokens, comments and white space left out: strings ('', "", and `` without `${`), words (identifiers,
 * numbers), single punctuation characters.
 */
export function scriptTokens(text: string): ScriptToken[] {
  const tokens: ScriptToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) i++;
    else if (text.startsWith('//', i)) i = lineEnd(text, i);
    else if (text.startsWith('/*', i)) i = blockCommentEnd(text, i);
    else if (c === '"' || c === "'" || c === '`') {
      const end = stringEnd(text, i);
      const body = text.slice(i + 1, end - 1);
      tokens.push(c === '`' && body.includes('${') ? { kind: 'other', text: body, start: i } : { kind: 'string', text: unescape(body), start: i });
      i = end;
    } else if (/[\w$]/.test(c)) {
      let end = i + 1;
      while (end < text.length && /[\w$]/.test(text[end])) end++;
      tokens.push({ kind: 'word', text: text.slice(i, end), start: i });
      i = end;
    } else {
      tokens.push({ kind: 'punct', text: c, start: i });
      i++;
    }
  }
  return tokens;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end + 1;
}

function blockCommentEnd(text: string, from: number): number {
  const end = text.indexOf('*/', from + 2);
  return end < 0 ? text.length : end + 2;
}

/** The index after the closing quote (a backslash escapes the next character). */
function stringEnd(text: string, from: number): number {
  const quote = text[from];
  let i = from + 1;
  while (i < text.length && text[i] !== quote) i += text[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, text.length);
}

/** The escapes a table or schema name may carry (\' \" \\); others are kept as written. */
function unescape(body: string): string {
  return body.replace(/\\(['"\\`])/g, '$1');
}


/** The key of a `key:` property starting at token i (a word or a quoted key), not a `?:` type annotation's. */
export function propertyKey(tokens: ScriptToken[], i: number): string | undefined {
  const token = tokens[i];
  if (!token || (token.kind !== 'word' && token.kind !== 'string') || tokens[i + 1]?.text !== ':') return undefined;
  const before = tokens[i - 1]?.text;
  return before === undefined || before === '{' || before === ',' ? token.text : undefined;
}

/** The string literal at token i when it is the whole value (followed by `,` `}` or the end). */
export function literalValue(tokens: ScriptToken[], i: number): string | undefined {
  const token = tokens[i];
  const next = tokens[i + 1]?.text;
  return token?.kind === 'string' && (next === undefined || next === ',' || next === '}') ? token.text : undefined;
}

export function closingBrace(tokens: ScriptToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isOpening(tokens[i])) depth++;
    else if (isClosing(tokens[i]) && --depth === 0) return i;
  }
  return tokens.length;
}

export const isOpening = (token: ScriptToken) => token.kind === 'punct' && (token.text === '{' || token.text === '(' || token.text === '[');
export const isClosing = (token: ScriptToken) => token.kind === 'punct' && (token.text === '}' || token.text === ')' || token.text === ']');

/**
 * The own properties of a config module's exported object literal (`module.exports = { ... }`, `export default { ... }`)
 * that are named in `keys`: each with its string literal, or `computed` when the value is anything else
 * (`process.env.X ?? 'pg'`, `path.join(...)`). Undefined when the file exports no object literal there.
 */
export function exportedObjectProperties(text: string, keys: readonly string[]): Map<string, { literal: string } | { computed: true }> | undefined {
  const tokens = scriptTokens(text);
  const at = (i: number) => tokens[i]?.text;
  let open = -1;
  for (let i = 0; i < tokens.length && open < 0; i++) {
    if (at(i) === 'module' && at(i + 1) === '.' && at(i + 2) === 'exports' && at(i + 3) === '=' && at(i + 4) === '{') open = i + 4;
    else if (at(i) === 'export' && at(i + 1) === 'default' && at(i + 2) === '{') open = i + 2;
  }
  if (open < 0) return undefined;
  const end = closingBrace(tokens, open);
  const found = new Map<string, { literal: string } | { computed: true }>();
  for (let i = open + 1, depth = 0; i < end; i++) {
    const key = depth === 0 ? propertyKey(tokens, i) : undefined;
    if (key !== undefined && keys.includes(key) && !found.has(key)) {
      const literal = literalValue(tokens, i + 2);
      found.set(key, literal === undefined ? { computed: true } : { literal });
    }
    if (isOpening(tokens[i])) depth++;
    else if (isClosing(tokens[i])) depth--;
  }
  return found;
}
