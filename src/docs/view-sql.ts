import { parseSync } from 'libpg-query';
import { Deparser } from 'pgsql-deparser';
import type { SchemaModel, ViewObject } from '../model/types.js';
import { formatTypeName } from '../model/normalize.js';
import { stringList } from '../sql/ast.js';

/** One output column of a view: its name and, when the query says it, its type. */
export interface ViewColumn {
  name: string;
  /** canonical type as in a table's Columns table; '' when the query does not determine it without a database */
  type: string;
}

/**
 * A view's query printed over several lines by pgsql-deparser's pretty mode, for people to read. The printed text is
 * parsed again and must give the same tree as the original (locations aside); otherwise, or when the deparser fails,
 * the original one-line query is returned: a docs page must never show a query that means something else.
 */
export function formatViewQuery(query: string): string {
  try {
    const original = parseSync(query);
    const statement = original.stmts?.length === 1 ? original.stmts[0].stmt : undefined;
    if (!statement) return query;
    const pretty = Deparser.deparse(statement, { pretty: true }).trim();
    return sameTree(parseSync(pretty), original) ? pretty : query;
  } catch {
    return query;
  }
}

function sameTree(a: unknown, b: unknown): boolean {
  const strip = (value: unknown) => JSON.stringify(value, (key, v) => (key === 'location' || key === 'stmt_len' || key === 'stmt_location' ? undefined : v));
  return strip(a) === strip(b);
}

type Relation = { alias: string; columns: ViewColumn[] | undefined };

/**
 * A view's output columns, read from its query against the model (pg_dump prints no column list for a view). Names
 * are exact; a type is known for a column taken from a table or another view, a cast, a literal and `count(...)`;
 * other expressions get '' rather than a guess.
 */
export function viewColumns(view: ViewObject, model: SchemaModel): ViewColumn[] {
  return new ViewColumnReader(model).columnsOf(`${view.schema}.${view.name}`, view.query) ?? [];
}

