import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { checkProjectFile } from '../util/project-paths.js';
import { isPgDumpFile } from '../util/pg-dump-file.js';
import { atlas } from './atlas.js';
import { dbmate } from './dbmate.js';
import { DIESEL_DATABASES, diesel, isDieselCrateFolder } from './diesel.js';
import { drizzle, drizzleJournalNotPostgres, isDrizzleFolderLayout } from './drizzle.js';
import { flyway } from './flyway.js';
import { golangMigrate } from './golang-migrate.js';
import { goose } from './goose.js';
import { hasura, hasuraProjectMigrations } from './hasura.js';
import { nodePgMigrate } from './node-pg-migrate.js';
import { numbered } from './numbered.js';
import { postgresMigrations } from './postgres-migrations.js';
import { prisma, prismaLockNotPostgres } from './prisma.js';
import { sqitch } from './sqitch.js';
import { liquibase } from './liquibase.js';
import { crateForOtherDatabase, isSqlxCrateFolder, sqlx } from './sqlx.js';
import { supabase } from './supabase.js';
import { declaredSchemaFiles } from './supabase-schemas.js';
import { describeSchemaOnlyOrm, findSchemaOnlyOrm } from './schema-only-orm.js';
import { tern } from './tern.js';
import { sqlMigrate } from './sql-migrate.js';
import { yoyo } from './yoyo.js';
import { isRefineryCrateFolder, REFINERY_DATABASES, refinery } from './refinery.js';
import { postgrator } from './postgrator.js';
import { graphileMigrate, graphileMigrateProjectMigrations } from './graphile-migrate.js';
import { codeMigrationsError, codeMigrationsIn, describeCodeMigrations, findCodeMigrations } from './code-migrations.js';
import { byCodeUnits, filesIn, isDirectory, isFile, isSql, RUNNER_NAMES, type Evidence, type FolderListing, type Runner, type RunnerName } from './types.js';

export * from './types.js';

/** Every runner pgdrift knows, one file each. Adding a runner is one file, one line here and its fixtures. */
export const runners = [numbered, flyway, golangMigrate, sqlx, dbmate, goose, supabase, prisma, drizzle, postgresMigrations, nodePgMigrate, diesel, sqitch, atlas, hasura, tern, liquibase, sqlMigrate, yoyo, graphileMigrate, refinery, postgrator] as const satisfies readonly Runner[];

const byName = new Map<string, Runner>(runners.map((runner) => [runner.name, runner]));

export function runnerByName(name: string): Runner {
  const runner = byName.get(name);
  if (!runner) throw new InputError(`unknown runner "${name}"`, { hint: `use one of: ${RUNNER_NAMES.join(', ')}` });
  return runner;
}

/**
 * Conventional migration folders, most specific first; the three generic ones keep pgdrift's historical order
 * (migrations/, database/migrations/, db/migrations/).
 */
export const CONVENTIONAL_FOLDERS = ['supabase/migrations', 'prisma/migrations', 'drizzle', 'src/main/resources/db/migration', 'src/main/resources/db/changelog', 'migrations', 'database/migrations', 'db/migrations', 'db/migration'];

/** A Liquibase master changelog's conventional name (a changelog folder may hold no .sql file: XML/YAML changesets). */
function isLiquibaseMasterName(file: string): boolean {
  return /^db\.changelog-master\.(ya?ml|xml|json|sql)$/i.test(file);
}

/** The first conventional folder that holds migration candidates (or, failing that, the first that exists). */
export function findMigrationsFolder(root: string): string | undefined {
  const existing = CONVENTIONAL_FOLDERS.filter((folder) => isDirectory(path.join(root, folder)));
  return existing.find((folder) => listFolder(path.join(root, folder), root).files.some((f) => isSql(f) || f.endsWith('_journal.json') || isLiquibaseMasterName(f))) ?? existing[0];
}

/**
 * The conventional folders that are symbolic links to nothing here, as `name -> target`: a link committed from the
 * machine it was made on (`supabase/migrations -> /Users/<someone>/.../supabase/migrations`; field:
 * passionseed/ps_app, chuck146/authority-engine), which "no migrations folder found" alone does not explain.
 */
export function danglingFolderLinks(root: string): string[] {
  return CONVENTIONAL_FOLDERS.flatMap((folder) => {
    const at = path.join(root, folder);
    try {
      if (!lstatSync(at).isSymbolicLink() || existsSync(at)) return [];
      return [`${folder} -> ${readlinkSync(at)}`];
    } catch {
      return [];
    }
  });
}

