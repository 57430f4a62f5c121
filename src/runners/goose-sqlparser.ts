import type { PlanProblem } from './types.js';

/**
 * goose's reading of a SQL migration for `goose up`: a port of pressly/goose@520411a internal/sqlparser/parser.go
 * `ParseSQLMigration` (the up direction). goose does not parse SQL: it reads the file line by line, takes every line
 * that starts with `--` and contains `+goose` as an annotation, and cuts the Up section into the statements it
 * executes one by one at each line whose last word ends with `;`, except inside `-- +goose StatementBegin` …
 * `-- +goose StatementEnd`. The whole file is read, the Down section too: what goose refuses anywhere in it fails
 * `goose up`.
 */

/** One statement as goose sends it: whole lines [startLine, endLine), 0-based. */
export interface GooseChunk {
  startLine: number;
  endLine: number;
}

export interface GooseFile {
  /** the line of `-- +goose Up` (0-based) */
  up: number;
  /** the line of `-- +goose Down`, when there is one */
  down?: number;
  /** the statements of the Up section, in order */
  chunks: GooseChunk[];
  /**
   * Lines of the Up section (0-based) that goose reads as SQL but sends in no statement: the first line after a
   * StatementBegin … StatementEnd block with nothing in it (see the `upBlockEnd` case below).
   */
  dropped: number[];
  noTransaction: boolean;
}

/** The annotations goose knows (parser.go `supportedAnnotations`), as it spells them. */
const ANNOTATIONS = ['Up', 'Down', 'StatementBegin', 'StatementEnd', 'NO TRANSACTION', 'ENVSUB ON', 'ENVSUB OFF'] as const;
type Annotation = (typeof ANNOTATIONS)[number];

/** parser.go's states (`gooseStatementEndUp`: the line after a StatementEnd is not part of the next statement). */
type State = 'start' | 'up' | 'upBlock' | 'upBlockEnd' | 'down' | 'downBlock' | 'downBlockEnd';

const SEE = 'see https://pressly.github.io/goose/documentation/annotations/';

/**
 * Reads a file as goose does. `expand` is called on each line goose expands from the environment (after
 * `-- +goose ENVSUB ON`: every line it adds to a statement, in the Down section too, where `runs` is false) and
 * returns goose's error, if any.
 */
export function parseGoose(text: string, expand?: (line: string, index: number, runs: boolean) => PlanProblem | undefined): { file: GooseFile; problem?: undefined } | { file?: undefined; problem: PlanProblem } {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop(); // bufio.Scanner yields no line after the last newline
  const refuse = (index: number, message: string, hint?: string) => ({ problem: { message: `goose: ${message}`, line: index + 1, column: 1, ...(hint ? { hint } : {}) } });
  let state: State = 'start';
  let up: number | undefined;
  let down: number | undefined;
  let noTransaction = false;
  let envsub = false;
  let blockStart = 0;
  const chunks: GooseChunk[] = [];
  const dropped: number[] = [];
  /** goose's statement buffer: the first line written to it (undefined: empty), and the first with text */
  let start: number | undefined;
  let firstText: number | undefined;
  const unfinished = () =>
    refuse(firstText!, 'the Up section ends with a statement that does not end with ";" (goose: "unexpected unfinished SQL query … missing semicolon?")', 'end the statement with ;');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, ''); // bufio.ScanLines drops a \r before the newline
    if (state === 'start' && trimSpace(line) === '') continue;
    const annotation = annotationOf(line);
    if (annotation !== undefined) {
      if ('error' in annotation) return refuse(i, `failed to parse annotation line ${JSON.stringify(line)}: ${annotation.error}`, annotation.hint);
      switch (annotation.command) {
        case 'Up':
          if (state !== 'start') return refuse(i, "duplicate '-- +goose Up' annotations");
          state = 'up';
          up = i;
          continue;
        case 'Down':
          if (state === 'up' || state === 'upBlockEnd') {
            if (firstText !== undefined) return unfinished();
            state = 'down';
            down = i;
            continue;
          }
          if (state === 'start') return refuse(i, "'-- +goose Down' before '-- +goose Up' (goose: \"must start with '-- +goose Up' annotation\")");
          if (state === 'upBlock') return refuse(blockStart, "'-- +goose StatementBegin' is not closed before '-- +goose Down' (goose: \"must start with '-- +goose Up' annotation\")", "add '-- +goose StatementEnd' after the statement");
          return refuse(i, "a second '-- +goose Down' annotation (goose: \"must start with '-- +goose Up' annotation\")");
        case 'StatementBegin':
          if (state === 'up' || state === 'upBlockEnd') state = 'upBlock';
          else if (state === 'down' || state === 'downBlockEnd') state = 'downBlock';
          else if (state === 'start') return refuse(i, "'-- +goose StatementBegin' must be defined after '-- +goose Up' or '-- +goose Down' annotation", SEE);
          else return refuse(i, "'-- +goose StatementBegin' inside a StatementBegin … StatementEnd block (goose: \"'-- +goose StatementBegin' must be defined after '-- +goose Up' or '-- +goose Down' annotation\")");
          blockStart = i;
          continue;
        case 'StatementEnd':
          if (state === 'upBlock') state = 'upBlockEnd';
          else if (state === 'downBlock') state = 'downBlockEnd';
          else return refuse(i, "'-- +goose StatementEnd' without '-- +goose StatementBegin' (goose: \"'-- +goose StatementEnd' must be defined after '-- +goose StatementBegin'\")");
          break; // goose goes on with the line: it ends the statement
        case 'NO TRANSACTION':
          noTransaction = true;
          continue;
        case 'ENVSUB ON':
          envsub = true;
          continue;
        case 'ENVSUB OFF':
          envsub = false;
          continue;
      }
    }
    // comment and empty lines before a statement are dropped; once one started, every line belongs to it
    if (start === undefined && (trimSpace(line).startsWith('--') || line === '')) continue;
    if (state !== 'upBlockEnd' && state !== 'downBlockEnd') {
      const problem = envsub ? expand?.(line, i, state === 'up' || state === 'upBlock') : undefined;
      if (problem) return { problem };
      start ??= i;
      if (firstText === undefined && trimSpace(line) !== '') firstText = i;
    }
    if (state === 'start') return refuse(i, "the file must start with a '-- +goose Up' annotation (a statement comes before it)");
    if (state === 'down' || state === 'downBlock' || state === 'downBlockEnd') {
      start = firstText = undefined; // `goose up` drops what the Down section holds
      continue;
    }
    if (state === 'up' && endsWithSemicolon(line)) {
      chunks.push({ startLine: start!, endLine: i + 1 });
      start = firstText = undefined;
    } else if (state === 'upBlockEnd') {
      // The block ends at this line, which is not part of it: the StatementEnd line, or (after a block with nothing in
      // it, its StatementEnd line dropped as a comment) the next line, which goose then drops with the empty block.
      if (start !== undefined) chunks.push({ startLine: start, endLine: i });
      else dropped.push(i);
      state = 'up';
      start = firstText = undefined;
    }
  }
  if (state === 'start') return refuse(0, "the file has no '-- +goose Up' annotation", SEE);
  if (state === 'upBlock' || state === 'downBlock') return refuse(blockStart, "'-- +goose StatementBegin' is never closed (goose: \"missing '-- +goose StatementEnd' annotation\")", "add '-- +goose StatementEnd' after the statement");
  if (firstText !== undefined) return unfinished();
  return { file: { up: up!, ...(down !== undefined ? { down } : {}), chunks, dropped, noTransaction } };
}

