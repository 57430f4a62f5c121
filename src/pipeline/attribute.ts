import { attribute, objectHistoryFromEvents } from '../diff/attribution.js';
import { privilegeTargets, unmodelledTarget } from '../diff/privilege-targets.js';
import type { DriftItem } from '../diff/types.js';
import type { HistoryEvent } from '../history/events.js';
import type { ReplayReport } from '../replay/types.js';
import { historyEvents, type LoadedHistory } from './replay-project.js';

/**
 * Names, for each drift item, the migration file and line that created or last altered the object. With the replay's
 * report, only statements that took effect count: not those of files it skipped or rolled back, nor, in a failed file,
 * those of the part that failed (rolled back with it; in a part without a transaction, those from the failing one on).
 */
export function attributeDrift(items: DriftItem[], history: LoadedHistory, report?: Pick<ReplayReport, 'files' | 'migrationFailures'>): DriftItem[] {
  if (items.length === 0) return items;
  const { events: walked, skipped } = historyEvents(history);
  const events = items.some((item) => item.kind === 'other') ? [...walked, ...privilegeEvents(history)] : walked;
  return attribute(items, objectHistoryFromEvents(report ? tookEffect(events, history, report) : events, skipped));
}

/**
 * The GRANT / REVOKE / ALTER DEFAULT PRIVILEGES statements of the migrations, and those that create or alter a
 * publication, event trigger or statistics object, as events on the names privilegeTargets and unmodelledTarget give
 * (the history walker does not follow them; the docs' table history leaves them out): such a drift item is traced
 * through them to its statement.
 */
function privilegeEvents(history: LoadedHistory): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  let fileIndex = 0;
  for (const prepared of history.prepared.files) {
    if (prepared.role === 'baseline') continue;
    const index = fileIndex++;
    for (const statement of prepared.parsed?.statements ?? []) {
      const unmodelled = unmodelledTarget(statement);
      for (const name of [...privilegeTargets(statement), ...(unmodelled ? [unmodelled] : [])]) {
        const at = { file: prepared.migration.file, line: statement.line, column: statement.column, role: prepared.role, fileIndex: index, statement };
        events.push({ type: 'alter', object: { kind: 'schema', name }, aspect: '*', action: 'grant', at, nested: false });
      }
    }
  }
  return events;
}

function tookEffect(events: readonly HistoryEvent[], history: LoadedHistory, report: Pick<ReplayReport, 'files' | 'migrationFailures'>): readonly HistoryEvent[] {
  /** per file, the first line whose statements did not take effect (1 = none did) */
  const from = new Map<string, number>();
  // a file may be listed once per run of its lines (a psql script cut at its includes): each entry from its first part
  const sameOrder = report.files.length === history.prepared.files.length;
  for (const [index, file] of report.files.entries()) {
    if (file.status !== 'skipped' && file.status !== 'rolled-back') continue;
    const parts = sameOrder ? history.prepared.files[index].migration.parts : undefined;
    const line = parts?.length ? Math.min(...parts.map((p) => p.startLine)) + 1 : 1;
    from.set(file.file, Math.min(from.get(file.file) ?? line, line));
  }
  for (const failure of report.migrationFailures) {
    const parts = history.prepared.files.filter((f) => f.migration.file === failure.file).flatMap((f) => f.migration.parts ?? []);
    const part = parts?.find((p) => failure.line - 1 >= p.startLine && failure.line - 1 < p.endLine);
    const line = part && part.transaction === 'none' ? failure.line : part ? part.startLine + 1 : 1;
    from.set(failure.file, Math.min(from.get(failure.file) ?? line, line));
  }
  if (from.size === 0) return events;
  return events.filter((event) => {
    const first = from.get(event.at.file);
    return first === undefined || event.at.line < first;
  });
}
