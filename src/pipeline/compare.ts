import { splitByReprinting } from '../diff/confirmation.js';
import { diffModels } from '../diff/diff.js';
import type { DriftItem } from '../diff/types.js';
import { requestedExtensions } from '../engine/extensions.js';
import { withEngine } from '../engine/index.js';
import { canonicalizeThroughEngine, ReloadError, type ReloadOptions } from '../engine/reload.js';
import type { EngineName, EngineOptions } from '../engine/types.js';
import { EngineError } from '../errors.js';
import { buildSchemaModel } from '../model/build.js';
import { noCommentsEvidence, objectCommentCount, withoutComments } from '../model/comments.js';
import type { SchemaModel } from '../model/types.js';
import type { TimingRecorder } from './timings.js';
import { parseSql } from '../sql/parse.js';

/** One side of a comparison: a pg_dump --schema-only text and the label its lines refer to. */
export interface DumpSide {
  text: string;
  /** the file name used for `line`s (e.g. the snapshot's path) */
  label: string;
  /** the text's model when the caller already built it (without privileges) */
  model?: SchemaModel;
}

export interface CompareOptions {
  ignore?: string[];
  includePrivileges?: boolean;
  /** how to reach an engine for confirming drift; undefined = never reload (AST normalization only) */
  engine?: EngineOptions & { projectRoot?: string };
  /**
   * `expression-text` (default): reload only when some difference is in expression text, only the tables those
   * differences concern (see ReloadOptions.focusTables), and report structural differences as found; `all`: every
   * difference goes through a reload of everything (the behaviour before the split, kept so tests can prove both
   * give the same result).
   */
  confirm?: 'expression-text' | 'all';
  /** records model build (per side), diff and confirmation */
  timings?: TimingRecorder;
  /**
   * Leave extension comments out of the comparison: `supabase db dump` comments out every `COMMENT ON EXTENSION`
   * (the CLI's dump_schema.sh), so a Supabase snapshot never has them while any replay does. They are the
   * extension's own text, not the team's schema.
   */
  ignoreExtensionComments?: boolean;
  /**
   * Leave event triggers out of the comparison: `supabase db dump` comments out `CREATE EVENT TRIGGER` and
   * `ALTER EVENT TRIGGER` (dump_schema.sh), so a snapshot it wrote cannot show them.
   */
  ignoreEventTriggers?: boolean;
  /** Extensions left out of the comparison: the ones the Supabase platform installs in every project (snapshotComparison). */
  ignoreExtensions?: readonly string[];
  /**
   * Extensions the platform baseline makes before the migrations (SUPABASE_PLATFORM_EXTENSIONS): one of them that
   * only `ours` has is left out, with the schema it made (it came from the baseline, whatever the migrations did; a
   * snapshot written without it, by an earlier pgdrift or from `--schema public`, says nothing about the migrations).
   * One only the snapshot has, which a migration dropped, is still drift.
   */
  platformExtensions?: readonly string[];
  /**
   * The platform a side `supabase db dump` wrote (its model's supabaseDbDump) was dumped from: the confirming reload
   * loads that side after this SQL (the Supabase platform baseline, so `auth.users` and `auth.uid()` exist) and
   * without its CREATE EXTENSION of `extensions` (every project's; those only Supabase's image ships could not load).
   * Without it such a side never reloads, and every difference in expression text stays unconfirmed.
   */
  platform?: { sql: string; file: string; roles: readonly string[]; extensions: readonly string[] };
  /**
   * Say when the sides' `... OWNER TO` statements differ (owners are never compared). For two schemas the user
   * names (`diff`); not for a replay, whose owner is whichever role the engine applied the migrations as.
   */
  noteOwners?: boolean;
}

/** Why some differences could not be confirmed, and the engine option that would confirm them. */
export interface Unconfirmed {
  reason: string;
  hint: string;
}

