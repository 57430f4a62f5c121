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
 * The folders a pattern embeds .sql migrations from: `dir/*.sql` → dir, `dir` → dir, `*.sql` → the Go file's folder.
 * A directory pattern embeds the whole tree below it (go/build's embed rules), so `//go:embed migrations` over a
 * folder per database (`migrations/postgres`, `migrations/sqlite`, picked at run time by `iofs.New(fs,
 * "migrations/"+provider)`) embeds each of those: they are the candidates (field: pocket-id/pocket-id
 * backend/resources/files.go, whose `migrations` holds only the two sub-folders).
 */
function migrationsFoldersOf(base: string, pattern: string): string[] {
  // go/build: a pattern may not contain `..` or start with `/`; such a directive does not compile
  if (pattern.startsWith('/') || pattern.split('/').includes('..')) return [];
  const wildcard = /[*?[]/.test(pattern);
  const folder = path.resolve(base, wildcard ? path.posix.dirname(pattern) : pattern);
  if (holdsVersionedSql(folder)) return [folder];
  if (wildcard) return [];
  return subFolderNames(folder)
    .map((name) => path.join(folder, name))
    .filter(holdsVersionedSql);
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
