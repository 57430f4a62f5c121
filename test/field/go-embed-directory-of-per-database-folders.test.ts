import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field (pocket-id/pocket-id): backend/resources/files.go embeds `//go:embed ... migrations ...`, a folder holding
 * only `postgres/` and `sqlite/` (golang-migrate .up.sql/.down.sql each), and the program picks one at run time with
 * `iofs.New(resources.FS, "migrations/"+provider)`. An embedded directory embeds its whole tree (go/build), but
 * pgdrift looked for migrations in the named folder only, found none there and said "no migrations folder found".
 * The sub-folders are now the embedded candidates, and the one whose path names PostgreSQL is replayed.
 * Field (flipt-io/flipt v1): config/migrations/migrations.go has `//go:embed *` beside postgres/, mysql/, sqlite3/,
 * cockroachdb/, clickhouse/: a wildcard matching folders embeds each whole (go/build), and was read as "the .sql files
 * of config/migrations", of which there are none.
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

const FILES = {
  'backend/go.mod': 'module github.com/pocket-id/pocket-id/backend\n\ngo 1.24\n\nrequire github.com/golang-migrate/migrate/v4 v4.18.3\n',
  'backend/resources/files.go': 'package resources\n\nimport "embed"\n\n//go:embed email-templates/*.tmpl migrations fonts\nvar FS embed.FS\n',
  'backend/resources/migrations/postgres/20240101000000_init.up.sql': 'CREATE TABLE users (id uuid PRIMARY KEY, created_at timestamptz);\n',
  'backend/resources/migrations/postgres/20240101000000_init.down.sql': 'DROP TABLE users;\n',
  'backend/resources/migrations/sqlite/20240101000000_init.up.sql': 'CREATE TABLE users (id TEXT PRIMARY KEY, created_at DATETIME);\n',
  'backend/resources/migrations/sqlite/20240101000000_init.down.sql': 'DROP TABLE users;\n',
  'backend/resources/fonts/.keep': '',
};

describe('a Go program embedding a folder that holds one migrations folder per database', () => {
  it('replays the PostgreSQL one and says the other was left out', async () => {
    const p = project(FILES);
    const notices: string[] = [];
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(result.sql).toContain('created_at timestamp with time zone');
    expect(notices.join('\n')).toContain('using backend/resources/migrations/postgres/, which //go:embed migrations embeds (backend/resources/files.go:5)');
    expect(notices.join('\n')).toContain('backend/resources/migrations/sqlite/ left out');
  });

  it('`//go:embed *` beside one folder per database: the PostgreSQL one (flipt v1)', async () => {
    const p = project({
      'go.mod': 'module go.flipt.io/flipt\n\ngo 1.22\n\nrequire github.com/golang-migrate/migrate/v4 v4.17.0\n',
      'config/migrations/migrations.go': 'package migrations\n\nimport "embed"\n\n//go:embed *\nvar FS embed.FS\n',
      'config/migrations/postgres/0_initial.up.sql': 'CREATE TABLE flags (key varchar(255) PRIMARY KEY, created_at timestamp);\n',
      'config/migrations/mysql/0_initial.up.sql': 'CREATE TABLE flags (`key` varchar(255) PRIMARY KEY) ENGINE=InnoDB;\n',
      'config/migrations/sqlite3/0_initial.up.sql': 'CREATE TABLE flags (key VARCHAR(255) PRIMARY KEY);\n',
    });
    const notices: string[] = [];
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(result.sql).toContain('CREATE TABLE public.flags');
    expect(notices.join('\n')).toContain('using config/migrations/postgres/, which //go:embed * embeds (config/migrations/migrations.go:5)');
    expect(notices.join('\n')).toContain('(config/migrations/mysql/, config/migrations/sqlite3/ left out)');
  });

  it('a wildcard pattern still embeds only the files it matches, not the folders below', async () => {
    const p = project({ ...FILES, 'backend/resources/files.go': 'package resources\n\nimport "embed"\n\n//go:embed migrations/*.sql\nvar FS embed.FS\n' });
    await expect(dump({ cwd: p.root, engine: 'pglite', noCache: true })).rejects.toThrow(/no migrations folder found/);
  });
});
