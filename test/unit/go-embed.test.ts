import { describe, expect, it } from 'vitest';
import { resolveProject } from '../../src/config/project.js';
import { detectLayout } from '../../src/commands/init.js';
import { tempProjects } from '../helpers/project.js';

// A Go program that embeds its migrations (`//go:embed migrations/*.sql`, handed to goose.SetBaseFS or iofs.New)
// names the folder nowhere else: kept deep (internal/db/migrations), it met "no migrations folder found".
const project = tempProjects();
const GOOSE = '-- +goose Up\nCREATE TABLE t (id int PRIMARY KEY);\n-- +goose Down\nDROP TABLE t;\n';
const goMod = (requires: string) => `module example.com/app\n\ngo 1.22\n\nrequire (\n\t${requires}\n)\n`;
const embedGo = (directive: string) => `package db\n\nimport (\n\t"embed"\n\n\t"github.com/pressly/goose/v3"\n)\n\n${directive}\nvar migrations embed.FS\n\nfunc Migrate() { goose.SetBaseFS(migrations) }\n`;

describe('the migrations folder a Go program embeds', () => {
  it('is the folder of //go:embed migrations/*.sql in a module that requires a migration library; init takes it too', async () => {
    const { root } = project({
      'go.mod': goMod('github.com/pressly/goose/v3 v3.21.1'),
      'internal/db/db.go': embedGo('//go:embed migrations/*.sql'),
      'internal/db/migrations/00001_init.sql': GOOSE,
      // sqlc's embedded queries are no migrations
      'internal/store/store.go': 'package store\n\nimport "embed"\n\n//go:embed queries/*.sql\nvar queries embed.FS\n',
      'internal/store/queries/users.sql': '-- name: GetUser :one\nSELECT 1;\n',
    });
    const resolved = resolveProject({ cwd: root });
    expect(resolved.migrationsDir).toBe(`${root}/internal/db/migrations`);
    expect(resolved.runner.name).toBe('goose');
    expect(resolved.detected).toContain('//go:embed migrations/*.sql embeds (internal/db/db.go:9)');
    expect((await detectLayout(root)).migrations).toBe('internal/db/migrations');
  });

  it('a quoted directory pattern, and a package that embeds its own folder (*.sql)', () => {
    const quoted = project({ 'go.mod': goMod('github.com/golang-migrate/migrate/v4 v4.17.0'), 'pkg/sql/embed.go': 'package sql\n\n//go:embed "schema"\nvar FS embed.FS\n', 'pkg/sql/schema/1_init.up.sql': 'CREATE TABLE t (id int);\n', 'pkg/sql/schema/1_init.down.sql': 'DROP TABLE t;\n' });
    expect(resolveProject({ cwd: quoted.root }).migrationsDir).toBe(`${quoted.root}/pkg/sql/schema`);
    const own = project({ 'go.mod': goMod('github.com/jackc/tern/v2 v2.1.0'), 'store/pg/migrations.go': 'package pg\n\n//go:embed *.sql\nvar FS embed.FS\n', 'store/pg/001_init.sql': 'CREATE TABLE t (id int);\n' });
    expect(resolveProject({ cwd: own.root }).migrationsDir).toBe(`${own.root}/store/pg`);
  });

  it('not in a module without a migration library, nor from a test file, nor when two folders are embedded', () => {
    const noLibrary = project({ 'go.mod': goMod('github.com/lib/pq v1.10.9'), 'internal/db/db.go': embedGo('//go:embed migrations/*.sql'), 'internal/db/migrations/00001_init.sql': GOOSE });
    expect(() => resolveProject({ cwd: noLibrary.root })).toThrow(/no migrations folder found/);
    const testOnly = project({ 'go.mod': goMod('github.com/pressly/goose/v3 v3.21.1'), 'internal/db/db_test.go': embedGo('//go:embed migrations/*.sql'), 'internal/db/migrations/00001_init.sql': GOOSE });
    expect(() => resolveProject({ cwd: testOnly.root })).toThrow(/no migrations folder found/);
    const two = project({
      'go.mod': goMod('github.com/pressly/goose/v3 v3.21.1'),
      'a/db.go': embedGo('//go:embed migrations/*.sql'),
      'a/migrations/00001_init.sql': GOOSE,
      'b/db.go': embedGo('//go:embed migrations/*.sql'),
      'b/migrations/00001_init.sql': GOOSE,
    });
    expect(() => resolveProject({ cwd: two.root })).toThrow(/no migrations folder found/);
  });

  it('one embedded folder per database: the one whose path names PostgreSQL (field: inngest/inngest pkg/db/{postgres,sqlite}/migrations)', () => {
    const { root } = project({
      'go.mod': goMod('github.com/pressly/goose/v3 v3.26.0'),
      'pkg/db/postgres/migrations.go': embedGo('//go:embed migrations/*.sql'),
      'pkg/db/postgres/migrations/000001_baseline.sql': GOOSE,
      'pkg/db/sqlite/migrations.go': embedGo('//go:embed migrations/*.sql'),
      'pkg/db/sqlite/migrations/000001_baseline.sql': '-- +goose Up\nCREATE TABLE t (id integer PRIMARY KEY AUTOINCREMENT);\n',
    });
    const resolved = resolveProject({ cwd: root });
    expect(resolved.migrationsDir).toBe(`${root}/pkg/db/postgres/migrations`);
    expect(resolved.detected).toContain('the PostgreSQL one of the embedded folders (pkg/db/sqlite/migrations/ left out)');
  });

  it('beside the migrations, an embedded folder of plain numbered scripts the program runs itself is no history (field: openmeterio/openmeter)', () => {
    const { root } = project({
      'go.mod': goMod('github.com/golang-migrate/migrate/v4 v4.19.1'),
      'tools/migrate/migrate.go': 'package migrate\n\nimport "embed"\n\n//go:embed migrations\nvar omMigrations embed.FS\n',
      'tools/migrate/migrations/20240826120919_init.up.sql': 'CREATE TABLE meters (id text PRIMARY KEY);\n',
      'tools/migrate/migrations/20240826120919_init.down.sql': 'DROP TABLE meters;\n',
      'tools/migrate/legacyent/legacyent.go': 'package legacyent\n\nimport "embed"\n\n//go:embed reconciliation/*.sql\nvar reconciliationFS embed.FS\n',
      'tools/migrate/legacyent/reconciliation/001_usage_period_functions.sql': 'SELECT 1;\n',
    });
    const resolved = resolveProject({ cwd: root });
    expect(resolved.migrationsDir).toBe(`${root}/tools/migrate/migrations`);
    expect(resolved.runner.name).toBe('golang-migrate');
  });
});
