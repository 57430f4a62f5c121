import path from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { isDirectory, wholeFile, type IgnoredFile, type Runner } from './types.js';

const LOCKFILE = 'migration_lock.toml';

/**
 * Prisma Migrate (`prisma migrate deploy`): `prisma/migrations/<timestamp>_<name>/migration.sql`.
 * - Discovery and order: prisma/prisma packages/migrate/src/utils/listMigrations.ts (since 0572e06, 2025-03, "move
 *   file-disk loading to TypeScript") lists EVERY sub-folder and sorts them with `a.path.localeCompare(b.path)`;
 *   prisma-engines schema-engine/core/src/commands/apply_migrations.rs applies that list in its order (schema-connector
 *   migrations_directory.rs `list_migrations` maps it, no sort). Before that commit the engine listed the folder
 *   itself, sorted by name in byte order; the two differ only on names mixing case or `_` against a digit.
 * - A sub-folder without `migration.sql` is a migration whose script cannot be read: P3015 "Could not find the
 *   migration file at …" (`read_migration_script`). `migration_lock.toml` is not a migration.
 * - `migration_lock.toml`: migrations_directory.rs `read_provider_from_lock_file` takes the first line starting with
 *   `provider`, strips `provider = ` and quotes; `error_on_changed_provider` refuses any other than the connector's
 *   (`postgresql`): P3019.
 * Transactions: the schema engine's Postgres connector applies a migration script with ONE `simple_query(script)`
 * (prisma/prisma-engines schema-engine/connectors/sql-schema-connector/src/flavour/postgres/connection.rs,
 * `apply_migration_script`): one simple query, one implicit transaction.
 * Bookkeeping: `_prisma_migrations`, created when missing before the first migration (prisma/prisma-engines@0425119
 * schema-engine/connectors/sql-schema-connector/src/flavour/postgres.rs `create_migrations_table`, unqualified: the
 * URL's schema, public by default).
 */
export const prisma: Runner = {
  name: 'prisma',
  docs: 'https://www.prisma.io/docs/orm/prisma-migrate',
  folders: ['prisma/migrations'],
  discover(folder) {
    const migrations = [];
    const ignored: IgnoredFile[] = [];
    const problems: string[] = [];
    const provider = lockfileProvider(folder);
    const refusal = `Prisma refuses it with the postgresql provider (P3019: "The datasource provider \`postgresql\` specified in your schema does not match the one specified in the migration_lock.toml, \`${provider}\`")`;
    // a lock file without a provider line is refused too, but says nothing of another database
    if (provider === PROVIDER_NOT_FOUND) problems.push(`${LOCKFILE} names no provider. ${refusal}`);
    const notPostgres = provider !== undefined && provider !== PROVIDER_NOT_FOUND && provider !== 'postgresql' ? `${LOCKFILE} names the provider ${JSON.stringify(provider)}: this is not a PostgreSQL project. ${refusal}` : undefined;
    for (const entry of readdirSync(folder).sort(prismaOrder)) {
      if (!isDirectory(path.join(folder, entry))) {
        if (entry.toLowerCase().endsWith('.sql')) ignored.push({ name: entry, reason: 'Prisma only applies <folder>/migration.sql', ...(path.posix.basename(entry) === 'down.sql' ? { expected: true } : {}) });
        continue;
      }
      const file = `${entry}/migration.sql`;
      if (readdirSync(path.join(folder, entry)).includes('migration.sql')) migrations.push({ name: file, version: entry.split('_')[0] });
      else problems.push(`${entry}/: P3015 Could not find the migration file at migration.sql. Please delete the directory or restore the migration file. (Prisma treats every sub-folder as a migration and stops there)`);
    }
    return { migrations, ignored, problems, ...(notPostgres ? { notPostgres } : {}) };
  },
  evidence(listing) {
    const files = listing.files.filter((name) => /^[^/]+\/migration\.sql$/.test(name));
    return files.length > 0 || listing.files.includes('migration_lock.toml') ? { files: files.length ? files : ['migration_lock.toml'], what: '<timestamp>_<name>/migration.sql folders' } : undefined;
  },
  plan: (text) => wholeFile(text, 'implicit'),
  compareVersions: prismaOrder,
  bookkeeping: ['public._prisma_migrations'],
  bookkeepingSetup: {
    table: 'public._prisma_migrations',
    sql: `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`,
  },
  lint: {
    fileNamePattern: /^\d{14}_[A-Za-z0-9_]+\/migration\.sql$/,
    example: '20240131120000_add_orders/migration.sql',
    sequentialVersions: false,
    transactions: 'Prisma sends each migration.sql as one query with no transaction of its own; Postgres runs it as one implicit transaction unless the file has BEGIN/COMMIT',
    outsideTransaction: 'put it alone in its own migration.sql (Prisma sends the file as one query)',
    // listMigrations.ts records `path: entry.name`, the whole folder name: 20240528214728_a and _b are two migrations
    versionIdentifies: false,
    orderName: 'folder-name order (localeCompare)',
  },
};

/** Prisma's order of the migration folders: `localeCompare`, as listMigrations.ts sorts them. */
export function prismaOrder(a: string, b: string): number {
  return a.localeCompare(b);
}

/** What Prisma's own reader returns for a lock file without a provider line (it quotes it in P3019). */
const PROVIDER_NOT_FOUND = '<PROVIDER NOT FOUND>';

/** The provider `migration_lock.toml` names, read as the schema engine reads it; undefined without the file. */
function lockfileProvider(folder: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(folder, LOCKFILE), 'utf8');
  } catch {
    return undefined;
  }
  const line = text.split(/\r?\n/).find((l) => l.startsWith('provider'));
  if (line === undefined) return PROVIDER_NOT_FOUND;
  return line.replace(/^(provider = )+/, '').replace(/^"+|"+$/g, '');
}