export interface Comparison {
  drift: DriftItem[];
  /**
   * direct: no reload was needed (no difference, only structural ones, or no engine); canonicalized: the
   * expression-text differences were confirmed after reloading both sides through the engine; unconfirmed: the
   * reload could not run, and the expression-text differences are reported with `confirmed: false`
   */
  method: 'direct' | 'canonicalized' | 'unconfirmed';
  /** set when method is `unconfirmed` */
  unconfirmed?: Unconfirmed;
  /**
   * The models of the two dumps as given: what `diff --sql` and `check --write-migration` plan their DDL from
   * (src/fix/), keeping only the steps that serve the reported (confirmed) items.
   */
  models: { ours: SchemaModel; theirs: SchemaModel };
  /** what the comparison left out and why (a side dumped with --no-comments), for the command to say */
  notes: string[];
  /**
   * What differs between the two sides where the comparison does not look, by design (privileges without
   * `includePrivileges`, owners with `noteOwners`): said with the verdict, so that "no differences" is never bare.
   */
  notCompared: string[];
}

/**
 * Compares two dumps: `ours` (the migrations' side: `added`) against `theirs` (the snapshot side: `removed`).
 * The models are compared directly first (AST-normalized, cheap). Differences that no re-printing can explain
 * (an object on one side only, a type, nullability, a key, an action, a privilege...) are reported as found.
 * Differences in expression text (defaults, CHECKs, view queries, function bodies...) may be Postgres's
 * re-printing: when there are any and an engine is available, both dumps are reloaded into fresh throwaway
 * databases of that engine, concurrently, and dumped again, so both are printed by the same pg_dump after one
 * reload; only what still differs is reported. Snapshot lines always refer to the original file.
 */
