import type { Substitution } from './substitution.js';

/**
 * goose's `-- +goose ENVSUB ON` expansion of one line: a port of github.com/mfridman/interpolate v0.0.2 (parser.go,
 * interpolate.go), which goose's internal/sqlparser/parser.go calls line by line with os.LookupEnv.
 * - `$NAME`, `${NAME}`: the value, or nothing when unset; a name starts with a letter (then letters, digits, `_`).
 * - `${NAME:-word}` (unset or empty) and `${NAME-word}` (unset): `word`, itself expanded; `${NAME:offset[:length]}`
 *   a substring (of UTF-8 bytes); `${NAME?msg}`: an error when unset.
 * - `\$` and `$$` become `$` (so a `$$` dollar quote is broken by ENVSUB, as in goose); `\\` and `$(` stay; a `$`
 *   at the end of the line stays. A `$` before anything else (`$1`) is an error that stops goose.
 */
export class EnvsubError extends Error {
  constructor(
    message: string,
    /** UTF-16 index in the line of the `$` that failed */
    readonly index: number,
  ) {
    super(message);
  }
}

type Env = Record<string, string | undefined>;

type Expansion =
  | { op: 'var'; id: string }
  | { op: ':-' | '-' | '?'; id: string; content: Expression }
  | { op: ':'; id: string; offset: number; length?: number };

type Item = { text: string; start: number; end: number; escape?: boolean } | { expansion: Expansion; start: number; end: number };
type Expression = Item[];

/** The substitutions ENVSUB makes in one line (indices in the line); throws EnvsubError as goose fails. */
export function envsubLine(line: string, env: Env): Substitution[] {
  const parser = new Parser(line);
  const expression = parser.parseExpression('');
  const out: Substitution[] = [];
  for (const item of expression) {
    if ('expansion' in item) out.push({ start: item.start, end: item.end, value: expand(item.expansion, env, item.start) });
    else if (item.escape) out.push({ start: item.start, end: item.end, value: item.text });
  }
  return out;
}

class Parser {
  private pos = 0;
  /** where the expansion being parsed starts, for errors */
  private expansionStart = 0;

  constructor(private readonly input: string) {}

  parseExpression(stop: string): Expression {
    const items: Expression = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || stop.includes(c)) break;
      const rest = this.input.startsWith.bind(this.input);
      if (rest('\\\\', this.pos)) {
        items.push({ text: '\\\\', start: this.pos, end: this.pos + 2 });
        this.pos += 2;
      } else if (rest('\\$', this.pos) || rest('$$', this.pos)) {
        items.push({ text: '$', start: this.pos, end: this.pos + 2, escape: true });
        this.pos += 2;
      } else if (rest('$(', this.pos)) {
        items.push({ text: '$(', start: this.pos, end: this.pos + 2 });
        this.pos += 2;
      } else if (c === '$' && this.pos < this.input.length - 1) {
        const start = this.pos;
        if (stop === '') this.expansionStart = start;
        const expansion = this.parseExpansion();
        items.push({ expansion, start, end: this.pos });
      } else {
        const start = this.pos;
        this.next();
        this.scanUntil((r) => r === '$' || r === '\\' || stop.includes(r));
        items.push({ text: this.input.slice(start, this.pos), start, end: this.pos });
      }
    }
    return items;
  }

  private parseExpansion(): Expansion {
    this.next(); // the `$`
    if (this.peek() !== '{') return { op: 'var', id: this.scanIdentifier() };
    this.next();
    const id = this.scanIdentifier();
    if (this.peek() === '}') {
      this.next();
      return { op: 'var', id };
    }
    const op1 = this.next();
    let expansion: Expansion;
    if (op1 === ':' && this.peek() === '-') {
      this.next();
      expansion = { op: ':-', id, content: this.parseExpression('}') };
    } else if (op1 === ':') {
      const offset = this.number(this.scanUntil((r) => r === ':' || r === '}'), 'offset');
      if (this.peek() === '}') expansion = { op: ':', id, offset };
      else {
        this.next();
        expansion = { op: ':', id, offset, length: this.number(this.scanUntil((r) => r === '}'), 'length') };
      }
    } else if (op1 === '?' || op1 === '-') expansion = { op: op1, id, content: this.parseExpression('}') };
    else throw this.error(`Expected an operator, got ${op1 ?? 'end of line'}`);
    const close = this.next();
    if (close !== '}') throw this.error(`Expected brace expansion to end with }, got ${close ?? 'end of line'}`);
    return expansion;
  }

  /** Go's strconv.Atoi of the trimmed text */
  private number(text: string, what: string): number {
    const trimmed = text.trim();
    if (!/^[+-]?\d+$/.test(trimmed)) throw this.error(`Unable to parse ${what}: strconv.Atoi: parsing "${trimmed}": invalid syntax`);
    return Number(trimmed);
  }

  private scanIdentifier(): string {
    const c = this.peek();
    if (c === undefined || !/^\p{L}$/u.test(c)) throw this.error(`Expected identifier to start with a letter, got ${c ?? 'end of line'}`);
    return this.scanUntil((r) => !/^[\p{L}\p{N}_]$/u.test(r));
  }

  private scanUntil(stop: (r: string) => boolean): string {
    const start = this.pos;
    for (let c = this.peek(); c !== undefined && !stop(c); c = this.peek()) this.pos += c.length;
    return this.input.slice(start, this.pos);
  }

  private peek(): string | undefined {
    const cp = this.input.codePointAt(this.pos);
    return cp === undefined ? undefined : String.fromCodePoint(cp);
  }

  private next(): string | undefined {
    const c = this.peek();
    if (c !== undefined) this.pos += c.length;
    return c;
  }

  private error(message: string): EnvsubError {
    return new EnvsubError(message, this.expansionStart);
  }
}

function expand(expansion: Expansion, env: Env, at: number): string {
  const value = env[expansion.id];
  switch (expansion.op) {
    case 'var':
      return value ?? '';
    case ':-':
      return value ? value : expandAll(expansion.content, env, at);
    case '-':
      return value !== undefined ? value : expandAll(expansion.content, env, at);
    case '?': {
      if (value !== undefined) return value;
      const message = expandAll(expansion.content, env, at) || 'not set';
      throw new EnvsubError(`$${expansion.id}: ${message}`, at);
    }
    case ':':
      return substring(value ?? '', expansion.offset, expansion.length);
  }
}

function expandAll(expression: Expression, env: Env, at: number): string {
  return expression.map((item) => ('expansion' in item ? expand(item.expansion, env, at) : item.text)).join('');
}

/** interpolate's SubstringExpansion: Go slices the value's UTF-8 bytes */
function substring(value: string, offset: number, length: number | undefined): string {
  const bytes = Buffer.from(value, 'utf8');
  let from = offset < 0 ? offset + bytes.length : offset;
  from = Math.min(Math.max(from, 0), bytes.length);
  if (length === undefined) return bytes.subarray(from).toString('utf8');
  let to = length >= 0 ? length + from : Math.max(length + bytes.length, from);
  to = Math.min(to, bytes.length);
  return bytes.subarray(from, to).toString('utf8');
}
