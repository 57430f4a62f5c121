import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSql, SqlSyntaxError, type ParsedStatement } from '../sql/parse.js';
import { inlineCopyBefore } from '../sql/inline-copy.js';
import { quoteIdent, quoteLiteral } from '../engine/quote.js';
import { InputError } from '../errors.js';
import { DEFAULT_NAMING, describeNaming, exampleName, fileNamePattern, flywayNaming, namingSettings, parseName, suffixOf, versionParts, type FlywayNaming } from './flyway-naming.js';
import { flywayPlaceholders, flywayPlaceholderSettings } from './flyway-placeholders.js';
import { flywaySchemaSettings, flywayTomlEnvironmentNotice, readFlywaySettingSources, settingValues, type FlywaySchemaSettings } from './flyway-settings.js';
import type { FlywaySetting } from './flyway-settings-files.js';
import { codeConfiguredFlywayNotice, javaMigrations } from './flyway-java.js';
import { composeFlywayLocations } from './flyway-compose.js';
import { environmentWithDotEnv } from './dotenv.js';
import { mavenProfilesNotice } from './flyway-maven-settings.js';
import { flywayCommandSettings } from './flyway-commands.js';
import { applicationFramework, filesystemLocation, hasApplicationFiles, otherQuarkusProfilesWithLocations, otherSpringProfilesLocationsNotice, quarkusProfilesInUse, resourcesFolder, springProfilesEnablingFlyway, springResourceFolders } from './spring-boot-settings.js';
import { positionIn, substitute, type Substitution } from './substitution.js';
import { byCodeUnits, isDirectory, isSql, wholeFile, type DiscoveredMigration, type FilePlan, type FolderListing, type PlanProblem, type IgnoredFile, type Runner, type RunnerLint, type RunnerOptions } from './types.js';

export { versionParts };

/**
 * Flyway (https://documentation.red-gate.com/fd/migrations), flyway/flyway@c5e20fc.
 * - Names (flyway-core .../resource/ResourceNameParser.java; flyway-naming.ts): prefix `V` versioned, `R` repeatable,
 *   `U` undo, `B` baseline, separator `__`, suffix `.sql` (any case) unless the project's settings name others
 *   (`flyway.sqlMigrationPrefix`..., Spring's `spring.flyway.sql-migration-prefix`...); a repeatable has no version.
 *   Other names are not migrations: skipped, or with `validateMigrationNaming` on, refused (the whole run fails).
 *   Locations are scanned recursively.
 * - Versions (flyway-core .../api/MigrationVersion.java): `_` means `.`, parts split at dots compared as big
 *   integers, trailing zero parts dropped (`1.0` = `1`, `V1_10` after `V1_9`). One version used twice is refused.
 * - Order (.../resolver/ResolvedMigrationComparator.java and the migrate docs): versioned migrations by version,
 *   then repeatables by description. Undo (`U`) migrations are never applied by `migrate`.
 * - Baseline migrations (https://documentation.red-gate.com/fd/baseline-migrations): on an empty database the
 *   newest `B<version>__` file is applied instead of every versioned migration up to and including its version.
 * - Transactions: each migration in its own transaction, statement by statement. A statement Postgres cannot run in
 *   a transaction (flyway-database-postgresql PostgreSQLParser.java `detectCanExecuteInTransaction`: CREATE/DROP
 *   INDEX CONCURRENTLY, CREATE/DROP DATABASE/TABLESPACE/SUBSCRIPTION, ALTER SYSTEM, REINDEX SCHEMA/DATABASE/SYSTEM,
 *   VACUUM (not ANALYZE), DISCARD ALL) makes the file run without one; mixing both kinds is refused (ParserSqlScript.java,
 *   `mixed` is false by default) unless `flyway.mixed` is true (the whole file then runs without a transaction). A
 *   script config file `<file>.conf` with `executeInTransaction=false` / `true` decides instead (SqlScriptMetadata.java).
 * - Schemas (SchemaHistoryFactory.prepareSchemas, DbSchemas.java): the default schema is `flyway.defaultSchema`, else
 *   the first of `flyway.schemas`, else `public`; with `flyway.createSchemas` (on by default) every managed schema
 *   that is missing is created (`CREATE SCHEMA "name"`) before the first migration, so a migration's own
 *   `CREATE SCHEMA name` then fails as it does with Flyway.
 * - Bookkeeping: the history table (`flyway.table`, default flyway_schema_history) in the default schema, created when
 *   missing before the first migration, with the script of flyway-database/flyway-database-postgresql/.../
 *   PostgreSQLDatabase.java `getRawCreateScript`.
 * - Session (DbMigrate.java before each migration: restoreOriginalState, changeCurrentSchemaTo; PostgreSQLConnection):
 *   the role set back (`SET ROLE` to the login role) and the search_path set to `"<default schema>",` + the
 *   connection's own (`"$user", public`) when that schema exists: a migration's `SET search_path` or `SET ROLE` does
 *   not reach the next one, and unqualified names land in the default schema.
 * - SQL callbacks (none with `skipDefaultCallbacks`): the once-per-migrate ones are placed in the history where
 *   migrate runs them (withCallbacks);
 *   beforeEachMigrate / afterEachMigrate run around each migration inside its transaction (Discovery.aroundEachMigration,
 *   DbMigrate.doMigrateGroup); those around each statement are not replayed (callbackNotice). Not replayed either:
 *   `flyway.initSql`, Java migrations.
 * - Placeholders (PlaceholderReplacingReader.java, ParsingContext.java; https://documentation.red-gate.com/fd/migration-placeholders):
 *   on by default, `${name}` is replaced everywhere in the file (comments and strings too), names case-insensitive;
 *   a placeholder without a value is refused. Values: flyway-placeholders.ts; the settings they come from:
 *   flyway-settings.ts and spring-boot-settings.ts. The replaced text is what runs; positions are still the file's
 *   (substitution.ts).
 */
