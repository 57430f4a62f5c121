import { objectName, type HistoryEvent, type HistoryFile, type HistoryObject } from '../history/events.js';
import { walkHistory } from '../history/walker.js';
import { PUBLIC_SCHEMA_COMMENT } from '../model/comments.js';
import { nodeAs } from '../sql/ast.js';
import { parseSql } from '../sql/parse.js';
import { privilegeTargets, unmodelledKey } from './privilege-targets.js';
import type { TextOrigin } from '../sql/source-text.js';
import type { DriftItem } from './types.js';

export interface MigrationLocation {
  file: string;
  line: number;
  column: number;
}

/** For every object name (as drift items name them), the last migration statement that created or altered it. */
export interface ObjectHistory {
  touched: Map<string, MigrationLocation>;
  /**
   * Per object, the last statement that set each aspect (`type`, `default`, `notNull`, `identity`, `generated`,
   * `comment`; `*` = created or redefined whole), so a changed attribute is traced to the statement that set it.
   */
  aspects: Map<string, Map<string, MigrationLocation & { order: number }>>;
  /** files skipped because they do not parse */
  skipped: string[];
}

/**
 * Parses migration files in replay order and records which objects each statement creates or alters.
 * Call `await loadSqlParser()` first. A file that fails to parse is skipped.
 */
export function buildObjectHistory(files: Array<{ file: string; text: string; origin?: TextOrigin }>): ObjectHistory {
  const skipped: string[] = [];
  const parsedFiles: HistoryFile[] = [];
  for (const { file, text, origin } of files) {
    try {
      parsedFiles.push({ file, role: 'migration', fileIndex: parsedFiles.length, parsed: parseSql(text, file, origin) });
    } catch {
      skipped.push(file);
    }
  }
  return objectHistoryFromEvents(walkHistory(parsedFiles), skipped);
}

/**
 * The object history of the walker's events: for each name (as drift items name objects), the last statement
 * that created, altered, renamed or dropped it, and per aspect the last statement that set it. A
 * `CREATE ... IF NOT EXISTS` that did nothing is not a statement that touched the object.
 */
export function objectHistoryFromEvents(events: readonly HistoryEvent[], skipped: string[] = []): ObjectHistory {
  const history: ObjectHistory = { touched: new Map(), aspects: new Map(), skipped };
  let order = 0;
  const touch = (name: string, at: MigrationLocation, aspect = '*'): void => {
    history.touched.set(name, at);
    let aspects = history.aspects.get(name);
    if (!aspects || aspect === '*') {
      // created or redefined whole: earlier aspect history no longer explains the object
      aspects = new Map();
      history.aspects.set(name, aspects);
    }
    aspects.set(aspect, { ...at, order: order++ });
  };
  const touchObject = (object: HistoryObject, at: MigrationLocation, aspect = '*'): void => {
    const name = objectName(object);
    touch(name, at, aspect);
    if (object.kind === 'function' && object.args) touch(`${name}(${object.args.join(', ')})`, at, aspect);
  };
  /** Moves every recorded name under `from` (itself and `from.*`) to `to`. */
  const rename = (from: string, to: string): void => {
    for (const [name, location] of [...history.touched]) {
      if (name === from || name.startsWith(`${from}.`) || name.startsWith(`${from}(`)) {
        const renamed = to + name.slice(from.length);
        history.touched.delete(name);
        history.touched.set(renamed, location);
        const aspects = history.aspects.get(name);
        history.aspects.delete(name);
        if (aspects) history.aspects.set(renamed, aspects);
      }
    }
  };
  /** Every recorded name inside `name` (`name.*`) now last touched, whole, at `at`. */
  const supersede = (name: string, at: MigrationLocation): void => {
    for (const inner of [...history.touched.keys()]) if (inner.startsWith(`${name}.`)) touch(inner, at);
  };
  for (const event of events) {
    const at: MigrationLocation = { file: event.at.file, line: event.at.line, column: event.at.column };
    switch (event.type) {
      case 'create':
        if (!event.noop) touchObject(event.object, at);
        break;
      case 'alter':
        touchObject(event.object, at, event.aspect);
        break;
      case 'rename':
        rename(objectName(event.object), objectName(event.to));
        touchObject(event.to, at);
        // the old name is gone from here on: a snapshot that still has it is explained by this statement, not by the
        // last change of its table (field sweep: a renamed constraint pointed at an ALTER TABLE ... ENABLE ROW LEVEL
        // SECURITY of the file before)
        touch(objectName(event.object), at);
        break;
      case 'drop':
        if (!event.noop) {
          touchObject(event.object, at);
          // what was inside the dropped object (a table's columns, constraints, indexes, triggers...) went with it: a
          // snapshot that still has one is explained by this DROP, not by the statement that made it in the old object
          // (field: sizzle-squad/base-hunt drops badge_configuration in one Supabase migration and creates it again,
          // with 3 of its 14 columns, in the next; the 11 missing columns pointed at the first CREATE TABLE)
          supersede(objectName(event.object), at);
        }
        break;
      default:
        break;
    }
  }
  return history;
}

