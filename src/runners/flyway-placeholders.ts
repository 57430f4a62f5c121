import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { InputError } from '../errors.js';
import type { Substitution } from './substitution.js';
import { byCodeUnits } from './types.js';
import type { RunnerOptions } from './types.js';

/**
 * Flyway's placeholder settings as the CLI resolves them (flyway/flyway@c5e20fc: FlywayModel defaults, ConfigUtils
 * env names, ParsingContext built-ins), lowest precedence first:
 * 0. a Spring Boot application's `spring.flyway.*` (application.properties / .yml / .yaml in the resources folder that
 *    holds the migrations, Spring Boot's default `classpath:db/migration`, and application-<profile>.* of the active
 *    profiles, what they import with `spring.config.import`, then `SPRING_FLYWAY_*` variables: readSpringBootSettings;
 *    for a folder outside any resources folder, the application, of the root or a module, whose `filesystem:`
 *    locations name it): Spring configures Flyway from them;
 * 1. `conf/flyway.conf`, then `flyway.conf` in the project root (the CLI's install conf and working-directory conf):
 *    `flyway.placeholders.<name>=value`, `flyway.placeholderReplacement`, `flyway.placeholderPrefix/Suffix/Separator`,
 *    `flyway.defaultSchema`, `flyway.schemas`, `flyway.createSchemas`, `flyway.table`, `flyway.environment`,
 *    `flyway.mixed`, `flyway.validateMigrationNaming`, `flyway.skipDefaultCallbacks`, and the naming settings
 *    (`flyway.sqlMigrationPrefix`..., flyway-naming.ts);
 * 2. `flyway.toml` in the project root: the same keys in its `[flyway]` and `[flyway.placeholders]` tables, and
 *    `schemas` of the selected `[environments.<name>]` table (its connection settings are not read);
 * 3. environment variables: `FLYWAY_PLACEHOLDERS_<NAME>` (name lower-cased), `FLYWAY_PLACEHOLDER_REPLACEMENT`,
 *    `FLYWAY_PLACEHOLDER_PREFIX/SUFFIX/SEPARATOR`, `FLYWAY_DEFAULT_SCHEMA`, `FLYWAY_SCHEMAS`, `FLYWAY_CREATE_SCHEMAS`,
 *    `FLYWAY_TABLE`, `FLYWAY_MIXED`, `FLYWAY_VALIDATE_MIGRATION_NAMING`, `FLYWAY_SKIP_DEFAULT_CALLBACKS`, and the
 *    naming ones (flyway-naming.ts), `FLYWAY_LOCATIONS`;
 * 3b. the selected environment's `[environments.<name>.flyway]` table of flyway.toml (ClassicConfiguration reads it
 *    before the `[flyway]` model the variables were merged into; its placeholders replace the whole map);
 * 4. pgdrift's own `"placeholders"` config (like `-placeholders.name=value` on Flyway's command line).
 */
export interface FlywayPlaceholderSettings {
  replacement: boolean;
  prefix: string;
  suffix: string;
  separator: string;
  /** lower-cased names (Flyway's CaseInsensitiveMap) to values; built-ins included, `flyway:filename` per file */
  values: Map<string, string>;
  /** lower-cased names of placeholders whose Spring value names something nothing gives a value: why there is none */
  unresolved?: Map<string, string>;
}

/** One value per run for `${flyway:timestamp}` (Flyway's yyyy-MM-dd HH:mm:ss at migrate time). */
let timestamp: string | undefined;

/** One Flyway setting as read: its value and where it is set; `unresolved` names a Spring `${...}` nothing gave a value. */
export interface FlywaySetting {
  value: string;
  /** the key as written and the file, relative to the project root, or the environment variable */
  source: string;
  unresolved?: string;
  /** a Spring Boot application's setting: its resources folder (its `filesystem:` locations are the module's) */
  application?: string;
}

/** Environment variables of the settings read here (ConfigUtils.getConfigurationPropertyFromEnvironmentVariable). */
const ENV_KEYS: Record<string, string> = {
  FLYWAY_PLACEHOLDER_REPLACEMENT: 'flyway.placeholderReplacement',
  FLYWAY_PLACEHOLDER_PREFIX: 'flyway.placeholderPrefix',
  FLYWAY_PLACEHOLDER_SUFFIX: 'flyway.placeholderSuffix',
  FLYWAY_PLACEHOLDER_SEPARATOR: 'flyway.placeholderSeparator',
  FLYWAY_DEFAULT_SCHEMA: 'flyway.defaultSchema',
  FLYWAY_SCHEMAS: 'flyway.schemas',
  FLYWAY_CREATE_SCHEMAS: 'flyway.createSchemas',
  FLYWAY_TABLE: 'flyway.table',
  FLYWAY_ENVIRONMENT: 'flyway.environment',
  // ConfigUtils.getConfigurationPropertyFromEnvironmentVariable: FLYWAY_LOCATIONS → flyway.locations
  FLYWAY_LOCATIONS: 'flyway.locations',
  FLYWAY_MIXED: 'flyway.mixed',
  FLYWAY_VALIDATE_MIGRATION_NAMING: 'flyway.validateMigrationNaming',
  FLYWAY_SKIP_DEFAULT_CALLBACKS: 'flyway.skipDefaultCallbacks',
  FLYWAY_SQL_MIGRATION_PREFIX: 'flyway.sqlMigrationPrefix',
  FLYWAY_UNDO_SQL_MIGRATION_PREFIX: 'flyway.undoSqlMigrationPrefix',
  FLYWAY_REPEATABLE_SQL_MIGRATION_PREFIX: 'flyway.repeatableSqlMigrationPrefix',
  // BaselineMigrationConfigurationExtension.getConfigurationParameterFromEnvironmentVariable
  FLYWAY_BASELINE_MIGRATION_PREFIX: 'flyway.baselineMigrationPrefix',
  FLYWAY_SQL_MIGRATION_SEPARATOR: 'flyway.sqlMigrationSeparator',
  FLYWAY_SQL_MIGRATION_SUFFIXES: 'flyway.sqlMigrationSuffixes',
};