export async function compareDumps(ours: DumpSide, theirs: DumpSide, options: CompareOptions = {}): Promise<Comparison> {
  const modelOptions = { includePrivileges: options.includePrivileges };
  const diffOptions = { ignore: options.ignore };
  const timings = options.timings;
  const compared = (model: SchemaModel) => {
    const withComments = options.ignoreExtensionComments ? withoutExtensionComments(model) : model;
    const withTriggers = options.ignoreEventTriggers ? withoutEventTriggers(withComments) : withComments;
    const left = options.ignoreExtensions ?? [];
    return left.length > 0 ? { ...withTriggers, extensions: withTriggers.extensions.filter((extension) => !left.includes(extension.name)) } : withTriggers;
  };
  const modelOf = (side: DumpSide) => {
    if (side.model && !options.includePrivileges) return compared(side.model);
    const build = () => buildSchemaModel(side.text, side.label, modelOptions);
    return compared(timings ? timings.timeSync('model build', build, modelSummary, { side: side.label }) : build());
  };
  const built = withoutPlatformOnlyExtensions({ ours: modelOf(ours), theirs: modelOf(theirs) }, options.platformExtensions ?? []);
  // A side dumped with --no-comments says nothing about comments: comparing them could only raise false alarms.
  const commentless = ([['theirs', theirs.label], ['ours', ours.label]] as const)
    .map(([side, label]) => ({ side, label, extension: noCommentsEvidence(built[side], built[side === 'ours' ? 'theirs' : 'ours']) }))
    .filter((found) => found.extension !== undefined);
  const notes = commentless.map(
    ({ label, extension }) =>
      `${label} has no comments at all, not even the COMMENT ON EXTENSION ${extension} pg_dump writes (dumped with --no-comments): comments are not compared`,
  );
  const notCompared = leftOutDifferences(built.ours, built.theirs, options);
  // said with the verdict too (text, JSON, GitHub): a comment set on the other side was a bare "no differences"
  for (const { label, side } of commentless) {
    const other = side === 'ours' ? built.theirs : built.ours;
    const n = objectCommentCount(other);
    if (n > 0) notCompared.push(`comments: ${n} ${n === 1 ? 'comment' : 'comments'} on the other side, as ${label} has none at all (dumped with --no-comments)`);
  }
  const settled = (model: SchemaModel) => (commentless.length > 0 ? withoutComments(model) : model);
  const ourModel = settled(built.ours);
  const theirModel = settled(built.theirs);
  const compare = () => diffModels(ourModel, theirModel, diffOptions);
  // the reload may cover only the objects in question: fixes are planned from these models, kept to the confirmed items
  const models = { ours: ourModel, theirs: theirModel };
  const direct = timings ? timings.timeSync('diff', compare, (items) => `${items.length} differences before confirmation`) : compare();
  const limited = schemaLimitedNote(theirModel, direct, theirs.label);
  if (limited) notes.push(limited);
  if (direct.length === 0 || !options.engine) {
    timings?.add('confirmation', 0, direct.length === 0 ? 'not needed: the models agree' : 'no engine: the direct comparison stands');
    return { drift: direct, method: 'direct', models, notes, notCompared };
  }

  const { structural, expressionText } = splitByReprinting(direct, ourModel, theirModel, options.confirm);
  if (expressionText.length === 0) {
    timings?.add('confirmation', 0, `not needed: ${structural.length} structural differences, none in expression text`);
    return { drift: structural, method: 'direct', models, notes, notCompared };
  }

  let reloaded: [string, string];
  const confirmStarted = performance.now();
  const recordConfirmation = (outcome: string) =>
    timings?.add(
      'confirmation',
      performance.now() - confirmStarted,
      `${expressionText.length} differences in expression text: both sides reloaded through ${options.engine!.engine} (2 reloads in parallel), ${outcome}`,
    );
  try {
    // `all` reproduces the behaviour before the split exactly: every difference, through a reload of everything
    const platform = options.platform;
    const before = (model: SchemaModel) => (platform && model.supabaseDbDump ? { ...platform, extensions: new Set(platform.extensions) } : undefined);
    reloaded = await reloadBoth(ours, theirs, options.engine, options.confirm === 'all' ? undefined : reloadFocus(expressionText), [before(built.ours), before(built.theirs)]);
  } catch (error) {
    recordConfirmation('could not run');
    if (!(error instanceof EngineError)) throw error;
    const unconfirmed = { reason: error.message, hint: confirmHint(options.engine.engine, error) };
    const drift = [...structural, ...expressionText.map((item) => ({ ...item, confirmed: false as const }))];
    return { drift: sortItems(drift), method: 'unconfirmed', unconfirmed, models, notes, notCompared };
  }
  // Privileges never go through the reload (it drops grants to roles the engine lacks): compared from the model.
  const confirmed = diffModels(settled(compared(buildSchemaModel(reloaded[0], ours.label))), settled(compared(buildSchemaModel(reloaded[1], theirs.label))), diffOptions);
  // What the reload says about the expression-text objects (under any kind: an artefact expression beside a real
  // comment change comes back as a comment item); everything else was settled without it.
  const reported = new Set(structural.map(itemKey));
  const asked = new Set(expressionText.map((item) => item.name));
  const fromReload = keepOriginalSnapshotLines(
    confirmed.filter((item) => asked.has(item.name) && !reported.has(itemKey(item))),
    direct,
    theirs.label,
  );
  recordConfirmation(`${fromReload.length} confirmed`);
  return { drift: sortItems([...structural, ...fromReload]), method: 'canonicalized', models, notes, notCompared };
}

/**
 * A snapshot that holds only some schemas (a `pg_dump -n auth`: field nhost/hasura-auth's go/sql/schema.sh), against
 * a replay of everything: every object outside those schemas, and every extension (pg_dump -n leaves them out), is
 * "added". They are reported (the snapshot may have lost them); the note says what the pattern suggests and how to
 * compare those schemas only. Only when every difference is such an object: one inside them is the story then.
 */
function schemaLimitedNote(theirs: SchemaModel, drift: DriftItem[], label: string): string | undefined {
  if (drift.length === 0 || theirs.extensions.length > 0) return undefined;
  const held = new Set([
    ...theirs.schemas.map((schema) => schema.name),
    ...[...theirs.tables, ...theirs.views, ...theirs.materializedViews, ...theirs.sequences, ...theirs.functions, ...theirs.types].map((object) => object.schema),
  ]);
  if (held.size === 0 || held.has('public')) return undefined;
  const schemaOf = (item: DriftItem) => (item.kind === 'schema' ? item.name : item.name.split('.')[0]);
  const outside = drift.every((item) => item.change === 'added' && (item.kind === 'extension' || !held.has(schemaOf(item))));
  if (!outside) return undefined;
  const extensions = drift.filter((item) => item.kind === 'extension').map((item) => item.name);
  const schemas = [...new Set(drift.filter((item) => item.kind !== 'extension').map(schemaOf))].sort();
  const patterns = [...schemas.map((schema) => `${schema}.*`), ...extensions].map((pattern) => JSON.stringify(pattern)).join(', ');
  const names = [...held].sort();
  return `${label} holds schema${held.size === 1 ? '' : 's'} ${names.join(', ')} only, and every difference is an object outside ${held.size === 1 ? 'it' : 'them'} or an extension (a dump of some schemas, pg_dump -n ${names.join(' -n ')}, has neither): if the snapshot is meant to cover ${held.size === 1 ? 'that schema' : 'those schemas'} only, leave the rest out with "ignore": [${patterns}] in pgdrift.config.json`;
}

