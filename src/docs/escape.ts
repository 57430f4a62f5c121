/**
 * Markdown escaping for text that comes from the database (names, comments, defaults, definitions), so that
 * no value can break a table row, inject HTML or start an unintended code span. Every cell is one line.
 */

const ENTITY = /&(?=#?[a-zA-Z0-9]+;)/g;
/** Most names and comments need no escaping at all: one test instead of a dozen replaces (the 1,000-table benchmark). */
const NEEDS_ESCAPE = /[\\&<>|`*[\]~$\r\n]|(^|[^A-Za-z0-9])_|_($|[^A-Za-z0-9])|^\s*([#+=-]|\d+[.)])/;

/** Plain text for a table cell or a paragraph: `|`, `<`, `>`, backticks, emphasis, strikethrough, math and link brackets escaped; newlines become `<br>`. */
export function mdText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (!NEEDS_ESCAPE.test(value)) return value.trim();
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/\\/g, '\\\\')
    .replace(ENTITY, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/`/g, '\\`')
    .replace(/\*/g, '\\*')
    .replace(/\[/g, '\\[')
    .replace(/\]/g, '\\]')
    // GitHub's strikethrough (`~x~`) and math (`$x$`, `$$x$$`) delimiters
    .replace(/~/g, '\\~')
    .replace(/\$/g, () => '\\$')
    .replace(/(^|[^A-Za-z0-9])_|_(?=[^A-Za-z0-9]|$)/g, (match) => match.replace('_', '\\_'))
    .replace(/^(\s*)([#+=-])/gm, (_, space: string, marker: string) => `${space}\\${marker}`)
    // an ordered list marker is escaped at its dot or parenthesis: a backslash before a digit is printed as is
    .replace(/^(\s*\d+)([.)])/gm, (_, number: string, marker: string) => `${number}\\${marker}`)
    .trim()
    .replace(/[ \t]*\n[ \t]*/g, '<br>');
}

/** Text as an inline code span on one line (types, defaults, expressions): the fence is longer than any backtick run inside. */
export function mdCode(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const oneLine = value.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  // an empty code span renders as two literal backticks on GitHub
  if (oneLine === '') return '';
  const longestRun = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const padded = oneLine.startsWith('`') || oneLine.endsWith('`') ? ` ${oneLine} ` : oneLine;
  // GFM splits table cells before parsing code spans: a pipe must be escaped even inside one.
  return `${fence}${padded.replace(/\|/g, '\\|')}${fence}`;
}

/** A fenced code block (view queries, function bodies): the fence is longer than any backtick run inside. */
export function mdCodeBlock(value: string, language = 'sql'): string {
  const longestRun = Math.max(2, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${language}\n${value.replace(/\r\n?/g, '\n').replace(/\s+$/, '')}\n${fence}`;
}

/** A Markdown link; the label is escaped text, the target percent-encodes what would end it. */
export function mdLink(label: string, target: string): string {
  return `[${mdText(label)}](${linkTarget(target)})`;
}

export function linkTarget(target: string): string {
  return target.replace(/[ ()<>\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** A heading's text: escaped text on one line. */
export function mdHeading(value: string): string {
  return mdText(value.replace(/\s+/g, ' '));
}