export const flyway: Runner = {
  name: 'flyway',
  docs: 'https://documentation.red-gate.com/fd/migrations',
  folders: ['src/main/resources/db/migration', 'db/migration', 'sql'],
  discover(folder, options = {}) {
    const settings = readFlywaySettingSources(folder, options);
    const naming = flywayNaming(settings);
    const misnamed: string[] = [];
    const skipCallbacks = settings.get('flyway.skipDefaultCallbacks');
    const versioned: (DiscoveredMigration & { parts: bigint[]; java?: string })[] = [];
    const baselines: (DiscoveredMigration & { parts: bigint[] })[] = [];
    const repeatables: { name: string; description: string; java?: string }[] = [];
    const ignored: IgnoredFile[] = [];
    const callbacks: SqlCallback[] = [];
    const included = (name: string) => !options.include || options.include.some((sub) => name.startsWith(`${sub}/`));
    const migrationFiles = walk(folder).filter(included);
    const callbackLocations = callbackLocationFiles(folder, options);
    const inCallbackLocations = new Set(callbackLocations?.names ?? []);
    const inMigrationLocations = new Set(migrationFiles);
    for (const name of [...new Set([...migrationFiles, ...inCallbackLocations])]) {
      const base = path.posix.basename(name);
      // Flyway scans only the files that end with a suffix (Scanner.getResources)
      if (suffixOf(base, naming) === undefined) continue;
      const parsed = parseName(base, naming);
      if (callbackLocations) {
        // with callback locations set, the callbacks are theirs only, and their other files are not migrations
        if (parsed?.kind === 'callback' && !inCallbackLocations.has(name)) {
          ignored.push({ name, reason: `a SQL callback name, but ${callbackLocations.setting} is set: Flyway runs SQL callbacks only from there`, expected: true });
          continue;
        }
        if (parsed?.kind !== 'callback' && !inMigrationLocations.has(name)) continue;
      }
      if (parsed?.kind === 'callback') {
        const { event, stem, description } = parsed;
        // FlywayExecutor adds the SQL callbacks of the locations (SqlScriptCallbackFactory) unless skipDefaultCallbacks
        if (skipCallbacks?.value.trim().toLowerCase() === 'true') ignored.push({ name, reason: `a SQL callback (${event}): ${skipCallbacks.source} is true, so Flyway does not run it`, expected: true });
        else if (REPLAYED_EVENTS.includes(event) || AROUND_EACH_EVENTS.includes(event)) callbacks.push({ name, event, stem, ...(description ? { description } : {}) });
        else ignored.push(callbackNotice(name, event));
        continue;
      }
      if (!parsed) {
        misnamed.push(name);
        continue;
      }
      if (parsed.kind === 'U') ignored.push({ name, reason: 'an undo migration: `flyway migrate` never applies it', expected: true });
      else if (parsed.kind === 'R') repeatables.push({ name, description: parsed.description });
      else (parsed.kind === 'B' ? baselines : versioned).push({ name, version: parsed.version, parts: parsed.parts });
    }
    // Java-based migrations are in the history too (versions, duplicates, baseline and target as for SQL files)
    for (const java of javaMigrations(folder, settings.get('flyway.locations')?.value, options.include)) {
      if (java.kind === 'R') repeatables.push({ name: java.name, description: java.description, java: java.how });
      else if (java.kind === '?') {
        ignored.push({
          name: java.name,
          reason: `a Java-based Flyway migration (${java.how}) whose getVersion() pgdrift cannot read: flyway migrate runs its migrate() code, which pgdrift cannot replay, so the replayed schema lacks its effect`,
          appliedByRunner: true,
        });
      } else versioned.push({ name: java.name, version: java.version!, parts: java.parts!, java: java.how });
    }
    const validation = settings.get('flyway.validateMigrationNaming');
    const problems = duplicates(versioned).concat(duplicates(baselines), duplicateRepeatables(repeatables), duplicateCallbacks(callbacks));
    if (validation?.value.trim().toLowerCase() === 'true' && misnamed.length > 0) problems.push(invalidNames(misnamed, naming, validation.source));
    else for (const name of misnamed) ignored.push({ name, reason: `not a Flyway migration name (${describeNaming(naming)}): Flyway skips it` });
    versioned.sort((a, b) => compareParts(a.parts, b.parts));
    baselines.sort((a, b) => compareParts(a.parts, b.parts));
    repeatables.sort((a, b) => byCodeUnits(a.description, b.description));
    const latestBaseline = baselines[baselines.length - 1];
    let applied: (DiscoveredMigration & { parts: bigint[]; java?: string })[] = versioned;
    if (latestBaseline) {
      for (const m of versioned) {
        if (compareParts(m.parts, latestBaseline.parts) <= 0) ignored.push({ name: m.name, reason: `covered by the baseline migration ${latestBaseline.name} on a new database`, expected: true });
      }
      for (const b of baselines.slice(0, -1)) ignored.push({ name: b.name, reason: `an older baseline migration than ${latestBaseline.name}`, expected: true });
      applied = [latestBaseline, ...versioned.filter((m) => compareParts(m.parts, latestBaseline.parts) > 0)];
    }
    const target = settings.get('flyway.target');
    if (target) {
      const limited = aboveTarget(applied, [...versioned, ...baselines], target);
      if (typeof limited === 'string') problems.push(limited);
      else {
        for (const m of limited.above) ignored.push({ name: m.name, reason: `above the target version ${target.value.trim()} (${target.source}): flyway migrate stops before it` });
        applied = limited.kept;
      }
    }
    // Flyway runs a Java migration's code where its version puts it: pgdrift cannot replay it, so the replay lacks it
    const inOrder: { name: string; java?: string; version?: string }[] = [...applied, ...repeatables];
    inOrder.forEach((m, i) => {
      if (!m.java) return;
      const next = inOrder.slice(i + 1).find((later) => !later.java);
      ignored.push({
        name: m.name,
        reason: `a Java-based Flyway migration (${m.version === undefined ? 'repeatable' : `version ${m.version}`}; ${m.java}): flyway migrate runs its migrate() code, which pgdrift cannot replay, so the replayed schema lacks its effect`,
        appliedByRunner: true,
        ...(next ? { appliedBefore: next.name } : {}),
      });
    });
    const migrations = withCallbacks(
      applied.filter((m) => !m.java).map(({ name, version }) => ({ name, version })),
      repeatables.filter((m) => !m.java).map(({ name }) => ({ name })),
      callbacks.filter((c) => REPLAYED_EVENTS.includes(c.event)),
    );
    const around = { before: inEventOrder(callbacks, 'beforeEachMigrate').map((c) => c.name), after: inEventOrder(callbacks, 'afterEachMigrate').map((c) => c.name) };
    const notPostgres = otherDatabase(settings.get('flyway.url'), settings.get('flyway.$database'));
    return { migrations, ignored, problems, ...(around.before.length + around.after.length > 0 ? { aroundEachMigration: around } : {}), ...(notPostgres ? { notPostgres } : {}) };
  },
  evidence: flywayEvidence,
  plan: planFlyway,
  compareVersions: (a, b) => compareParts(versionParts(a)!, versionParts(b)!),
  // Flyway's defaults; forProject gives the project's own settings
  ...configuredAs(flywaySchemaSettings(new Map())),
  configuredFolders(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    const here = configuredLocations(folder, options, root);
    // asked with the root (no migrations folder found yet): a Spring Boot application's locations, in a module too,
    // else the Flyway CLI's default folder
    if (here || path.resolve(folder) === path.resolve(root)) {
      return here ?? springApplicationLocations(root, options) ?? composeFlywayLocations(root, environmentWithDotEnv(folder, options)) ?? cliDefaultLocation(root);
    }
    return undefined;
  },
  forProject(folder, options) {
    const settings = readFlywaySettingSources(folder, options);
    const naming = flywayNaming(settings);
    const group = groupMode(folder, options, settings);
    const notices = [
      springFlywayDisabled(folder, settings, options.projectRoot ?? path.dirname(folder)),
      springProfilesNotice(folder, settings, options),
      group?.notice,
      mavenProfilesNotice(folder, options.projectRoot ?? path.dirname(folder), options.env ?? process.env),
      ...flywayCommandSettings(options.projectRoot ?? path.dirname(folder), options.env ?? process.env).notices,
      flywayTomlEnvironmentNotice(options.projectRoot ?? path.dirname(folder), options.env ?? process.env, settings),
      codeConfiguredFlywayNotice(folder, options.projectRoot ?? path.dirname(folder), (name) => [...settings.keys()].some((key) => key === `flyway.${name}` || key.startsWith(`flyway.${name}.`))),
      // the Gradle reader's: a value in a flyway { } block it cannot evaluate
      ...[...settings.values()].map((setting) => setting.notice),
    ].filter((notice): notice is string => notice !== undefined);
    return {
      ...configuredAs(flywaySchemaSettings(settingValues(settings))),
      lint: flywayLint(naming),
      newMigrationName: (version, slug) => versionedName(naming, version, slug),
      ...(group?.oneTransaction ? { oneTransaction: true } : {}),
      ...(notices.length > 0 ? { notices } : {}),
    };
  },
  lint: flywayLint(DEFAULT_NAMING),
  newMigrationName: (version, slug) => versionedName(DEFAULT_NAMING, version, slug),
};

