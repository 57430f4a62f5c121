import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { isTomlTable, tryParseToml } from '../util/toml.js';
import { isPgDumpFile } from '../util/pg-dump-file.js';
import { resolveInsideProject } from '../util/project-paths.js';
import { byCodeUnits } from './types.js';

/**
 * A snapshot made of several hand-written schema files, loaded in order into one throwaway database: Supabase's
 * declarative schemas (supabase/schemas/*.sql, from which `supabase db diff -f` writes migrations), or a list or folder
 * the config's "snapshot" names.
 */
export interface SchemaFileSet {
  /** how reports name the set: the folder, or the patterns */
  label: string;
  /** what named the set (a config key, supabase/config.toml's schema_paths, the CLI's default folder) */
  origin: string;
  /** the files, relative to the project root with `/`, in the order they are loaded */
  files: string[];
  /** patterns of the list that matched no file */
  unmatched: string[];
  /** the Supabase CLI's own declared schemas (found, not configured in pgdrift) */
  supabaseCli?: boolean;
  /**
   * why a pattern was not read (it leaves the project folder): thrown when the snapshot is loaded, so that a command
   * that does not read the snapshot (lint, dump) is not refused for it
   */
  refused?: Error;
}

const toPosix = (file: string) => file.split(path.sep).join('/');

/**
 * The declarative schema files the Supabase CLI applies for `supabase db diff` (supabase/cli@1d1e719
 * apps/cli-go/internal/db/diff/diff.go `loadDeclaredSchemas`): `[db.migrations] schema_paths` of supabase/config.toml
 * when it lists any (pkg/config/config.go: each relative to the supabase folder; `Glob.Files`: each pattern's matches
 * sorted, in the patterns' order, a file matched twice taken once), else every regular `.sql` file below
 * supabase/schemas (afero.Walk, sorted by path). `diff.go` `migrateBaseDatabase` → pkg/migration/seed.go
 * `SeedGlobals` runs them in that order, each as one batch, on a database made from the platform's initial schema
 * and roles.sql, before any migration (`MigrateShadowDatabase` copies it as `contrib_regression` first).
 * Undefined when neither names a file.
 */
export function declaredSchemaFiles(root: string, supabaseDir: string, allowOutside = false): SchemaFileSet | undefined {
  const supabase = toPosix(path.relative(root, supabaseDir)) || '.';
  const paths = schemaPathsSetting(path.join(supabaseDir, 'config.toml'));
  if (paths && paths.length > 0) {
    const set = schemaFilesFromPatterns(root, paths.map((pattern) => (path.posix.isAbsolute(pattern) ? pattern : path.posix.join(supabase, pattern))), `${supabase}/config.toml [db.migrations] schema_paths`, allowOutside);
    return set.files.length > 0 || set.refused ? { ...set, supabaseCli: true } : undefined;
  }
  const folder = path.posix.join(supabase, 'schemas');
  if (!isDirectory(path.join(root, folder))) return undefined;
  const set = schemaFilesInFolder(root, folder, `${folder}/ (every .sql file below it, sorted by path)`);
  return set.files.length > 0 ? { ...set, supabaseCli: true } : undefined;
}

/**
 * The `[db]` table of a supabase/config.toml, read with the TOML library (util/toml.ts): undefined without the file,
 * or for a config the CLI could not read either. Shared by schema_paths here and the `[db] major_version` the
 * embedded engine's major follows (pipeline/replay-project.ts).
 */
export function supabaseConfigDb(file: string): Record<string, unknown> | undefined {
  return supabaseConfigTable(file, 'db');
}

/** A top-level table of a supabase/config.toml (`[db]`, `[api]`): undefined without the file, the table, or for a config the CLI could not read. */
export function supabaseConfigTable(file: string, name: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const table = tryParseToml(text)?.[name];
  return isTomlTable(table) ? table : undefined;
}

/** `[db.migrations] schema_paths` of a supabase/config.toml: undefined without the file or the key. */
function schemaPathsSetting(file: string): string[] | undefined {
  const db = supabaseConfigDb(file);
  const migrations = db?.migrations;
  const paths = isTomlTable(migrations) ? migrations.schema_paths : undefined;
  return Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string' && p.length > 0) : undefined;
}

/**
 * The files the patterns match, as the CLI's `Glob.Files` (pkg/config/config.go) lists them: pattern by pattern, each
 * one's matches sorted, a file matched by an earlier pattern left where it first came. Go's `fs.Glob` knows no `**`
 * (two stars match as one: within one folder level) and `*` matches names starting with a dot: so here too. Only
 * regular files count (a matched folder is no schema file). Patterns are relative to the project root.
 */
export function schemaFilesFromPatterns(root: string, patterns: readonly string[], origin: string, allowOutside = false): SchemaFileSet {
  const files: string[] = [];
  const unmatched: string[] = [];
  let refused: Error | undefined;
  for (const pattern of patterns) {
    const goPattern = path.posix.normalize(pattern.replace(/\*{2,}/g, '*'));
    try {
      resolveInsideProject(root, goPattern.split(/[*?[]/)[0] || '.', `${origin} (${pattern})`, allowOutside);
    } catch (error) {
      refused ??= error as Error;
      continue;
    }
    const matches = globSync(goPattern, { cwd: root, onlyFiles: true, dot: true, expandDirectories: false, braceExpansion: false, followSymbolicLinks: false }).map(toPosix).sort(byCodeUnits);
    if (matches.length === 0) unmatched.push(pattern);
    for (const match of matches) if (!files.includes(match)) files.push(match);
  }
  // a long list is named by where it is written (a schema_paths of 201 paths made every "drift against" line a wall)
  const label = patterns.length <= 3 ? patterns.join(', ') : `${origin} (${patterns.length} patterns)`;
  return { label, origin, files, unmatched, ...(refused ? { refused } : {}) };
}

/** Every regular `.sql` file below the folder (relative to the root), sorted by path: the CLI's walk of supabase/schemas. */
export function schemaFilesInFolder(root: string, folder: string, origin: string): SchemaFileSet {
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = path.posix.join(relative, entry.name);
      // afero.Walk lstat()s: a symbolic link is neither walked into nor a regular file
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && path.posix.extname(entry.name) === '.sql') files.push(child);
    }
  };
  walk(folder);
  return { label: `${folder.replace(/\/$/, '')}/`, origin, files: files.sort(byCodeUnits), unmatched: [] };
}

/**
 * The set is one file pg_dump wrote: `supabase db dump > supabase/schemas/prod.sql`, as the declarative-schema guide
 * has a project start from its remote schema. That is a snapshot of a database (compared as pg_dump's text, named by
 * init and the no-snapshot hint), not schema files to load. Several files are loaded whatever they hold, as the CLI
 * loads them.
 */
export function isOneDump(root: string, set: SchemaFileSet): boolean {
  return set.files.length === 1 && isPgDumpFile(path.join(root, set.files[0]), set.files[0], root);
}

export function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
