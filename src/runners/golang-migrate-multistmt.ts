import { parseSql, SqlSyntaxError } from '../sql/parse.js';
import { lineCount, type FilePlan, type PlanProblem } from './types.js';

/**
 * golang-migrate's multi-statement mode (`x-multi-statement=true`): database/multistmt/parse.go cuts the file with a
 * bufio.Scanner whose split function ends a piece after EVERY `;` byte (`bytes.Index(d, delimiter)`), with no regard
 * for quotes, dollar-quoted bodies or comments; the rest after the last `;` is a last piece. postgres.go Run sends
 * each piece with its own `ExecContext` (runStatement skips one that is only white space): each is its own implicit
 * transaction, committed before the next is sent.
 */

/** One piece multistmt cuts, as UTF-8 byte offsets [start, end) of the file; `terminated`: it ends with its `;`. */
export interface MultiStatementPiece {
  start: number;
  end: number;
  terminated: boolean;
}

/** bufio.Scanner's buffer starts at multistmt.StartBufSize (4096 bytes): a smaller maximum does not shrink it. */
const START_BUF_SIZE = 4096;

/** The pieces multistmt.Parse yields for a file. */
export function multiStatementPieces(bytes: Buffer): MultiStatementPiece[] {
  const pieces: MultiStatementPiece[] = [];
  let start = 0;
  for (let i = bytes.indexOf(0x3b); i >= 0; i = bytes.indexOf(0x3b, i + 1)) {
    pieces.push({ start, end: i + 1, terminated: true });
    start = i + 1;
  }
  if (start < bytes.length) pieces.push({ start, end: bytes.length, terminated: false });
  return pieces;
}

/**
 * The replay of a file in multi-statement mode: statement by statement (`none`), each committed on its own, when
 * multistmt's cuts fall between the statements Postgres reads in the file. Where a cut falls inside a statement (a
 * `;` in a function body, a string or a comment), golang-migrate sends a piece Postgres refuses, or one that is not
 * the statement the file reads: the file fails there, as with migrate.
 */
export function planMultiStatement(text: string, name: string, maxSize: number): FilePlan {
  const bytes = Buffer.from(text, 'utf8');
  const pieces = multiStatementPieces(bytes);
  const plan: FilePlan = { parts: [{ startLine: 0, endLine: lineCount(text), transaction: 'none' }] };
  const limit = Math.max(maxSize, START_BUF_SIZE);
  const tooLong = pieces.find((piece) => (piece.terminated ? piece.end - piece.start > limit : piece.end - piece.start >= limit));
  if (tooLong) {
    return refused(bytes, tooLong.start, `golang-migrate (x-multi-statement) reads the file a piece at a time, up to x-multi-statement-max-size (${maxSize} bytes): the piece that starts here is ${tooLong.end - tooLong.start} bytes, and migrate stops on "bufio.Scanner: token too long" (after sending the pieces before it)`, 'raise x-multi-statement-max-size in the -database URL, or split the statement');
  }
  let whole;
  try {
    whole = parseSql(text, name);
  } catch (error) {
    if (error instanceof SqlSyntaxError) return plan; // the replay reports the file's own syntax error
    throw error;
  }
  const statementsOf = (piece: MultiStatementPiece) => whole.statements.filter((s) => s.byteStart >= piece.start && s.byteStart < piece.end);
  for (const piece of pieces) {
    const pieceText = bytes.subarray(piece.start, piece.end).toString('utf8');
    if (pieceText.trim() === '') continue;
    const expected = statementsOf(piece);
    const cutInside = expected.some((s) => s.byteEnd > piece.end);
    let sent;
    try {
      sent = parseSql(pieceText, name);
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error;
      const at = positionIn(bytes, piece.start);
      const line = at.line + error.line - 1;
      const column = error.line === 1 ? at.column + error.column - 1 : error.column;
      return { parts: [], problem: { ...cutProblem(at.line), message: `${cutProblem(at.line).message}, and Postgres refuses the piece sent: ${error.detail}`, line, column } };
    }
    const same = sent.statements.length === expected.length && !cutInside && sent.statements.every((s, i) => s.text === expected[i].text);
    if (!same) {
      const at = positionIn(bytes, piece.start);
      return { parts: [], problem: { ...cutProblem(at.line), message: `${cutProblem(at.line).message}: the piece sent from line ${at.line} is not the statement the file reads there (a ";" in a comment)` } };
    }
  }
  return plan;
}

function cutProblem(line: number): PlanProblem {
  return {
    message: 'golang-migrate (x-multi-statement) cuts the file after every ";", inside function bodies, strings and comments too',
    line,
    column: 1,
    hint: 'keep ";" out of bodies, strings and comments in this file, or drop x-multi-statement from the -database URL (each file is then sent whole)',
  };
}

function refused(bytes: Buffer, start: number, message: string, hint: string): FilePlan {
  const at = positionIn(bytes, start);
  return { parts: [], problem: { message, line: at.line, column: at.column, hint } };
}

/** 1-based line and column (in characters) of a byte offset. */
function positionIn(bytes: Buffer, offset: number): { line: number; column: number } {
  const before = bytes.subarray(0, offset).toString('utf8');
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: [...before.slice(lineStart)].length + 1 };
}
