import { attribute, buildObjectHistory } from '../diff/attribution.js';
import type { DriftItem } from '../diff/types.js';
import type { LoadedHistory } from './replay-project.js';

/** Names, for each drift item, the migration file and line that created or last altered the object. */
export function attributeDrift(items: DriftItem[], history: LoadedHistory): DriftItem[] {
  if (items.length === 0) return items;
  const files = [...history.baseline, ...history.migrations].map((m) => ({ file: m.file, text: m.text }));
  return attribute(items, buildObjectHistory(files));
}