/**
 * Flyway's settings as the CLI resolves them (lowest precedence first): conf files, flyway.toml, FLYWAY_* variables.
 * Keys are Flyway's property names (`flyway.schemas`, `flyway.placeholders.<name>`). A Spring value that names
 * something without a value is left out (see readFlywaySettingSources for it).
 */
export function readFlywaySettings(folder: string, options: RunnerOptions): Map<string, string> {
  return settingValues(readFlywaySettingSources(folder, options));
}

/** The values of the settings that have one. */
export function settingValues(settings: Map<string, FlywaySetting>): Map<string, string> {
  const values = new Map<string, string>();
  for (const [key, setting] of settings) if (setting.unresolved === undefined) values.set(key, setting.value);
  return values;
}

/** readFlywaySettings, with where each setting is set, and the Spring settings whose `${...}` nothing resolves. */
export function readFlywaySettingSources(folder: string, options: RunnerOptions): Map<string, FlywaySetting> {
  const root = options.projectRoot ?? path.dirname(folder);
  const env = options.env ?? process.env;
  const settings = new Map<string, FlywaySetting>();
  const shown = (file: string) => path.relative(root, file).split(path.sep).join('/') || file;
  // a history of several locations under a common folder outside any resources: the application of its locations
  const located = options.include?.length && !resourcesFolder(folder) ? path.join(folder, options.include[0]) : folder;
  for (const [key, setting] of readSpringBootSettings(located, root, env)) settings.set(key, setting);
  for (const file of [path.join(root, 'conf', 'flyway.conf'), path.join(root, 'flyway.conf')]) {
    for (const [key, value] of parsedSettingsFile(file, '', readProperties) ?? []) settings.set(key, { value: expandConfEnvironment(value, env), source: `${key} in ${shown(file)}` });
  }
  const environment = env.FLYWAY_ENVIRONMENT;
  const tomlFile = path.join(root, 'flyway.toml');
  const toml = parsedSettingsFile(tomlFile, environment ?? '', (text) => readTomlSettings(text, environment));
  for (const [key, value] of toml?.flyway ?? []) settings.set(key, { value, source: `${key.replace(/^flyway\./, '')} in ${shown(tomlFile)}` });
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const source = `${name} in the environment`;
    if (ENV_KEYS[name]) settings.set(ENV_KEYS[name], { value, source });
    else if (/^FLYWAY_PLACEHOLDERS_.+/.test(name)) settings.set(`flyway.placeholders.${name.slice('FLYWAY_PLACEHOLDERS_'.length).toLowerCase()}`, { value, source });
  }
  // The selected environment's own `flyway` table wins over [flyway] and the FLYWAY_* variables merged into it
  // (ClassicConfiguration: each getter reads getEnvironmentOverrides() first, then getModernFlyway()); its
  // placeholders replace the whole map (getPlaceholders returns the environment's map when it has one).
  const overrides = toml?.environmentFlyway ?? [];
  if (overrides.some(([key]) => key.startsWith('flyway.placeholders.'))) {
    for (const key of [...settings.keys()]) if (key.startsWith('flyway.placeholders.')) settings.delete(key);
  }
  for (const [key, value] of overrides) settings.set(key, { value, source: `environments.${toml!.environment}.${key} in ${shown(tomlFile)}` });
  return settings;
}

/**
 * A .conf value with its `${NAME}` environment references expanded as ConfigUtils.loadConfigurationFile expands the
 * file (expandEnvironmentVariables: `\$\{([A-Za-z0-9_]+)}`, the variable's value, or nothing when it is unset).
 */
function expandConfEnvironment(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) => env[name] ?? '');
}

/**
 * Where Flyway puts things on a new database (SchemaHistoryFactory.prepareSchemas, DbSchemas, FlywayModel defaults):
 * the default schema is `defaultSchema`, else the first of `schemas`, else the connection's current schema (`public`
 * on a new database); it leads the list of managed schemas, which `createSchemas` (on by default) creates when missing;
 * the history table `table` (default flyway_schema_history) lives in the default schema.
 */
export interface FlywaySchemaSettings {
  defaultSchema: string;
  /** the managed schemas, the default one first unless `schemas` lists it elsewhere */
  schemas: string[];
  createSchemas: boolean;
  table: string;
}

