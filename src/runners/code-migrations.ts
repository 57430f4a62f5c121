import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { byCodeUnits } from './types.js';

/**
 * Migration tools whose migrations are code (Ruby, Python, PHP, JavaScript...), not SQL files: pgdrift replays SQL as
 * the runner sends it, so on such a project it can only say what it found and what the tool offers instead. Without
 * this, a Rails or Knex project met "no migrations folder found" or "no migrations in migrations/ for the numbered
 * runner", which reads as a wrong folder rather than as a project pgdrift cannot replay.
 *
 * Each tool is known by its folder's file names and a line every one of its generated files holds (the import of the
 * tool's migration base class); the text of a code file is only searched for that marker, never run or parsed.
 */
interface CodeMigrationTool {
  tool: string;
  language: string;
  /** the file names of a migration of this tool */
  file: RegExp;
  /** what one of its migration files holds; a folder of matching names without it is not this tool's */
  marker: RegExp;
  /** what the tool offers that pgdrift can read, if anything */
  instead?: string;
  /**
   * a package the project must depend on (a package.json between the folder and the project root), for a tool whose
   * files name nothing of it (ley's `exports.up = async (sql) => ...`)
   */
  dependency?: string;
}

const JS_FILE = /\.(?:[cm]?js|[cm]?ts)$/;