/**
 * The "no migrations folder found" error, naming any conventional folder that is a link to nothing, and, as a hint
 * only (never taken unasked), folders further down whose name says migrations and that hold .sql files (field:
 * ssoready/ssoready keeps golang-migrate files in cmd/migrate/migrations).
 */
export function noMigrationsFolderError(root: string, hint: string): InputError {
  const dangling = danglingFolderLinks(root);
  const links = dangling.length > 0 ? `; ${dangling.join(', ')} ${dangling.length > 1 ? 'are symbolic links' : 'is a symbolic link'} to a folder that does not exist here` : '';
  const below = dangling.length > 0 ? [] : migrationLikeFolders(root);
  const named = below.length > 0 ? `; below it, ${below.slice(0, 3).map((folder) => `${folder}/`).join(', ')}${below.length > 3 ? ` and ${below.length - 3} more` : ''} ${below.length > 1 ? 'hold' : 'holds'} .sql files` : '';
  // a Supabase project with declarative schemas and no migrations yet: the CLI applies migrations only
  const declared = dangling.length === 0 && below.length === 0 && !isDirectory(path.join(root, 'supabase', 'migrations')) ? declaredSchemaFiles(root, path.join(root, 'supabase')) : undefined;
  if (declared) {
    return new InputError(`no migrations folder found in ${root}: ${declared.origin} declares the schema (${declared.files.length} file${declared.files.length > 1 ? 's' : ''}), but supabase/migrations does not exist, and the Supabase CLI applies only migrations (supabase db reset, db push)`, {
      hint: 'write the migrations from the declared schema with `supabase db diff -f <name>` (supabase/migrations/<timestamp>_<name>.sql): pgdrift then checks that they give the declared schema',
    });
  }
  // a project whose migrations are code (Rails, Django, Alembic, Knex...): what it is, not a folder to look for
  const code = dangling.length === 0 && below.length === 0 ? findCodeMigrations(root) : undefined;
  if (code) {
    const { clause, hint: instead } = describeCodeMigrations(code);
    return new InputError(`no SQL migrations found in ${root}: ${clause}`, { hint: instead });
  }
  // the project's parts are git submodules that this checkout has not fetched: their folders are empty here
  const submodules = dangling.length === 0 && below.length === 0 ? emptySubmodules(root) : [];
  // an ORM that keeps the schema in code, its migrations not committed (prisma db push, drizzle-kit push): that, not
  // an unrelated submodule, is why there is no folder (field: gitroomhq/postiz-app, databuddy-analytics/Databuddy)
  const schemaOnly = dangling.length === 0 && below.length === 0 ? findSchemaOnlyOrm(root, (look) => walkProjectFolders(root, 1, (folder, _name, level) => (look(folder), level < 6 ? level + 1 : undefined))) : undefined;
  if (schemaOnly && !submodules.some((folder) => schemaOnly.folder === folder || schemaOnly.folder.startsWith(`${folder}/`))) {
    const { clause, hint: instead } = describeSchemaOnlyOrm(schemaOnly);
    const also = submodules.length > 0 ? ` (${submodules[0]}/${submodules.length > 1 ? ` and ${submodules.length - 1} more` : ''}, a git submodule not checked out here, is empty too)` : '';
    return new InputError(`no migrations folder found in ${root}: ${clause}${also}`, { hint: instead });
  }
  if (submodules.length > 0) {
    const shownList = `${submodules.slice(0, 4).map((folder) => `${folder}/`).join(', ')}${submodules.length > 4 ? ` and ${submodules.length - 4} more` : ''}`;
    return new InputError(`no migrations folder found in ${root}: ${shownList} ${submodules.length > 1 ? 'are git submodules' : 'is a git submodule'} (.gitmodules) not checked out here, so ${submodules.length > 1 ? 'they are' : 'it is'} empty`, {
      hint: `fetch ${submodules.length > 1 ? 'them' : 'it'} with \`git submodule update --init\`, then run pgdrift in the submodule that holds the migrations (-C ${submodules[0]})`,
    });
  }
  // of one folder per database (openfga/openfga assets/migrations/{mysql,postgres,sqlite}), the PostgreSQL one
  const suggested = postgresFolder(below) ?? below[0];
  return new InputError(`no migrations folder found in ${root} (looked for ${CONVENTIONAL_FOLDERS.join(', ')})${links}${named}`, {
    hint: dangling.length > 0 ? `commit the migrations themselves instead of a link, or name the folder the link stands for: --migrations <folder>` : below.length > 0 ? `if that is the history, name it: --migrations ${suggested} (or "migrations" in pgdrift.config.json)` : hint,
  });
}

