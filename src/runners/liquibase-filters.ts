/**
 * Liquibase's context and label filters, as liquibase-standard 4.x evaluates them (liquibase/util/ExpressionMatcher,
 * liquibase/ContextExpression, liquibase/LabelExpression, changelog/filter/ContextChangeSetFilter and
 * LabelChangeSetFilter, liquibase/liquibase@298569a). With no contexts (labels) given to `liquibase update`, every
 * changeset runs; otherwise a changeset's `context` expression is evaluated against the given contexts, and the given
 * `labels` expression against a changeset's labels. The filters of the includes (and of the root databaseChangeLog)
 * a changeset is read through must all match too (`getInheritableContextFilter`, `getInheritableLabels`).
 */

/** One include's (or the root changelog's) filters, inherited by every changeset read through it. */
export interface InheritedFilter {
  context?: string;
  labels?: string;
}

/** What `liquibase update` is given: `--contexts` / `--labels` (spring.liquibase.contexts / label-filter...). */
export interface RuntimeFilter {
  contexts?: string;
  labels?: string;
}

/** An expression Liquibase cannot parse (an unmatched parenthesis): it stops ("Cannot parse expression"). */
export class LiquibaseExpressionError extends Error {}

/** ExpressionMatcher.matches: `expression` (`!`/not, and, or, `,`, parentheses; `@` for required) against `items`. */
export function expressionMatches(expression: string, items: ReadonlySet<string>): boolean {
  expression = expression.trim();
  if (expression === ':TRUE') return true;
  if (expression === ':FALSE') return false;
  while (expression.includes('(')) {
    const nested = /\([^()]+\)/.exec(expression);
    if (!nested) throw new LiquibaseExpressionError(`Cannot parse expression ${expression}`);
    const left = expression.slice(0, nested.index);
    const right = expression.slice(nested.index + nested[0].length);
    expression = `${left} :${String(expressionMatches(nested[0].slice(1, -1), items)).toUpperCase()} ${right}`;
  }
  expression = expression.replace(/\s*,\s*/g, ' or ');
  const ors = javaSplit(expression, /\s+or\s+/);
  if (ors.length > 1) return ors.some((part) => expressionMatches(part, items));
  const ands = javaSplit(expression, /\s+and\s+/);
  if (ands.length > 1) return ands.every((part) => expressionMatches(part, items));

  let negated = false;
  if (expression.startsWith('!')) {
    negated = true;
    expression = expression.slice(1).trim();
  } else if (expression.toLowerCase().startsWith('not ')) {
    negated = true;
    expression = expression.slice(4).trim();
  } else if (/^@\s*(!|not ).+$/.test(expression)) {
    negated = true;
    expression = expression.replace(/^@\s*(!|not )/, '').trim();
  }
  let required = false;
  if ([...items].some((item) => item.startsWith('@'))) {
    required = true;
    items = new Set([...items].map((item) => item.replaceAll('@', '')));
  }
  if (!required && items.size === 0) return true;
  if (expression.trim() === ':TRUE') return !negated;
  if (expression.trim() === ':FALSE') return negated;
  const wanted = expression.toLowerCase();
  for (const item of items) if (item.toLowerCase() === wanted) return !negated;
  return negated;
}

/** Java's String.split: trailing empty strings are dropped. */
function javaSplit(text: string, separator: RegExp): string[] {
  const parts = text.split(separator);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** StringUtil.splitAndTrim(value, ","), lowercased: the parts of a context or label list (none for a blank one). */
function commaList(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return [];
  return value
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '');
}

/** ContextExpression.matches: a changeset's (or include's) context expression against the runtime contexts. */
function contextMatches(expression: string | undefined, runtime: ReadonlySet<string>): boolean {
  const expressions = commaList(expression);
  const required = expressions.some((context) => context.startsWith('@'));
  if (runtime.size === 0) return true;
  if (expressions.length === 0 && !required) return true;
  return expressions.some((context) => expressionMatches(context, runtime));
}

/** LabelExpression.matches: the runtime label expression against a changeset's (or include's) labels. */
function labelsMatch(runtimeExpressions: readonly string[], labels: string | undefined): boolean {
  const changeSetLabels = new Set(commaList(labels));
  const required = [...changeSetLabels].some((label) => label.startsWith('@'));
  if (changeSetLabels.size === 0) return true;
  if (runtimeExpressions.length === 0 && !required) return true;
  return runtimeExpressions.some((expression) => expressionMatches(expression, changeSetLabels));
}

/**
 * Whether `liquibase update` with `runtime` runs a changeset with these filters, read through `inherited` (its
 * includes' and root changelog's): ContextChangeSetFilter and LabelChangeSetFilter `accepts`.
 */
export function changeSetRuns(runtime: RuntimeFilter, own: InheritedFilter, inherited: readonly InheritedFilter[]): boolean {
  const contexts = new Set(commaList(runtime.contexts));
  // ContextChangeSetFilter's "no context anywhere: runs" is contextMatches' own answer for an empty expression
  const contextsAccept = contextMatches(own.context, contexts) && inherited.every((filter) => contextMatches(filter.context, contexts));
  // LabelExpression(String): backslashes removed, then the comma list
  const labelExpressions = commaList(runtime.labels?.replaceAll('\\', ''));
  const labelsAccept = labelsMatch(labelExpressions, own.labels) && inherited.every((filter) => labelsMatch(labelExpressions, filter.labels));
  return contextsAccept && labelsAccept;
}
