import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { checkProjectFile } from '../util/project-paths.js';
import { readMigrationHeader, type MigrationHeader } from './header.js';

export type MigrationOrder = 'lexicographic' | 'natural';

/** A migration (or baseline) file as pgdrift sees it. */
export interface MigrationFile {
  /** absolute path */
  path: string;
  /** relative to the project root, with forward slashes: how every report names the file */
  file: string;
  /** the file name, e.g. 009b_add_users.sql */
  name: string;
  /** leading digits of the name ("009"), if any */
  number?: string;
  /** letters right after the number ("b" in 009b_), if any */
  suffix?: string;
  text: string;
  header: MigrationHeader;
}

const NUMBER_PREFIX = /^(\d+)([a-zA-Z]*)(?=[_\-.])/;

/**
 * Lists the `.sql` files of a migrations folder in runner order. Lexicographic order is exactly what a Node
 * runner doing `readdirSync().sort()` gets (so `009b_` comes right after `009_`); natural order compares the
 * numeric prefix as a number first.
 */
export function listMigrationFiles(folder: string, order: MigrationOrder = 'lexicographic'): string[] {
  let stat;
  try {
    stat = statSync(folder);
  } catch {
    throw new InputError(`migrations folder not found: ${folder}`, {
      hint: 'set "migrations" in pgdrift.config.json or run from the project root (-C <dir>)',
    });
  }
  if (!stat.isDirectory()) throw new InputError(`migrations path is not a folder: ${folder}`);
  const names = readdirSync(folder).filter((name) => name.toLowerCase().endsWith('.sql'));
  return order === 'natural' ? names.sort(naturalCompare) : names.sort();
}

export function naturalCompare(a: string, b: string): number {
  const na = NUMBER_PREFIX.exec(a);
  const nb = NUMBER_PREFIX.exec(b);
  if (na && nb) {
    const diff = Number(na[1]) - Number(nb[1]);
    if (diff !== 0) return diff;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a SQL file as strict UTF-8: a file in another encoding is an input error naming the byte. */
export function readSqlFile(absolutePath: string, relative: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolutePath);
  } catch (error: any) {
    throw new InputError(`cannot read ${relative}: ${error?.code ?? error?.message ?? error}`);
  }
  try {
    return utf8.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    const { line, column } = firstInvalidUtf8(bytes);
    throw new InputError(`${relative}:${line}:${column}: the file is not valid UTF-8`, {
      hint: 're-save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)',
      position: { file: relative, line, column },
    });
  }
}

/** Line and column (in characters) of the first byte that breaks UTF-8, for the error message. */
function firstInvalidUtf8(bytes: Buffer): { line: number; column: number } {
  let line = 1;
  let column = 1;
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    const valid = length > 0 && i + length <= bytes.length && bytes.subarray(i + 1, i + length).every((b) => (b & 0xc0) === 0x80);
    if (!valid) return { line, column };
    if (lead === 0x0a) {
      line++;
      column = 1;
    } else column++;
    i += length;
  }
  return { line, column };
}

export function toMigrationFile(absolutePath: string, projectRoot: string): MigrationFile {
  const file = path.relative(projectRoot, absolutePath).split(path.sep).join('/');
  const name = path.basename(absolutePath);
  // a symbolic link out of the project (or into /proc) is refused before a byte is read
  const text = readSqlFile(checkProjectFile(absolutePath, file, projectRoot) ?? absolutePath, file);
  const match = NUMBER_PREFIX.exec(name);
  return {
    path: absolutePath,
    file,
    name,
    number: match?.[1],
    suffix: match?.[2] || undefined,
    text,
    header: readMigrationHeader(text),
  };
}

/** Reads every migration of a folder, in runner order. */
export function loadMigrations(folder: string, projectRoot: string, order: MigrationOrder = 'lexicographic'): MigrationFile[] {
  return listMigrationFiles(folder, order).map((name) => toMigrationFile(path.join(folder, name), projectRoot));
}