/**
 * The submodule paths of .gitmodules that are missing or empty here: a clone without --recurse-submodules leaves
 * them so (field: BackendWorks/nestjs-microservices keeps each service, its Prisma migrations too, in a submodule).
 * .gitmodules is git-config syntax; only its `path = <folder>` lines matter here.
 */
export function emptySubmodules(root: string): string[] {
  let text: string;
  try {
    text = readFileSync(path.join(root, '.gitmodules'), 'utf8');
  } catch {
    return [];
  }
  const paths = [...text.matchAll(/^\s*path\s*=\s*(.+?)\s*$/gm)].map((match) => match[1].replace(/^"(.*)"$/, '$1'));
  return paths.filter((folder) => {
    const at = path.resolve(root, folder);
    if (!at.startsWith(path.resolve(root) + path.sep)) return false;
    try {
      return readdirSync(at).length === 0;
    } catch {
      return !existsSync(at);
    }
  });
}

/**
 * Of folders kept one per database, the PostgreSQL one, judged by the database a part of each path names: the one
 * named for PostgreSQL when exactly one is and another is named for another database (openfga/openfga's
 * assets/migrations/{mysql,postgres,sqlite}; inngest/inngest's pkg/db/{postgres,sqlite}/migrations), else the only one
 * no part of whose path names another database when all the others' do (e2b-dev/infra's packages/db/migrations beside
 * packages/clickhouse/migrations). Undefined otherwise.
 */
export function postgresFolder(folders: string[]): string | undefined {
  const parts = (folder: string) => folder.toLowerCase().split(/[\\/]/);
  const namesPostgres = (folder: string) => parts(folder).some((part) => /^(postgres|postgresql|pg|pgsql)$/.test(part));
  const namesOther = (folder: string) => !namesPostgres(folder) && parts(folder).some((part) => /^(mysql|mariadb|sqlite3?|mssql|sqlserver|oracle|clickhouse|cockroach(db)?|h2)$/.test(part));
  const others = folders.filter(namesOther);
  if (others.length === 0) return undefined;
  const postgres = folders.filter(namesPostgres);
  if (postgres.length === 1) return postgres[0];
  const rest = folders.filter((folder) => !namesOther(folder));
  return postgres.length === 0 && rest.length === 1 ? rest[0] : undefined;
}

/** Folders up to four levels down named like a migrations folder (`migrations`, `migration`, `migrate`...) that hold .sql files. */
export function migrationLikeFolders(root: string): string[] {
  const found: string[] = [];
  const holdsSql = (folder: string) => filesIn(path.join(root, folder)).some((name) => isSql(name));
  let visited = 0;
  walkProjectFolders(root, 1, (folder, name, level) => {
    if (++visited > MAX_FOLDERS_SEARCHED) return undefined;
    if (/migrat/i.test(name) && level <= 4) {
      if (holdsSql(folder)) return void found.push(folder);
      // one folder per database (goharbor/harbor make/migrations/postgresql/)
      const perDatabase = subFolders(path.join(root, folder)).map((sub) => `${folder}/${sub}`);
      if (perDatabase.some(holdsSql)) return void found.push(...perDatabase.filter(holdsSql));
      // one folder per schema, each with its history one more level down (a Functionals-AI monorepo's
      // mono/common-store/migrations/<schema>/schema/, each run by its own `dbmate --migrations-dir`)
      const perSchema = perDatabase.flatMap((sub) => subFolders(path.join(root, sub)).map((inner) => `${sub}/${inner}`)).filter(holdsSql);
      if (perSchema.length > 0) return void found.push(...perSchema);
    }
    // a folder of any name and depth whose files carry a runner's migration names: a package's payload
    // (BayCEER/bayeos-server: Flyway's V<version>__<description>.sql in src/deb/data/usr/share/bayeos-server/sql/,
    // which only an install script's `flyway -locations=filesystem:$INSTALLDIR/sql` names)
    if (filesIn(path.join(root, folder)).some((file) => RUNNER_MIGRATION_NAME.test(file))) return void found.push(folder);
    return level < 8 ? level + 1 : undefined;
  });
  return found.sort();
}