/**
 * The folders `flyway.locations` names (flyway.conf, flyway.toml, FLYWAY_LOCATIONS, or Spring's spring.flyway.locations
 * of the application whose resources hold `folder`): `classpath:` under that resources folder (else the root's
 * src/main/resources; a location no such folder has is read in every module's resources that has it, which a
 * multi-module build puts on the classpath too), `filesystem:` under the project root (a Spring application's under
 * its module folder when the path is there).
 */
function configuredLocations(folder: string, options: RunnerOptions, root: string, key = 'flyway.locations'): { setting: string; folders: string[] } | undefined {
  const settings = readFlywaySettingSources(folder, options);
  const locations = settings.get(key);
  if (!locations?.value.trim() || locations.unresolved !== undefined) return undefined;
  // the classpath of the application that sets them (which may be another module's than the folder's)
  const classpath = locations.application ?? resourcesFolder(folder) ?? path.join(root, 'src', 'main', 'resources');
  const folders = locations.value
    .split(',')
    .map((location) => location.trim().replaceAll('{vendor}', 'postgresql'))
    .filter((location) => location !== '' && !/^(gcs|s3):/i.test(location))
    .flatMap((location) => {
      const wildcard = wildcardLocation(location.replace(/^(filesystem|classpath):/i, ''));
      if (wildcard) location = `${location.slice(0, location.length - wildcard.written.length)}${wildcard.root}`;
      const read = (dirs: string[]) => (wildcard ? dirs.map((dir) => coveredByWildcard(dir, wildcard, locations.source, root)) : dirs);
      if (location.toLowerCase().startsWith('filesystem:')) return read([filesystemLocation(location.slice('filesystem:'.length), root, locations.application)]);
      const inClasspath = location.replace(/^classpath:/i, '');
      const own = path.join(classpath, inClasspath);
      if (isDirectory(own)) return read([own]);
      // Flyway scans a classpath location in every jar and folder on the classpath (ClassPathScanner): in a
      // multi-module build the modules' resources (a Spring Modulith application's modules/*/src/main/resources/db)
      const elsewhere = springResourceFolders(root).map((resources) => path.join(resources, inClasspath)).filter(isDirectory);
      return elsewhere.length > 0 ? read(elsewhere) : [own];
    });
  // by the key the project wrote when it is another (quarkus.flyway.locations, flyway.datasources.default.locations,
  // spring.flyway.locations, FLYWAY_LOCATIONS), with where it is written
  const written = locations.source.split(' ')[0];
  return { setting: `${written === key ? key : locations.source} (${locations.value.trim()})`, folders };
}

/**
 * The SQL callbacks of `flyway.callbackLocations` when it is set: Flyway then reads SQL callbacks only from those
 * locations (FlywayExecutor: the callback ResourceProvider scans getCallbackLocations() when it has any, else the
 * migration locations), found as the migration locations are (configuredLocations). Names are relative to the
 * migrations folder, as the replay reads them.
 */
function callbackLocationFiles(folder: string, options: RunnerOptions): { setting: string; names: string[] } | undefined {
  const located = configuredLocations(folder, options, options.projectRoot ?? path.dirname(folder), 'flyway.callbackLocations');
  if (!located) return undefined;
  const names = located.folders.filter(isDirectory).flatMap((dir) => walk(dir).map((name) => path.relative(folder, path.join(dir, name)).split(path.sep).join('/')));
  return { setting: located.setting, names: [...new Set(names)] };
}

/**
 * A location path with wildcards (`db/migration/*.sql`, `db/**` + `/pg`), as Flyway reads it (flyway/flyway, Location
 * .processRawPath): the folder before the first segment with `*` or `?` is scanned, and a file is read when its path
 * below that folder matches the rest (`**` any folders, `*` any characters but `/`, `?` one; a last segment without a
 * `.` is a folder, whose whole tree matches). Undefined for a path without wildcards.
 */
function wildcardLocation(written: string): { written: string; root: string; pattern: RegExp } | undefined {
  const parts = written.split(/[\\/]/);
  const first = parts.findIndex((part) => part.includes('*') || part.includes('?'));
  if (first < 0) return undefined;
  let pattern = '';
  let skipSeparator = true;
  for (const part of parts.slice(first)) {
    if (!skipSeparator) pattern += '/';
    skipSeparator = part === '**';
    pattern += part === '**' ? '([^/]+/)*?' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('?', '[^/]').replaceAll('*', '[^/]+?');
  }
  if (!parts[parts.length - 1].includes('.')) pattern += '/.*';
  return { written, root: parts.slice(0, first).join('/') || '.', pattern: new RegExp(`^${pattern}$`) };
}

/**
 * The folder a wildcard location scans, when its pattern takes every SQL file pgdrift would read there (all of them
 * below it); otherwise an input error naming the files Flyway leaves out, rather than replaying them.
 */
function coveredByWildcard(dir: string, wildcard: { written: string; pattern: RegExp }, setting: string, root: string): string {
  if (!isDirectory(dir)) return dir;
  const left = walk(dir).filter((name) => isSql(name) && !wildcard.pattern.test(name));
  if (left.length === 0) return dir;
  throw new InputError(`${setting} is a wildcard location (${wildcard.written}): Flyway reads only the files of ${shownFrom(root, dir)}/ it matches, and pgdrift reads the whole folder, which also has ${left.slice(0, 3).join(', ')}${left.length > 3 ? ', ...' : ''}`, {
    hint: 'name the folder of the files to replay: --migrations <folder>, or "migrations" in pgdrift.config.json',
  });
}

/** The Flyway CLI configuration files pgdrift reads (flyway-settings.ts), in the project root. */
const CLI_CONFIG_FILES = ['flyway.toml', 'flyway.conf', path.join('conf', 'flyway.conf')];

/**
 * A Flyway CLI project (flyway.toml, flyway.conf or conf/flyway.conf in the root) that sets no locations: the CLI's
 * default folder `sql` (flyway/flyway, flyway-commandline ModernConfigurationManager / LegacyConfigurationManager
 * .getConfiguration: with no locations configured, `filesystem:` + `new File(workingDirectory or installDirectory,
 * DEFAULT_CLI_SQL_LOCATION)`, "sql", when it exists; the flyway/flyway Docker image mounts the project's conf/ and sql/
 * into its install folder /flyway). Undefined for any other project.
 */
function cliDefaultLocation(root: string): { setting: string; folders: string[] } | undefined {
  const config = CLI_CONFIG_FILES.find((file) => existsSync(path.join(root, file)));
  const folder = path.join(root, 'sql');
  if (config === undefined || !isDirectory(folder)) return undefined;
  return { setting: `the Flyway CLI's default location sql (${config.split(path.sep).join('/')} sets no locations)`, folders: [folder] };
}

