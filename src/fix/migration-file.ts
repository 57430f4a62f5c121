import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { compareDieselVersions, dieselVersion } from '../runners/diesel.js';
import type { DiscoveredMigration, Runner } from '../runners/types.js';
import { yoyoHeads } from '../runners/yoyo.js';

/** The next migration file of a project: where it goes and what it holds. */
export interface NextMigration {
  /** relative to the migrations folder, forward slashes (`025_reconcile_schema.sql`, `2024..._x/migration.sql`) */
  name: string;
  /** the runner's version of the file (`025`, `20251201120000`) */
  version: string;
  /** yoyo: the ids its `-- depends:` names (the heads, as `yoyo new` writes them) */
  depends?: string[];
}

/**
 * The name the runner gives the next migration, following the existing files: the next integer with the same
 * zero padding for sequential histories, the current UTC time (YYYYMMDDHHMMSS) for timestamped ones. The layout
 * per runner is the one its discovery (src/runners/<runner>.ts, each citing the runner's source) accepts:
 *   numbered / dbmate / goose / supabase / postgres-migrations / tern: `<version>_<slug>.sql` (tern's `new`: `%03d_%s.sql`)
 *   sql-migrate: `<version>-<slug>.sql` (`sql-migrate new`); postgrator: `<version>.do.<slug>.sql` (its README's naming);
 *   flyway: `V<version>__<slug>.sql`; golang-migrate: `<version>_<slug>.up.sql`; prisma: `<version>_<slug>/migration.sql`
 *   diesel: `<YYYY-MM-DD-HHMMSS>-0000_<slug>/up.sql`; hasura: `<unix milliseconds>_<slug>/up.sql`
 * drizzle's migrations are drizzle-kit's to write, with the journal (meta/_journal.json) or, in drizzle-kit 1.0's folder
 * layout, each folder's snapshot.json, which its next `generate` diffs against: pgdrift adds none. A Sqitch change is a
 * yoyo: `yoyo new`'s `<YYYYMMDD>_<NN>_<5 characters>-<slug>.sql` with a `-- depends:` on the heads, so it runs last
 * whatever the other files are called. A Sqitch change is a
 * line of sqitch.plan and three scripts, which `sqitch add` writes: none either. A Liquibase changeset runs only where a
 * changelog includes its file: none either.
 */
