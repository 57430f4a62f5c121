import { atlasDirective, fileDirectives } from './atlas.js';
import type { RunnerSuppression } from './types.js';

/**
 * The Atlas check codes and analyzer names whose findings are pgdrift rules' findings on the same change, from the
 * analyzers' sources (ariga/atlas sql/sqlcheck destructive.go, datadepend.go, incompatible.go; concurrent_index:
 * sql/postgres/postgrescheck/postgrescheck.go before af0f49f2). The others have no pgdrift rule of the same meaning
 * (DS101 drop schema, MF101/MF102 unique index on data, CD101 foreign key drop, naming and Atlas Cloud checks): a
 * directive naming only them suppresses no pgdrift finding.
 */
const ATLAS_CODES: Record<string, string[]> = {
  DS102: ['drop-table'],
  DS103: ['drop-column'],
  MF103: ['add-required-column'],
  MF104: ['set-not-null'],
  BC101: ['rename-table'],
  BC102: ['rename-column'],
  PG101: ['require-concurrent-index'],
  PG102: ['drop-index-concurrently'],
  PG103: ['concurrent-index-in-transaction'],
};
const ATLAS_ANALYZERS: Record<string, string[]> = {
  destructive: [...ATLAS_CODES.DS102, ...ATLAS_CODES.DS103],
  data_depend: [...ATLAS_CODES.MF103, ...ATLAS_CODES.MF104],
  incompatible: [...ATLAS_CODES.BC101, ...ATLAS_CODES.BC102],
  concurrent_index: [...ATLAS_CODES.PG101, ...ATLAS_CODES.PG102, ...ATLAS_CODES.PG103],
};

/** The pgdrift rules an `atlas:nolint` directive's words name (words without a mapping name none). */
export function pgdriftRulesOf(words: string[]): string[] {
  return [...new Set(words.flatMap((word) => ATLAS_CODES[word] ?? ATLAS_ANALYZERS[word] ?? []))];
}

/** A comment token of the file (libpg-query's scanner), UTF-8 byte offsets. */
export interface CommentToken {
  start: number;
  end: number;
  block: boolean;
}

/**
 * `-- atlas:nolint` as `atlas migrate lint` reads it (cmd/atlas/internal/migratelint/lint.go nolintRules and
 * skipRules.reporterFor), as pgdrift suppressions:
 * - File directives (dir.go LocalFile.Directive: comment lines at the top of the file followed by a blank line): ONE
 *   bare `atlas:nolint` skips the file's analysis; directives with words add those words to every statement.
 * - Statement directives (lex.go Stmt.Directive): the comments right before a statement (the Scanner's comment
 *   group, which an empty line ends) that read `--atlas:nolint`, `-- atlas:nolint`, or `/*atlas:nolint ...*` + `/` on
 *   one line, with their words split at each space.
 * - A statement whose words are exactly one empty word (a bare directive) has every finding suppressed; otherwise a
 *   word is a check code (DS102) or an analyzer name (destructive), mapped to pgdrift rules by pgdriftRulesOf.
 */
export function atlasNolint(text: string, statements: readonly { byteStart: number; byteEnd: number }[], comments: () => readonly CommentToken[]): RunnerSuppression[] {
  if (!text.includes('atlas:nolint')) return [];
  const fileWords = fileDirectives(text, 'nolint');
  if (fileWords.length === 1 && fileWords[0] === '') return [{ rules: 'all' }];
  const bytes = Buffer.from(text, 'utf8');
  const shared = fileWords.flatMap((d) => d.split(' '));
  const tokens = comments();
  const suppressions: RunnerSuppression[] = [];
  let previousEnd = 0;
  for (const [index, statement] of statements.entries()) {
    const words = [...shared];
    let group: string[] = [];
    const between = tokens.filter((c) => c.start >= previousEnd && c.end <= statement.byteStart);
    for (const [i, comment] of between.entries()) {
      const gapEnd = between[i + 1]?.start ?? statement.byteStart;
      const gap = bytes.subarray(comment.end, gapEnd).toString('utf8');
      // a line comment is read through its line break (a \r before it stays in the comment)
      const lineBreak = comment.block ? -1 : gap.indexOf('\n');
      const raw = bytes.subarray(comment.start, comment.end).toString('utf8') + (lineBreak >= 0 ? gap.slice(0, lineBreak + 1) : '');
      group.push(raw);
      // lex.go Scanner.comment: an empty line right after a comment detaches the group from the statement
      const rest = lineBreak >= 0 ? gap.slice(lineBreak + 1) : gap;
      if (rest.startsWith('\n\n') || (!comment.block && rest.startsWith('\n'))) group = [];
    }
    for (const comment of group) words.push(...statementDirectives(comment).flatMap((d) => d.split(' ')));
    previousEnd = statement.byteEnd;
    if (words.length === 0) continue;
    const bare = words.length === 1 && words[0] === '';
    suppressions.push({ rules: bare ? 'all' : pgdriftRulesOf(words), statement: index });
  }
  return suppressions;
}

/** lex.go Stmt.Directive: the `nolint` arguments of one comment of a statement's group. */
function statementDirectives(comment: string): string[] {
  if (comment.startsWith('/*')) {
    if (comment.includes('\n')) return [];
    const value = atlasDirective(comment.endsWith('*/') ? comment.slice(0, -2) : comment, 'nolint', '/*');
    return value === undefined ? [] : [value];
  }
  return ['#', '--', '-- '].flatMap((prefix) => {
    const value = atlasDirective(comment, 'nolint', prefix);
    return value === undefined ? [] : [value];
  });
}