class ViewColumnReader {
  private readonly relations = new Map<string, ViewColumn[]>();
  private readonly views = new Map<string, string>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly model: SchemaModel) {
    for (const table of model.tables) {
      this.relations.set(`${table.schema}.${table.name}`, [...table.columns].sort((a, b) => a.position - b.position).map((c) => ({ name: c.name, type: c.type })));
    }
    for (const view of [...model.views, ...model.materializedViews]) this.views.set(`${view.schema}.${view.name}`, view.query);
  }

  columnsOf(id: string, query: string): ViewColumn[] | undefined {
    if (this.relations.has(id)) return this.relations.get(id);
    if (this.inProgress.has(id)) return undefined;
    this.inProgress.add(id);
    try {
      const statement = parseSync(query).stmts?.[0]?.stmt as any;
      const columns = statement?.SelectStmt ? this.selectColumns(statement.SelectStmt) : undefined;
      if (columns) this.relations.set(id, columns);
      return columns;
    } catch {
      return undefined;
    } finally {
      this.inProgress.delete(id);
    }
  }

  private relation(schema: string, name: string): ViewColumn[] | undefined {
    const id = `${schema}.${name}`;
    const query = this.views.get(id);
    return query !== undefined ? this.columnsOf(id, query) : this.relations.get(id);
  }

  /** A UNION/INTERSECT/EXCEPT takes its column names and types from its first branch. */
  private selectColumns(select: any): ViewColumn[] | undefined {
    if (select.op && select.op !== 'SETOP_NONE') return select.larg ? this.selectColumns(select.larg) : undefined;
    if (select.valuesLists) return undefined;
    const scope: Relation[] = [];
    for (const item of select.fromClause ?? []) this.collectFrom(item, scope);
    return (select.targetList ?? []).map((target: any) => {
      const res = target.ResTarget ?? {};
      const val = res.val ?? {};
      return { name: res.name ?? implicitName(val), type: this.typeOf(val, scope) };
    });
  }

  private collectFrom(item: any, scope: Relation[]): void {
    if (item.RangeVar) {
      const rv = item.RangeVar;
      scope.push({ alias: rv.alias?.aliasname ?? rv.relname, columns: this.relation(rv.schemaname ?? 'public', rv.relname) });
    } else if (item.JoinExpr) {
      this.collectFrom(item.JoinExpr.larg, scope);
      this.collectFrom(item.JoinExpr.rarg, scope);
    } else if (item.RangeSubselect?.alias) {
      const select = item.RangeSubselect.subquery?.SelectStmt;
      scope.push({ alias: item.RangeSubselect.alias.aliasname, columns: select ? this.selectColumns(select) : undefined });
    }
  }

  private typeOf(node: any, scope: Relation[]): string {
    if (node.ColumnRef) {
      const fields = stringList(node.ColumnRef.fields);
      const column = fields[fields.length - 1];
      const candidates = fields.length >= 2 ? scope.filter((r) => r.alias === fields[fields.length - 2]) : scope;
      const types = candidates.flatMap((r) => (r.columns ?? []).filter((c) => c.name === column).map((c) => c.type));
      return types.length === 1 ? types[0] : '';
    }
    if (node.TypeCast) return formatTypeName(node.TypeCast.typeName);
    if (node.A_Const) {
      const value = node.A_Const;
      if (value.ival !== undefined) return 'integer';
      if (value.fval !== undefined) return 'numeric';
      if (value.boolval !== undefined) return 'boolean';
      if (value.sval !== undefined) return 'text';
      return '';
    }
    if (node.FuncCall) {
      const name = stringList(node.FuncCall.funcname);
      if (name.length === 1 && Object.hasOwn(AGGREGATE_RESULT, name[0])) {
        const args = (node.FuncCall.args ?? []).map((arg: any) => this.typeOf(arg, scope));
        return node.FuncCall.agg_star ? 'bigint' : AGGREGATE_RESULT[name[0]](args[0] ?? '');
      }
      const schema = name.length > 1 ? name[0] : 'public';
      const overloads = this.model.functions.filter((f) => f.schema === schema && f.name === name[name.length - 1]);
      return overloads.length === 1 && overloads[0].returns && !/^(SETOF |TABLE\()/.test(overloads[0].returns) ? overloads[0].returns : '';
    }
    if (node.CoalesceExpr) {
      const types = new Set((node.CoalesceExpr.args ?? []).map((arg: any) => this.typeOf(arg, scope)).filter(Boolean));
      return types.size === 1 ? [...types][0] as string : '';
    }
    return '';
  }
}

const SUM_RESULT: Record<string, string> = { smallint: 'bigint', integer: 'bigint', bigint: 'numeric', numeric: 'numeric', real: 'real', 'double precision': 'double precision', interval: 'interval', money: 'money' };
const AVG_RESULT: Record<string, string> = { smallint: 'numeric', integer: 'numeric', bigint: 'numeric', numeric: 'numeric', real: 'double precision', 'double precision': 'double precision', interval: 'interval' };

/** Result types of the common aggregates by argument type (Postgres docs, "Aggregate Functions" table). */
const AGGREGATE_RESULT: Record<string, (argument: string) => string> = {
  count: () => 'bigint',
  sum: (argument) => SUM_RESULT[argument.replace(/\(.*\)$/, '')] ?? '',
  avg: (argument) => AVG_RESULT[argument.replace(/\(.*\)$/, '')] ?? '',
  min: (argument) => argument,
  max: (argument) => argument,
};

/** The column name Postgres gives an expression without `AS` (FigureColname in parse_target.c, the common cases). */
function implicitName(node: any): string {
  if (node.ColumnRef) {
    const fields = stringList(node.ColumnRef.fields);
    return fields[fields.length - 1] ?? '?column?';
  }
  if (node.FuncCall) {
    const name = stringList(node.FuncCall.funcname);
    return name[name.length - 1] ?? '?column?';
  }
  if (node.TypeCast) {
    const inner = implicitName(node.TypeCast.arg ?? {});
    return inner !== '?column?' ? inner : (stringList(node.TypeCast.typeName?.names).pop() ?? '?column?');
  }
  if (node.CoalesceExpr) return 'coalesce';
  if (node.CaseExpr) return 'case';
  return '?column?';
}
