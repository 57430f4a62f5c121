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
 * The name, in the object history, of a publication, event trigger, extended statistics object, collation, aggregate
 * or text search object a statement creates or alters, or of an index it comments on (`unmodelled:pub1`): the history
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
    default:
      return undefined;
  }
}