/**
 * With no migrations folder found yet (pgdrift asks with the project root): the locations a Spring Boot application's
 * own `spring.flyway.locations` names, of the application in the root (src/main/resources) or, in a multi-module
 * Maven/Gradle build, of the one module below it whose application names existing folders. Several histories are an
 * error naming them: several such applications, or one and another application's migrations in Spring Boot's default
 * `db/migration` that its locations do not cover.
 */
function springApplicationLocations(root: string, options: RunnerOptions): { setting: string; folders: string[] } | undefined {
  const applications = springResourceFolders(root).filter(hasApplicationFiles);
  const found: { resources: string; folders: string[] }[] = [];
  let configured: { setting: string; folders: string[] } | undefined;
  for (const resources of applications) {
    const named = configuredLocations(resources, options, root);
    if (!named?.folders.some(isDirectory)) continue;
    found.push({ resources, folders: named.folders });
    // a Quarkus or Micronaut application's by the key it sets (or its framework's default location)
    const framework = applicationFramework(resources, root);
    const source = framework ? readFlywaySettingSources(resources, options).get('flyway.locations')?.source : undefined;
    const said = source ?? `spring.flyway.locations of ${shownFrom(root, resources)}`;
    configured = { ...named, setting: named.setting.startsWith(said) || named.setting.includes(' in ') ? named.setting : `${said}: ${named.setting}` };
  }
  if (found.length === 0) {
    quarkusProfileHint(applications, root, options);
    return undefined;
  }
  const covered = (folder: string) => found.some((f) => f.folders.some((named) => folder === named || folder.startsWith(named + path.sep)));
  const defaults = applications
    .filter((resources) => !found.some((f) => f.resources === resources))
    .map((resources) => ({ resources, folders: [path.join(resources, 'db', 'migration')] }))
    .filter(({ folders: [folder] }) => isDirectory(folder) && !covered(folder) && walk(folder).some(isSql));
  const histories = [...found, ...defaults];
  if (histories.length > 1) {
    throw new InputError(`several applications (Spring Boot, Quarkus, Micronaut) have Flyway migrations: ${histories.map((f) => `${shownFrom(root, f.resources)} (${f.folders.map((folder) => shownFrom(root, folder)).join(', ')})`).join('; ')}`, {
      hint: 'name the one to check: --migrations <folder>, or "migrations" in pgdrift.config.json',
    });
  }
  return configured;
}

/**
 * A Quarkus application whose active profile (prod, unless QUARKUS_PROFILE or the build's quarkus.profile) names no existing Flyway folder while
 * another profile names one with SQL files (field: com-pas/compas-scl-data-service sets quarkus.flyway.locations only
 * in application-prod-postgresql.properties): an input error saying which profile to replay, rather than "no
 * migrations folder found". Choosing that profile silently would replay with settings the deployment may not use.
 */
function quarkusProfileHint(applications: string[], root: string, options: RunnerOptions): void {
  const env = options.env ?? process.env;
  for (const resources of applications) {
    const named = otherQuarkusProfilesWithLocations(resources, root, env).flatMap((profile) => {
      const located = configuredLocations(resources, { ...options, env: { ...env, QUARKUS_PROFILE: profile } }, root);
      const folders = (located?.folders ?? []).filter((folder) => isDirectory(folder) && walk(folder).some(isSql));
      return folders.length > 0 ? [{ profile, folders }] : [];
    });
    if (named.length === 0) continue;
    const byFolders = new Map<string, string[]>();
    for (const { profile, folders } of named) {
      const key = folders.map((folder) => shownFrom(root, folder)).join(', ');
      byFolders.set(key, [...(byFolders.get(key) ?? []), profile]);
    }
    const listed = [...byFolders].map(([folders, profiles]) => `${folders} (profile ${profiles.join(', ')})`).join('; ');
    const suggested = named.find(({ profile }) => /prod/i.test(profile))?.profile ?? named[0].profile;
    throw new InputError(`the Quarkus application ${shownFrom(root, resources)} names no existing Flyway folder for profile ${quarkusProfilesInUse(resources, root, env)}; other profiles' quarkus.flyway.locations name ${listed}`, {
      hint: `replay the profile the deployment runs: QUARKUS_PROFILE=${suggested} pgdrift ..., or name the folder with --migrations`,
    });
  }
}

function shownFrom(root: string, folder: string): string {
  return path.relative(root, folder).split(path.sep).join('/') || '.';
}

/**
 * `spring.flyway.enabled=false` for the active profiles: Spring Boot then does not run Flyway at all
 * (FlywayAutoConfiguration is `@ConditionalOnBooleanProperty(name = "spring.flyway.enabled", matchIfMissing = true)`).
 * The files may still be applied by a Flyway CLI or build plugin, or by nothing (a schema Hibernate creates): the
 * replay is what Flyway would do with these settings, and a notice says that is an assumption.
 */
function springFlywayDisabled(folder: string, settings: Map<string, FlywaySetting>, root: string): string | undefined {
  const enabled = settings.get('flyway.enabled');
  if (!enabled || enabled.unresolved !== undefined || enabled.value.trim().toLowerCase() !== 'false') return undefined;
  const profiles = springProfilesEnablingFlyway(enabled.application ?? folder, root);
  const profileHint = profiles.length > 0 ? `; profile ${profiles.join(', ')} turns it on: replay that with SPRING_PROFILES_ACTIVE=<profile>` : '';
  return `${enabled.source} is false: Spring Boot does not run Flyway, so this replays the migrations as a Flyway CLI or build plugin would apply them, an assumption${profileHint}`;
}

/** Other Spring profiles' `spring.flyway.locations` (otherSpringProfilesLocationsNotice), for the application whose settings are read. */
function springProfilesNotice(folder: string, settings: Map<string, FlywaySetting>, options: RunnerOptions): string | undefined {
  const resources = [...settings.values()].find((setting) => setting.application)?.application ?? resourcesFolder(folder);
  return resources ? otherSpringProfilesLocationsNotice(resources, options.projectRoot ?? path.dirname(folder), options.env ?? process.env) : undefined;
}

/**
 * `group=true`: Flyway applies all pending migrations in ONE transaction (DbMigrate.applyMigrations with
 * configuration.isGroup(): on a new database, the whole history), when every one can run in a transaction
 * (isExecuteGroupInTransaction; each migration's BEFORE_EACH_MIGRATE callbacks run inside it). That case is replayed
 * so (`oneTransaction`: a migration using an enum value an earlier one added fails, 55P04, as under Flyway). A group
 * with a non-transactional migration (Flyway refuses the mix unless `mixed`, which then runs the whole group without
 * a transaction) or with SQL callbacks (run at group level around it) is not: each migration is replayed in its own
 * transaction, and a notice says so.
 */