/** File names only a migration runner gives: Flyway's versioned `V1.2__name.sql`, golang-migrate's `1_name.up.sql`. */
const RUNNER_MIGRATION_NAME = /^(?:V\d+(?:[._]\d+)*__.+\.sql|\d+_.+\.up\.sql)$/;

/** The search for a migrations folder, only when none was found, stops after this many folders (a huge monorepo). */
const MAX_FOLDERS_SEARCHED = 5000;

/**
 * Walks the project's folders below `root`, leaving out dot folders, dependencies and build output: `visit` gets each
 * folder (relative, with forward slashes), its name and the level it was reached at, and returns the level to walk
 * into it at, or undefined to leave its sub-folders alone.
 */
function walkProjectFolders(root: string, level: number, visit: (folder: string, name: string, level: number) => number | undefined, relative = ''): void {
  let entries;
  try {
    entries = readdirSync(path.join(root, relative), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || SKIPPED_FOLDERS.has(entry.name)) continue;
    const folder = relative ? `${relative}/${entry.name}` : entry.name;
    const next = visit(folder, entry.name, level);
    if (next !== undefined) walkProjectFolders(root, next, visit, folder);
  }
}

/** Folders that only migrations of one runner live in: found below the root too (a monorepo's packages/db/prisma/migrations). */
const SPECIFIC_FOLDERS = ['supabase/migrations', 'prisma/migrations', 'src/main/resources/db/migration', 'src/main/resources/db/changelog'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'build', 'target', 'vendor', 'out', 'coverage', 'tmp']);

/** A folder path ends with the first parts of a specific folder (`app/src/main`): on the way into one. */
function onTheWayIntoSpecific(folder: string): boolean {
  const parts = folder.split('/');
  return SPECIFIC_FOLDERS.some((suffix) => {
    const wanted = suffix.split('/');
    for (let k = Math.min(wanted.length - 1, parts.length); k >= 1; k--) {
      if (parts.slice(-k).join('/') === wanted.slice(0, k).join('/')) return true;
    }
    return false;
  });
}

/**
 * With no migrations folder at the root: the runner-specific folders (and drizzle's, by its `meta/_journal.json` or
 * drizzle-kit 1.0's `<name>/migration.sql` beside `<name>/snapshot.json`; Prisma's, wherever it is, by its `migration_lock.toml`;
 * a Rust crate's `migrations` beside a Cargo.toml that depends on sqlx or refinery; Diesel's `<version>_<name>/up.sql` folders beside a
 * diesel.toml; a Sqitch project's folder, by its sqitch.plan; a tern project's, by its tern.conf) below it, in a folder up to `depth` levels down, skipping dot folders, dependencies and build output. Relative
 * paths, sorted. The levels of the specific folder itself do not count: a Maven module's
 * `app/src/main/resources/db/migration` is one level down (depth counted on the whole path never reached it).
 */