export function flywaySchemaSettings(settings: Map<string, string>): FlywaySchemaSettings {
  const listed = (settings.get('flyway.schemas') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const defaultSchema = settings.get('flyway.defaultSchema')?.trim() || listed[0] || 'public';
  return {
    defaultSchema,
    schemas: listed.includes(defaultSchema) ? listed : [defaultSchema, ...listed],
    createSchemas: (settings.get('flyway.createSchemas') ?? 'true').trim().toLowerCase() !== 'false',
    table: settings.get('flyway.table')?.trim() || 'flyway_schema_history',
  };
}

export function flywayPlaceholderSettings(folder: string, options: RunnerOptions, sources = readFlywaySettingSources(folder, options)): FlywayPlaceholderSettings {
  const root = options.projectRoot ?? path.dirname(folder);
  const settings = settingValues(sources);
  const where = flywaySchemaSettings(settings);
  const unresolved = new Map<string, string>();
  for (const [key, setting] of sources) {
    if (setting.unresolved !== undefined && key.startsWith('flyway.placeholders.')) {
      unresolved.set(key.slice('flyway.placeholders.'.length).toLowerCase(), `${setting.source} is ${setting.value}, and nothing gives ${setting.unresolved} a value`);
    }
  }
  const separator = settings.get('flyway.placeholderSeparator') ?? ':';
  const values = new Map<string, string>();
  const builtIn = (name: string, value: string) => values.set(`flyway${separator}${name}`.toLowerCase(), value);
  // The values a fresh replay database gives Flyway's ParsingContext.populate:
  builtIn('defaultSchema', where.defaultSchema);
  // the replay's own role on every engine (a role name where Postgres takes one: OWNER TO, GRANT ... TO)
  builtIn('user', 'CURRENT_USER');
  builtIn('database', 'postgres');
  builtIn('timestamp', (timestamp ??= formatTimestamp(new Date())));
  builtIn('workingDirectory', root);
  builtIn('table', where.table);
  builtIn('environment', settings.get('flyway.environment') ?? 'default');
  for (const [key, value] of settings) if (key.startsWith('flyway.placeholders.')) values.set(key.slice('flyway.placeholders.'.length).toLowerCase(), value);
  for (const [name, value] of Object.entries(options.placeholders ?? {})) values.set(name.toLowerCase(), value);
  return {
    replacement: (settings.get('flyway.placeholderReplacement') ?? 'true').trim().toLowerCase() !== 'false',
    prefix: settings.get('flyway.placeholderPrefix') ?? '${',
    suffix: settings.get('flyway.placeholderSuffix') ?? '}',
    separator,
    values,
    ...(unresolved.size > 0 ? { unresolved } : {}),
  };
}

/** A placeholder Flyway has no value for: it refuses the migration. */
export interface MissingPlaceholder {
  message: string;
  /** UTF-16 index of the prefix in the text */
  index: number;
  /** the placeholder's name as written, when the text names one */
  name?: string;
}

/**
 * The placeholders of a text, found the way PlaceholderReplacingReader reads it: everywhere (comments and string
 * literals too); text is read ahead by the prefix's length, and characters read ahead that do not form the prefix are
 * passed through (so `$${a}` is not a placeholder); after a prefix, everything up to the next suffix is the name.
 */
export function flywayPlaceholders(text: string, settings: FlywayPlaceholderSettings, fileName: string): Substitution[] | MissingPlaceholder {
  const { prefix, suffix } = settings;
  const out: Substitution[] = [];
  let i = 0;
  while (i < text.length) {
    const start = i;
    do i++;
    while (i < text.length && i - start < prefix.length && text.slice(start, i) === prefix.slice(0, i - start));
    if (text.slice(start, i) !== prefix) continue;
    const close = text.indexOf(suffix, i);
    if (close < 0) return { message: `Flyway: no ${suffix} closes the placeholder ${text.slice(start, start + 40).split('\n')[0]}`, index: start };
    const name = text.slice(i, close);
    i = close + suffix.length;
    const key = name.toLowerCase();
    const value = key === `flyway${settings.separator}filename` ? fileName : settings.values.get(key);
    if (value === undefined) {
      const canonical = `${prefix}${name}${suffix}`;
      const message = name.startsWith(`flyway${settings.separator}`)
        ? `Flyway: Failed to populate value for default placeholder: ${canonical}`
        : `Flyway: No value provided for placeholder: ${canonical}${settings.unresolved?.has(key) ? ` (${settings.unresolved.get(key)}: Spring itself would not start)` : ''}`;
      return { message, index: start, name };
    }
    out.push({ start, end: i, value });
  }
  return out;
}

/** Spring's indexed form of a list in .properties (`key[0]=a`, `key[1]=b`) as one comma-separated value, as YAML lists are. */
function joinIndexedLists(entries: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const lists = new Map<string, Array<[number, string]>>();
  for (const [key, value] of entries) {
    const indexed = /^(.+)\[(\d+)\]$/.exec(key);
    if (!indexed) {
      out.push([key, value]);
      continue;
    }
    const items = lists.get(indexed[1]) ?? [];
    items.push([Number(indexed[2]), value]);
    lists.set(indexed[1], items);
  }
  for (const [key, items] of lists) out.push([key, items.sort((a, b) => a[0] - b[0]).map(([, value]) => value).join(',')]);
  return out;
}

/**
 * `spring.flyway.*` of the Spring Boot application whose resources hold the migrations (the folder named `resources`
 * above the migrations folder, normally `src/main/resources`), from the documents Spring Boot would load
 * (springDocuments: application.properties over application.yml/.yaml, then application-<profile>.* of each active
 * profile). Keys are relaxed as Spring binds them (`default-schema` = `defaultSchema`), lists joined with commas, and
 * `${name:default}` in a value resolved as Spring's Environment resolves it: from the environment (`name`, or `NAME`
 * with `.`/`-` as `_`), then the application's own properties, then the default. A value naming something none of
 * them has keeps that in `unresolved`.
 */
function readSpringBootSettings(folder: string, root: string, env: Record<string, string | undefined>): Map<string, FlywaySetting> {
  const own = resourcesFolder(folder);
  const resources = own && hasApplicationFiles(own) ? own : (springApplicationLocating(folder, root, env) ?? own);
  return resources ? springBootSettingsOf(resources, root, env) : new Map();
}

/** A resources folder with an `application.*` config file: a Spring Boot application's. */
export function hasApplicationFiles(resources: string): boolean {
  return [resources, path.join(resources, 'config')].some((location) => ['yaml', 'yml', 'properties'].some((ext) => existsPath(path.join(location, `application.${ext}`))));
}

/**
 * For a migrations folder no application's own resources hold (outside any resources folder, or in a module without
 * an application.* file): the Spring Boot application, of the root or a module, whose `spring.flyway.locations` (by
 * default `classpath:db/migration`) names it: with `filesystem:`, or with `classpath:` as a path in any module's
 * resources (a multi-module build puts them all on the application's classpath).
 */
function springApplicationLocating(folder: string, root: string, env: Record<string, string | undefined>): string | undefined {
  const target = path.resolve(folder);
  const inResources = resourcesFolder(target);
  const covers = (at: string) => at === target || target.startsWith(at + path.sep);
  return springResourceFolders(root).find((resources) => {
    if (!hasApplicationFiles(resources)) return false;
    const locations = springBootSettingsOf(resources, root, env).get('flyway.locations') ?? { value: 'classpath:db/migration', source: '' };
    if (locations.unresolved !== undefined) return false;
    return locations.value.split(',').some((location) => {
      const written = location.trim().replaceAll('{vendor}', 'postgresql');
      if (written.toLowerCase().startsWith('filesystem:')) return covers(filesystemLocation(written.slice('filesystem:'.length), root, resources));
      return inResources !== undefined && covers(path.join(inResources, written.replace(/^classpath:/i, '')));
    });
  });
}

/**
 * A `filesystem:` location, relative to the working directory Flyway runs in: a Spring Boot application's module
 * folder (where `spring-boot:run` runs it) when the path exists there, else the project root (the CLI's folder).
 */
export function filesystemLocation(written: string, root: string, application: string | undefined): string {
  const fromModule = application === undefined ? undefined : path.resolve(moduleFolder(application), written);
  return fromModule !== undefined && isDirectoryPath(fromModule) ? fromModule : path.resolve(root, written);
}

function isDirectoryPath(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** `spring.flyway.*` of the application whose resources folder is `resources` (readSpringBootSettings). */
function springBootSettingsOf(resources: string, root: string, env: Record<string, string | undefined>): Map<string, FlywaySetting> {
  const out = new Map<string, FlywaySetting>();
  const documents = springDocuments(resources, root, env);
  const properties = new Map(documents.flatMap(({ properties }) => properties));
  for (const { file, properties: entries } of documents) {
    for (const [written, value] of entries) {
      if (!written.startsWith('spring.flyway.')) continue;
      const key = written.slice('spring.flyway.'.length);
      const [head, ...rest] = key.split('.');
      // relaxed binding: kebab-case, underscore notation and camelCase name one property
      const name = head === 'placeholders' && rest.length > 0 ? `placeholders.${rest.join('.')}` : key.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());
      const resolved = resolveSpringValue(value, env, properties);
      const source = `${written} in ${path.relative(root, file).split(path.sep).join('/')}`;
      out.set(`flyway.${name}`, typeof resolved === 'string' ? { value: resolved, source, application: resources } : { value, source, unresolved: resolved.unresolved, application: resources });
    }
  }
  // the OS environment is a property source above every config file (SystemEnvironmentPropertySource)
  for (const [key, { value, source }] of springEnvironmentSettings(env)) {
    const resolved = resolveSpringValue(value, env, properties);
    out.set(key, typeof resolved === 'string' ? { value: resolved, source, application: resources } : { value, source, unresolved: resolved.unresolved, application: resources });
  }
  return out;
}

/** The `spring.flyway.*` properties read from the environment (camelCase; pgdrift's settings and `enabled`). */
const SPRING_FLYWAY_PROPERTIES = [
  'enabled', 'locations', 'schemas', 'defaultSchema', 'table', 'createSchemas', 'mixed', 'validateMigrationNaming', 'skipDefaultCallbacks',
  'placeholderReplacement', 'placeholderPrefix', 'placeholderSuffix', 'placeholderSeparator', 'sqlMigrationPrefix', 'repeatableSqlMigrationPrefix',
  'sqlMigrationSeparator', 'sqlMigrationSuffixes',
];

/**
 * `SPRING_FLYWAY_*` variables as Spring's relaxed binding reads them (SystemEnvironmentPropertyMapper): a property's
 * name upper-cased with `.` as `_` and its dashes removed (SPRING_FLYWAY_DEFAULTSCHEMA) or, the legacy form, as `_`
 * (SPRING_FLYWAY_DEFAULT_SCHEMA); `_0`, `_1` are list indexes; `SPRING_FLYWAY_PLACEHOLDERS_<NAME>` is the placeholder
 * `<name>` lower-cased, its `_` as `.` (a map key from the environment).
 */
function springEnvironmentSettings(env: Record<string, string | undefined>): Map<string, { value: string; source: string }> {
  const out = new Map<string, { value: string; source: string }>();
  const byEnvName = new Map<string, string>();
  for (const property of SPRING_FLYWAY_PROPERTIES) {
    const kebab = property.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).toUpperCase();
    byEnvName.set(kebab.replaceAll('-', ''), property);
    byEnvName.set(kebab.replaceAll('-', '_'), property);
  }
  const lists = new Map<string, { items: [number, string][]; names: string[] }>();
  for (const [name, value] of Object.entries(env).sort(([a], [b]) => byCodeUnits(a, b))) {
    if (value === undefined || !name.startsWith('SPRING_FLYWAY_')) continue;
    const rest = name.slice('SPRING_FLYWAY_'.length);
    const source = `${name} in the environment`;
    if (rest.startsWith('PLACEHOLDERS_') && rest.length > 'PLACEHOLDERS_'.length) {
      out.set(`flyway.placeholders.${rest.slice('PLACEHOLDERS_'.length).toLowerCase().replaceAll('_', '.')}`, { value, source });
      continue;
    }
    const indexed = /^(.+)_(\d+)$/.exec(rest);
    const property = byEnvName.get(rest);
    if (property) out.set(`flyway.${property}`, { value, source });
    else if (indexed && byEnvName.has(indexed[1])) {
      const list = lists.get(byEnvName.get(indexed[1])!) ?? { items: [], names: [] };
      list.items.push([Number(indexed[2]), value]);
      list.names.push(name);
      lists.set(byEnvName.get(indexed[1])!, list);
    }
  }
  for (const [property, { items, names }] of lists) {
    out.set(`flyway.${property}`, { value: items.sort((a, b) => a[0] - b[0]).map(([, v]) => v).join(','), source: `${names.join(', ')} in the environment` });
  }
  return out;
}

