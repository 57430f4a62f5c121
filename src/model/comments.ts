import type { SchemaModel } from './types.js';

/** The name of the drift item for a comment a migration set on the public schema (kept as an "other"). */
export const PUBLIC_SCHEMA_COMMENT = 'comment on schema public';

/**
 * The extension that proves `dump` was written by `pg_dump --no-comments` (Rails teams put it in
 * `structure_dump_flags`; field: getlago/lago-api config/application.rb), or undefined. pg_dump writes
 * `COMMENT ON EXTENSION` for every extension that has a comment (pg_dump.c dumpExtension → dumpComment, skipped only
 * under --no-comments), and CREATE EXTENSION sets the control file's comment: so a dump with no comment at all, whose
 * extension `other` shows with a comment, cannot tell what any comment was. A dump that has some comment is never
 * taken for one.
 */
export function noCommentsEvidence(dump: SchemaModel, other: SchemaModel): string | undefined {
  if (hasAnyComment(dump)) return undefined;
  const commented = new Set(other.extensions.filter((extension) => extension.comment !== null).map((extension) => extension.name));
  return dump.extensions.find((extension) => commented.has(extension.name))?.name;
}

function hasAnyComment(model: SchemaModel): boolean {
  let found = false;
  visit(model, (key, value) => {
    if ((key === 'comment' && value !== null) || (key === 'columnComments' && Object.keys(value as object).length > 0)) found = true;
  });
  return found || model.others.some((other) => other.statementKind === 'CommentStmt');
}

/** How many comments `model` holds beside its extensions' (each column's counts): what a side dumped with --no-comments cannot tell. */
export function objectCommentCount(model: SchemaModel): number {
  let count = 0;
  visit({ ...model, extensions: [] }, (key, value) => {
    if (key === 'comment' && value !== null) count++;
    else if (key === 'columnComments') count += Object.keys(value as object).length;
  });
  return count + model.others.filter((other) => other.statementKind === 'CommentStmt').length;
}

/** The model with every comment taken out (the model is plain JSON data: every `comment` field, view column comments). */
export function withoutComments(model: SchemaModel): SchemaModel {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, key === 'comment' ? null : key === 'columnComments' ? {} : strip(inner)]),
    );
  };
  const stripped = strip(model) as SchemaModel;
  return { ...stripped, others: stripped.others.filter((other) => other.statementKind !== 'CommentStmt') };
}

function visit(value: unknown, onField: (key: string, value: unknown) => void): void {
  if (Array.isArray(value)) for (const item of value) visit(item, onField);
  else if (value !== null && typeof value === 'object')
    for (const [key, inner] of Object.entries(value)) {
      onField(key, inner);
      visit(inner, onField);
    }
}