function groupMode(folder: string, options: RunnerOptions, settings: Map<string, FlywaySetting>): { oneTransaction?: true; notice?: string } | undefined {
  const group = settings.get('flyway.group');
  if (!group || group.unresolved !== undefined || group.value.trim().toLowerCase() !== 'true') return undefined;
  const notice = (why: string) => ({
    notice: `${group.source} is true: Flyway applies all pending migrations in one transaction (on a new database, the whole history), which pgdrift does not replay ${why}: each migration is replayed in its own transaction, as without group, so a migration that needs one before it committed (an enum value added earlier, 55P04), or one that cannot run in a transaction, may pass here and fail under Flyway`,
  });
  let discovery;
  try {
    discovery = flyway.discover(folder, options);
  } catch {
    return notice('(the migrations could not be listed)');
  }
  const naming = flywayNaming(settings);
  const callbacks = discovery.migrations.filter(({ name }) => (parseName(path.posix.basename(name), naming)?.kind ?? 'callback') === 'callback');
  if (callbacks.length > 0 || discovery.aroundEachMigration) return notice(`with SQL callbacks (${[...callbacks.map((c) => c.name), ...(discovery.aroundEachMigration?.before ?? []), ...(discovery.aroundEachMigration?.after ?? [])].join(', ')})`);
  for (const { name } of discovery.migrations) {
    let text: string;
    try {
      text = readFileSync(path.join(folder, ...name.split('/')), 'utf8').replace(/^\uFEFF/, '');
    } catch {
      continue; // the load refuses it, naming the file
    }
    const plan = planFlyway(text, name, folder, options);
    if (!plan.problem && plan.parts.some((part) => part.transaction !== 'wrapped')) return notice(`for a group with a migration that runs without a transaction (${name})`);
  }
  return { oneTransaction: true };
}

/**
 * With validateMigrationNaming on, Flyway refuses the whole run over a file whose name ends with a migration suffix
 * but is no migration's (ResourceNameValidator / ScannerUtils.validateMigrationNaming: "Invalid SQL filenames found"),
 * instead of skipping it.
 */
function invalidNames(names: string[], naming: FlywayNaming, source: string): string {
  return `Invalid SQL filenames found: ${names.join(', ')}: not Flyway migration names (${describeNaming(naming)}), and ${source} makes Flyway refuse them rather than skip them`;
}

/** A versioned migration's name under the naming: `V2__add_orders.sql`, or `2__add_orders.sql` with an empty prefix. */
function versionedName(naming: FlywayNaming, version: string, slug: string): string {
  return `${naming.versionedPrefix}${version}${naming.separator}${slug}${naming.suffixes[0] ?? '.sql'}`;
}

/** Lint follows the naming: file-name takes the migrations and SQL callbacks discovery takes (fileNamePattern). */
function flywayLint(naming: FlywayNaming): RunnerLint {
  return {
    fileNamePattern: fileNamePattern(naming),
    example: exampleName(naming),
    sequentialVersions: false,
    nameOrderWarning: false,
    transactions: 'Flyway runs each migration in its own transaction (without one when it holds a statement such as CREATE INDEX CONCURRENTLY)',
    outsideTransaction: 'put it in a migration of its own; Flyway then runs that file without a transaction',
  };
}

/**
 * Flyway's migration names, as the project's settings make them when it sets any (a Spring application.properties
 * with `spring.flyway.sql-migration-prefix=` makes `20170206205240748__initial_schema.sql` a Flyway migration). A
 * naming setting Flyway cannot use (an unresolvable `${...}`) still shows Flyway: discovery then says what is wrong.
 */
function flywayEvidence(listing: FolderListing) {
  let settings = new Map<string, FlywaySetting>();
  try {
    settings = readFlywaySettingSources(listing.folder, { projectRoot: listing.root });
  } catch (error) {
    if (!(error instanceof InputError)) throw error; // an unreadable settings file: the Flyway runner names it, not detection
  }
  const configured = namingSettings(settings);
  const by = `Flyway migration names by ${configured.map((setting) => setting.source).join(', ')}`;
  let naming: FlywayNaming;
  try {
    naming = flywayNaming(settings);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const files = listing.files.filter(isSql);
    return files.length > 0 ? { files, what: by } : undefined;
  }
  const files = listing.files.filter((name) => {
    const parsed = parseName(path.posix.basename(name), naming);
    return parsed !== undefined && parsed.kind !== 'callback';
  });
  if (files.length === 0) return undefined;
  return { files, what: configured.length > 0 ? by : 'V<version>__<description>.sql names' };
}

/*
 * Flyway's SQL callbacks (SqlScriptCallbackFactory.java, api/callback/Event.java): `<event>.sql` or
 * `<event>__<description>.sql` in the migration locations (the separator and suffixes of the naming: parseName). Those of the events `flyway migrate` fires on a new
 * database run SQL around the migrations (after connecting, validating, creating schemas; before and after the
 * migrations, each migration and each statement): replayed, except the per-statement ones (check then says "replay
 * incomplete"). The rest (clean, undo, info, repair, baseline, the *Error events) do not run on a migrate that succeeds.
 */
/** Events fired once per migrate, in the order a migrate on a new database fires them (replayed: withCallbacks). */
const REPLAYED_EVENTS = [
  'afterConnect',
  'beforeValidate',
  'afterValidate',
  'createSchema',
  'beforeCreateSchema',
  'beforeMigrate',
  'afterVersioned',
  'beforeRepeatables',
  'afterMigrateApplied',
  'afterMigrate',
  'afterMigrateOperationFinish',
];
/** Events fired around each migration, inside its transaction: replayed there (Discovery.aroundEachMigration). */
const AROUND_EACH_EVENTS = ['beforeEachMigrate', 'afterEachMigrate'];
/** Events fired around each statement of a migration: not replayed (check says incomplete). */
const EACH_STATEMENT_EVENTS = ['beforeEachMigrateStatement', 'afterEachMigrateStatement'];
/** The events a migrate fires; the others (flyway-naming.ts CALLBACK_EVENTS) do not on a migrate that succeeds. */
const MIGRATE_EVENTS = [...REPLAYED_EVENTS, ...AROUND_EACH_EVENTS, ...EACH_STATEMENT_EVENTS];

interface SqlCallback {
  name: string;
  event: string;
  /** the name without its suffix, as Flyway reads it: Flyway refuses two callbacks of one name (SqlScriptCallbackFactory) */
  stem: string;
  description?: string;
}

/**
 * The history with the once-per-migrate callbacks where a migrate on a new database runs them (DbMigrate.migrate and
 * migrateGroup, FlywayExecutor, DbValidate, DbSchemas): the connect, validate and schema-creation callbacks, then
 * beforeMigrate, the versioned migrations, afterVersioned and beforeRepeatables where the first repeatable comes
 * (afterVersioned at the end when none does), afterMigrateApplied when anything was applied, afterMigrate. Within
 * one event, DefaultCallbackExecutor's order: by description, the callback without one last. Like a migration, each
 * runs with the role and search_path set back (DefaultCallbackExecutor.execute) and in a transaction when its
 * statements allow one. (The connect, validate and schema callbacks run before Flyway creates its history table;
 * here just after it.)
 */
function withCallbacks(versioned: DiscoveredMigration[], repeatables: DiscoveredMigration[], callbacks: SqlCallback[]): DiscoveredMigration[] {
  const at = (...events: string[]) => events.flatMap((event) => inEventOrder(callbacks, event).map(({ name }) => ({ name })));
  const anyApplied = versioned.length + repeatables.length > 0;
  return [
    ...at('afterConnect', 'beforeValidate', 'afterValidate', 'createSchema', 'beforeCreateSchema', 'beforeMigrate'),
    ...versioned,
    ...(repeatables.length > 0 ? [...at('afterVersioned', 'beforeRepeatables'), ...repeatables] : at('afterVersioned')),
    ...(anyApplied ? at('afterMigrateApplied') : []),
    ...at('afterMigrate', 'afterMigrateOperationFinish'),
  ];
}