export function nextMigration(runner: Runner, migrations: readonly DiscoveredMigration[], slug: string, now: Date, folder?: string): NextMigration {
  if (runner.name === 'diesel') return nextDieselMigration(migrations, slug, now);
  if (runner.name === 'yoyo') return nextYoyoMigration(migrations, slug, now, folder);
  if (runner.name === 'hasura') {
    // `hasura migrate create` names a folder with the time in milliseconds (cli/migrate/cmd/commands.go CreateCmd):
    // a 14-digit YYYYMMDDHHMMSS version would sort after every migration the CLI creates next
    const last = migrations.reduce((max, m) => (m.version !== undefined && /^\d+$/.test(m.version) && BigInt(m.version) > max ? BigInt(m.version) : max), 0n);
    const version = (BigInt(now.getTime()) > last ? BigInt(now.getTime()) : last + 1n).toString();
    return { name: `${version}_${slug}/up.sql`, version };
  }
  if (runner.name === 'drizzle') {
    throw new InputError('--write-migration cannot add a drizzle migration: drizzle-kit writes them, with its journal (meta/_journal.json) or each folder\'s snapshot.json, which its next generate diffs against', {
      hint: 'run `pgdrift diff <migrations> snapshot --sql` and paste the SQL into a migration made with `drizzle-kit generate --custom`',
    });
  }
  if (runner.name === 'sqitch') {
    // a change is a plan line plus deploy, revert and verify scripts (sqitch add writes all four): a file alone never runs
    throw new InputError('--write-migration cannot add a Sqitch change: sqitch deploy runs only what sqitch.plan names, and `sqitch add` writes the plan line with the deploy, revert and verify scripts', {
      hint: 'run `sqitch add <change> -n "..."`, then paste the SQL of `pgdrift diff <migrations> snapshot --sql` into its deploy script',
    });
  }
  if (runner.name === 'graphile-migrate') {
    // a committed migration carries the hash of its body chained to the previous one (--! Previous / --! Hash), which
    // `graphile-migrate commit` computes from current.sql (src/commands/commit.ts): a file written here would be refused
    throw new InputError('--write-migration cannot add a graphile-migrate migration: `graphile-migrate commit` writes committed/ files, with the --! Previous / --! Hash headers it computes from migrations/current.sql', {
      hint: 'run `pgdrift diff <migrations> snapshot --sql`, paste the SQL into migrations/current.sql, then run `graphile-migrate commit`',
    });
  }
  if (runner.name === 'liquibase') {
    // a file runs only when a changelog the master reaches includes it, and its changesets need an author:id
    throw new InputError('--write-migration cannot add a Liquibase changeset: liquibase update runs a file only when a changelog the master changelog reaches includes it (include or includeAll), and a changeset needs its author:id', {
      hint: 'run `pgdrift diff <migrations> snapshot --sql` and paste the SQL into a formatted SQL changelog (--liquibase formatted sql, --changeset <author>:<id>) that the master includes',
    });
  }
  const versions = migrations.map((m) => m.version).filter((v): v is string => v !== undefined && /^\d+$/.test(v));
  const last = versions.reduce<string | undefined>((max, v) => (max === undefined || BigInt(v) > BigInt(max) ? v : max), undefined);
  let version: string;
  if (last !== undefined && last.length >= 12) {
    // A timestamped history: the runner orders by the number, so "now" sorts last unless a file is from the future.
    const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    version = BigInt(stamp) > BigInt(last) ? stamp : (BigInt(last) + 1n).toString();
  } else if (last !== undefined) {
    const width = migrations.map((m) => m.version ?? '').filter((v) => /^\d+$/.test(v)).reduce((w, v) => Math.max(w, v.length), 0);
    version = (BigInt(last) + 1n).toString().padStart(width, '0');
  } else {
    version = runner.name === 'numbered' || runner.name === 'tern' || runner.name === 'postgrator' ? '001' : runner.name === 'flyway' || runner.name === 'postgres-migrations' || runner.name === 'refinery' ? '1' : now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  }
  switch (runner.name) {
    case 'flyway':
      // the project's naming settings (sqlMigrationPrefix, separator, suffixes): an empty prefix is common
      return { name: runner.newMigrationName?.(version, slug) ?? `V${version}__${slug}.sql`, version };
    case 'refinery':
      // refinery_core util.rs: `V<version>__<name>.sql`, the name letters, digits and _ only
      return { name: `V${version}__${slug.replace(/\W/g, '_')}.sql`, version };
    case 'golang-migrate':
      return { name: `${version}_${slug}.up.sql`, version };
    case 'prisma':
      return { name: `${version}_${slug}/migration.sql`, version };
    case 'postgrator':
      // `<version>.<action>.<description>.sql` (rickbergfalk/postgrator@a3079b0 README; getMigrations splits the name at
      // its dots, so the description keeps none)
      return { name: `${version}.do.${slug.replace(/\./g, '-')}.sql`, version };
    case 'sql-migrate':
      // `sql-migrate new`: `<YYYYMMDDHHMMSS>-<name>.sql` (sql-migrate/command_new.go CreateMigration)
      return { name: runner.newMigrationName?.(version, slug) ?? `${version}-${slug}.sql`, version };
    default:
      return { name: runner.newMigrationName?.(version, slug) ?? `${version}_${slug}.sql`, version };
  }
}

/**
 * Diesel's next migration as diesel_cli 2.3 names it (migrations/mod.rs `create_migration_dir`: `%Y-%m-%d-%H%M%S`
 * and a `-%04x` sub-version), unless a migration's version (dashes removed, compared as text) sorts after it: then
 * that version with a `1` appended, which sorts right after it.
 */
function nextDieselMigration(migrations: readonly DiscoveredMigration[], slug: string, now: Date): NextMigration {
  const iso = now.toISOString();
  let folder = `${iso.slice(0, 10)}-${iso.slice(11, 19).replace(/:/g, '')}-0000`;
  const last = migrations.map((m) => m.version).reduce<string | undefined>((max, v) => (v !== undefined && (max === undefined || compareDieselVersions(v, max) > 0) ? v : max), undefined);
  if (last !== undefined && compareDieselVersions(dieselVersion(folder), last) <= 0) folder = `${last}1`;
  return { name: `${folder}_${slug}/up.sql`, version: dieselVersion(folder) };
}