/** Fills `source.migration` of each item with the last statement that touched it (or, failing that, its table). */
export function attribute(items: DriftItem[], history: ObjectHistory): DriftItem[] {
  return items.map((item) => {
    const location = publicSchemaComment(item, history) ?? privilegeGrant(item, history) ?? lookupAspect(item, history) ?? lookup(item.name, history) ?? unmodelled(item, history);
    if (!location) return item;
    return { ...item, source: { ...item.source, migration: { ...location } } };
  });
}

/**
 * A privilege item (its name is pg_dump's GRANT / REVOKE / ALTER DEFAULT PRIVILEGES statement): the last migration
 * statement that set privileges on its object (or on all objects of its kind in a schema); see privilegeTargets.
 */
function privilegeGrant(item: DriftItem, history: ObjectHistory): MigrationLocation | undefined {
  if (item.kind !== 'other' || !/^(GRANT|REVOKE|ALTER DEFAULT PRIVILEGES)\b/.test(item.name)) return undefined;
  let statement;
  try {
    statement = parseSql(item.name, 'privilege').statements[0];
  } catch {
    return undefined;
  }
  if (!statement) return undefined;
  const names = privilegeTargets(statement);
  const latestOf = (candidates: string[]) => {
    let best: (MigrationLocation & { order: number }) | undefined;
    for (const name of candidates) {
      const at = history.aspects.get(name)?.get('*');
      if (at && (!best || at.order > best.order)) best = at;
    }
    return best && { file: best.file, line: best.line, column: best.column };
  };
  if (statement.kind !== 'GrantStmt') return latestOf(names);
  // no statement granted on the object itself: the default privileges its schema had when it was created
  const objtype = statement.ast.objtype ?? '';
  const schemas = (statement.ast.objects ?? []).flatMap((object) => nodeAs(object, 'RangeVar')?.schemaname ?? []);
  return latestOf([...names, `privileges:${objtype}:*`]) ?? latestOf([...schemas, ''].map((schema) => `privileges:default:${objtype}:${schema}`));
}

/** A publication, event trigger, statistics object, cast... (an "other" item): the last statement that made, altered or dropped it. */
function unmodelled(item: DriftItem, history: ObjectHistory): MigrationLocation | undefined {
  if (item.kind !== 'other') return undefined;
  const at = history.aspects.get(unmodelledKey(item.name))?.get('*');
  return at && { file: at.file, line: at.line, column: at.column };
}

/** The public schema's comment (an "other" named PUBLIC_SCHEMA_COMMENT): the last COMMENT ON SCHEMA public. */
function publicSchemaComment(item: DriftItem, history: ObjectHistory): MigrationLocation | undefined {
  if (item.kind !== 'other' || item.name !== PUBLIC_SCHEMA_COMMENT) return undefined;
  const at = history.aspects.get('public')?.get('comment');
  return at && { file: at.file, line: at.line, column: at.column };
}

