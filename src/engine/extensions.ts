import type { ParsedStatement } from '../sql/parse.js';

/** Extension names requested by CREATE EXTENSION statements. */
export function requestedExtensions(statements: Iterable<ParsedStatement>): string[] {
  const names = new Set<string>();
  for (const statement of statements) {
    if (statement.kind === 'CreateExtensionStmt' && typeof statement.ast.extname === 'string') names.add(statement.ast.extname);
  }
  return [...names].sort();
}

/**
 * Contrib extensions PGlite 0.5.8 ships, by SQL name → module name under `@electric-sql/pglite/contrib/`.
 * plpgsql is built in.
 */
export const PGLITE_CONTRIB: Record<string, string> = {
  amcheck: 'amcheck',
  auto_explain: 'auto_explain',
  bloom: 'bloom',
  btree_gin: 'btree_gin',
  btree_gist: 'btree_gist',
  citext: 'citext',
  cube: 'cube',
  dict_int: 'dict_int',
  dict_xsyn: 'dict_xsyn',
  earthdistance: 'earthdistance',
  file_fdw: 'file_fdw',
  fuzzystrmatch: 'fuzzystrmatch',
  hstore: 'hstore',
  intarray: 'intarray',
  isn: 'isn',
  lo: 'lo',
  ltree: 'ltree',
  moddatetime: 'moddatetime',
  pageinspect: 'pageinspect',
  pg_buffercache: 'pg_buffercache',
  pg_stat_statements: 'pg_stat_statements',
  pg_surgery: 'pg_surgery',
  pg_trgm: 'pg_trgm',
  pg_visibility: 'pg_visibility',
  pg_walinspect: 'pg_walinspect',
  pgcrypto: 'pgcrypto',
  seg: 'seg',
  tablefunc: 'tablefunc',
  tcn: 'tcn',
  tsm_system_rows: 'tsm_system_rows',
  tsm_system_time: 'tsm_system_time',
  unaccent: 'unaccent',
  'uuid-ossp': 'uuid_ossp',
};

export const BUILTIN_EXTENSIONS = new Set(['plpgsql']);
