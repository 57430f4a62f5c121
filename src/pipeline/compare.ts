import { canonicalizeThroughEngine } from '../engine/reload.js';
import { diffModels } from '../diff/diff.js';
import type { DriftItem } from '../diff/types.js';
import { requestedExtensions } from '../engine/extensions.js';
import { withEngine } from '../engine/index.js';
import type { EngineOptions } from '../engine/types.js';
import { buildSchemaModel } from '../model/build.js';
import type { SchemaModel } from '../model/types.js';
import { parseSql } from '../sql/parse.js';
import type { TimingRecorder } from './timings.js';

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
  /** records model build (per side), diff and confirmation */
  timings?: TimingRecorder;
}

export interface Comparison {
  drift: DriftItem[];
  /** direct: the models agreed (or no engine); canonicalized: drift was confirmed after reloading both sides */
  method: 'direct' | 'canonicalized';
}

/**
 * Compares two dumps: `ours` (the migrations' side: `added`) against `theirs` (the snapshot side: `removed`).
 * The models are compared directly first (AST-normalized, cheap). When that finds differences and an engine is
 * available, both dumps are reloaded into fresh throwaway databases of that engine and dumped again, so both are
 * printed by the same pg_dump after one reload; only what still differs is reported. Snapshot lines always refer
 * to the original file.
 */
export async function compareDumps(ours: DumpSide, theirs: DumpSide, options: CompareOptions = {}): Promise<Comparison> {
  const modelOptions = { includePrivileges: options.includePrivileges };
  const diffOptions = { ignore: options.ignore };
  const timings = options.timings;
  const modelOf = (side: DumpSide, name: string) => {
    if (side.model && !options.includePrivileges) return side.model;
    const build = () => buildSchemaModel(side.text, side.label, modelOptions);
    return timings ? timings.timeSync('model build', build, (m) => modelSummary(m), { side: name }) : build();
  };
  const [ourModel, theirModel] = [modelOf(ours, ours.label), modelOf(theirs, theirs.label)];
  const compare = () => diffModels(ourModel, theirModel, diffOptions);
  const direct = timings ? timings.timeSync('diff', compare, (items) => `${items.length} differences before confirmation`) : compare();
  const engine = options.engine;
  if (direct.length === 0 || !engine) {
    timings?.add('confirmation', 0, direct.length === 0 ? 'not needed: the models agree' : 'no engine: the direct comparison stands');
    return { drift: direct, method: 'direct' };
  }
  if (timings) {
    return timings.time('confirmation', () => confirm(ours, theirs, direct, engine, options), (c) => `${direct.length} differences: both sides reloaded through ${engine.engine} (2 reloads in parallel), ${c.drift.length} confirmed`);
  }
  return confirm(ours, theirs, direct, engine, options);
}

function modelSummary(model: SchemaModel): string {
  return `${model.tables.length} tables, ${model.views.length + model.materializedViews.length} views, ${model.functions.length} functions`;
}

/** Reloads both sides into fresh throwaway databases and compares again: only what still differs is drift. */
async function confirm(ours: DumpSide, theirs: DumpSide, direct: DriftItem[], engine: NonNullable<CompareOptions['engine']>, options: CompareOptions): Promise<Comparison> {
  const modelOptions = { includePrivileges: options.includePrivileges };
  const diffOptions = { ignore: options.ignore };

  const extensions = new Set(engine.extensions ?? []);
  for (const side of [ours, theirs]) for (const name of requestedExtensions(parseSql(side.text, side.label).statements)) extensions.add(name);
  const engineOptions = { ...engine, extensions: [...extensions].sort() };
  const [canonicalOurs, canonicalTheirs] = await Promise.all([
    withEngine(engineOptions, (reload) => canonicalizeThroughEngine(ours.text, reload)),
    withEngine(engineOptions, (reload) => canonicalizeThroughEngine(theirs.text, reload)),
  ]);
  const confirmed = diffModels(buildSchemaModel(canonicalOurs, ours.label, modelOptions), buildSchemaModel(canonicalTheirs, theirs.label, modelOptions), diffOptions);
  return { drift: keepOriginalSnapshotLines(confirmed, direct, theirs.label), method: 'canonicalized' };
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