const TOOLS: readonly CodeMigrationTool[] = [
  {
    tool: 'Rails (Active Record)',
    language: 'Ruby',
    file: /^\d+_\w+\.rb$/,
    marker: /ActiveRecord::Migration/,
    instead: 'with `config.active_record.schema_format = :sql` Rails keeps db/structure.sql, a pg_dump of the schema: `pgdrift diff db/structure.sql <other dump>` compares it with any database\'s',
  },
  {
    tool: 'Django',
    language: 'Python',
    file: /^\d{4}_\w+\.py$/,
    marker: /from django\.db import\b[^\n]*\bmigrations|django\.db\.migrations/,
    instead: '`python manage.py sqlmigrate <app> <migration>` prints the SQL of one migration; `pgdrift diff a.sql b.sql` compares two pg_dump files',
  },
  {
    tool: 'Alembic',
    language: 'Python',
    file: /\.py$/,
    marker: /from alembic import\b|^\s*down_revision\s*[:=]/m,
    instead: '`alembic upgrade head --sql > history.sql` (offline mode) writes the SQL of the whole history as one script, which pgdrift can replay (--migrations <its folder>)',
  },
  {
    tool: 'Laravel',
    language: 'PHP',
    file: /\.php$/,
    marker: /Illuminate\\Database\\Migrations|extends\s+Migration\b/,
    instead: '`php artisan schema:dump` writes database/schema/pgsql-schema.sql, a pg_dump of the schema: `pgdrift diff` compares it with any other dump',
  },
  {
    tool: 'Ecto',
    language: 'Elixir',
    file: /\.exs?$/,
    marker: /use\s+Ecto\.Migration/,
    instead: '`mix ecto.dump` writes priv/repo/structure.sql, a pg_dump of the schema: `pgdrift diff` compares it with any other dump',
  },
  {
    tool: 'Entity Framework Core',
    language: 'C#',
    file: /\.cs$/,
    marker: /Microsoft\.EntityFrameworkCore\.Migrations/,
    instead: '`dotnet ef migrations script -o history.sql` writes the SQL of the whole history as one script, which pgdrift can replay (--migrations <its folder>)',
  },
  { tool: 'TypeORM', language: 'TypeScript/JavaScript', file: JS_FILE, marker: /\bMigrationInterface\b|from ['"]typeorm['"]/ },
  { tool: 'MikroORM', language: 'TypeScript/JavaScript', file: JS_FILE, marker: /from ['"]@mikro-orm\/migrations['"]/ },
  { tool: 'Kysely', language: 'TypeScript/JavaScript', file: JS_FILE, marker: /\bKysely\s*</ },
  // `node-pg-migrate create` writes `exports.up = (pgm) => {}` under a JSDoc naming node-pg-migrate's MigrationBuilder
  // (templates/migration-template.js); found where no package.json names the package (field: newfolder42/gspot-web)
  {
    tool: 'node-pg-migrate',
    language: 'JavaScript/TypeScript',
    file: JS_FILE,
    marker: /\bnode-pg-migrate\b|\bMigrationBuilder\b|\(\s*pgm\s*[,):]|\bpgm\s*=>/,
    instead: 'node-pg-migrate also runs SQL migrations (`node-pg-migrate create <name> -j sql`), which pgdrift replays; the JavaScript ones it cannot',
  },
  // `db-migrate create` writes `exports.setup = function(options, seedLink) { dbm = options.dbmigrate; ...` (db-migrate
  // lib/templates; field: nwjbrandon/bengakala_tourism)
  {
    tool: 'db-migrate',
    language: 'JavaScript',
    file: JS_FILE,
    marker: /\boptions\.dbmigrate\b/,
    instead: 'db-migrate keeps SQL files with `db-migrate create <name> --sql-file` (migrations/sqls/<name>-up.sql, run by the .js beside it): pgdrift replays that folder (--migrations migrations/sqls)',
  },
  // ley runs each file's exported `up(sql)` (lukeed/ley README "Migrations"); its files import nothing of it, so the
  // project's dependency on it decides (field: Josehower/e-commerce-project, RateTheLandlord/rtl-frontend)
  { tool: 'ley', language: 'JavaScript/TypeScript', file: JS_FILE, marker: /\bexports\.up\s*=|\bexport\s+(?:async\s+)?function\s+up\b|\bexport\s+const\s+up\b/, dependency: 'ley' },
  { tool: 'Sequelize', language: 'JavaScript/TypeScript', file: JS_FILE, marker: /\bqueryInterface\b/ },
  { tool: 'Knex', language: 'JavaScript/TypeScript', file: JS_FILE, marker: /\bknex\b|\bKnex\b/ },
];

/** Folders such tools keep their migrations in, looked at when no SQL migrations folder is found. */
const TOOL_FOLDERS = ['db/migrate', 'alembic/versions', 'migrations/versions', 'priv/repo/migrations', 'database/migrations', 'Migrations', 'migrations', 'migration', 'src/migrations', 'src/migration', 'src/db/migrations', 'db/migrations'];

export interface CodeMigrations {
  /** the folder, relative to the project root, with forward slashes */
  folder: string;
  tool: string;
  language: string;
  files: string[];
  instead?: string;
}

/** The code migrations of a known tool in `folder` (absolute), if its files are that: undefined for anything else. */
export function codeMigrationsIn(folder: string, root: string): CodeMigrations | undefined {
  let names: string[];
  try {
    names = readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
      .sort(byCodeUnits);
  } catch {
    return undefined;
  }
  for (const tool of TOOLS) {
    const files = names.filter((name) => tool.file.test(name) && !/^__init__\.py$|\.d\.ts$/.test(name));
    // the first few files decide: one generated by the tool holds its marker near the top
    if (files.length === 0 || !files.slice(0, 3).some((name) => tool.marker.test(head(path.join(folder, name))))) continue;
    if (tool.dependency && !dependsOn(folder, root, tool.dependency)) continue;
    const relative = path.relative(root, folder).split(path.sep).join('/') || '.';
    return { folder: relative, tool: tool.tool, language: tool.language, files, ...(tool.instead ? { instead: tool.instead } : {}) };
  }
  return undefined;
}

/**
 * The first folder of code migrations found in a project with no SQL migrations folder: the tools' usual folders
 * first, then a Django app's `<app>/migrations` one or two levels down.
 */
export function findCodeMigrations(root: string): CodeMigrations | undefined {
  for (const folder of TOOL_FOLDERS) {
    const found = codeMigrationsIn(path.join(root, ...folder.split('/')), root);
    if (found) return found;
  }
  for (const app of subFolders(root)) {
    for (const folder of [path.join(root, app, 'migrations'), ...subFolders(path.join(root, app)).map((sub) => path.join(root, app, sub, 'migrations'))]) {
      const found = codeMigrationsIn(folder, root);
      if (found) return found;
    }
  }
  return undefined;
}

/** What to say of them: a clause for the error message and the hint. */
export function describeCodeMigrations(found: CodeMigrations): { clause: string; hint: string } {
  const count = found.files.length === 1 ? '1 migration' : `${found.files.length} migrations`;
  return {
    clause: `${found.folder}/ holds ${count} of ${found.tool}, written in ${found.language} (e.g. ${found.files[0]}), which pgdrift cannot replay: it replays SQL migration files as their runner sends them`,
    hint: found.instead ?? 'pgdrift replays SQL migration files (the runners in the README); it still compares two pg_dump files: `pgdrift diff a.sql b.sql`',
  };
}

/** The error for a migrations folder that holds a code tool's migrations and no SQL pgdrift can replay (exit 2). */
export function codeMigrationsError(found: CodeMigrations): InputError {
  const { clause, hint } = describeCodeMigrations(found);
  return new InputError(`no SQL migrations to replay: ${clause}`, { hint });
}

/** Whether a package.json from `folder` up to the project root lists `name` among its dependencies. */
function dependsOn(folder: string, root: string, name: string): boolean {
  const top = path.resolve(root);
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      if (['dependencies', 'devDependencies'].some((key) => typeof manifest[key] === 'object' && manifest[key] !== null && name in (manifest[key] as object))) return true;
    } catch {
      // no package.json here, or not JSON: look further up
    }
    if (dir === top || path.dirname(dir) === dir || !dir.startsWith(top)) return false;
  }
}

function head(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(0, 4096);
  } catch {
    return '';
  }
}

function subFolders(folder: string): string[] {
  try {
    return readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
      .map((entry) => entry.name)
      .sort(byCodeUnits);
  } catch {
    return [];
  }
}