/**
 * What the two models leave out (SchemaModel.leftOut) that differs: the privileges, when not compared, and the
 * owners, when asked. A GRANT on one side only gave a bare "no differences" without `--include privileges`.
 */
function leftOutDifferences(ours: SchemaModel, theirs: SchemaModel, options: CompareOptions): string[] {
  const out: string[] = [];
  if (!options.includePrivileges) {
    const n = unmatched(ours.leftOut.privileges, theirs.leftOut.privileges);
    if (n > 0) out.push(`privileges: ${n} GRANT / REVOKE / ALTER DEFAULT PRIVILEGES ${n === 1 ? 'statement is' : 'statements are'} on one side only (compared with --include privileges)`);
  }
  // a side with no OWNER TO at all was dumped with --no-owner (pgdrift's own dumps are): it says nothing about owners
  if (options.noteOwners && ours.leftOut.owners.length > 0 && theirs.leftOut.owners.length > 0) {
    const n = unmatched(ours.leftOut.owners, theirs.leftOut.owners);
    if (n > 0) out.push(`owners: ${n} OWNER TO ${n === 1 ? 'statement is' : 'statements are'} on one side only (owners are never compared)`);
  }
  // a schema-only dump has no rows at all: said only when both sides have some (two versions of a structure.sql)
  if (ours.leftOut.rows.length > 0 && theirs.leftOut.rows.length > 0) {
    const n = unmatched(ours.leftOut.rows, theirs.leftOut.rows);
    if (n > 0) out.push(`rows: ${n} INSERT / UPDATE / DELETE ${n === 1 ? 'statement is' : 'statements are'} on one side only (table rows are not schema: never compared)`);
  }
  return out;
}

/** How many statements of either list the other lacks (as multisets). */
function unmatched(a: readonly string[], b: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const text of a) counts.set(text, (counts.get(text) ?? 0) + 1);
  let onlyB = 0;
  for (const text of b) {
    const left = counts.get(text) ?? 0;
    if (left > 0) counts.set(text, left - 1);
    else onlyB++;
  }
  let onlyA = 0;
  for (const left of counts.values()) onlyA += left;
  return onlyA + onlyB;
}

export function withoutPlatformOnlyExtensions(models: { ours: SchemaModel; theirs: SchemaModel }, platform: readonly string[]): { ours: SchemaModel; theirs: SchemaModel } {
  if (platform.length === 0) return models;
  const theirs = new Set(models.theirs.extensions.map((extension) => extension.name));
  const left = models.ours.extensions.filter((extension) => !theirs.has(extension.name) && platform.includes(extension.name));
  if (left.length === 0) return models;
  // and the schema CREATE EXTENSION made for it (graphql, vault), when the snapshot lacks it too; what else is in it is compared
  const theirSchemas = new Set(models.theirs.schemas.map((schema) => schema.name));
  const leftSchemas = new Set(left.flatMap((extension) => (extension.schema && !theirSchemas.has(extension.schema) ? [extension.schema] : [])));
  return {
    ...models,
    ours: {
      ...models.ours,
      extensions: models.ours.extensions.filter((extension) => !left.includes(extension)),
      schemas: models.ours.schemas.filter((schema) => !leftSchemas.has(schema.name)),
    },
  };
}

