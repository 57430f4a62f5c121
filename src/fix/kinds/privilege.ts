import { qualifiedRelation, relationKey, stringList } from '../../sql/ast.js';
import type { FixContext } from '../context.js';
import { editStatement, qualifiedName, quoteIdent, statementAst } from '../sql.js';
import { Phase } from '../types.js';

/**
 * GRANT / REVOKE (only present when the models were built with privileges): a statement only in the target is
 * run, one only in the source is run inverted (GRANT ↔ REVOKE), and the target's grants on views and functions
 * that the script drops and creates again are given back.
 */
export function privilegeSteps(ctx: FixContext): void {
  const before = new Set(ctx.from.privileges.map((p) => p.statement));
  const after = new Set(ctx.to.privileges.map((p) => p.statement));
  const recreated = new Set<string>([...ctx.droppedViews].filter((v) => ctx.toViews.has(v)));
  for (const key of ctx.recreatedFunctions) recreated.add(key.slice(0, key.indexOf('(')));
  for (const statement of before) {
    if (after.has(statement)) continue;
    const objects = grantObjects(statement);
    if (objects.some((o) => gone(ctx, o))) continue; // dropped with its object
    ctx.add({ phase: Phase.privilege, target: statement, sql: editStatement(statement, (ast) => (ast.is_grant = !ast.is_grant)) });
  }
  for (const statement of after) {
    const regrant = grantObjects(statement).some((o) => recreated.has(o));
    if (before.has(statement) && !regrant) continue;
    ctx.add({ phase: Phase.privilege, target: statement, sql: `${statement};` });
  }
}

/** Statements the model does not understand: copied when only the target has them, left to the user otherwise. */
export function otherSteps(ctx: FixContext): void {
  const before = new Set(ctx.from.others.map((o) => o.text));
  const after = new Set(ctx.to.others.map((o) => o.text));
  for (const other of ctx.from.others) {
    if (after.has(other.text)) continue;
    const inverse = inverseOf(other.text);
    if (inverse) {
      ctx.add({ phase: Phase.dropSchema - 1, target: other.name, sql: inverse });
      continue;
    }
    ctx.add({
      phase: Phase.dropSchema - 1,
      target: other.name,
      sql: `-- ${other.text.replace(/\n/g, '\n-- ')};`,
      unsafe: `pgdrift cannot write the inverse of this ${other.statementKind}: undo it by hand`,
    });
  }
  for (const other of ctx.to.others) {
    if (!before.has(other.text)) ctx.add({ phase: Phase.privilege - 1, target: other.name, sql: `${other.text};` });
  }
}

/**
 * The statement that undoes one kept as text, where it is exact: a rule is dropped (one that changed is created again
 * from the target), a column's statistics target goes back to the default (-1). Else undefined: left to the user.
 */
function inverseOf(statement: string): string | undefined {
  try {
    const { kind, ast } = statementAst(statement);
    if (kind === 'RuleStmt' && ast.relation && ast.rulename) return `DROP RULE ${quoteIdent(ast.rulename)} ON ${quotedRelation(ast.relation)};`;
    const [command] = kind === 'AlterTableStmt' && ast.cmds?.length === 1 ? ast.cmds.map((c: any) => c.AlterTableCmd) : [];
    if (command?.subtype === 'AT_SetStatistics' && command.name && ast.relation) {
      return `ALTER TABLE ONLY ${quotedRelation(ast.relation)} ALTER COLUMN ${quoteIdent(command.name)} SET STATISTICS -1;`;
    }
  } catch {
    // not parseable on its own: left to the user
  }
  return undefined;
}

function quotedRelation(relation: { schemaname?: string; relname?: string }): string {
  const { schema, name } = qualifiedRelation(relation);
  return qualifiedName(schema, name);
}

/** The objects a GRANT/REVOKE names, as `schema.name` (functions without arguments, schemas by name). */
function grantObjects(statement: string): string[] {
  try {
    const { ast } = statementAst(statement);
    return (ast.objects ?? []).map((o: any) => {
      if (o.RangeVar) return relationKey(o.RangeVar);
      if (o.ObjectWithArgs) return stringList(o.ObjectWithArgs.objname).join('.');
      if (o.String) return o.String.sval;
      return '';
    });
  } catch {
    return [];
  }
}

function gone(ctx: FixContext, object: string): boolean {
  if (ctx.isTableDropped(object)) return true;
  if (ctx.fromViews.has(object) && !ctx.toViews.has(object)) return true;
  if (ctx.from.schemas.some((s) => s.name === object) && !ctx.to.schemas.some((s) => s.name === object)) return true;
  if (ctx.from.sequences.some((s) => `${s.schema}.${s.name}` === object) && !ctx.to.sequences.some((s) => `${s.schema}.${s.name}` === object)) return true;
  return ctx.droppedFunctionNames.has(object);
}
