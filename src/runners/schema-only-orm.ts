import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { drizzleConfigsIn } from './drizzle-config.js';
import { filesIn, isDirectory, isSql } from './types.js';

/**
 * A project whose ORM keeps the schema in code and whose migrations are not in the repository: a Prisma schema with a
 * PostgreSQL datasource and no migrations folder beside it (`prisma db push` applies the schema itself, field:
 * gitroomhq/postiz-app, `prisma db push --schema ./libraries/nestjs-libraries/src/database/prisma/schema.prisma`), or a
 * drizzle-kit config whose `out` folder holds no migrations (`drizzle-kit push`, or `drizzle-kit generate` run where
 * it deploys; field: databuddy-analytics/Databuddy packages/db, `out: './src/drizzle'` with schema.ts only). Without
 * this, "no migrations folder found" named an unrelated empty git submodule as the cause, or nothing.
 */
export interface SchemaOnlyOrm {
  /** the file that declares the schema or configures drizzle-kit, relative to the root */
  file: string;
  tool: 'Prisma' | 'drizzle-kit';
  /** where the migrations would be, relative to the root */
  folder: string;
  /** that folder does not exist (else it holds no migrations) */
  missing: boolean;
}

/** Prisma's datasource providers for PostgreSQL (prisma-engines psl: `postgresql`, and its alias `postgres`). */
const POSTGRES_PROVIDER = /^\s*datasource\s+\w+\s*\{[^}]*^\s*provider\s*=\s*"(?:postgresql|postgres)"/m;

/** drizzle-kit's dialect for PostgreSQL (`postgresql`; `driver: 'pg'` before 0.21), or none written as a literal. */
const postgresDialect = (dialect: string | undefined) => dialect === undefined || dialect === 'postgresql' || dialect === 'pg';

/** The first such schema or config below the root (folders walked as `walk` gives them), or undefined. */
export function findSchemaOnlyOrm(root: string, walk: (visit: (folder: string) => void) => void): SchemaOnlyOrm | undefined {
  const found: SchemaOnlyOrm[] = [];
  const relative = (at: string) => path.relative(root, at).split(path.sep).join('/') || '.';
  const look = (folder: string) => {
    const dir = path.join(root, folder);
    for (const config of drizzleConfigsIn(dir)) {
      if (config.out === null || !postgresDialect(config.dialect) || holdsDrizzleMigrations(config.out)) continue;
      found.push({ file: relative(config.file), tool: 'drizzle-kit', folder: relative(config.out), missing: !isDirectory(config.out) });
    }
    for (const name of filesIn(dir).filter((file) => file.endsWith('.prisma')).sort()) {
      let text: string;
      try {
        text = readFileSync(path.join(dir, name), 'utf8');
      } catch {
        continue;
      }
      // a multi-file schema keeps the datasource in one of the folder's files: the migrations go beside that file
      if (!POSTGRES_PROVIDER.test(text) || existsSync(path.join(dir, 'migrations'))) continue;
      found.push({ file: relative(path.join(dir, name)), tool: 'Prisma', folder: relative(path.join(dir, 'migrations')), missing: true });
    }
  };
  look('');
  walk(look);
  return found[0];
}

/** Whether drizzle-kit's `out` folder holds migrations: a journal, .sql files, or 1.0's `<name>/migration.sql` folders. */
function holdsDrizzleMigrations(folder: string): boolean {
  if (!isDirectory(folder)) return false;
  if (existsSync(path.join(folder, 'meta', '_journal.json')) || filesIn(folder).some(isSql)) return true;
  try {
    return readdirSync(folder).some((entry) => existsSync(path.join(folder, entry, 'migration.sql')));
  } catch {
    return false;
  }
}

/** What to say of it: a clause for "no migrations folder found in <root>: …" and the hint. */
export function describeSchemaOnlyOrm(found: SchemaOnlyOrm): { clause: string; hint: string } {
  if (found.tool === 'Prisma') {
    return {
      clause: `${found.file} declares a PostgreSQL datasource, but there is no ${found.folder}/ beside it: the schema is applied with \`prisma db push\` (or the migrations are kept elsewhere), and pgdrift replays committed migrations`,
      hint: `commit the migrations \`prisma migrate dev\` writes (${found.folder}/<timestamp>_<name>/migration.sql and migration_lock.toml), or name their folder: --migrations <folder>`,
    };
  }
  return {
    clause: `${found.file} has drizzle-kit write migrations to ${found.folder}/, which ${found.missing ? 'does not exist' : 'holds none (no meta/_journal.json)'}: the schema is applied with \`drizzle-kit push\` (or generated where it deploys), and pgdrift replays committed migrations`,
    hint: `commit what \`drizzle-kit generate\` writes (${found.folder}/ with meta/_journal.json), or name the migrations folder: --migrations <folder>`,
  };
}
