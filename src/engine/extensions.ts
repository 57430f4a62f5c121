import { stringList, walk } from '../sql/ast.js';
import { doBlockContents, dynamicStatements } from '../sql/do-block.js';
import type { ParsedStatement } from '../sql/parse.js';
import { BUILTIN_EXTENSIONS, EMBEDDED_BUILDS, EMBEDDED_MAJORS, type EmbeddedMajor } from './pglite-builds.js';

export { BUILTIN_EXTENSIONS };

/**
 * Extension names requested by CREATE EXTENSION statements, and by those in a DO block's body (field:
 * AppFlowy-IO/AppFlowy-Cloud migrations/20240614171931_collab_embeddings.sql creates vector in a DO block whose
 * `EXCEPTION WHEN OTHERS` only raises a notice: with the extension not loaded, the embedded engine skipped the whole
 * block, and a later migration failed on type "vector", which PGlite ships). From a DO block, only an extension
 * an embedded build ships is taken: the block may well expect the others to be missing.
 */
export function requestedExtensions(statements: Iterable<ParsedStatement>): string[] {
  const names = new Set<string>();
  for (const statement of statements) {
    if (statement.kind === 'CreateExtensionStmt' && typeof statement.ast.extname === 'string') names.add(statement.ast.extname);
    // only what an embedded build ships: one no engine has is left to the block (its EXCEPTION clause decides), as before
    else if (statement.kind === 'DoStmt') for (const name of extensionsInDoBlock(statement.ast)) if (embeddedShips(name)) names.add(name);
  }
  return [...names].sort();
}

function embeddedShips(name: string): boolean {
  return BUILTIN_EXTENSIONS.has(name) || majorsShipping([name]).length > 0;
}

/**
 * `CREATE EXTENSION` in a DO block (do-block.ts reads it with the PL/pgSQL parser): a statement of the body, or the
 * string of an EXECUTE when it is one literal.
 */
function extensionsInDoBlock(ast: unknown): string[] {
  const contents = doBlockContents(ast);
  if (!contents) return [];
  const statements = [...contents.statements, ...contents.dynamic.flatMap((sql) => (sql === undefined ? [] : dynamicStatements(sql)))];
  return statements.flatMap((statement) => (statement?.kind === 'CreateExtensionStmt' && typeof statement.ast.extname === 'string' ? [statement.ast.extname] : []));
}

/**
 * Whether the statements need a Postgres built with ICU: a collation with `provider = icu` (CREATE COLLATION,
 * CREATE DATABASE ... LOCALE_PROVIDER icu), or one of the predefined ICU collations (`"und-x-icu"`) named in a
 * COLLATE clause or copied by CREATE COLLATION ... FROM. The embedded 16 and 17 fail such a statement with 0A000
 * "ICU is not supported in this build" where every packaged Postgres runs it.
 */
export function usesIcu(statements: Iterable<ParsedStatement>): boolean {
  const icuCollation = (names: unknown) => Array.isArray(names) && /-x-icu$/i.test(stringList(names).at(-1) ?? '');
  for (const statement of statements) {
    if (!/icu/i.test(statement.text)) continue; // every way of asking for ICU spells it; most statements are skipped here
    let found = false;
    walk(statement.ast, (object) => {
      if (found) return;
      if (icuCollation(object.collname)) found = true;
      else if (object.defname === 'provider' || object.defname === 'locale_provider') {
        const arg = object.arg as { String?: { sval?: string }; TypeName?: { names?: unknown[] } } | undefined;
        const value = arg?.String?.sval ?? stringList(arg?.TypeName?.names as never).at(-1);
        found = value?.toLowerCase() === 'icu';
      } else if (object.defname === 'from') found = icuCollation((object.arg as { List?: { items?: unknown } } | undefined)?.List?.items);
    });
    if (found) return true;
  }
  return false;
}

/**
 * Whether a statement builds or drops an index CONCURRENTLY (what the embedded Postgres 17 cannot run:
 * EmbeddedBuild.concurrentIndex).
 */
export function usesConcurrentIndex(statements: Iterable<ParsedStatement>): boolean {
  for (const statement of statements) {
    if (statement.kind === 'IndexStmt' && statement.ast.concurrent === true) return true;
    if (statement.kind === 'DropStmt' && statement.ast.concurrent === true) return true;
  }
  return false;
}

/**
 * Whether a statement sets search_path back to the session's reset value: RESET ALL, RESET search_path, SET [LOCAL]
 * search_path TO DEFAULT, DISCARD ALL (what the embedded 16 and 17 get wrong: EmbeddedBuild.searchPathReset).
 */
export function resetsSearchPath(statements: Iterable<ParsedStatement>): boolean {
  for (const statement of statements) {
    if (statement.kind === 'DiscardStmt' && statement.ast.target === 'DISCARD_ALL') return true;
    if (statement.kind !== 'VariableSetStmt') continue;
    const { kind, name } = statement.ast as { kind?: string; name?: string };
    if (kind === 'VAR_RESET_ALL') return true;
    if ((kind === 'VAR_RESET' || kind === 'VAR_SET_DEFAULT') && name?.toLowerCase() === 'search_path') return true;
  }
  return false;
}

/**
 * Whether a statement adds a column with a DEFAULT whose type is a domain with a CHECK the history creates (what the
 * embedded 16 checks on an empty table where a server does not: EmbeddedBuild.domainDefaultOnEmptyTable). Domains are
 * matched by their last name (over-matching only moves the replay to another major).
 */
export function addsDomainColumnWithDefault(statements: Iterable<ParsedStatement>): boolean {
  const list = [...statements];
  type Node = Record<string, any>;
  const lastName = (names: Node[] | undefined) => String(names?.[names.length - 1]?.String?.sval ?? '').toLowerCase();
  const checked = new Set<string>();
  for (const statement of list) {
    if (statement.kind !== 'CreateDomainStmt') continue;
    const ast = statement.ast as Node;
    if ((ast.constraints ?? []).some((c: Node) => c.Constraint?.contype === 'CONSTR_CHECK')) checked.add(lastName(ast.domainname));
  }
  if (checked.size === 0) return false;
  return list.some(
    (statement) =>
      statement.kind === 'AlterTableStmt' &&
      ((statement.ast as Node).cmds ?? []).some((cmd: Node) => {
        const def = cmd.AlterTableCmd?.subtype === 'AT_AddColumn' ? cmd.AlterTableCmd.def?.ColumnDef : undefined;
        return def !== undefined && checked.has(lastName(def.typeName?.names)) && (def.constraints ?? []).some((c: Node) => c.Constraint?.contype === 'CONSTR_DEFAULT');
      }),
  );
}

/** Contrib extensions the default embedded major (PGlite 0.5.8, Postgres 18) ships, SQL name → module name. */
export const PGLITE_CONTRIB: Record<string, string> = Object.fromEntries(
  Object.entries(EMBEDDED_BUILDS[18].extensions).map(([name, module]) => [name, module.exportName]),
);

/** The other embedded majors that ship every one of `names` (for "use --pg 17" hints). */
export function majorsShipping(names: string[], except?: EmbeddedMajor): EmbeddedMajor[] {
  return EMBEDDED_MAJORS.filter((major) => major !== except && names.every((name) => name in EMBEDDED_BUILDS[major].extensions));
}
