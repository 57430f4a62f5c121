import path from 'node:path';
import { readdirSync } from 'node:fs';
import { byCodeUnits, isDirectory, wholeFile, type IgnoredFile, type Runner } from './types.js';

/**
 * Prisma Migrate (`prisma migrate deploy`): `prisma/migrations/<timestamp>_<name>/migration.sql`, applied in the
 * order of the folder names: prisma/prisma-engines schema-engine/connectors/schema-connector/src/migrations_directory.rs
 * `list_migrations` reads the sub-folders and sorts them by name ("lexicographically sorted by name").
 * `migration_lock.toml` is not a migration.
 * Transactions: the schema engine's Postgres connector applies a migration script with ONE `simple_query(script)`
 * (prisma/prisma-engines schema-engine/connectors/sql-schema-connector/src/flavour/postgres/connection.rs,
 * `apply_migration_script`): one simple query, one implicit transaction.
 * Bookkeeping: `_prisma_migrations`.
 */
export const prisma: Runner = {
  name: 'prisma',
  docs: 'https://www.prisma.io/docs/orm/prisma-migrate',
  folders: ['prisma/migrations'],
  discover(folder) {
    const migrations = [];
    const ignored: IgnoredFile[] = [];
    const entries = readdirSync(folder, { withFileTypes: true }).map((e) => e.name).sort(byCodeUnits);
    for (const entry of entries) {
      if (!isDirectory(path.join(folder, entry))) {
        if (entry.toLowerCase().endsWith('.sql')) ignored.push({ name: entry, reason: 'Prisma only applies <folder>/migration.sql', ...(path.posix.basename(entry) === 'down.sql' ? { expected: true } : {}) });
        continue;
      }
      const file = `${entry}/migration.sql`;
      if (readdirSync(path.join(folder, entry)).includes('migration.sql')) migrations.push({ name: file, version: entry.split('_')[0] });
      else ignored.push({ name: entry, reason: 'a folder without migration.sql' });
    }
    return { migrations, ignored, problems: [] };
  },
  evidence(listing) {
    const files = listing.files.filter((name) => /^[^/]+\/migration\.sql$/.test(name));
    return files.length > 0 || listing.files.includes('migration_lock.toml') ? { files: files.length ? files : ['migration_lock.toml'], what: '<timestamp>_<name>/migration.sql folders' } : undefined;
  },
  plan: (text) => wholeFile(text, 'implicit'),
  compareVersions: byCodeUnits,
  bookkeeping: ['public._prisma_migrations'],
  lint: {
    fileNamePattern: /^\d{14}_[A-Za-z0-9_]+\/migration\.sql$/,
    example: '20240131120000_add_orders/migration.sql',
    sequentialVersions: false,
    transactions: 'Prisma sends each migration.sql as one query with no transaction of its own; Postgres runs it as one implicit transaction unless the file has BEGIN/COMMIT',
    outsideTransaction: 'put it alone in its own migration.sql (Prisma sends the file as one query)',
  },
};
