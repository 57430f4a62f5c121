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
 * created and altered it. Follows renames (`ALTER TABLE a RENAME TO b`, `SET SCHEMA`) so the history of a renamed
 * table is found under its final name. Unqualified names resolve to the file's `SET search_path` (default public).
 */
export function buildMigrationHistory(files: HistorySource[]): ObjectHistory {
  const history: ObjectHistory = new Map();
  const existing = new Set<string>();
  for (const { migration, parsed } of files) {
    if (!parsed) continue;
    let defaultSchema = 'public';
    const touch = (key: string, action: string, creates = false) => {
      let entries = history.get(key);
      if (!entries) history.set(key, (entries = []));
      let entry = entries[entries.length - 1];
      if (!entry || entry.file !== migration.file) {
        entry = { file: migration.file, title: migration.header.title, date: migration.header.created, created: false, actions: [] };
        entries.push(entry);
      }
      if (creates) {
        if (existing.has(key)) action = `${action} if not exists (already there: no-op)`;
        else entry.created = true;
        existing.add(key);
      }
      if (!entry.actions.includes(action)) entry.actions.push(action);
    };
    const move = (from: string, to: string, action: string) => {
      const entries = history.get(from) ?? [];
      history.delete(from);
      history.set(to, [...(history.get(to) ?? []), ...entries]);
      if (existing.delete(from)) existing.add(to);
      touch(to, action);
    };
    const relation = (rangeVar: any) => relationKey(rangeVar?.schemaname ?? defaultSchema, rangeVar?.relname ?? '?');
    const qualifiedFromList = (names: string[]): { schema: string; name: string } =>
      names.length > 1 ? { schema: names[names.length - 2], name: names[names.length - 1] } : { schema: defaultSchema, name: names[0] ?? '?' };

    for (const statement of parsed.statements) {
      const ast = statement.ast;
      switch (statement.kind) {
        case 'VariableSetStmt': {
          if (ast.name === 'search_path' && !ast.is_local) {
            const first = ast.args?.[0]?.A_Const?.sval?.sval;
            if (typeof first === 'string') defaultSchema = first;
          }
          break;
        }
        case 'CreateStmt':
          touch(relation(ast.relation), ast.partbound ? 'create partition' : 'create table', true);
          break;
        case 'ViewStmt':
          touch(relation(ast.view), ast.replace ? 'create or replace view' : 'create view', !ast.replace || !existing.has(relation(ast.view)));
          break;
        case 'CreateTableAsStmt':
          touch(relation(ast.into?.rel), ast.objtype === 'OBJECT_MATVIEW' ? 'create materialized view' : 'create table as', true);
          break;
        case 'AlterTableStmt':
          for (const command of ast.cmds ?? []) touch(relation(ast.relation), alterAction(command.AlterTableCmd ?? {}));
          break;
        case 'IndexStmt':
          touch(relation(ast.relation), `create ${ast.unique ? 'unique ' : ''}index ${ast.idxname ?? ''}`.trim());
          break;
        case 'CreateTrigStmt':
          touch(relation(ast.relation), `create trigger ${ast.trigname}`);
          break;
        case 'CreatePolicyStmt':
          touch(relation(ast.table), `create policy ${ast.policy_name}`);
          break;
        case 'AlterPolicyStmt':
          touch(relation(ast.table), `alter policy ${ast.policy_name}`);
          break;
        case 'RenameStmt':
          renameAction(ast, relation, move, touch);
          break;
        case 'AlterObjectSchemaStmt':
          if (ast.relation) {
            const from = relation(ast.relation);
            move(from, relationKey(ast.newschema, ast.relation.relname), `move from schema ${ast.relation.schemaname ?? defaultSchema}`);
          }
          break;
        case 'CommentStmt':
          commentAction(ast, qualifiedFromList, touch);
          break;
        case 'DropStmt':
          dropAction(ast, qualifiedFromList, touch, existing);
          break;
        case 'InsertStmt':
          touch(relation(ast.relation), 'insert rows');
          break;
        case 'UpdateStmt':
          touch(relation(ast.relation), 'update rows');
          break;
        case 'DeleteStmt':
          touch(relation(ast.relation), 'delete rows');
          break;
        case 'TruncateStmt':
          for (const rel of ast.relations ?? []) touch(relation(rel.RangeVar), 'truncate');
          break;
        case 'CreateFunctionStmt': {
          const { schema, name } = qualifiedFromList(stringsOf(ast.funcname));
          touch(functionKey(schema, name), `${ast.replace ? 'create or replace' : 'create'} ${ast.is_procedure ? 'procedure' : 'function'}`, !existing.has(functionKey(schema, name)));
          break;
        }
        case 'CreateEnumStmt': {
          const { schema, name } = qualifiedFromList(stringsOf(ast.typeName));
          touch(typeKey(schema, name), 'create type (enum)', true);
          break;
        }
        case 'AlterEnumStmt': {
          const { schema, name } = qualifiedFromList(stringsOf(ast.typeName));
          touch(typeKey(schema, name), ast.oldVal ? `rename value ${ast.oldVal} to ${ast.newVal}` : `add value ${ast.newVal}`);
          break;
        }
        case 'CompositeTypeStmt':
          touch(typeKey(ast.typevar?.schemaname ?? defaultSchema, ast.typevar?.relname ?? '?'), 'create type (composite)', true);
          break;
        case 'CreateDomainStmt': {
          const { schema, name } = qualifiedFromList(stringsOf(ast.domainname));
          touch(typeKey(schema, name), 'create domain', true);
          break;
        }
        case 'CreateRangeStmt': {
          const { schema, name } = qualifiedFromList(stringsOf(ast.typeName));
          touch(typeKey(schema, name), 'create type (range)', true);
          break;
        }
        default:
          break;
      }
    }
  }
  return history;
}