/**
 * The JDBC URL Flyway migrates (`flyway.url`, the plugins' `<url>`, `spring.flyway.url`, else the Spring application's
 * `spring.datasource.url`) when it names another server database: Flyway runs the files against it, so they are
 * written for it (MySQL's backquotes, Oracle's PL/SQL) and a PostgreSQL replay would only report syntax errors.
 * In-memory databases (H2, HSQLDB, Derby) are left alone: a project often runs them locally beside PostgreSQL,
 * unless H2 is told to behave as another database (`;MODE=MySQL`). With no URL that resolves, `database`: the
 * database the application's driver class (`spring.datasource.driver-class-name`) or Quarkus `db-kind` names.
 */
function otherDatabase(url: FlywaySetting | undefined, database: FlywaySetting | undefined): string | undefined {
  if (url && url.unresolved === undefined) {
    const vendor = jdbcOtherDatabase(url.value);
    if (!vendor) return undefined;
    const as = h2ModeDatabase(url.value) ? `an H2 database in ${vendor} mode` : `${article(vendor)} ${vendor} database`;
    return `${url.source} connects Flyway to ${as} (${url.value.trim().split(/[?;]/)[0]}): these are ${vendor} migrations, not PostgreSQL ones`;
  }
  if (!database) return undefined;
  return `${database.source} names ${database.value} as Flyway's database: these are ${database.value} migrations, not PostgreSQL ones`;
}

const article = (name: string) => (/^[AEIOU]/.test(name) ? 'an' : 'a');

/**
 * The database a JDBC URL names when it is not PostgreSQL (`jdbc:mysql://...` → MySQL), else undefined. An H2 URL
 * names one through its compatibility mode (`jdbc:h2:file:./db;MODE=MySQL`: H2 then accepts that database's
 * dialect, the one the migrations are written in; h2database Mode.java: DB2, Derby, HSQLDB, MSSQLServer, MySQL,
 * Oracle, PostgreSQL, MariaDB, and REGULAR, STRICT, LEGACY for H2's own).
 */
export function jdbcOtherDatabase(url: string): string | undefined {
  const vendor = /^jdbc:(?:[a-z0-9-]+:)*?(mysql|mariadb|oracle|sqlserver|db2|sqlite|firebirdsql|snowflake|clickhouse|ch|informix-sqli|sap):/i.exec(url.trim())?.[1]?.toLowerCase();
  const name: Record<string, string> = { mysql: 'MySQL', mariadb: 'MariaDB', oracle: 'Oracle', sqlserver: 'SQL Server', db2: 'DB2', sqlite: 'SQLite', firebirdsql: 'Firebird', snowflake: 'Snowflake', clickhouse: 'ClickHouse', ch: 'ClickHouse', 'informix-sqli': 'Informix', sap: 'SAP HANA' };
  return vendor ? name[vendor] : h2ModeDatabase(url);
}

/** The database an H2 URL's compatibility mode makes H2 behave as, when not PostgreSQL nor H2's own. */
function h2ModeDatabase(url: string): string | undefined {
  const mode = /^jdbc:h2:.*;\s*MODE\s*=\s*(\w+)/i.exec(url.trim())?.[1]?.toLowerCase();
  const modes: Record<string, string> = { mysql: 'MySQL', mariadb: 'MariaDB', oracle: 'Oracle', mssqlserver: 'SQL Server', db2: 'DB2', derby: 'Derby', hsqldb: 'HSQLDB' };
  return mode ? modes[mode] : undefined;
}

/**
 * The database a JDBC driver class is for when it is not PostgreSQL (the class `spring.datasource.driver-class-name`
 * or Micronaut's `driver-class-name` loads: it accepts that database's URLs only), else undefined. H2's, HSQLDB's and
 * Derby's are left alone, as their URLs are.
 */
export function jdbcDriverOtherDatabase(driverClass: string): string | undefined {
  const drivers: Record<string, string> = {
    'oracle.jdbc.OracleDriver': 'Oracle',
    'oracle.jdbc.driver.OracleDriver': 'Oracle',
    'com.mysql.cj.jdbc.Driver': 'MySQL',
    'com.mysql.jdbc.Driver': 'MySQL',
    'org.mariadb.jdbc.Driver': 'MariaDB',
    'com.microsoft.sqlserver.jdbc.SQLServerDriver': 'SQL Server',
    'net.sourceforge.jtds.jdbc.Driver': 'SQL Server',
    'com.ibm.db2.jcc.DB2Driver': 'DB2',
    'org.sqlite.JDBC': 'SQLite',
  };
  return drivers[driverClass.trim()];
}

/** The database a Quarkus `quarkus.datasource.db-kind` names when it is not PostgreSQL (DatabaseKind.java), else undefined; h2 and derby left alone. */
export function quarkusDbKindOtherDatabase(kind: string): string | undefined {
  const kinds: Record<string, string> = { mysql: 'MySQL', mariadb: 'MariaDB', oracle: 'Oracle', mssql: 'SQL Server', db2: 'DB2' };
  return kinds[kind.trim().toLowerCase()];
}

/** The callbacks of one event in DefaultCallbackExecutor's order: by description, the one without a description last. */
function inEventOrder(callbacks: SqlCallback[], event: string): SqlCallback[] {
  return callbacks
    .filter((c) => c.event === event)
    .sort((a, b) => (a.description === undefined ? 1 : b.description === undefined ? -1 : byCodeUnits(a.description, b.description)));
}

function duplicateCallbacks(callbacks: SqlCallback[]): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const callback of callbacks) {
    const first = seen.get(callback.stem);
    if (first) problems.push(`Found more than 1 SQL callback script called ${callback.stem}: ${first}, ${callback.name} (Flyway refuses them)`);
    else seen.set(callback.stem, callback.name);
  }
  return problems;
}

function callbackNotice(name: string, event: string): IgnoredFile {
  if (!MIGRATE_EVENTS.includes(event)) return { name, reason: `a Flyway SQL callback (${event}): a migrate that succeeds does not run it`, expected: true };
  return {
    name,
    reason: `a Flyway SQL callback (${event}): flyway migrate runs it around each statement of each migration, which pgdrift does not replay, so the replayed schema lacks its effect`,
    appliedByRunner: true,
  };
}

/** The runner's fields that follow Flyway's schema settings. */
function configuredAs(where: FlywaySchemaSettings): Pick<Runner, 'bookkeeping' | 'bookkeepingSetup' | 'sessionBeforeEachFile' | 'searchPathBeforeEachFile'> {
  return {
    bookkeeping: [`${where.defaultSchema}.${where.table}`],
    bookkeepingSetup: flywayBookkeeping(where),
    sessionBeforeEachFile: flywaySession(where),
    // (when the default schema does not exist, createSchemas off, Flyway leaves the path as it was: not followed here)
    searchPathBeforeEachFile: [where.defaultSchema, '$user', 'public'],
  };
}

