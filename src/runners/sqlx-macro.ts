import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { forEachSourceFile } from '../util/walk.js';
import { isDirectory } from './types.js';

/**
 * The folders a project's Rust code embeds with `sqlx::migrate!("<path>")`: the path is relative to the crate root
 * (sqlx-macros-core src/migrate.rs `expand` → common.rs `resolve_path`: CARGO_MANIFEST_DIR joined with the literal).
 * Without this, a project calling `migrate!("./db/migrations")` (and no `migrations` folder) met "no migrations folder
 * found", since the folder is named only in code.
 *
 * Only crates whose Cargo.toml depends on sqlx are read (`dependsOnSqlx`), and only their `src/` (the code the
 * application runs; tests pass folders to `#[sqlx::test(migrations = ...)]`, another thing). The Rust text is only
 * searched for the macro's string literal, in lines that are not `//` comments; a path in a raw string or built by
 * another macro is not followed. Bounded: at most MAX_FILES files per project.
 */
const MACRO = /\bmigrate!\s*\(\s*"((?:[^"\\\n]|\\.)*)"\s*\)/g;
const MAX_FILES = 5000;
const SKIPPED = new Set(['target', 'node_modules', 'vendor']);

export interface MacroFolder {
  /** the folder, absolute */
  folder: string;
  /** where the macro names it: `crates/db/src/lib.rs:12` (relative to the root) */
  at: string;
  literal: string;
}

export function migrateMacroFolders(root: string, dependsOnSqlx: (cargoToml: string) => boolean): MacroFolder[] {
  const found: MacroFolder[] = [];
  forEachCrateSource(root, dependsOnSqlx, (file, crate) => found.push(...macroCalls(file, crate, root)));
  return found;
}

/**
 * Each `.rs` file below `src/` of the crates below the root (cratesBelow, 3 levels) whose Cargo.toml `dependsOn` says
 * so: the code an application runs (sqlx's migrate!, refinery's embed_migrations!). At most MAX_FILES files in all.
 */
export function forEachCrateSource(root: string, dependsOn: (cargoToml: string) => boolean, visit: (file: string, crate: string) => void): void {
  let budget = MAX_FILES;
  for (const crate of cratesBelow(root, 3)) {
    let manifest: string;
    try {
      manifest = readFileSync(path.join(crate, 'Cargo.toml'), 'utf8');
    } catch {
      continue;
    }
    if (!dependsOn(manifest)) continue;
    forEachSourceFile(path.join(crate, 'src'), { accept: (name) => name.endsWith('.rs'), maxFiles: budget }, (file) => {
      budget--;
      visit(file, crate);
    });
  }
}

function macroCalls(file: string, crate: string, root: string): MacroFolder[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  if (!text.includes('migrate!')) return [];
  const calls: MacroFolder[] = [];
  for (const match of text.matchAll(MACRO)) {
    const lineStart = text.lastIndexOf('\n', match.index) + 1;
    if (text.slice(lineStart, match.index).includes('//')) continue;
    const literal = match[1].replace(/\\(.)/g, '$1');
    if (path.isAbsolute(literal)) continue; // sqlx refuses it ("absolute paths will only work on the current machine")
    const line = text.slice(0, match.index).split('\n').length;
    calls.push({ folder: path.resolve(crate, literal), at: `${path.relative(root, file).split(path.sep).join('/')}:${line}`, literal });
  }
  return calls;
}

/** Folders holding a Cargo.toml: the root and its sub-folders up to `depth` levels down (a workspace's crates). */
export function cratesBelow(root: string, depth: number): string[] {
  const crates: string[] = [];
  const visit = (dir: string, level: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((entry) => entry.name === 'Cargo.toml' && !entry.isDirectory())) crates.push(dir);
    if (level >= depth) return;
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED.has(entry.name)) visit(path.join(dir, entry.name), level + 1);
    }
  };
  if (isDirectory(root)) visit(root, 0);
  return crates;
}