/** For a changed attribute (or a comment), the last statement that set exactly that aspect of the object. */
function lookupAspect(item: DriftItem, history: ObjectHistory): MigrationLocation | undefined {
  const aspects = history.aspects.get(item.name);
  if (!aspects) return undefined;
  const wanted =
    item.kind === 'comment'
      ? ['comment']
      : item.change === 'changed'
        ? item.details.flatMap((d) => (typeof d === 'object' && d !== null && 'field' in d ? [d.field] : []))
        : [];
  let best: (MigrationLocation & { order: number }) | undefined;
  for (const aspect of wanted) {
    // an identity's sequence options are set by the statements that set the identity (ADD / SET ... identity)
    // a view's options (security_barrier, check_option...) are its reloptions, set by ALTER VIEW ... SET (...)
    const viewOption = (item.kind === 'view' || item.kind === 'materialized_view') && aspect !== 'query';
    // a column's collation is set only where its type is: `ALTER COLUMN … TYPE t COLLATE c` (or its creation); the
    // field: pocket-id's username collation traced to its CREATE TABLE, not to the ALTER … TYPE CITEXT COLLATE "C"
    const columnCollation = item.kind === 'column' && aspect === 'collation';
    const own = aspect === 'identityOptions' ? 'identity' : columnCollation ? 'type' : viewOption ? 'storageParameters' : aspect;
    // A field the history records by name was set, when no statement set it alone, by the statement that created the
    // object, not by a later ALTER of something else (an untracked field may have been set by any such ALTER).
    const found = aspects.get(own) ?? (TRACKED_ASPECTS.has(own) ? aspects.get('*') : latest(aspects.get('other'), aspects.get('*')));
    if (found && (!best || found.order > best.order)) best = found;
  }
  return best && { file: best.file, line: best.line, column: best.column };
}

/** The fields the history walker records by name (COLUMN_ASPECTS and TABLE_ASPECTS in src/history/walker.ts). */
const TRACKED_ASPECTS = new Set(['type', 'default', 'notNull', 'identity', 'generated', 'storageParameters', 'comment']);

function latest<T extends { order: number }>(a: T | undefined, b: T | undefined): T | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.order > b.order ? a : b;
}

function lookup(name: string, history: ObjectHistory): MigrationLocation | undefined {
  const direct = history.touched.get(name);
  if (direct) return direct;
  const withoutArgs = name.replace(/\(.*\)$/, '');
  if (withoutArgs !== name) return history.touched.get(withoutArgs);
  const parts = splitName(name);
  for (let n = parts.length - 1; n >= 2; n--) {
    const parentName = parts.slice(0, n).join('.');
    const parent = history.touched.get(parentName);
    if (parent) return lastChangeOf(parentName, history) ?? parent;
  }
  return undefined;
}

/**
 * The last statement that created or changed an object itself, a COMMENT ON it left out: an object only one side
 * has, traced through its table, is not explained by the table's comment (field: cerc-io/ipld-eth-db, a trigger the
 * snapshot has on eth.transaction_cids pointed at `COMMENT ON TABLE eth.transaction_cids` in a postgraphile-comments
 * migration instead of the CREATE TABLE). Undefined when only comments are recorded.
 */
function lastChangeOf(name: string, history: ObjectHistory): MigrationLocation | undefined {
  let best: (MigrationLocation & { order: number }) | undefined;
  for (const [aspect, at] of history.aspects.get(name) ?? []) {
    if (aspect !== 'comment' && (!best || at.order > best.order)) best = at;
  }
  return best && { file: best.file, line: best.line, column: best.column };
}

/** Splits `public.users.email` into parts (names never contain dots in practice; quoted names keep theirs). */
function splitName(name: string): string[] {
  return name.split('.');
}