/** The schemas Flyway creates and its history table, as its scripts write them (names always quoted: doQuote). */
function flywayBookkeeping(where: FlywaySchemaSettings) {
  const table = `${quoteIdent(where.defaultSchema)}.${quoteIdent(where.table)}`;
  const schemas = where.createSchemas ? where.schemas.map((schema) => `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)};\n`).join('') : '';
  return {
    table: `${where.defaultSchema}.${where.table}`,
    sql: `${schemas}CREATE TABLE ${table} (
    "installed_rank" INT NOT NULL,
    "version" VARCHAR(50),
    "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL,
    "script" VARCHAR(1000) NOT NULL,
    "checksum" INTEGER,
    "installed_by" VARCHAR(100) NOT NULL,
    "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
    "execution_time" INTEGER NOT NULL,
    "success" BOOLEAN NOT NULL
);
ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(`${where.table}_pk`)} PRIMARY KEY ("installed_rank");
CREATE INDEX ${quoteIdent(`${where.table}_s_idx`)} ON ${table} ("success");`,
  };
}

/**
 * Before each migration: `SET ROLE` back to the login role (RESET ROLE), then `set_config('search_path',
 * '"<default>","$user", public', false)` when the default schema exists (Connection.changeCurrentSchemaTo returns early
 * when it does not, leaving the path as it was).
 */
function flywaySession(where: FlywaySchemaSettings): string[] {
  const path = `${quoteIdent(where.defaultSchema)},"$user", public`;
  return [
    'RESET ROLE',
    `SELECT pg_catalog.set_config('search_path', CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = ${quoteLiteral(where.defaultSchema)}) THEN ${quoteLiteral(path)} ELSE pg_catalog.current_setting('search_path') END, false)`,
  ];
}