export function findNestedMigrationsFolders(root: string, depth = 4): string[] {
  const found: string[] = [];
  const otherDatabases: string[] = [];
  walkProjectFolders(root, 0, (folder, _name, level) => {
    const specific = SPECIFIC_FOLDERS.find((suffix) => folder === suffix || folder.endsWith(`/${suffix}`));
    const journal = isFile(path.join(root, folder, 'meta', '_journal.json')) || isDrizzleFolderLayout(path.join(root, folder));
    // Prisma writes migration_lock.toml into its migrations folder wherever prisma.config.ts's `migrations.path` or
    // the schema's location puts it (src/db/migrations; prisma/schema/migrations beside a multi-file schema)
    const lock = isFile(path.join(root, folder, 'migration_lock.toml'));
    const crate = isSqlxCrateFolder(path.join(root, folder), root) || isDieselCrateFolder(path.join(root, folder)) || isRefineryCrateFolder(path.join(root, folder));
    // a Sqitch project's top_dir, by its plan (its scripts are in deploy/ below it)
    const sqitchPlan = isFile(path.join(root, folder, 'sqitch.plan'));
    // a tern project's folder, by its tern.conf (`tern init` writes it beside the migrations; tern reads ./tern.conf
    // and migrates `.` by default: main.go LoadConfig)
    const ternConf = isFile(path.join(root, folder, 'tern.conf'));
    // a Hasura project's folder, by its config.yaml: its migrations folder (the database folder below it follows from
    // the config, as from the root)
    const hasuraMigrations = hasuraProjectMigrations(path.join(root, folder));
    if (hasuraMigrations && hasSqlBelow(hasuraMigrations)) {
      found.push(path.relative(root, hasuraMigrations).split(path.sep).join('/'));
      return undefined;
    }
    // a graphile-migrate project's folder, by its .gmrc: the migrations folder it names (default ./migrations)
    const gmrcMigrations = graphileMigrateProjectMigrations(path.join(root, folder));
    if (gmrcMigrations) {
      found.push(path.relative(root, gmrcMigrations).split(path.sep).join('/'));
      return undefined;
    }
    // drizzle-kit writes its .sql files beside meta/ (or as drizzle-kit 1.0's <name>/migration.sql): a journal whose
    // folder holds .sql files only in a sub-folder is not the history (field: nodexxplorer/realityX's frontend/drizzle
    // has a stray meta/_journal.json with no entries above drizzle/migrations, the `out` drizzle.config.ts names)
    const journalOnly = journal && !(specific || lock || crate || sqitchPlan || ternConf);
    const holds = (f: string) => (journalOnly ? isSql(f) && (!f.includes('/') || /^[^/]+\/migration\.sql$/.test(f)) : isSql(f) || (specific !== undefined && isLiquibaseMasterName(f)));
    if ((specific || journal || lock || crate || sqitchPlan || ternConf) && listFolder(path.join(root, folder), root).files.some(holds)) {
      // a history its runner's own files say is for another database (a Prisma lock file's sqlite, a drizzle
      // journal's mysql; teableio/teable keeps prisma/sqlite/migrations beside prisma/postgres/migrations) is no candidate beside a PostgreSQL one; alone, it is kept, and refused by name as not PostgreSQL
      (prismaLockNotPostgres(path.join(root, folder)) || drizzleJournalNotPostgres(path.join(root, folder)) || (crate && rustCrateNotPostgres(path.join(root, folder), root)) ? otherDatabases : found).push(folder);
      return undefined;
    }
    // `level` is how deep the folder's parent is: a folder up to `depth` levels down is listed, so a runner folder
    // inside it is found
    if (onTheWayIntoSpecific(folder)) return level;
    return level < depth ? level + 1 : undefined;
  });
  return (found.length > 0 ? found : otherDatabases).sort(byCodeUnits);
}

/** A crate's folder whose diesel or refinery features are another database's only (a SQLite crate beside a PostgreSQL one). */
function rustCrateNotPostgres(folder: string, root: string): boolean {
  return crateForOtherDatabase(folder, root, DIESEL_DATABASES) !== undefined || crateForOtherDatabase(folder, root, REFINERY_DATABASES) !== undefined;
}

function subFolders(folder: string): string[] {
  try {
    return readdirSync(folder, { withFileTypes: true }).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name);
  } catch {
    return [];
  }
}

/** A folder holds .sql files, itself or one or two levels down (a Hasura database folder's `<version>/up.sql`). */
function hasSqlBelow(folder: string): boolean {
  const visit = (dir: string, level: number): boolean => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    return entries.some((entry) => (entry.isDirectory() ? level < 2 && !entry.name.startsWith('.') && visit(path.join(dir, entry.name), level + 1) : isSql(entry.name)));
  };
  return visit(folder, 0);
}

/**
 * A folder path that passes through an example, fixture or test folder (`examples/supabase/supabase/migrations`,
 * `test/fixtures/prisma/migrations`): a history kept to show or test something, not the project's own.
 */
export function isExampleOrFixturePath(folder: string): boolean {
  return folder.split('/').slice(0, -1).some((part) => EXAMPLE_FOLDER.test(part));
}
const EXAMPLE_FOLDER = /^(examples?|samples?|demos?|fixtures?|__fixtures__|testdata|tests?|__tests__|e2e)$/i;

/**
 * The one runner-specific folder below a root that has none of its own (a monorepo package's prisma/migrations, a
 * drizzle `out` folder found by its journal), or undefined; several are an error naming them all. A folder under an
 * example, fixture or test folder is left out when another one is not (field: dittofeed/dittofeed keeps a Supabase
 * example project in examples/supabase beside packages/backend-lib/drizzle), and named as left out. Shared by init and
 * every other command, so `pgdrift init` finds what `pgdrift dump` would replay.
 */