/** One document of a Spring config file: its properties, and the profiles it is for (`spring.config.activate.on-profile`). */
interface SpringDocument {
  file: string;
  properties: [string, string][];
  /** absent: every profile; `false`: never here (on-cloud-platform); else Spring's profile expression */
  onProfile?: string | false;
}

/**
 * The config documents Spring Boot loads from the resources folder, lowest precedence first (spring-projects/
 * spring-boot@b9abcf1, "Externalized Configuration" and ConfigDataEnvironment): the `application` files, then the
 * `application-<profile>` files of each active profile in order; the resources folder itself, then its `config/`
 * folder (the classpath locations; `file:./` ones are not read); in one folder `.properties` over `.yml`/`.yaml`; in
 * one file later documents over earlier ones; a document with `spring.config.activate.on-profile` (or the legacy
 * `spring.profiles: <name>`) only when its profile is active. The active profiles (activeSpringProfiles) come from
 * SPRING_PROFILES_ACTIVE, else the `application` files' `spring.profiles.active`, else `default`.
 */
function springDocuments(resources: string, root: string, env: Record<string, string | undefined>): SpringDocument[] {
  // ConfigDataEnvironment.DEFAULT_SEARCH_LOCATIONS: `classpath:/`, then `classpath:/config/` (which wins)
  const locations = [resources, path.join(resources, 'config')];
  const filesOf = (stem: string) => locations.flatMap((location) => ['yaml', 'yml', 'properties'].map((ext) => path.join(location, `${stem}.${ext}`)));
  const base = filesOf('application').flatMap(springDocumentsOf);
  const loaded = new Set(filesOf('application'));
  // the profiles come from the profile-less documents, those they import included (imports are read before profiles)
  const profileLess = (d: SpringDocument) => d.onProfile === undefined;
  const importContext = { resources, root, env, properties: new Map(base.flatMap((d) => d.properties)) };
  const profiles = activeSpringProfiles(withSpringImports(base, profileLess, [], new Set(loaded), importContext).filter(profileLess), env);
  const applies = (d: SpringDocument) => d.onProfile === undefined || (d.onProfile !== false && profileExpressionMatches(d.onProfile, profiles));
  const specificFiles = profiles.flatMap((profile) => filesOf(`application-${profile}`));
  const specific = specificFiles.flatMap(springDocumentsOf);
  return withSpringImports([...base, ...specific], applies, profiles, new Set([...loaded, ...specificFiles]), importContext).filter(applies);
}