export function compareParts(a: bigint[], b: bigint[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0n;
    const y = b[i] ?? 0n;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function duplicates(list: (DiscoveredMigration & { parts: bigint[] })[]): string[] {
  const problems: string[] = [];
  const byVersion = new Map<string, string[]>();
  for (const m of list) {
    const key = m.parts.join('.');
    byVersion.set(key, [...(byVersion.get(key) ?? []), m.name]);
  }
  // Versions held once by each of the same folders: one history per database (H2/, MYSQL/, POSTGRESQL/), said once
  // for them all, not once per version and pair of folders (field: eclipse-hawkbit, whose 12 lines were cut at
  // 2000 characters before the PostgreSQL folder was named).
  const perFolders = new Map<string, { folders: string[]; versions: string[]; names: string[] }>();
  for (const [version, names] of byVersion) {
    if (names.length < 2) continue;
    const folders = names.map(folderOf);
    if (names.some((name) => /\.(java|kt)$/.test(name)) || new Set(folders).size !== folders.length) {
      for (const name of names.slice(1)) problems.push(`Flyway found more than one migration with version ${version}: ${names[0]} and ${name}${otherFolders(names[0], name)}`);
      continue;
    }
    const key = [...folders].sort().join('\0');
    const group = perFolders.get(key) ?? { folders, versions: [], names };
    group.versions.push(version);
    perFolders.set(key, group);
  }
  for (const { folders, versions, names } of perFolders.values()) {
    if (versions.length === 1 && folders.length === 2) {
      problems.push(`Flyway found more than one migration with version ${versions[0]}: ${names[0]} and ${names[1]}${otherFolders(names[0], names[1])}`);
      continue;
    }
    const shown = versions.length > 5 ? `${versions.slice(0, 5).join(', ')} and ${versions.length - 5} more` : listed(versions);
    const postgres = folders.find((folder) => /^(postgres(ql)?|pg(sql)?)$/i.test(folder.slice(folder.lastIndexOf('/') + 1)));
    problems.push(
      `Flyway found more than one migration with ${versions.length === 1 ? 'version' : 'each of the versions'} ${shown}, one in each of ${listed(folders.map(folderShown))} (${listed(names)}${versions.length > 1 ? ', and so on' : ''}: when the project's Flyway reads only one of them, say which with flyway.locations / spring.flyway.locations, or point --migrations at it${postgres ? `: ${postgres}/ for PostgreSQL` : ''})`,
    );
  }
  return problems;
}

function folderOf(name: string): string {
  return name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : '';
}

function folderShown(folder: string): string {
  return folder ? `${folder}/` : 'the folder itself';
}

/** `a`, `a and b`, `a, b and c` */
function listed(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * `flyway.target` (ClassicConfiguration.getTarget, MigrationVersion.fromVersion): `latest` (the default) applies every
 * version; a version applies those up to it (ResolvedMigration.getState: a greater one is ABOVE_TARGET), and must be
 * one a migration has unless it ends with `?` (MigrationInfoServiceImpl.validateTarget: "No migration with a target
 * version ... could be found"); `current` is the last applied one, none on a new database; `next` the first pending
 * one. Repeatables have no version and are applied whatever the target.
 */
function aboveTarget<T extends { name: string; parts: bigint[] }>(applied: T[], all: T[], target: FlywaySetting): { kept: T[]; above: T[] } | string {
  const value = target.value.trim();
  const written = value.endsWith('?') ? value.slice(0, -1).trim() : value;
  let limit: bigint[] | undefined;
  if (/^latest$/i.test(written) || written === '') return { kept: applied, above: [] };
  if (/^next$/i.test(written)) limit = applied[0]?.parts;
  else if (!/^current$/i.test(written)) {
    limit = versionParts(written);
    if (!limit) return `the target ${value} (${target.source}) is not a version, latest, current or next: Flyway refuses it`;
    if (!value.endsWith('?') && !all.some((m) => compareParts(m.parts, limit!) === 0)) {
      return `No migration with a target version ${written} could be found (${target.source}): Flyway refuses the migrate; end it with ? to go up to it`;
    }
  }
  const kept = limit ? applied.filter((m) => compareParts(m.parts, limit!) <= 0) : [];
  return { kept, above: applied.filter((m) => !kept.includes(m)) };
}

/**
 * CompositeMigrationResolver.checkForIncompatibilities: two repeatables compare equal (ResolvedMigrationComparator: by
 * description, `_` read as a space) when their descriptions are the same, and Flyway then refuses the migrate ("Found
 * more than one repeatable migration with description ..."): `R__views.sql` in two locations, `R__a_b.sql` beside
 * `R__a b.sql`.
 */
function duplicateRepeatables(list: { name: string; description: string }[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const m of list) {
    const first = seen.get(m.description);
    if (first) problems.push(`Flyway found more than one repeatable migration with description ${m.description}: ${first} and ${m.name}${otherFolders(first, m.name)}`);
    else seen.set(m.description, m.name);
  }
  return problems;
}

/**
 * Two files of one version in different sub-folders are usually one history per database vendor (db/migration/h2,
 * db/migration/postgresql), of which the project's Flyway reads one: say how to choose it.
 */
function otherFolders(a: string, b: string): string {
  // a Java migration's source is elsewhere by nature: no vendor folders to choose between
  if ([a, b].some((name) => /\.(java|kt)$/.test(name))) return '';
  const [x, y] = [folderOf(a), folderOf(b)];
  if (x === y) return '';
  return ` (in ${folderShown(x)} and ${folderShown(y)}: when the project's Flyway reads only one of them, say which with flyway.locations / spring.flyway.locations, or point --migrations at it)`;
}

/** Files under a folder, recursively, relative with forward slashes, in name order. */
function walk(folder: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(folder, prefix)).sort(byCodeUnits)) {
    const relative = prefix ? `${prefix}/${entry}` : entry;
    if (isDirectory(path.join(folder, relative))) out.push(...walk(folder, relative));
    else out.push(relative);
  }
  return out;
}

export function planFlyway(text: string, name: string, folder: string, options: RunnerOptions = {}): FilePlan {
  const confPath = path.join(folder, `${name}.conf`);
  const conf = existsSync(confPath) ? readFileSync(confPath, 'utf8') : '';
  // read once per file: the placeholders and the transaction both depend on the settings
  const sources = readFlywaySettingSources(folder, options);
  const settings = flywayPlaceholderSettings(folder, options, sources);
  // SqlScriptMetadata: a script config's placeholderReplacement overrides the global setting for that file
  const perScript = /^\s*placeholderReplacement\s*=\s*(true|false)\s*$/im.exec(conf)?.[1]?.toLowerCase();
  let substitutions: Substitution[] = [];
  if (perScript === undefined ? settings.replacement : perScript === 'true') {
    const found = flywayPlaceholders(text, settings, path.posix.basename(name));
    if (!Array.isArray(found)) {
      const { line, column } = positionIn(text, found.index);
      return { parts: [], problem: { message: found.message, line, column, hint: placeholderHint(found.name ?? '<name>') } };
    }
    substitutions = found;
  }
  const values = settingValues(sources);
  const mixed = (values.get('flyway.mixed') ?? 'false').trim().toLowerCase() === 'true';
  // ClassicConfiguration: flyway.executeInTransaction, true by default (Configuration.isExecuteInTransaction)
  const inTransaction = (values.get('flyway.executeInTransaction') ?? 'true').trim().toLowerCase() !== 'false';
  const plan = planTransactions(text, name, conf, substitutions, mixed, inTransaction);
  return substitutions.length > 0 && !plan.problem ? { ...plan, substitutions } : plan;
}

/** Where a placeholder's value can come from, for this placeholder (Flyway's own sources, then pgdrift's config). */
function placeholderHint(name: string): string {
  // the environment gives names of letters, digits and underscores only (FLYWAY_PLACEHOLDERS_<NAME>, lower-cased)
  const env = /^\w+$/.test(name) ? `, FLYWAY_PLACEHOLDERS_${name.toUpperCase()} in the environment` : '';
  return `give it a value: ${name} = "..." under [flyway.placeholders] in flyway.toml, flyway.placeholders.${name}=... in flyway.conf, spring.flyway.placeholders.${name} in a Spring application${env}, or "placeholders": {"${name}": "..."} in pgdrift.config.json`;
}

/**
 * ParserSqlScript (flyway-core): a file with a statement that cannot run in a transaction runs without one; one that
 * also holds transactional statements is refused unless `flyway.mixed` is true (then it too runs without one) or its
 * script config sets `executeInTransaction` either way (which then decides). With `flyway.executeInTransaction`
 * false every file runs without one and none is refused (ParserSqlScript.parse checks
 * `configuration.isExecuteInTransaction()` before refusing a mix; executeInTransaction() returns
 * `!nonTransactionalStatementFound && configuration.isExecuteInTransaction()`).
 */
function planTransactions(written: string, name: string, conf: string, substitutions: Substitution[], mixed: boolean, inTransaction = true): FilePlan {
  const { text, origin } = substitute(written, substitutions);
  const perScript = /^\s*executeInTransaction\s*=\s*(true|false)\s*$/im.exec(conf)?.[1]?.toLowerCase();
  if (perScript === 'false') return wholeFile(written, 'none');
  if (perScript === 'true') return wholeFile(written, 'wrapped');
  if (!inTransaction) return wholeFile(written, 'none');
  let statements;
  try {
    statements = parseSql(text, name, origin).statements;
  } catch (error) {
    if (!(error instanceof SqlSyntaxError)) throw error;
    // the replay reports the syntax error, unless it is the rows of a COPY ... FROM STDIN, which Flyway reads as data
    const copy = inlineCopyBefore(text, name, error.line, origin);
    return copy ? { parts: [], problem: inlineCopyProblem(copy) } : wholeFile(written, 'wrapped');
  }
  const outside = statements.filter((s) => !canRunInTransaction(s.kind, s.ast));
  if (outside.length === 0) return wholeFile(written, 'wrapped');
  if (outside.length === statements.length || mixed) return wholeFile(written, 'none');
  const first = outside[0];
  return {
    parts: [],
    problem: {
      message: `Flyway refuses a migration that mixes transactional and non-transactional statements (mixed is false by default): ${first.text.split('\n')[0]}`,
      line: first.line,
      column: first.column,
      hint: 'move the non-transactional statement to its own migration, add a .conf script config with executeInTransaction=false, or set flyway.mixed=true (mixed = true in flyway.toml)',
    },
  };
}

/**
 * A `COPY ... FROM STDIN` whose rows follow it in the file (inline-copy.ts finds it with the parser, before the line
 * the parse stopped at). Flyway reads them as the statement's data (PostgreSQLParser: COPY_FROM_STDIN_REGEX
 * `^COPY( .*)? FROM STDIN` on the statement's keywords, `readCopyData` up to a `\.` line) and sends them through the
 * COPY protocol (PostgreSQLCopyParsedStatement, CopyManager.copyIn). pgdrift sends migrations as queries and cannot
 * feed a COPY its rows: said at the COPY, instead of a syntax error at the first row (which reads as if the migration
 * were broken, when Flyway applies it).
 */
function inlineCopyProblem(copy: ParsedStatement): PlanProblem {
  return {
    message: `${copy.text.split('\n')[0].trim()}: COPY ... FROM STDIN with its rows in the migration, which Flyway sends through the COPY protocol; pgdrift cannot replay inline COPY data`,
    line: copy.line,
    column: copy.column,
    hint: 'write the rows as INSERT statements (pgdrift then replays the file), or load the data outside the migrations',
  };
}

/** PostgreSQLParser.detectCanExecuteInTransaction, decided on the parse tree. */
function canRunInTransaction(kind: string, ast: any): boolean {
  switch (kind) {
    case 'IndexStmt':
      return !ast.concurrent;
    case 'DropStmt':
      return !(ast.concurrent && ast.removeType === 'OBJECT_INDEX');
    case 'CreatedbStmt':
    case 'DropdbStmt':
    case 'CreateTableSpaceStmt':
    case 'DropTableSpaceStmt':
    case 'CreateSubscriptionStmt':
    case 'DropSubscriptionStmt':
    case 'AlterSystemStmt':
      return false;
    case 'VacuumStmt':
      // the parse tree gives ANALYZE as a VacuumStmt too (is_vacuumcmd false); Flyway's VACUUM_REGEX (`^VACUUM`)
      // matches VACUUM only, so ANALYZE runs inside the migration's transaction, as Postgres allows
      return !ast.is_vacuumcmd;
    case 'ReindexStmt':
      return !['REINDEX_OBJECT_SCHEMA', 'REINDEX_OBJECT_DATABASE', 'REINDEX_OBJECT_SYSTEM'].includes(ast.kind);
    case 'DiscardStmt':
      return ast.target !== 'DISCARD_ALL';
    default:
      return true;
  }
}