function stringsOf(list: any[] | undefined): string[] {
  return (list ?? []).map((item) => item?.String?.sval).filter((s): s is string => typeof s === 'string');
}

const ALTER_ACTIONS: Record<string, (command: any) => string> = {
  AT_AddColumn: (c) => `add column ${c.def?.ColumnDef?.colname ?? c.name ?? ''}`,
  AT_DropColumn: (c) => `drop column ${c.name}`,
  AT_AlterColumnType: (c) => `alter column ${c.name} type`,
  AT_ColumnDefault: (c) => `alter column ${c.name} ${c.def ? 'set' : 'drop'} default`,
  AT_SetNotNull: (c) => `alter column ${c.name} set not null`,
  AT_DropNotNull: (c) => `alter column ${c.name} drop not null`,
  AT_AddConstraint: (c) => `add constraint ${c.def?.Constraint?.conname ?? ''}`.trim(),
  AT_DropConstraint: (c) => `drop constraint ${c.name}`,
  AT_ValidateConstraint: (c) => `validate constraint ${c.name}`,
  AT_EnableRowSecurity: () => 'enable row level security',
  AT_DisableRowSecurity: () => 'disable row level security',
  AT_ForceRowSecurity: () => 'force row level security',
  AT_NoForceRowSecurity: () => 'no force row level security',
  AT_AttachPartition: () => 'attach partition',
  AT_DetachPartition: () => 'detach partition',
};

