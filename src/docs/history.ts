import type { HistoryEvent, HistoryObject } from '../history/events.js';
import { walkHistory } from '../history/walker.js';
import type { MigrationFile } from '../migrations/discover.js';
import type { ParsedSql } from '../sql/parse.js';

/** One migration file's part in an object's life: what the file did to it, with the file's header. */
export interface HistoryEntry {
  /** relative to the project root, forward slashes */
  file: string;
  /** the header's "Migration NNN: <title>" */
  title?: string;
  /** the header's "Created: <date>" */
  date?: string;
  /** true when the file created the object (a later `CREATE ... IF NOT EXISTS` of an existing object does not) */
  created: boolean;
  /** what the file did, in statement order, without repeats: `create table`, `add column email`, `create index x` */
  actions: string[];
}

/** Object key → the files that touched it, in replay order. Keys: `relation:schema.name`, `function:schema.name`, `type:schema.name`. */
export type ObjectHistory = Map<string, HistoryEntry[]>;

export interface HistorySource {
  migration: MigrationFile;
  /** absent when the file does not parse (it then contributes nothing) */
  parsed?: ParsedSql;
}

export const relationKey = (schema: string, name: string): string => `relation:${schema}.${name}`;
export const functionKey = (schema: string, name: string): string => `function:${schema}.${name}`;
export const typeKey = (schema: string, name: string): string => `type:${schema}.${name}`;

/**
 * Reads the parsed migration files (no database) and indexes, per table, view, function and type, which files
 * created and altered it: a consumer of the history walker's events, so renames (`RENAME TO`, `SET SCHEMA`),
 * search_path and `IF NOT EXISTS` no-ops read exactly as attribution and the linter read them.
 */
export function buildMigrationHistory(files: HistorySource[]): ObjectHistory {
  const parsed = files.filter((f): f is HistorySource & { parsed: ParsedSql } => f.parsed !== undefined);
  const events = walkHistory(parsed.map((f, index) => ({ file: f.migration.file, role: 'migration' as const, fileIndex: index, parsed: f.parsed })));
  return migrationHistoryFromEvents(events, files.map((f) => f.migration));
}

/** The docs' per-object history from the walker's events; `migrations` supply each file's header. */
export function migrationHistoryFromEvents(events: readonly HistoryEvent[], migrations: readonly MigrationFile[]): ObjectHistory {
  const headers = new Map(migrations.map((m) => [m.file, m.header]));
  const history: ObjectHistory = new Map();
  const existing = new Set<string>();
  const touch = (key: string, file: string, action: string, creates = false) => {
    let entries = history.get(key);
    if (!entries) history.set(key, (entries = []));
    let entry = entries[entries.length - 1];
    if (!entry || entry.file !== file) {
      const header = headers.get(file);
      entry = { file, title: header?.title, date: header?.created, created: false, actions: [] };
      entries.push(entry);
    }
    if (creates) {
      entry.created = true;
      existing.add(key);
    }
    if (!entry.actions.includes(action)) entry.actions.push(action);
  };
  const move = (from: string, to: string, file: string, action: string) => {
    const entries = history.get(from) ?? [];
    history.delete(from);
    history.set(to, [...(history.get(to) ?? []), ...entries]);
    if (existing.delete(from)) existing.add(to);
    touch(to, file, action);
  };
  for (const event of events) {
    if (event.nested) continue;
    const key = docsKey(event.object);
    if (!key) continue;
    const file = event.at.file;
    const own = ownKey(event.object) !== undefined;
    switch (event.type) {
      case 'create':
        if (own && event.noop) touch(key, file, `${event.action} if not exists (already there: no-op)`);
        else touch(key, file, event.action, own && !event.noop && !event.existed);
        break;
      case 'rename': {
        const to = docsKey(event.to)!;
        if (own && to !== key) move(key, to, file, event.action);
        else touch(to, file, event.action);
        break;
      }
      case 'drop':
        touch(key, file, event.action);
        if (own) existing.delete(key);
        break;
      default:
        touch(key, file, event.action);
    }
  }
  return history;
}

/** The docs key of the object itself (tables, views, functions, types), undefined for table parts. */
function ownKey(object: HistoryObject): string | undefined {
  switch (object.kind) {
    case 'relation':
      return relationKey(object.schema, object.name);
    case 'function':
      return functionKey(object.schema, object.name);
    case 'type':
      return typeKey(object.schema, object.name);
    default:
      return undefined;
  }
}

/** Where an event is listed: its own page, or its table's page for a column, constraint, index, trigger, policy. */
function docsKey(object: HistoryObject): string | undefined {
  const own = ownKey(object);
  if (own) return own;
  if ('table' in object) return relationKey(object.schema, object.table);
  return undefined;
}
