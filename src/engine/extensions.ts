import type { ParsedStatement } from '../sql/parse.js';
import { BUILTIN_EXTENSIONS, EMBEDDED_BUILDS, EMBEDDED_MAJORS, type EmbeddedMajor } from './pglite-builds.js';

export { BUILTIN_EXTENSIONS };

/** Extension names requested by CREATE EXTENSION statements. */
export function requestedExtensions(statements: Iterable<ParsedStatement>): string[] {
  const names = new Set<string>();
  for (const statement of statements) {
    if (statement.kind === 'CreateExtensionStmt' && typeof statement.ast.extname === 'string') names.add(statement.ast.extname);
  }
  return [...names].sort();
}

/** Contrib extensions the default embedded major (PGlite 0.5.8, Postgres 18) ships, SQL name → module name. */
export const PGLITE_CONTRIB: Record<string, string> = Object.fromEntries(
  Object.entries(EMBEDDED_BUILDS[18].extensions).map(([name, module]) => [name, module.exportName]),
);

/** The other embedded majors that ship every one of `names` (for "use --pg 17" hints). */
export function majorsShipping(names: string[], except?: EmbeddedMajor): EmbeddedMajor[] {
  return EMBEDDED_MAJORS.filter((major) => major !== except && names.every((name) => name in EMBEDDED_BUILDS[major].extensions));
}
