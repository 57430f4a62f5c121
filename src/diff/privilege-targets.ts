import type { Node } from '@pgsql/types';
import { nodeAs, nodesAs, stringList } from '../sql/ast.js';
import type { StatementNode } from '../sql/ast.js';

/**
 * The names, in the object history, of what a GRANT / REVOKE / ALTER DEFAULT PRIVILEGES statement sets privileges
 * on: `privileges:OBJECT_TABLE:accounts`, `privileges:OBJECT_TABLE:*` (ALL TABLES IN SCHEMA),
 * `privileges:default:OBJECT_SEQUENCE:public`. Objects are keyed by their last name (a migration names them
 * unqualified under its search_path, pg_dump qualified): the key only traces a privilege drift item, which pg_dump
 * prints one object per GRANT, to the migration statement that granted it. Empty for any other statement.
 */
export function privilegeTargets(statement: StatementNode): string[] {
  if (statement.kind === 'AlterDefaultPrivilegesStmt') {
    const schemas = nodesAs(statement.ast.options, 'DefElem')
      .filter((option) => option.defname === 'schemas')
      .flatMap((option) => stringList(nodeAs(option.arg, 'List')?.items));
    const objtype = statement.ast.action?.objtype ?? '';
    return (schemas.length > 0 ? schemas : ['']).map((schema) => `privileges:default:${objtype}:${schema}`);
  }
  if (statement.kind !== 'GrantStmt') return [];
  const { objtype = '', targtype, objects } = statement.ast;
  if (targtype === 'ACL_TARGET_ALL_IN_SCHEMA') return [`privileges:${objtype}:*`];
  if (targtype !== 'ACL_TARGET_OBJECT') return [];
  return (objects ?? []).flatMap((object: Node) => {
    const relation = nodeAs(object, 'RangeVar')?.relname;
    const routine = stringList(nodeAs(object, 'ObjectWithArgs')?.objname).at(-1);
    const plain = nodeAs(object, 'String')?.sval ?? stringList(nodeAs(object, 'List')?.items).at(-1);
    const name = relation ?? routine ?? plain;
    return name === undefined ? [] : [`privileges:${objtype}:${name}`];
  });
}

/** Objects CREATE (DefineStmt) makes that the history walker does not follow and drift names by a plain name. */
const UNMODELLED_DEFINED = new Set(['OBJECT_COLLATION', 'OBJECT_AGGREGATE', 'OBJECT_TSCONFIGURATION', 'OBJECT_TSDICTIONARY', 'OBJECT_TSPARSER', 'OBJECT_TSTEMPLATE']);

/**
 * The name, in the object history, of a publication, event trigger, extended statistics object, collation, aggregate,
 * text search object or cast a statement creates, alters or drops, or of an index it comments on (`unmodelled:pub1`,
 * `unmodelled:cast (mood AS int4)`): the history
 * walker does not follow them, and drift keeps them as "other" statements named by the object (its last name part is
 * the key, as in privilegeTargets). Undefined for any other statement.
 */
export function unmodelledTarget(statement: StatementNode): string | undefined {
  switch (statement.kind) {
    case 'DefineStmt': {
      const name = UNMODELLED_DEFINED.has(statement.ast.kind ?? '') ? stringList(statement.ast.defnames).at(-1) : undefined;
      return name ? `unmodelled:${name}` : undefined;
    }
    case 'AlterTSConfigurationStmt':
    case 'AlterTSDictionaryStmt': {
      const name = stringList(statement.kind === 'AlterTSConfigurationStmt' ? statement.ast.cfgname : statement.ast.dictname).at(-1);
      return name ? `unmodelled:${name}` : undefined;
    }
    case 'CommentStmt': {
      // a comment on an index: pg_dump's COMMENT ON INDEX, an "other" item named by the index
      if (statement.ast.objtype !== 'OBJECT_INDEX') return undefined;
      const name = stringList(nodeAs(statement.ast.object, 'List')?.items).at(-1);
      return name ? `unmodelled:${name}` : undefined;
    }
    case 'CreatePublicationStmt':
    case 'AlterPublicationStmt':
      return statement.ast.pubname ? `unmodelled:${statement.ast.pubname}` : undefined;
    case 'CreateEventTrigStmt':
    case 'AlterEventTrigStmt':
      return statement.ast.trigname ? `unmodelled:${statement.ast.trigname}` : undefined;
    case 'CreateStatsStmt':
    case 'AlterStatsStmt': {
      const name = stringList(statement.ast.defnames).at(-1);
      return name ? `unmodelled:${name}` : undefined;
    }
    case 'CreateCastStmt':
      return `unmodelled:${castKey(typeLastName(statement.ast.sourcetype), typeLastName(statement.ast.targettype))}`;
    case 'DropStmt': {
      if (statement.ast.removeType !== 'OBJECT_CAST') return undefined;
      const [source, target] = nodeAs(statement.ast.objects?.[0], 'List')?.items ?? [];
      return `unmodelled:${castKey(typeLastName(nodeAs(source, 'TypeName')), typeLastName(nodeAs(target, 'TypeName')))}`;
    }
    default:
      return undefined;
  }
}

/**
 * A cast's key: `cast (mood AS int4)`, each type by its last name (a migration writes `(mood AS int)`, pg_dump
 * `(public.mood AS integer)`; the parser names both integers pg_catalog.int4).
 */
function castKey(source: string, target: string): string {
  return `cast (${source} AS ${target})`;
}

function typeLastName(type: { names?: Node[] } | undefined): string {
  return stringList(type?.names).at(-1) ?? '';
}

/** The object history key of an "other" drift item (its name as unmodelledTarget keys the statements that made it). */
export function unmodelledKey(itemName: string): string {
  const cast = /^cast \((.+) AS (.+)\)$/.exec(itemName);
  if (cast) return `unmodelled:${castKey(cast[1].split('.').at(-1)!, cast[2].split('.').at(-1)!)}`;
  return `unmodelled:${itemName.split('.').at(-1)}`;
}
