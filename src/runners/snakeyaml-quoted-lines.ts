/**
 * SnakeYAML (which Spring Boot reads application.yml with) does not check the indentation of the continuation lines
 * of a multi-line quoted scalar: ScannerImpl.scanFlowScalarBreaks says "Instead of checking indentation, we check
 * for document separators" (as PyYAML does). The YAML 1.2 library pgdrift reads with refuses such a line when it is
 * not indented more than its mapping key ("Missing closing 'quote"), so an application.yml Spring Boot starts with
 * was reported as invalid. Field: ministryofjustice/laa-data-claims-api, whose claims-data/service application.yml has
 *
 *       authorized-clients: '[
 *           {...}
 *       ]'
 *
 * This gives the text with such continuation lines indented one column past the line that opens the scalar, which
 * changes no value (a quoted scalar's line folding drops a continuation line's leading white space) and no line
 * number. Blank lines stay as they are (each is a line break in the value either way).
 */

/** Where a quoted scalar may open: at a line's indentation, or after `: `, `- `, `? `, `[`, `{` or `,`. */
function opensScalar(line: string, at: number): boolean {
  const before = line.slice(0, at).trimEnd();
  if (before === '') return true;
  const last = before[before.length - 1];
  if (last === '[' || last === '{' || last === ',') return true;
  if (at === before.length) return false; // no white space between: `a'b` is plain text
  return last === ':' || ((last === '-' || last === '?') && (before.length === 1 || /\s/.test(before[before.length - 2])));
}

export function withQuotedContinuationsIndented(text: string): string {
  const lines = text.split('\n');
  let quote: { char: string; indent: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    let from = 0;
    if (quote) {
      const content = line.trimStart();
      const current = line.length - content.length;
      if (content.trim() !== '' && current <= quote.indent) {
        line = ' '.repeat(quote.indent + 1) + content;
        lines[i] = line;
      }
      from = line.length - content.length;
    }
    for (let j = from; j < line.length; j++) {
      const c = line[j];
      if (quote) {
        if (quote.char === '"' && c === '\\') j++;
        else if (c === quote.char) {
          if (c === "'" && line[j + 1] === "'") j++;
          else quote = undefined;
        }
        continue;
      }
      if (c === '#' && (j === 0 || /\s/.test(line[j - 1]))) break;
      if ((c === "'" || c === '"') && opensScalar(line, j)) quote = { char: c, indent: line.length - line.trimStart().length };
    }
  }
  return lines.join('\n');
}