export function onlyNestedMigrationsFolder(root: string): { folder: string; leftOut: string[] } | undefined {
  const all = findNestedMigrationsFolders(root);
  const own = all.filter((folder) => !isExampleOrFixturePath(folder));
  const nested = own.length > 0 ? own : all;
  const leftOut = all.filter((folder) => !nested.includes(folder));
  if (nested.length > 1) {
    const skipped = leftOut.length > 0 ? ` (${leftOut.join(', ')}, under an example, fixture or test folder, left out)` : '';
    throw new InputError(`no migrations folder at the root of ${root}, and several below it: ${nested.join(', ')}${skipped}`, {
      hint: `name the one to check: --migrations ${nested[0]} (or another of them), or "migrations" in pgdrift.config.json; or run pgdrift in that project's folder: -C ${projectFolderOf(nested[0])}`,
    });
  }
  return nested.length === 1 ? { folder: nested[0], leftOut } : undefined;
}

/** The project folder a nested migrations folder belongs to: above its runner's own folders (`packages/db` of `packages/db/prisma/migrations`). */
function projectFolderOf(folder: string): string {
  const specific = SPECIFIC_FOLDERS.find((suffix) => folder.endsWith(`/${suffix}`));
  const parent = specific ? folder.slice(0, -specific.length - 1) : folder.includes('/') ? folder.slice(0, folder.lastIndexOf('/')) : '.';
  return parent || '.';
}

/**
 * The files of a folder up to two levels deep (prisma's `<name>/migration.sql`, drizzle's `meta/_journal.json`).
 * A file is read only once it passes the project-file checks (checkProjectFile: no link out of `root` or into /proc,
 * /sys, /dev; a regular file, so never a link to /dev/zero or a pipe); one that does not reads as empty here, and
 * the loader names it.
 */
export function listFolder(folder: string, root: string): FolderListing {
  const files: string[] = [];
  const visit = (relative: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(path.join(folder, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (depth < 2 && !entry.name.startsWith('.') && entry.name !== 'node_modules') visit(name, depth + 1);
      } else files.push(name);
    }
  };
  visit('', 1);
  files.sort(byCodeUnits);
  const cache = new Map<string, string>();
  return {
    folder,
    root,
    files,
    read(name) {
      let text = cache.get(name);
      if (text === undefined) {
        try {
          const real = checkProjectFile(path.join(folder, name), name, root);
          // Directives sit in the first lines: detection searches the first million characters of a file.
          text = real ? readFileSync(real, 'utf8').slice(0, 1_000_000) : '';
        } catch {
          text = '';
        }
        cache.set(name, text);
      }
      return text;
    },
  };
}

export interface RunnerDetection {
  runner: Runner;
  /** what showed it; undefined for the numbered fallback */
  evidence?: Evidence;
}

/**
 * Recognises the runner of a migrations folder from its file names and markers. Evidence of two runners is an
 * error naming files of each; no evidence means the numbered layout when there are .sql files.
 */
