import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { forEachSourceFile } from '../util/walk.js';
import { foldersUpTo, isSql } from './types.js';

/**
 * The migrations folder a Go program embeds: `//go:embed migrations/*.sql` (or `//go:embed db/migrations`, or
 * `//go:embed *.sql` in the folder itself), handed to goose, golang-migrate, tern, dbmate or sql-migrate at start-up
 * (goose.SetBaseFS, iofs.New, migrate.NewMigrator(...).LoadMigrations(fs), dbmate's FS, migrate.EmbedFileSystemMigrationSource).
 * The folder is then named nowhere else: a project keeping it deep (internal/db/migrations) met "no migrations
 * folder found". Taken only in a Go module that requires one of those libraries (its go.mod), and only for a folder
 * whose .sql files have version-numbered names (sqlc's embedded `queries/*.sql` are not migrations); several such
 * folders decide nothing, unless only one carries a library's layout or their paths say which is PostgreSQL's
 * (config/project.ts onlyGoEmbeddedFolder). The Go text is only searched for the directive's patterns (go/build's embed rules: space
 * separated, optionally quoted), never run. Bounded: MAX_FILES .go files.
 */
const LIBRARIES = ['github.com/pressly/goose', 'github.com/golang-migrate/migrate', 'github.com/jackc/tern', 'github.com/amacneil/dbmate', 'github.com/rubenv/sql-migrate'];
const MAX_FILES = 5000;
const SKIPPED = new Set(['vendor', 'node_modules', 'testdata', 'third_party']);
const VERSIONED = /^\d+[_.-]/;

export interface EmbeddedFolder {
  /** absolute */
  folder: string;
  /** `internal/db/db.go:12` (relative to the root) */
  at: string;
  pattern: string;
  /** the other embedded folders, named for other databases, when this one was chosen as the PostgreSQL one */
  leftOut?: string[];
}

export function goEmbeddedMigrationFolders(root: string): EmbeddedFolder[] {
  const found = new Map<string, EmbeddedFolder>();
  const requiresLibrary = new Map<string, boolean>();
  const moduleRequires = (dir: string): boolean => {
    for (const folder of foldersUpTo(dir, root)) {
      if (requiresLibrary.has(folder)) return requiresLibrary.get(folder)!;
      let text: string | undefined;
      try {
        text = readFileSync(path.join(folder, 'go.mod'), 'utf8');
      } catch {
        continue;
      }
      const requires = LIBRARIES.some((library) => text!.includes(library));
      requiresLibrary.set(folder, requires);
      return requires;
    }
    return false;
  };
  const isSource = (name: string) => name.endsWith('.go') && !name.endsWith('_test.go');
  // the go tool ignores folders whose name starts with _ (and ., testdata)
  const skipFolder = (name: string) => name.startsWith('_') || SKIPPED.has(name);
  forEachSourceFile(root, { skipFolder, accept: isSource, maxFiles: MAX_FILES }, (file) => {
    for (const embedded of embedDirectives(file, root)) {
      if (!found.has(embedded.folder) && moduleRequires(path.dirname(file))) found.set(embedded.folder, embedded);
    }
  });
  return [...found.values()];
}

function embedDirectives(file: string, root: string): EmbeddedFolder[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  if (!text.includes('//go:embed')) return [];
  const folders: EmbeddedFolder[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const directive = /^\/\/go:embed\s+(.+?)\s*$/.exec(line);
    if (!directive) return;
    for (const quoted of directive[1].match(/"[^"]*"|`[^`]*`|\S+/g) ?? []) {
      const pattern = quoted.replace(/^["`]|["`]$/g, '').replace(/^all:/, '');
      for (const folder of migrationsFoldersOf(path.dirname(file), pattern)) {
        folders.push({ folder, at: `${path.relative(root, file).split(path.sep).join('/')}:${index + 1}`, pattern });
      }
    }
  });
  return folders;
}

/**
 * The folders a pattern embeds .sql migrations from (go/build's embed rules: a pattern is matched like path.Match
 * against the package folder's files and folders, and a matched folder is embedded with its whole tree):
 * `dir/*.sql` → dir, `dir` → dir, `*.sql` → the Go file's folder. A matched folder holding no migrations itself but
 * one folder per database (`migrations/postgres`, `migrations/sqlite`, picked at run time by `iofs.New(fs,
 * "migrations/"+provider)`) embeds each of those: they are the candidates. Field: pocket-id/pocket-id
 * backend/resources/files.go `//go:embed ... migrations ...`; flipt-io/flipt v1 config/migrations/migrations.go
 * `//go:embed *` beside postgres/, mysql/, sqlite3/... A wildcard in a folder part of the pattern is not expanded
 * (its folder is taken as written, as before).
 */
function migrationsFoldersOf(base: string, pattern: string): string[] {
  // go/build: a pattern may not contain `..` or start with `/`; such a directive does not compile
  if (pattern.startsWith('/') || pattern.split('/').includes('..')) return [];
  const last = path.posix.basename(pattern);
  const parent = path.resolve(base, path.posix.dirname(pattern));
  if (!/[*?[\\]/.test(last)) return embeddedFolderCandidates(path.resolve(base, pattern));
  const matches = new RegExp(`^${goGlobSource(last)}$`);
  let entries;
  try {
    entries = readdirSync(parent, { withFileTypes: true }).filter((entry) => matches.test(entry.name));
  } catch {
    return [];
  }
  const folders: string[] = [];
  if (entries.some((entry) => !entry.isDirectory() && isSql(entry.name) && VERSIONED.test(entry.name))) folders.push(parent);
  // a matched folder is embedded whole (`//go:embed *` over postgres/, mysql/...)
  for (const entry of entries) {
    if (entry.isDirectory()) folders.push(...embeddedFolderCandidates(path.join(parent, entry.name)));
  }
  return folders;
}

/** An embedded folder with migrations, or else its sub-folders with migrations (one per database). */
function embeddedFolderCandidates(folder: string): string[] {
  if (holdsVersionedSql(folder)) return [folder];
  return subFolderNames(folder)
    .map((name) => path.join(folder, name))
    .filter(holdsVersionedSql);
}

/** path.Match's syntax (`*`, `?`, `[...]`, `\\` escapes) as a RegExp source; `*` and `?` never match `/`. */
function goGlobSource(glob: string): string {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '\\' && i + 1 < glob.length) source += escapeRegExp(glob[++i]);
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) return '(?!)'; // path.ErrBadPattern: the directive does not compile
      source += `[${glob.slice(i + 1, end)}]`;
      i = end;
    } else source += escapeRegExp(c);
  }
  return source;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function holdsVersionedSql(folder: string): boolean {
  try {
    return readdirSync(folder).filter(isSql).some((name) => VERSIONED.test(name));
  } catch {
    return false;
  }
}

function subFolderNames(folder: string): string[] {
  try {
    // the go tool leaves out files and folders whose names start with . or _ from a directory it embeds
    return readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !/^[._]/.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}