/** A Spring config file's documents, parsed once while it is unchanged; none when there is no such file. */
function springDocumentsOf(file: string): SpringDocument[] {
  return parsedSettingsFile(file, '', (text) => springFileDocuments(file, text)) ?? [];
}

/**
 * The documents with what each one that counts imports (`spring.config.import`) right after it: Spring Boot treats
 * imports "as additional documents inserted immediately below the one that declares the import", so their values win
 * over it, later imports over earlier ones, and an import's own imports follow it (external-config.adoc "Importing
 * Additional Data"; ConfigDataEnvironmentContributors.withProcessedImports). A file is imported once.
 */
function withSpringImports(documents: SpringDocument[], applies: (d: SpringDocument) => boolean, profiles: string[], seen: Set<string>, context: SpringImportContext): SpringDocument[] {
  return documents.flatMap((document) => {
    if (!applies(document)) return [document];
    const imported = springImportFiles(document, profiles, context).flatMap((file) => {
      if (seen.has(file)) return [];
      seen.add(file);
      return withSpringImports(springDocumentsOf(file), applies, profiles, seen, context);
    });
    return [document, ...imported];
  });
}

interface SpringImportContext {
  resources: string;
  root: string;
  env: Record<string, string | undefined>;
  properties: Map<string, string>;
}

/**
 * The files a document's `spring.config.import` names, in order (StandardConfigDataLocationResolver): `optional:` and
 * `[encoding=...]` attributes dropped; `classpath:` (and a path starting with `/`) under the resources folder; `file:`
 * under the module folder (the working directory of `spring-boot:run`); any other path relative to the importing file;
 * a folder (ending with `/`) gives its `application` files; each file followed by its `-<profile>` variants of the
 * active profiles. Config-server, Vault and other non-file imports are not read.
 */
function springImportFiles(document: SpringDocument, profiles: string[], context: SpringImportContext): string[] {
  const declared = document.properties.find(([key]) => key === 'spring.config.import')?.[1];
  if (!declared) return [];
  const files: string[] = [];
  for (const written of declared.split(',').map((s) => s.trim()).filter(Boolean)) {
    const resolved = resolveSpringValue(written, context.env, context.properties);
    if (typeof resolved !== 'string') continue;
    let location = resolved.replace(/^optional:/i, '');
    // `[encoding=utf-8]` attributes; an extension-less file's `[.yml]` is not followed (read by its own name)
    location = location.replace(/\[[^\]]*\]$/, '');
    let at: string;
    if (/^classpath\*?:/i.test(location)) at = onClasspath(location.replace(/^classpath\*?:/i, ''), context);
    else if (/^file:/i.test(location)) at = path.resolve(moduleFolder(context.resources), location.slice('file:'.length));
    else if (/^[a-z][\w-]*:/i.test(location)) continue; // configserver:, vault:, configtree:, ...: not files pgdrift reads
    else if (location.startsWith('/')) at = onClasspath(location, context);
    else at = path.resolve(path.dirname(document.file), location);
    if (location.endsWith('/')) {
      files.push(...['yaml', 'yml', 'properties'].map((ext) => path.join(at, `application.${ext}`)));
      continue;
    }
    const extension = path.extname(at);
    if (!['.properties', '.yml', '.yaml'].includes(extension)) continue;
    const stem = at.slice(0, at.length - extension.length);
    files.push(at, ...profiles.map((profile) => `${stem}-${profile}${extension}`));
  }
  return files;
}