export function detectRunner(folder: string, root: string, options: { allowEmpty?: boolean } = {}): RunnerDetection {
  const listing = listFolder(folder, root);
  const relative = path.relative(root, folder).split(path.sep).join('/') || '.';
  const found: { runner: Runner; evidence: Evidence }[] = [];
  for (const runner of runners) {
    const evidence = runner.evidence(listing);
    if (evidence) found.push({ runner, evidence });
  }
  // Evidence that names a runner it overrides wins over it (sqlx's Cargo.toml over golang-migrate's .up.sql names).
  const overridden = new Set(found.flatMap((f) => f.evidence.overrides ?? []));
  const kept = found.filter((f) => !overridden.has(f.runner.name));
  // Weak evidence (a supabase/migrations folder, `<id>-<name>.sql` names) yields to markers and distinctive names.
  const specific = kept.filter((f) => !f.evidence.weak);
  const chosen = specific.length > 0 ? specific : kept;
  if (chosen.length > 1) {
    const lines = chosen.map(({ runner, evidence }) => `  ${runner.name} (${evidence.what}): ${sample(evidence.files)}`);
    throw new InputError(`${relative}/ mixes the layouts of several migration runners:\n${lines.join('\n')}`, {
      hint: `keep one runner's files in the folder, or name the runner that applies it: ${chosen.map(({ runner }) => `--runner ${runner.name}`).join(' or ')} (or "runner" in pgdrift.config.json)`,
    });
  }
  if (chosen.length === 1) return chosen[0];
  // An empty folder is an error where migrations are needed (init, replay), not where only the config is (docs, diff of dumps).
  const topSql = listing.files.filter((name) => !name.includes('/') && isSql(name));
  // a folder whose only .sql files are unnumbered pg_dump schema dumps holds no migrations either: supabase/postgres keeps
  // migrations/schema.sql, schema-15.sql and schema-16.sql above migrations/db/{init-scripts,migrations}, which its
  // migrate.sh applies (the dumps were replayed as numbered migrations, failing on the extensions they dump)
  const dumpsOnly = onlySchemaDumps(folder, topSql, root);
  if (!options.allowEmpty && (topSql.length === 0 || dumpsOnly)) {
    // sqlx and golang-migrate projects keep one folder per database or stage (migrations/postgresql/), Diesel ones one
    // folder of `<version>/up.sql` per database (dani-garcia/vaultwarden: migrations/{mysql,postgresql,sqlite}/)
    const holding = subFolders(folder).filter((name) => hasSqlBelow(path.join(folder, name))).sort(byCodeUnits);
    // db-migrate's --sql-file wrappers are its code too, but the hint below names the folder of SQL they run
    const code = holding.includes('sqls') ? undefined : codeMigrationsIn(folder, root);
    if (code) throw codeMigrationsError(code);
    const postgres = postgresFolder(holding);
    const what = dumpsOnly ? `the .sql files in ${relative}/ (${topSql.join(', ')}) are pg_dump schema dumps, not migrations` : `no .sql files in ${relative}/`;
    throw new InputError(`${what}: there are no migrations to replay`, {
      hint:
        holding.length > 0
          ? `its subfolder${holding.length > 1 ? 's' : ''} ${holding.map((name) => `${relative}/${name}/`).join(', ')} ${holding.length > 1 ? 'hold' : 'holds'} .sql files: ${
              postgres
                ? `name the PostgreSQL one: --migrations ${relative === '.' ? '' : `${relative}/`}${postgres} (or "migrations" in pgdrift.config.json)`
                : holding.includes('sqls') && listing.files.some((name) => !name.includes('/') && name.endsWith('.js'))
                  ? `db-migrate's --sql-file layout (its .js migrations run sqls/<name>-up.sql): --migrations ${relative === '.' ? '' : `${relative}/`}sqls replays them as they do (or "migrations" in pgdrift.config.json)`
                  : 'point --migrations (or "migrations" in pgdrift.config.json) at the one the runner applies'
            }`
          : 'point --migrations (or "migrations" in pgdrift.config.json) at the folder of migration files',
    });
  }
  return { runner: numbered };
}

/**
 * The .sql files of a folder are all schema dumps pg_dump wrote, none with a version number (schema.sql,
 * schema-15.sql): no migrations, whatever a custom script beside them applies.
 */
export function onlySchemaDumps(folder: string, names: string[], root: string): boolean {
  return names.length > 0 && names.every((name) => !/^\d/.test(name) && isPgDumpFile(path.join(folder, name), name, root));
}

/**
 * Files a detected runner would silently skip although they look like migrations (a `3_x.sql` beside golang-migrate
 * `.up.sql` files): the folder is ambiguous, so that is an error rather than a replay without them.
 */
export function conflictingFiles(runner: Runner, ignored: { name: string; reason: string; expected?: boolean }[]): string[] {
  if (runner.name === 'numbered') return [];
  return ignored
    // a file the runner skips by design (an Atlas file before its latest checkpoint) is no sign of another layout
    .filter((file) => !file.expected)
    .map((file) => file.name)
    .filter((name) => /^\d+[-_.][^/]*\.sql$/i.test(name) && !/\.down\.sql$/i.test(name) && !(runner.name === 'drizzle'));
}

function sample(files: string[]): string {
  return files.length <= 3 ? files.join(', ') : `${files.slice(0, 3).join(', ')} and ${files.length - 3} more`;
}

export function isRunnerName(name: string): name is RunnerName {
  return (RUNNER_NAMES as readonly string[]).includes(name);
}
