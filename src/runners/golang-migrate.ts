import { compareIntegers, duplicateVersions, filesIn, isSql, wholeFile, type Runner } from './types.js';

// golang-migrate source/parse.go (github.com/golang-migrate/migrate@18966c7): `^([0-9]+)_(.*)\.(down|up)\.(.*)$`,
// the version parsed as a uint64, so `9_x` comes before `10_x` whatever the padding.
const FILE = /^([0-9]+)_(.*)\.(down|up)\.(.*)$/;

/**
 * golang-migrate (also the layout of sqlx's reversible migrations and many Go/Rust projects).
 * - Discovery: source/iofs/iofs.go skips names that do not parse and refuses a second file for one version and
 *   direction (ErrDuplicateMigration); `up` files are applied, `.down.sql` never by `migrate up`.
 * - Order: numeric version (source/migration.go keeps versions in a sorted uint index).
 * - Transactions: database/postgres/postgres.go `runStatement` sends the whole file with one `ExecContext` and
 *   opens no transaction: one simple query, which Postgres runs as one implicit transaction.
 * - Bookkeeping: `schema_migrations` (version, dirty), created before the first migration by the driver's Open
 *   (database/postgres/postgres.go `ensureVersionTable`, in `current_schema()`: public on a new database).
 */
export const golangMigrate: Runner = {
  name: 'golang-migrate',
  docs: 'https://github.com/golang-migrate/migrate/blob/master/MIGRATIONS.md',
  folders: ['db/migrations', 'migrations'],
  discover(folder) {
    const ups: { name: string; version: string }[] = [];
    const ignored = [];
    for (const name of filesIn(folder)) {
      const match = FILE.exec(name);
      if (!match) {
        if (isSql(name)) ignored.push({ name, reason: 'not <version>_<title>.up.sql: golang-migrate skips it' });
        continue;
      }
      if (match[3] === 'down') ignored.push({ name, reason: 'a down migration: `migrate up` never applies it', expected: true });
      else if (isSql(name)) ups.push({ name, version: match[1] });
      else ignored.push({ name, reason: 'not a .sql file' });
    }
    ups.sort((a, b) => compareIntegers(a.version, b.version));
    return { migrations: ups, ignored, problems: duplicateVersions(ups, (v) => BigInt(v).toString()) };
  },
  evidence(listing) {
    const files = listing.files.filter((name) => !name.includes('/') && FILE.test(name) && isSql(name));
    return files.length > 0 ? { files, what: '<version>_<name>.up.sql / .down.sql pairs' } : undefined;
  },
  plan: (text) => wholeFile(text, 'implicit'),
  compareVersions: compareIntegers,
  bookkeeping: ['public.schema_migrations'],
  bookkeepingSetup: {
    table: 'public.schema_migrations',
    sql: 'CREATE TABLE IF NOT EXISTS "public"."schema_migrations" (version bigint not null primary key, dirty boolean not null)',
  },
  lint: {
    fileNamePattern: /^\d+_[A-Za-z0-9_.\-]+\.(up|down)\.sql$/,
    example: '000012_add_orders.up.sql',
    sequentialVersions: false,
    transactions: 'golang-migrate sends each file as one query with no transaction of its own; Postgres runs it as one implicit transaction unless the file has BEGIN/COMMIT',
    outsideTransaction: 'put it alone in its own file (golang-migrate sends the file as one query)',
  },
};