/**
 * A classpath path: in the application's resources, else in the one (first) module whose resources hold it (a
 * multi-module build puts its modules' resources on the application's classpath: a Spring Modulith application
 * imports `classpath:application-<module>.yml` from each module).
 */
function onClasspath(written: string, context: SpringImportContext): string {
  const own = path.join(context.resources, written);
  if (existsPath(own)) return own;
  return springResourceFolders(context.root).map((resources) => path.join(resources, written)).find(existsPath) ?? own;
}

function existsPath(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** The module a resources folder belongs to (`<module>/src/main/resources` → `<module>`). */
function moduleFolder(resources: string): string {
  const parts = resources.split(path.sep);
  return parts.slice(-3).join('/') === 'src/main/resources' ? parts.slice(0, -3).join(path.sep) || path.sep : path.dirname(resources);
}

/**
 * The profiles whose documents set `spring.flyway.enabled` to true (application-<profile>.* files, and documents
 * activated on a profile), for the Spring application whose resources hold `folder`: where to look when the default
 * configuration turns Flyway off.
 */
export function springProfilesEnablingFlyway(folder: string): string[] {
  const resources = resourcesFolder(folder);
  if (!resources) return [];
  const found = new Set<string>();
  for (const location of [resources, path.join(resources, 'config')]) {
    let names: string[];
    try {
      names = readdirSync(location).sort(byCodeUnits);
    } catch {
      continue;
    }
    for (const name of names) {
      const file = /^application(?:-(.+))?\.(properties|ya?ml)$/.exec(name);
      if (!file) continue;
      for (const document of springDocumentsOf(path.join(location, name))) {
        const enabled = document.properties.find(([key]) => key === 'spring.flyway.enabled')?.[1]?.trim().toLowerCase();
        const profile = typeof document.onProfile === 'string' ? document.onProfile : document.onProfile === undefined ? file[1] : undefined;
        if (enabled === 'true' && profile) found.add(profile);
      }
    }
  }
  return [...found];
}

/** A config file's documents: YAML's `---`, and `#---` / `!---` lines in a .properties file (Spring Boot 2.4+). */
function springFileDocuments(file: string, text: string): SpringDocument[] {
  const documents = file.endsWith('.properties') ? text.split(/^[#!]---[ \t]*$/m).map(readProperties) : springYamlDocuments(text);
  return documents.map((entries) => {
    const properties = joinIndexedLists(entries);
    return { file, properties, ...documentActivation(properties) };
  });
}

/**
 * Whom a document is for (InvalidConfigDataPropertyException, ConfigDataActivationContext): `spring.config.activate.
 * on-profile`, or the legacy `spring.profiles` (a name or a list: `spring.profiles.active`, `.group.*`, `.include` are
 * ordinary properties of a profile-less document); `on-cloud-platform` never matches a replay.
 */
function documentActivation(properties: [string, string][]): { onProfile?: string | false } {
  const value = (key: string) => properties.find(([k]) => k === key)?.[1];
  if (value('spring.config.activate.on-cloud-platform') !== undefined) return { onProfile: false };
  const onProfile = value('spring.config.activate.on-profile') ?? value('spring.profiles');
  return onProfile === undefined ? {} : { onProfile };
}

/**
 * The active profiles (Profiles.java): SPRING_PROFILES_ACTIVE (or `spring.profiles.active` in the environment), else
 * the profile-less documents' `spring.profiles.active`, else `spring.profiles.default`, else `default`; with
 * `spring.profiles.include` before them and each profile followed by its `spring.profiles.group.<name>` members.
 */
function activeSpringProfiles(documents: SpringDocument[], env: Record<string, string | undefined>): string[] {
  const properties = new Map(documents.flatMap((d) => d.properties));
  const list = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const active = list(env.SPRING_PROFILES_ACTIVE ?? env['spring.profiles.active'] ?? properties.get('spring.profiles.active'));
  const chosen = active.length > 0 ? active : list(env.SPRING_PROFILES_DEFAULT ?? properties.get('spring.profiles.default') ?? 'default');
  const out: string[] = [];
  const add = (profile: string) => {
    if (out.includes(profile)) return;
    out.push(profile);
    list(properties.get(`spring.profiles.group.${profile}`)).forEach(add);
  };
  [...list(properties.get('spring.profiles.include')), ...chosen].forEach(add);
  return out;
}

/** Spring's profile expressions (Profiles.of): names, `!`, `&`, `|`, parentheses; a comma list matches when any item does. */
function profileExpressionMatches(expression: string, active: string[]): boolean {
  return expression.split(',').some((item) => {
    const tokens = item.match(/[()!&|]|[^()!&|\s]+/g) ?? [];
    let at = 0;
    const unary = (): boolean => {
      const token = tokens[at++];
      if (token === '!') return !unary();
      if (token === '(') {
        const inner = either();
        at++; // ')'
        return inner;
      }
      return token !== undefined && active.includes(token);
    };
    const both = (): boolean => {
      let result = unary();
      while (tokens[at] === '&') {
        at++;
        result = unary() && result;
      }
      return result;
    };
    const either = (): boolean => {
      let result = both();
      while (tokens[at] === '|') {
        at++;
        result = both() || result;
      }
      return result;
    };
    return tokens.length > 0 && either();
  });
}

/** The documents of an application.yml, each as `[dotted key, value]` (lists of values joined with commas). */
function springYamlDocuments(text: string): [string, string][][] {
  const out: [string, string][][] = [];
  const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  for (const document of yaml.parseAllDocuments(text)) {
    if (!('toJS' in document)) continue;
    let root: unknown;
    try {
      root = document.toJS();
    } catch {
      continue; // a document the YAML library cannot read: Spring would refuse to start, nothing to take from it
    }
    const properties: [string, string][] = [];
    const visit = (value: unknown, prefix: string) => {
      if (value && typeof value === 'object' && !Array.isArray(value)) for (const [key, inner] of Object.entries(value)) visit(inner, prefix ? `${prefix}.${key}` : key);
      else if (value !== null && value !== undefined && prefix) properties.push([prefix, Array.isArray(value) ? value.join(',') : String(value)]);
    };
    visit(root, '');
    out.push(properties);
  }
  return out;
}

/**
 * A settings file, parsed once per process while it is unchanged (inode, size, change times): planFlyway asks
 * for the settings of every migration, and parsing an application.yml per file was ~40% of `lint` on a 300-file
 * Spring project. Undefined when there is no such file; `key` tells apart parses that depend on more than the text.
 */
const parsedFiles = new Map<string, { stamp: string; value: unknown }>();
function parsedSettingsFile<T>(file: string, key: string, parse: (text: string) => T): T | undefined {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return undefined;
  }
  const stamp = `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
  const cacheKey = `${file}\0${key}`;
  const cached = parsedFiles.get(cacheKey);
  if (cached?.stamp === stamp) return cached.value as T;
  const value = parse(readSettingsFile(file));
  parsedFiles.set(cacheKey, { stamp, value });
  return value;
}

/** Build output, dependencies and dot folders are never a module's sources (as runners/index.ts skips them). */
const NOT_MODULES = new Set(['node_modules', 'dist', 'build', 'target', 'vendor', 'out', 'coverage', 'tmp', 'bin']);

/**
 * The `src/main/resources` folders of the project: the root's, then those of modules up to four levels below it, in
 * path order (a Maven `<modules>` or Gradle `include` tree). Listed once per root and process.
 */
const resourceFoldersOf = new Map<string, string[]>();
export function springResourceFolders(root: string): string[] {
  const cached = resourceFoldersOf.get(root);
  if (cached) return cached;
  const found: string[] = [];
  const visit = (dir: string, level: number) => {
    const resources = path.join(dir, 'src', 'main', 'resources');
    if (isDirectoryPath(resources)) found.push(resources);
    if (level >= 4) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => byCodeUnits(a.name, b.name))) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'src' && !NOT_MODULES.has(entry.name)) visit(path.join(dir, entry.name), level + 1);
    }
  };
  visit(root, 0);
  resourceFoldersOf.set(root, found);
  return found;
}

/** The Java resources folder (named `resources`, normally src/main/resources) that holds `folder`, if any. */
export function resourcesFolder(folder: string): string | undefined {
  for (let dir = path.resolve(folder); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (path.basename(dir) === 'resources') return dir;
  }
  return undefined;
}

/**
 * A Spring property value with its `${name}` / `${name:default}` references resolved (environment, the application's
 * properties, the default), or the first reference nothing resolves.
 */
function resolveSpringValue(value: string, env: Record<string, string | undefined>, properties: Map<string, string>, depth = 0): string | { unresolved: string } {
  let unresolved: string | undefined;
  const resolved = value.replace(/\$\{([^}:]+)(?::([^}]*))?\}/g, (reference: string, name: string, fallback: string | undefined) => {
    const fromEnv = env[name] ?? env[name.toUpperCase().replace(/[.-]/g, '_')];
    const property = properties.get(name);
    // a property's own references are resolved in turn (not forever: a cycle is unresolved)
    const fromProperties = property === undefined || depth > 8 ? undefined : resolveSpringValue(property, env, properties, depth + 1);
    const found = fromEnv ?? (typeof fromProperties === 'string' ? fromProperties : undefined) ?? fallback;
    if (found === undefined) unresolved ??= reference;
    return found ?? '';
  });
  return unresolved === undefined ? resolved : { unresolved };
}

/** A settings file the runner reads: one that exists but cannot be read (a folder, no permission) is an input error naming it. */
function readSettingsFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error: any) {
    throw new InputError(`${file} cannot be read (${error?.code ?? error?.message ?? error}): Flyway reads its settings there`, { hint: 'make it a readable file, or remove it' });
  }
}

/** Java properties lines `key=value` / `key: value` (comments `#` `!`); continuation lines are not supported. */
function readProperties(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (match) out.push([match[1], match[2]]);
  }
  return out;
}

/** The settings a `[environments.<name>.flyway]` table may override (FlywayEnvironmentModel's fields pgdrift reads). */
const ENVIRONMENT_FLYWAY_KEYS = new Set([
  'placeholderPrefix', 'placeholderSuffix', 'placeholderSeparator', 'placeholderReplacement', 'sqlMigrationPrefix', 'repeatableSqlMigrationPrefix',
  'sqlMigrationSeparator', 'sqlMigrationSuffixes', 'locations', 'table', 'validateMigrationNaming', 'skipDefaultCallbacks', 'mixed', 'createSchemas',
  'defaultSchema',
]);

/** flyway.toml as read here: `[flyway]` settings, and the selected environment's name and its `flyway` overrides. */
interface TomlSettings {
  flyway: [string, string][];
  environment: string;
  /** `[environments.<environment>.flyway]` entries, as `flyway.<key>` settings */
  environmentFlyway: [string, string][];
}

/**
 * The `[flyway]` and `[flyway.placeholders]` tables of flyway.toml, as `flyway.<key>` settings (strings, booleans,
 * arrays of strings, also written over several lines; inline tables and dotted keys), and of the environment Flyway
 * connects to (`[environments.<name>]`, the name from FLYWAY_ENVIRONMENT or `environment` in `[flyway]`, default
 * `default`): its `schemas`, which the TOML format keeps there, and its `[environments.<name>.flyway]` table of
 * per-environment settings (EnvironmentModel.flyway, a FlywayEnvironmentModel). Not a full TOML reader (no dependency
 * for it): the forms Flyway's own TOML files and its docs use.
 */
function readTomlSettings(text: string, environmentFromEnv: string | undefined): TomlSettings {
  const out: [string, string][] = [];
  const environments = new Map<string, string>();
  const perEnvironment: [string, string, string][] = [];
  let table = '';
  for (const line of tomlLogicalLines(text)) {
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      table = tomlKeyPath(header[1]);
      continue;
    }
    const at = indexOutsideQuotes(line, '=');
    if (at < 0) continue;
    const key = [table, tomlKeyPath(line.slice(0, at))].filter(Boolean).join('.');
    for (const [name, value] of tomlEntries(key, line.slice(at + 1).trim())) {
      if (name.startsWith('flyway.')) out.push([name, value]);
      const environment = /^environments\.(.+)\.schemas$/.exec(name);
      if (environment) environments.set(environment[1], value);
      const override = /^environments\.([^.]+)\.flyway\.(.+)$/.exec(name);
      if (override && (ENVIRONMENT_FLYWAY_KEYS.has(override[2]) || /^placeholders\../.test(override[2]))) perEnvironment.push([override[1], `flyway.${override[2]}`, value]);
    }
  }
  const environment = environmentFromEnv ?? [...out].reverse().find(([key]) => key === 'flyway.environment')?.[1] ?? 'default';
  const schemas = environments.get(environment);
  // an explicit `schemas` in [flyway] wins over the environment's
  if (schemas !== undefined && !out.some(([key]) => key === 'flyway.schemas')) out.unshift(['flyway.schemas', schemas]);
  const environmentFlyway = perEnvironment.filter(([name]) => name === environment).map(([, key, value]): [string, string] => [key, value]);
  return { flyway: out, environment, environmentFlyway };
}

/**
 * The TOML file's lines without comments and blank lines, an array written over several lines joined into one
 * (`locations = [\n "filesystem:a",\n "filesystem:b",\n]`, which Flyway's TOML reader takes like a one-line array).
 */
function tomlLogicalLines(text: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const comment = indexOutsideQuotes(raw, '#');
    const line = (comment < 0 ? raw : raw.slice(0, comment)).trim();
    if (line === '' && pending === '') continue;
    pending = pending ? `${pending} ${line}` : line;
    if (bracketDepth(pending) <= 0 || /^\[[^\]]*\]$/.test(pending)) {
      out.push(pending);
      pending = '';
    }
  }
  if (pending) out.push(pending);
  return out;
}

