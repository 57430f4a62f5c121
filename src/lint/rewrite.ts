import type { AlterTableCmd, Node, RangeVar } from '@pgsql/types';
import { baseTypeName, nodeAs, stringList, typeModifiers, unwrapNode, walk } from '../sql/ast.js';
import { NON_VOLATILE_FUNCTIONS } from './data/non-volatile-functions.js';
import type { SchemaState } from './schema-state.js';

/**
 * What Postgres does to a table's rows for ALTER COLUMN ... TYPE (sql-altertable.html, Notes: "when the old type
 * is binary coercible to the new type ... a table rewrite is not needed"): `none` (catalog only), `rewrite`, or
 * `unknown` when pgdrift cannot tell (the column predates the history, or the answer depends on type modifiers
 * the history does not keep).
 */
export type TypeChangeCost = 'none' | 'rewrite' | 'unknown';

const ALIASES: Record<string, string> = {
  serial: 'int4', serial4: 'int4', int: 'int4', integer: 'int4', bigserial: 'int8', serial8: 'int8', bigint: 'int8',
  smallserial: 'int2', serial2: 'int2', smallint: 'int2', character: 'bpchar', char: 'bpchar', decimal: 'numeric',
};
/** Types whose modifier (length, precision) decides whether a same-type change rewrites. */
const MODIFIED = new Set(['varchar', 'bpchar', 'numeric', 'bit', 'varbit', 'timestamp', 'timestamptz', 'time', 'timetz', 'interval']);
/** Binary-coercible pairs that need no rewrite (pg_cast castmethod 'b' without a length coercion). */
const COERCIBLE = new Set([
  'varchar>text', 'text>varchar', 'cidr>inet', 'bpchar>text', 'bpchar>varchar',
  // contrib/citext: CREATE CAST (citext AS text | varchar) WITHOUT FUNCTION, (text | varchar AS citext) WITHOUT FUNCTION
  'citext>text', 'citext>varchar', 'text>citext', 'varchar>citext',
]);

export function normalType(name: string | undefined): string | undefined {
  return name === undefined ? undefined : (ALIASES[name] ?? name);
}

/**
 * The cost of an ALTER COLUMN ... TYPE command (`command`) on `relation`'s column `column`. A domain the history
 * creates counts as its base type (tablecmds.c ATColumnChangeRequiresRewrite: a domain's value relabels to its base
 * type; a conversion to a domain with CHECK or NOT NULL constraints rewrites, to one without is the conversion to
 * its base type).
 */
export function typeChangeCost(schema: SchemaState, relation: RangeVar, column: string, command: AlterTableCmd): TypeChangeCost {
  const def = nodeAs(command.def, 'ColumnDef');
  if (!def?.raw_default) {
    const viaDomain = domainChangeCost(schema, schema.table(relation)?.columns.get(column)?.type, baseTypeName(def?.typeName), (def?.typeName?.typmods ?? []).length > 0);
    if (viaDomain) return viaDomain;
  }
  const oldType = normalType(schema.table(relation)?.columns.get(column)?.type);
  const newType = normalType(baseTypeName(def?.typeName));
  if (!oldType || !newType) return 'unknown';
  if (def?.raw_default) return 'rewrite'; // USING <expression>
  const newHasModifier = (def?.typeName?.typmods ?? []).length > 0;
  if (oldType === newType) {
    if (!MODIFIED.has(newType)) return 'none';
    const oldModifiers = schema.table(relation)?.columns.get(column)?.modifiers;
    return modifierChangeCost(newType, oldModifiers, newHasModifier ? typeModifiers(def?.typeName) : []);
  }
  if (COERCIBLE.has(`${oldType}>${newType}`) && !(newType === 'varchar' && newHasModifier)) {
    // bpchar -> text/varchar strips the padding (rtrim): a rewrite.
    return oldType === 'bpchar' ? 'rewrite' : 'none';
  }
  return 'rewrite';
}

/**
 * The cost when either side is a domain the history creates (undefined when neither is): a domain changed to its
 * base type, or a base type to an unconstrained domain over it, keeps the rows; a constrained domain as the new type
 * rewrites; a domain whose base type has modifiers, or one an ALTER DOMAIN changed, is `unknown`.
 */
