import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmbeddedBuild } from './pglite-builds.js';

/**
 * Stand-in extensions for the embedded engine: for a platform's extensions that PGlite cannot load (C or Rust
 * modules), a real extension (a `.control` file with the real one's settings, and an install script) written into
 * PGlite's extension folder before the replay, so that `CREATE EXTENSION ... WITH SCHEMA ...` behaves and dumps as on
 * the platform. The script makes the real extension's schema, types, tables and functions with their real names,
 * argument lists, result types and columns (each file cites the source it follows); the function bodies are stubs.
 * pg_dump prints an extension's CREATE EXTENSION line and never its member objects, so what the user's own objects
 * reference (a CHECK calling jsonb_matches_schema(), a function calling net.http_post()) is all that must match.
 *
 * The files sit in `stand-ins/<set>/` at the package root (like `templates/`): both the tsc output and the CLI bundle
 * are two folders below it.
 */
export type StandInSet = 'supabase';

const STAND_INS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'stand-ins');

export interface StandInExtension {
  name: string;
  /** the files to write into the extension folder: `<name>.control` and `<name>--<version>.sql` */
  files: Array<{ file: string; text: string }>;
  /** the control file's `requires`: extensions CREATE EXTENSION wants installed first (their modules must be loaded) */
  requires: string[];
}

const loaded = new Map<StandInSet, Map<string, StandInExtension>>();

/** The stand-ins of a set, by extension name (read once per process). */
export function standInExtensions(set: StandInSet): ReadonlyMap<string, StandInExtension> {
  let found = loaded.get(set);
  if (!found) {
    found = new Map();
    const dir = path.join(STAND_INS_DIR, set);
    const files = readdirSync(dir).sort();
    for (const control of files.filter((file) => file.endsWith('.control'))) {
      const name = control.slice(0, -'.control'.length);
      const own = files.filter((file) => file === control || (file.startsWith(`${name}--`) && file.endsWith('.sql')));
      const texts = own.map((file) => ({ file, text: readFileSync(path.join(dir, file), 'utf8') }));
      const controlText = texts.find((f) => f.file === control)!.text;
      const requires = /^\s*requires\s*=\s*'?([^'\n]*)'?\s*$/m.exec(controlText)?.[1];
      found.set(name, { name, files: texts, requires: requires ? requires.split(',').map((r) => r.trim()).filter(Boolean) : [] });
    }
    loaded.set(set, found);
  }
  return found;
}

/** The stand-ins a build needs: those of the set for extensions the build does not ship (a real one always wins). */
export function standInsFor(set: StandInSet | undefined, build: Pick<EmbeddedBuild, 'extensions'>): ReadonlyMap<string, StandInExtension> {
  if (!set) return new Map();
  return new Map([...standInExtensions(set)].filter(([name]) => !(name in build.extensions)));
}

/** Of the extensions a replay creates, those a stand-in provides on this build, sorted. */
export function standInsUsed(set: StandInSet | undefined, build: Pick<EmbeddedBuild, 'extensions'>, extensions: readonly string[]): string[] {
  const available = standInsFor(set, build);
  return extensions.filter((name) => available.has(name)).sort();
}

/** A digest of a set's files, for cache keys: a changed stand-in never reuses a replay made with the old one. */
export function standInsDigest(set: StandInSet): string {
  const hash = createHash('sha256');
  for (const extension of standInExtensions(set).values()) for (const file of extension.files) hash.update(`${file.file}\0${file.text}\0`);
  return hash.digest('hex').slice(0, 16);
}

/** What stderr and the text report say about the stand-ins a replay used. */
export function standInsNotice(names: readonly string[]): string {
  const plural = names.length > 1;
  return (
    `${names.join(', ')} ${plural ? 'are' : 'is'} pgdrift's stand-in${plural ? 's' : ''} on the embedded engine, which cannot load the real ${plural ? 'ones' : 'one'}: ` +
    `the same schema objects (names, arguments, result types, columns), with stub function bodies; what the migrations do through ${plural ? 'them' : 'it'} (scheduled jobs, requests, secrets) is not replayed. ` +
    `For the real ${plural ? 'extensions' : 'extension'}: --engine docker --image supabase/postgres:<the project's version>`
  );
}