function alterAction(command: any): string {
  const known = ALTER_ACTIONS[command.subtype];
  if (known) return known(command);
  // AT_SetStatistics → "set statistics"
  const words = String(command.subtype ?? 'alter').replace(/^AT_/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return command.name ? `${words} ${command.name}` : words;
}

function renameAction(
  ast: any,
  relation: (rangeVar: any) => string,
  move: (from: string, to: string, action: string) => void,
  touch: (key: string, action: string) => void,
): void {
  switch (ast.renameType) {
    case 'OBJECT_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
    case 'OBJECT_FOREIGN_TABLE': {
      const from = relation(ast.relation);
      const schema = from.slice('relation:'.length, from.lastIndexOf('.'));
      move(from, relationKey(schema, ast.newname), `rename from ${ast.relation.relname}`);
      break;
    }
    case 'OBJECT_COLUMN':
      touch(relation(ast.relation), `rename column ${ast.subname} to ${ast.newname}`);
      break;
    case 'OBJECT_TABCONSTRAINT':
      touch(relation(ast.relation), `rename constraint ${ast.subname} to ${ast.newname}`);
      break;
    case 'OBJECT_TRIGGER':
      touch(relation(ast.relation), `rename trigger ${ast.subname} to ${ast.newname}`);
      break;
    case 'OBJECT_POLICY':
      touch(relation(ast.relation), `rename policy ${ast.subname} to ${ast.newname}`);
      break;
    default:
      break;
  }
}

function commentAction(
  ast: any,
  qualifiedFromList: (names: string[]) => { schema: string; name: string },
  touch: (key: string, action: string) => void,
): void {
  const names = stringsOf(ast.object?.List?.items);
  switch (ast.objtype) {
    case 'OBJECT_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW': {
      const { schema, name } = qualifiedFromList(names);
      touch(relationKey(schema, name), 'comment');
      break;
    }
    case 'OBJECT_COLUMN': {
      const column = names[names.length - 1];
      const { schema, name } = qualifiedFromList(names.slice(0, -1));
      touch(relationKey(schema, name), `comment on column ${column}`);
      break;
    }
    case 'OBJECT_TABCONSTRAINT':
    case 'OBJECT_TRIGGER':
    case 'OBJECT_POLICY': {
      const { schema, name } = qualifiedFromList(names.slice(0, -1));
      touch(relationKey(schema, name), `comment on ${ast.objtype.slice(7).toLowerCase().replace('tabconstraint', 'constraint')} ${names[names.length - 1]}`);
      break;
    }
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE': {
      const { schema, name } = qualifiedFromList(stringsOf(ast.object?.ObjectWithArgs?.objname));
      touch(functionKey(schema, name), 'comment');
      break;
    }
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN': {
      const typeNames = stringsOf(ast.object?.TypeName?.names);
      const { schema, name } = qualifiedFromList(typeNames);
      touch(typeKey(schema, name), 'comment');
      break;
    }
    default:
      break;
  }
}

function dropAction(
  ast: any,
  qualifiedFromList: (names: string[]) => { schema: string; name: string },
  touch: (key: string, action: string) => void,
  existing: Set<string>,
): void {
  for (const object of ast.objects ?? []) {
    const names = stringsOf(object?.List?.items);
    switch (ast.removeType) {
      case 'OBJECT_TABLE':
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW': {
        const { schema, name } = qualifiedFromList(names);
        const key = relationKey(schema, name);
        touch(key, `drop ${ast.removeType.slice(7).toLowerCase().replace('matview', 'materialized view')}`);
        existing.delete(key);
        break;
      }
      case 'OBJECT_INDEX': {
        // the table of a dropped index is not named in the statement: not attributed
        break;
      }
      case 'OBJECT_TRIGGER':
      case 'OBJECT_POLICY': {
        const { schema, name } = qualifiedFromList(names.slice(0, -1));
        touch(relationKey(schema, name), `drop ${ast.removeType.slice(7).toLowerCase()} ${names[names.length - 1]}`);
        break;
      }
      case 'OBJECT_FUNCTION':
      case 'OBJECT_PROCEDURE': {
        const { schema, name } = qualifiedFromList(stringsOf(object?.ObjectWithArgs?.objname));
        touch(functionKey(schema, name), 'drop function');
        existing.delete(functionKey(schema, name));
        break;
      }
      case 'OBJECT_TYPE':
      case 'OBJECT_DOMAIN': {
        const { schema, name } = qualifiedFromList(stringsOf(object?.TypeName?.names));
        touch(typeKey(schema, name), 'drop type');
        existing.delete(typeKey(schema, name));
        break;
      }
      default:
        break;
    }
  }
}
