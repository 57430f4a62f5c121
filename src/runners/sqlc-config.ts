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
  const file = ['sqlc.yaml', 'sqlc.yml', 'sqlc.json'].find((name) => {
    try {
      readFileSync(path.join(root, name));
      return true;
    } catch {
      return false;
    }
  });
  if (!file) return undefined;
  let config: unknown;
  try {
    config = parseYaml(readFileSync(path.join(root, file), 'utf8')); // JSON is YAML too
  } catch {
    return undefined; // sqlc refuses it as well: no evidence either way
  }
  const entries = config && typeof config === 'object' ? [(config as Record<string, unknown>).sql, (config as Record<string, unknown>).packages].flatMap((list) => (Array.isArray(list) ? list : [])) : [];
  const folders = new Set<string>();
  for (const entry of entries) {
    if (!entry || typeof entry !== 'object') continue;
    const { engine, schema } = entry as { engine?: unknown; schema?: unknown };
    if (engine !== 'postgresql') continue;
    for (const value of Array.isArray(schema) ? schema : [schema]) {
      if (typeof value !== 'string') continue;
      const absolute = path.resolve(root, value);
      const relative = path.relative(root, absolute);
      if (relative.startsWith('..') || path.isAbsolute(relative) || !isDirectory(absolute)) continue;
      folders.add(relative.split(path.sep).join('/') || '.');
    }
  }
  if (folders.size > 1) {
    throw new InputError(`no migrations folder at the root of ${root}, and ${file} names several schema folders: ${[...folders].join(', ')}`, {
      hint: 'name the one to check: --migrations <folder>, or "migrations" in pgdrift.config.json',
    });
  }
  const [folder] = folders;
  return folder === undefined ? undefined : { file, folder };
}
