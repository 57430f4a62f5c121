import { attribute, objectHistoryFromEvents } from '../diff/attribution.js';
import type { DriftItem } from '../diff/types.js';
import { historyEvents, type LoadedHistory } from './replay-project.js';

/** Names, for each drift item, the migration file and line that created or last altered the object. */
export function attributeDrift(items: DriftItem[], history: LoadedHistory): DriftItem[] {
  if (items.length === 0) return items;
  const { events, skipped } = historyEvents(history);
  return attribute(items, objectHistoryFromEvents(events, skipped));
}