/**
 * parser.go:127 and `extractAnnotation`: a line whose trimmed text starts with `--` and that contains `+goose`
 * anywhere is an annotation, and must be exactly one that goose knows (any case): leading whitespace, a second
 * `+goose`, nothing after it, or an unknown word are errors. So a comment that mentions +goose mid-sentence fails.
 */
export function annotationOf(line: string): { command: Annotation } | { error: string; hint: string } | undefined {
  if (!trimSpace(line).startsWith('--') || !line.includes('+goose')) return undefined;
  const known = `one of ${ANNOTATIONS.join(', ')}`;
  if (line.startsWith(' ') || line.startsWith('\t')) {
    return { error: `${JSON.stringify(line)} contains leading whitespace: invalid annotation`, hint: 'start an annotation line with -- (no space or tab before it)' };
  }
  let command = line.replaceAll('--', '').replace('+goose', '');
  if (command.includes('+goose')) return { error: `${JSON.stringify(command)} contains multiple '+goose' annotations: invalid annotation`, hint: 'write one annotation per line' };
  command = trimSpace(command);
  if (command === '') return { error: 'empty annotation', hint: `name the annotation: ${known}` };
  const found = ANNOTATIONS.find((a) => a.toUpperCase() === command.toUpperCase()); // strings.EqualFold
  if (found) return { command: found };
  return {
    error: `${JSON.stringify(command)} not supported: invalid annotation`,
    hint: `goose reads every line that starts with -- and contains +goose as an annotation: use ${known}, or write the comment without "+goose"`,
  };
}

/** parser.go `endsWithSemicolon`: the last word (bufio.ScanWords) before a word starting with `--` ends with `;`. */
export function endsWithSemicolon(line: string): boolean {
  let previous = '';
  for (const word of line.split(GO_SPACE)) {
    if (word === '') continue;
    if (word.startsWith('--')) break;
    previous = word;
  }
  return previous.endsWith(';');
}

/** Go's unicode.IsSpace (strings.TrimSpace, bufio.ScanWords): JavaScript's \s without U+FEFF, with U+0085. */
const SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const GO_SPACE = new RegExp(`[${SPACE}]+`);
const GO_TRIM = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'g');

function trimSpace(text: string): string {
  return text.replace(GO_TRIM, '');
}