function withoutExtensionComments(model: SchemaModel): SchemaModel {
  return { ...model, extensions: model.extensions.map((extension) => ({ ...extension, comment: null })) };
}

const EVENT_TRIGGER_STATEMENTS = new Set(['CreateEventTrigStmt', 'AlterEventTrigStmt']);

function withoutEventTriggers(model: SchemaModel): SchemaModel {
  return { ...model, others: model.others.filter((other) => !EVENT_TRIGGER_STATEMENTS.has(other.statementKind)) };
}

function modelSummary(model: SchemaModel): string {
  return `${model.tables.length} tables, ${model.views.length + model.materializedViews.length} views, ${model.functions.length} functions`;
}

/** Both dumps reloaded and re-dumped, each in its own throwaway database, at the same time. */
async function reloadBoth(
  ours: DumpSide,
  theirs: DumpSide,
  engine: EngineOptions & { projectRoot?: string },
  focusTables: Set<string> | undefined,
  befores: [ReloadOptions['before'], ReloadOptions['before']],
): Promise<[string, string]> {
  const reload = async (side: DumpSide, before: ReloadOptions['before']) => {
    // the side's own extensions, but for those `before` stands in for (left out of its reload), and `before`'s
    const own = requestedExtensions(parseSql(side.text, side.label).statements).filter((name) => !before?.extensions.has(name));
    const platform = before ? requestedExtensions(parseSql(before.sql, before.file).statements) : [];
    const extensions = [...new Set([...(engine.extensions ?? []), ...own, ...platform])].sort();
    try {
      return await withEngine({ ...engine, extensions }, (e) => canonicalizeThroughEngine(side.text, e, side.label, { focusTables, before }));
    } catch (error) {
      // A ReloadError names the side already; an engine that could not start for this side's extensions does not.
      if (error instanceof EngineError && !(error instanceof ReloadError)) throw new EngineError(`cannot reload ${side.label}: ${error.message}`, error.hint);
      throw error;
    }
  };
  const results = await Promise.allSettled([reload(ours, befores[0]), reload(theirs, befores[1])]);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return [(results[0] as PromiseFulfilledResult<string>).value, (results[1] as PromiseFulfilledResult<string>).value];
}

/**
 * The tables whose indexes, foreign keys and triggers the reload needs: those the expression-text items belong to.
 * Undefined (reload everything) when an item is a statement compared by its text, which could be anything.
 */
function reloadFocus(items: DriftItem[]): Set<string> | undefined {
  const tables = new Set<string>();
  for (const item of items) {
    if (item.kind === 'other') return undefined;
    // `schema.table` of a part (`schema.table.column`), or the object itself (a table's item shows its whole DDL)
    tables.add(item.name.split('.').slice(0, 2).join('.'));
  }
  return tables;
}

/** The engine option that would confirm the differences: the error's own hint, else another engine. */
function confirmHint(engine: EngineName, error: EngineError): string {
  if (error.hint) return error.hint;
  return engine === 'pglite'
    ? 'confirm them on a real Postgres that has what the dumps need: --engine server --database-url postgres://... (or PGDRIFT_DATABASE_URL), or --engine docker --image <image>'
    : 'confirm them on an engine that has what the dumps need: --engine docker --image <an image with it>, or --engine server --database-url <a server with it>';
}

const itemKey = (item: DriftItem) => `${item.kind}:${item.name}`;

function sortItems(items: DriftItem[]): DriftItem[] {
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return items.sort((a, b) => compare(a.name, b.name) || compare(a.kind, b.kind) || compare(a.change, b.change));
}

/** The canonical dump's line numbers mean nothing to the user: take each object's line in the original file. */
function keepOriginalSnapshotLines(confirmed: DriftItem[], direct: DriftItem[], snapshotFile: string): DriftItem[] {
  const lines = new Map(direct.filter((item) => item.source.snapshot).map((item) => [`${item.kind}:${item.name}`, item.source.snapshot!.line]));
  return confirmed.map((item) => {
    const line = lines.get(`${item.kind}:${item.name}`);
    const source = { ...item.source };
    if (line !== undefined) source.snapshot = { file: snapshotFile, line };
    else delete source.snapshot;
    return { ...item, source };
  });
}