/**
 * yoyo's next migration as `yoyo new` names it (scripts/newmigration.py make_filename: the date, the next two-digit
 * number of the day, five random letters or digits, the message slugified with dashes), with a `-- depends:` on the
 * heads (`heads(read_migrations(dir))`) so that yoyo applies it after every other migration. The five characters come
 * from the slug and the time here, so the same run names the same file.
 */
function nextYoyoMigration(migrations: readonly DiscoveredMigration[], slug: string, now: Date, folder: string | undefined): NextMigration {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  let number = 1;
  for (const m of migrations) {
    const same = new RegExp(`^${day}_(\\d+)_`).exec(m.name.slice(m.name.lastIndexOf('/') + 1));
    if (same) number = Math.max(number, Number(same[1]) + 1);
  }
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let seed = [...`${slug}${now.toISOString()}`].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);
  let token = '';
  for (let i = 0; i < 5; i++) {
    token += letters[seed % letters.length];
    seed = Math.floor(seed / letters.length) + Math.imul(seed, 17) + 11;
    seed >>>= 0;
  }
  const id = `${day}_${String(number).padStart(2, '0')}_${token}-${slug.replace(/_/g, '-')}`;
  return { name: `${id}.sql`, version: id, depends: folder ? yoyoHeads(folder) : migrations.map((m) => m.version ?? '').filter(Boolean) };
}

/** `Reconcile schema drift` → `reconcile_schema_drift` (the file-name rule's default: lower case, digits, `_`). */
export function migrationSlug(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[^\x00-\x7f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!slug) throw new InputError(`--write-migration: "${title}" gives an empty file name`, { hint: 'use letters or digits, e.g. --write-migration add_user_index' });
  return slug;
}

/** `reconcile_schema_drift` → `Reconcile Schema Drift`, for the Helios header's title. */
export function migrationTitle(slug: string): string {
  return slug
    .split('_')
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join(' ');
}

export interface MigrationText {
  runner: Runner;
  version: string;
  title: string;
  purpose: string;
  /** YYYY-MM-DD */
  created: string;
  /** write the `-- Migration NNN: Title / -- Purpose / -- Created` header (the migration-header rule is on) */
  header: boolean;
  sql: string;
  /** yoyo: the `-- depends:` ids (NextMigration.depends) */
  depends?: string[];
}

/**
 * The file's text in the runner's format: the team's header (../shared/seed/helios-database-README.md, "Migration
 * template"), then the SQL inside the sections the runner runs: dbmate `-- migrate:up` / `-- migrate:down`
 * (dbmate README "Creating Migrations"), goose `-- +goose Up` with the whole script as one StatementBegin/End
 * statement so that DO blocks and function bodies are not split at their inner semicolons (goose annotations docs),
 * sql-migrate `-- +migrate Up` the same way with its StatementBegin/End.
 */
export function migrationText(options: MigrationText): string {
  const lines: string[] = [];
  // yoyo reads its directives from the leading comment lines only (migrations.py parse_metadata_from_sql_comments)
  if (options.runner.name === 'yoyo') lines.push(`-- depends: ${(options.depends ?? []).join(' ')}`.trimEnd());
  if (options.header) {
    lines.push(`-- Migration ${options.version}: ${options.title}`, `-- Purpose: ${options.purpose}`, `-- Created: ${options.created}`, '');
  }
  const sql = options.sql.trimEnd();
  switch (options.runner.name) {
    case 'dbmate':
      lines.push('-- migrate:up', sql, '', '-- migrate:down', '');
      break;
    case 'goose':
      lines.push('-- +goose Up', '-- +goose StatementBegin', sql, '-- +goose StatementEnd', '');
      break;
    case 'sql-migrate':
      // sqlparse.go: one StatementBegin/End statement, sent as one Exec (lib/pq: one simple-protocol query)
      lines.push('-- +migrate Up', '-- +migrate StatementBegin', sql, '-- +migrate StatementEnd', '', '-- +migrate Down', '');
      break;
    default:
      lines.push(sql, '');
  }
  return lines.join('\n');
}

/** The absolute path of the new file, refusing to overwrite one that exists. */
export function newMigrationPath(migrationsDir: string, name: string): string {
  const absolute = path.join(migrationsDir, ...name.split('/'));
  if (existsSync(absolute)) throw new InputError(`--write-migration: ${absolute} already exists`, { hint: 'pass another name: --write-migration <name>' });
  return absolute;
}
