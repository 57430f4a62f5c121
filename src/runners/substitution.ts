import type { TextOrigin } from '../sql/source-text.js';

/** One stretch of a file a runner replaces before sending it (a Flyway placeholder, a goose ENVSUB variable). */
export interface Substitution {
  /** UTF-16 indices in the text as written, [start, end) */
  start: number;
  end: number;
  value: string;
}

/**
 * Applies substitutions (sorted, not overlapping) and keeps the way back: every index of the result maps to the
 * written text (an index inside a value maps to where the replaced text starts), so positions Postgres or the
 * parser report in the substituted text are reported at the file's own line:column.
 */
export function substitute(text: string, substitutions: Substitution[]): { text: string; origin?: TextOrigin } {
  if (substitutions.length === 0) return { text };
  const pieces: string[] = [];
  /** per substitution: where it starts and ends in the result */
  const spans: { written: Substitution; start: number; end: number }[] = [];
  let from = 0;
  let length = 0;
  for (const s of substitutions) {
    pieces.push(text.slice(from, s.start), s.value);
    length += s.start - from;
    spans.push({ written: s, start: length, end: length + s.value.length });
    length += s.value.length;
    from = s.end;
  }
  pieces.push(text.slice(from));
  const written = text;
  return {
    text: pieces.join(''),
    origin: {
      text: written,
      toOriginal(index) {
        const span = lastAtOrBefore(spans, index, (x) => x.start);
        if (!span) return index;
        return index < span.end ? span.written.start : span.written.end + (index - span.end);
      },
      fromOriginal(index) {
        const span = lastAtOrBefore(spans, index, (x) => x.written.start);
        if (!span) return index;
        return index < span.written.end ? span.start : span.end + (index - span.written.end);
      },
    },
  };
}

/** The last item whose key is <= value (items sorted by key), by binary search. */
function lastAtOrBefore<T>(items: T[], value: number, key: (item: T) => number): T | undefined {
  let lo = 0;
  let hi = items.length - 1;
  let found: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid]) <= value) {
      found = items[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** 1-based line and column (in characters) of a UTF-16 index, for a runner's own error before anything is parsed. */
export function positionIn(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: [...text.slice(lineStart, index)].length + 1 };
}
