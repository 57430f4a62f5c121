import { canonicalizeThroughEngine } from '../engine/reload.js';
import { diffModels } from '../diff/diff.js';
import type { DriftItem } from '../diff/types.js';
import { requestedExtensions } from '../engine/extensions.js';
import { withEngine } from '../engine/index.js';
import type { EngineOptions } from '../engine/types.js';
import { buildSchemaModel } from '../model/build.js';
import type { SchemaModel } from '../model/types.js';
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
  const modelOf = (side: DumpSide) => (side.model && !options.includePrivileges ? side.model : buildSchemaModel(side.text, side.label, modelOptions));
  const direct = diffModels(modelOf(ours), modelOf(theirs), diffOptions);
  if (direct.length === 0 || !options.engine) return { drift: direct, method: 'direct' };

  const extensions = new Set(options.engine.extensions ?? []);
  for (const side of [ours, theirs]) for (const name of requestedExtensions(parseSql(side.text, side.label).statements)) extensions.add(name);
  const engineOptions = { ...options.engine, extensions: [...extensions].sort() };
  const [canonicalOurs, canonicalTheirs] = await Promise.all([
    withEngine(engineOptions, (engine) => canonicalizeThroughEngine(ours.text, engine)),
    withEngine(engineOptions, (engine) => canonicalizeThroughEngine(theirs.text, engine)),
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