function domainChangeCost(schema: SchemaState, from: string | undefined, to: string | undefined, toModified: boolean): TypeChangeCost | undefined {
  const fromDomain = from !== undefined && schema.domains.has(from);
  const toDomain = to !== undefined && schema.domains.has(to);
  if (!fromDomain && !toDomain) return undefined;
  if (from === to && !toModified) return 'none'; // the same type: no conversion at all
  const base = (name: string | undefined, isDomain: boolean): string | undefined => {
    if (!isDomain) return normalType(name);
    const domain = schema.domains.get(name!);
    return domain && !domain.baseModified ? normalType(domain.domainOf) : undefined;
  };
  if (toDomain && (schema.domains.get(to!)?.constrained ?? true)) return schema.domains.get(to!) ? 'rewrite' : 'unknown';
  const oldBase = base(from, fromDomain);
  const newBase = base(to, toDomain);
  if (!oldBase || !newBase || (toModified && !toDomain) || MODIFIED.has(oldBase) || MODIFIED.has(newBase)) return 'unknown';
  return oldBase === newBase || COERCIBLE.has(`${oldBase}>${newBase}`) ? 'none' : 'rewrite';
}

/** Types whose support function lets a wider (or dropped) limit keep the rows as they are. */
const WIDENABLE = new Set(['varchar', 'varbit', 'numeric', 'timestamp', 'timestamptz', 'time', 'timetz']);

/**
 * The cost of changing only a type's modifiers: `none` when the new limit drops or widens the old one, as the
 * type's support function decides (Postgres varchar_support, varbit_support: new length >= old; numeric_support:
 * same scale and precision >= old; timestamp_support / time_support via TemporalSimplify: precision >= old; each
 * also when the new type has no modifier); `unknown` otherwise (a narrower limit, or an old limit pgdrift does not
 * know). `newModifiers` is [] for no modifier, undefined when one is not an integer.
 */
function modifierChangeCost(type: string, oldModifiers: number[] | undefined, newModifiers: number[] | undefined): TypeChangeCost {
  if (!WIDENABLE.has(type) || newModifiers === undefined) return 'unknown';
  if (newModifiers.length === 0) return 'none';
  if (!oldModifiers) return 'unknown';
  if (type === 'numeric') {
    const [oldPrecision, oldScale = 0] = oldModifiers;
    const [newPrecision, newScale = 0] = newModifiers;
    return newScale === oldScale && newPrecision >= oldPrecision ? 'none' : 'unknown';
  }
  return newModifiers[0] >= oldModifiers[0] ? 'none' : 'unknown';
}

let nonVolatile: Set<string> | undefined;

/**
 * False when the expression may be VOLATILE: then ADD COLUMN ... DEFAULT evaluates it per row and rewrites the
 * table (Postgres 11+ stores a non-volatile default once). A function pgdrift does not know as a non-volatile
 * built-in counts as volatile: user functions are VOLATILE unless declared otherwise.
 */
export function isNonVolatile(expr: Node | undefined): boolean {
  if (!expr || typeof expr !== 'object') return true;
  const { kind, ast: node } = unwrapNode(expr);
  switch (kind) {
    case 'A_Const':
    case 'SQLValueFunction': // CURRENT_TIMESTAMP, CURRENT_USER ...: stable
      return true;
    case 'TypeCast':
    case 'CollateClause':
    case 'NullTest':
      return isNonVolatile(node.arg);
    case 'A_Expr':
      return isNonVolatile(node.lexpr) && isNonVolatile(node.rexpr);
    case 'BoolExpr':
    case 'CoalesceExpr':
    case 'MinMaxExpr':
      return (node.args ?? []).every((arg) => isNonVolatile(arg));
    case 'A_ArrayExpr':
      return (node.elements ?? []).every((element) => isNonVolatile(element));
    case 'FuncCall': {
      const names = stringList(node.funcname);
      const name = names[names.length - 1];
      const qualifiedElsewhere = names.length > 1 && names[0] !== 'pg_catalog';
      nonVolatile ??= new Set(NON_VOLATILE_FUNCTIONS.split(' '));
      return !qualifiedElsewhere && name !== undefined && nonVolatile.has(name) && (node.args ?? []).every((arg) => isNonVolatile(arg));
    }
    default:
      return false;
  }
}

/** A readable name for the first volatile call in an expression, for messages. */
export function volatileCall(expr: Node | undefined): string | undefined {
  let found: string | undefined;
  walk(expr, (object) => {
    const call = nodeAs(object, 'FuncCall');
    if (!found && call && !isNonVolatile(object as Node)) found = `${stringList(call.funcname).join('.')}()`;
  });
  return found;
}