/** A key or table name as a dotted path, each part unquoted: `flyway."placeholders".owner` → flyway.placeholders.owner. */
function tomlKeyPath(written: string): string {
  return (written.match(/"[^"]*"|'[^']*'|[^.\s]+/g) ?? []).map((part) => part.replace(/^["']|["']$/g, '')).join('.');
}

/** A value as `[key, text]` settings: an inline table (`placeholders = { owner = "app" }`) gives one per entry. */
function tomlEntries(key: string, raw: string): [string, string][] {
  if (!raw.startsWith('{')) return [[key, tomlValue(raw)]];
  const body = raw.replace(/^\{|\}$/g, '');
  const entries: [string, string][] = [];
  for (const item of splitOutsideQuotes(body, ',')) {
    const at = indexOutsideQuotes(item, '=');
    if (at >= 0) entries.push(...tomlEntries(`${key}.${tomlKeyPath(item.slice(0, at))}`, item.slice(at + 1).trim()));
  }
  return entries;
}

/**
 * Visits each character of `text` that is outside a quoted string (TOML's "..." with backslash escapes, and '...'),
 * with its index; the walk stops when `visit` returns true.
 */
function forEachOutsideQuotes(text: string, visit: (char: string, index: number) => boolean | void): void {
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (visit(c, i)) return;
  }
}

/** Where `char` first occurs outside a quoted string, or -1. */
function indexOutsideQuotes(text: string, char: string): number {
  let found = -1;
  forEachOutsideQuotes(text, (c, i) => {
    if (c === char) found = i;
    return found >= 0;
  });
  return found;
}

function splitOutsideQuotes(text: string, char: string): string[] {
  const parts: string[] = [];
  let rest = text;
  for (let at = indexOutsideQuotes(rest, char); at >= 0; at = indexOutsideQuotes(rest, char)) {
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  return [...parts, rest];
}

/** Open `[` minus closed `]` outside quoted strings. */
function bracketDepth(text: string): number {
  let depth = 0;
  forEachOutsideQuotes(text, (c) => {
    if (c === '[') depth++;
    else if (c === ']') depth--;
  });
  return depth;
}

function tomlValue(raw: string): string {
  const value = raw.trim();
  if (value.startsWith('[')) return [...value.matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2]).join(',');
  const quoted = /^"((?:[^"\\]|\\.)*)"$|^'([^']*)'$/.exec(value);
  if (quoted) return quoted[2] ?? quoted[1].replace(/\\(["\\])/g, '$1').replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  return value;
}

function formatTimestamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`;
}
