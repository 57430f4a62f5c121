import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../errors.js';
import { isDirectory } from './types.js';

/**
 * The migrations folder an sqlc project names in its config: sqlc reads the schema from the migrations of goose,
 * golang-migrate, dbmate and others (https://docs.sqlc.dev/en/latest/howto/ddl.html), so `schema: sql/schema` in
 * sqlc.yaml is where the project keeps them, while the runner itself is told only on a command line (`goose -dir
 * sql/schema` in a Makefile, which pgdrift does not read). sqlc is configured by sqlc.yaml, sqlc.yml or sqlc.json in
 * the folder it runs in (docs/reference/config.md); version 2 lists `sql[].schema`, version 1 `packages[].schema`:
 * "Directory of SQL migrations or path to single SQL file; or a list of paths", relative to the config. Only folders of PostgreSQL entries
 * count; a schema file (schema.sql) is no history. Undefined when no config names one folder; several are an error
 * naming them.
 */
export function sqlcSchemaFolder(root: string): { file: string; folder: string } | undefined {
  const config = readSqlcConfig(root);
  if (!config) return undefined;
  const { file } = config;
  const folders = new Set<string>();
  for (const { engine, folder, named } of config.schemas) if (engine === 'postgresql' && named) folders.add(folder);
  if (folders.size > 1) {
    throw new InputError(`no migrations folder at the root of ${root}, and ${file} names several schema folders: ${[...folders].join(', ')}`, {
      hint: 'name the one to check: --migrations <folder>, or "migrations" in pgdrift.config.json',
    });
  }
  const [folder] = folders;
  return folder === undefined ? undefined : { file, folder };
}

/**
 * The engine the sqlc config gives the migrations folder when it is not PostgreSQL (`engine: sqlite` with `schema:
 * db/migrations/*.sql`): SQL written for that database, which no Postgres replay can judge (field:
 * KompocikDot/cadeau, a dbmate SQLite history: three syntax errors at AUTOINCREMENT). Undefined when no config
 * names the folder, or names it for postgresql too.
 */
export function sqlcOtherEngine(root: string, migrationsDir: string): { file: string; engine: string } | undefined {
  const config = readSqlcConfig(root);
  if (!config) return undefined;
  const folder = path.relative(root, migrationsDir).split(path.sep).join('/') || '.';
  const engines = new Set(config.schemas.filter((schema) => schema.folder === folder).map((schema) => schema.engine));
  if (engines.size === 0 || engines.has('postgresql')) return undefined;
  return { file: config.file, engine: [...engines].join(', ') };
}

/**
 * The project's sqlc config and the folders its schemas name, with their engine: a folder, or the folder of a glob or
 * a file inside it (`db/migrations/*.sql`), relative to the root; none outside it.
 */
function readSqlcConfig(root: string): { file: string; schemas: { engine: string; folder: string; named: boolean }[] } | undefined {
  let file: string | undefined;
  let text = '';
  for (const name of ['sqlc.yaml', 'sqlc.yml', 'sqlc.json']) {
    try {
      text = readFileSync(path.join(root, name), 'utf8');
      file = name;
      break;
    } catch {
      // not this one
    }
  }
  if (!file) return undefined;
  let config: unknown;
  try {
    config = parseYaml(text); // JSON is YAML too
  } catch {
    return undefined; // sqlc refuses it as well: no evidence either way
  }
  const entries = config && typeof config === 'object' ? [(config as Record<string, unknown>).sql, (config as Record<string, unknown>).packages].flatMap((list) => (Array.isArray(list) ? list : [])) : [];
  // named: the schema is the folder itself (not a file or glob in it)
  const schemas: { engine: string; folder: string; named: boolean }[] = [];
  for (const entry of entries) {
    if (!entry || typeof entry !== 'object') continue;
    const { engine, schema } = entry as { engine?: unknown; schema?: unknown };
    if (typeof engine !== 'string') continue;
    for (const value of Array.isArray(schema) ? schema : [schema]) {
      if (typeof value !== 'string') continue;
      const named = isDirectory(path.resolve(root, value));
      const absolute = named ? path.resolve(root, value) : path.dirname(path.resolve(root, value)); // a glob or a file: its folder
      const relative = path.relative(root, absolute);
      if (relative.startsWith('..') || path.isAbsolute(relative) || !isDirectory(absolute)) continue;
      schemas.push({ engine, folder: relative.split(path.sep).join('/') || '.', named });
    }
  }
  return { file, schemas };
}
