/**
 * Flyway's settings as the CLI resolves them: a Spring Boot application's (spring-boot-settings.ts), then the
 * Flyway Maven plugin's in a pom.xml (flyway-maven-settings.ts), then the Flyway Gradle plugin's in a build.gradle(.kts)
 * and gradle.properties (flyway-gradle-settings.ts), then conf/flyway.conf and flyway.conf, flyway.toml
 * (with `[environments.<name>]` and `[environments.<name>.flyway]`),
 * then FLYWAY_* variables; the precedence is described at FlywayPlaceholderSettings in flyway-placeholders.ts, which
 * uses these settings. Also where Flyway puts things (flywaySchemaSettings), and the .conf and TOML readers.
 * What every settings reader shares (FlywaySetting, the parse cache, .properties lines): flyway-settings-files.ts.
 */
import path from 'node:path';
import { flywayCommandSettings } from './flyway-commands.js';
import { parsedSettingsFile, readFlywayConf, type FlywaySetting } from './flyway-settings-files.js';
import { readGradleFlywaySettings } from './flyway-gradle-settings.js';
import { readMavenFlywaySettings } from './flyway-maven-settings.js';
import { readSpringBootSettings, resourcesFolder } from './spring-boot-settings.js';
import type { RunnerOptions } from './types.js';
import { parseToml, tomlLeaves } from '../util/toml.js';

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
  FLYWAY_URL: 'flyway.url',
  FLYWAY_MIXED: 'flyway.mixed',
  FLYWAY_GROUP: 'flyway.group',
  FLYWAY_TARGET: 'flyway.target',
  FLYWAY_EXECUTE_IN_TRANSACTION: 'flyway.executeInTransaction',
  FLYWAY_VALIDATE_MIGRATION_NAMING: 'flyway.validateMigrationNaming',
  FLYWAY_SKIP_DEFAULT_CALLBACKS: 'flyway.skipDefaultCallbacks',
  FLYWAY_CALLBACK_LOCATIONS: 'flyway.callbackLocations',
  FLYWAY_SQL_MIGRATION_PREFIX: 'flyway.sqlMigrationPrefix',
  FLYWAY_UNDO_SQL_MIGRATION_PREFIX: 'flyway.undoSqlMigrationPrefix',
  FLYWAY_REPEATABLE_SQL_MIGRATION_PREFIX: 'flyway.repeatableSqlMigrationPrefix',
  // BaselineMigrationConfigurationExtension.getConfigurationParameterFromEnvironmentVariable
  FLYWAY_BASELINE_MIGRATION_PREFIX: 'flyway.baselineMigrationPrefix',
  FLYWAY_SQL_MIGRATION_SEPARATOR: 'flyway.sqlMigrationSeparator',
  FLYWAY_SQL_MIGRATION_SUFFIXES: 'flyway.sqlMigrationSuffixes',
};

/**
 * Flyway's settings (lowest precedence first): a Spring Boot application's, a pom.xml's Flyway Maven plugin, a
 * build.gradle's Flyway Gradle plugin (its `flyway { }` block, then gradle.properties `flyway.*`), conf files,
 * flyway.toml, FLYWAY_* variables.
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
  for (const [key, setting] of readMavenFlywaySettings(located, root, env)) settings.set(key, setting);
  for (const [key, setting] of readGradleFlywaySettings(located, root)) setOverLower(settings, key, setting);
  for (const file of [path.join(root, 'conf', 'flyway.conf'), path.join(root, 'flyway.conf')]) {
    for (const [key, value] of parsedSettingsFile(file, '', readFlywayConf) ?? []) settings.set(key, { value: expandConfEnvironment(value, env), source: `${key} in ${shown(file)}` });
  }
  const environment = env.FLYWAY_ENVIRONMENT;
  const tomlFile = path.join(root, 'flyway.toml');
  const toml = parsedSettingsFile(tomlFile, environment ?? '', (text) => readTomlSettings(text, shown(tomlFile), environment));
  for (const [key, value] of toml?.flyway ?? []) settings.set(key, { value, source: `${key.replace(/^flyway\./, '')} in ${shown(tomlFile)}` });
  // the project's `flyway ... migrate` commands: their -configFiles after the default config files, their
  // -<setting>=<value> arguments over everything (below)
  const command = flywayCommandSettings(root, env);
  for (const [key, setting] of command.files) settings.set(key, { ...setting, value: expandConfEnvironment(setting.value, env) });
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
  for (const [key, setting] of command.args) settings.set(key, setting);
  return settings;
}

/**
 * Sets a setting over a lower-precedence one, except a build-file value pgdrift does not evaluate (a notice, "as if it
 * were not set"): the lower one (a Spring application's `spring.flyway.locations`) then stays in effect, and the notice
 * is kept under a key of its own, naming what applies instead.
 */
function setOverLower(settings: Map<string, FlywaySetting>, key: string, setting: FlywaySetting): void {
  const lower = settings.get(key);
  if (setting.unresolved === undefined || setting.notice === undefined || lower === undefined || lower.unresolved !== undefined) {
    settings.set(key, setting);
    return;
  }
  settings.set(`not evaluated ${key}`, { ...setting, notice: `${setting.notice} (${lower.source} applies)` });
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

/** The settings a `[environments.<name>.flyway]` table may override (FlywayEnvironmentModel's fields pgdrift reads). */
const ENVIRONMENT_FLYWAY_KEYS = new Set([
  'placeholderPrefix', 'placeholderSuffix', 'placeholderSeparator', 'placeholderReplacement', 'sqlMigrationPrefix', 'repeatableSqlMigrationPrefix',
  'sqlMigrationSeparator', 'sqlMigrationSuffixes', 'locations', 'table', 'validateMigrationNaming', 'skipDefaultCallbacks', 'mixed', 'createSchemas',
  'defaultSchema', 'executeInTransaction', 'target', 'group',
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
 * per-environment settings (EnvironmentModel.flyway, a FlywayEnvironmentModel). `file` as shown in an error: a file
 * that is not valid TOML stops Flyway, and stops pgdrift at its line and column.
 */
function readTomlSettings(text: string, file: string, environmentFromEnv: string | undefined): TomlSettings {
  const document = parseToml(text, file, 'Flyway', 'fix the file (Flyway refuses it too), or name the migrations folder with --migrations');
  const out: [string, string][] = [];
  const environments = new Map<string, string>();
  const urls = new Map<string, string>();
  const perEnvironment: [string, string, string][] = [];
  for (const [name, raw] of tomlLeaves(document)) {
    const value = settingText(raw);
    if (name.startsWith('flyway.')) out.push([name, value]);
    const environment = /^environments\.(.+)\.schemas$/.exec(name);
    if (environment) environments.set(environment[1], value);
    // the JDBC URL is an environment's too (EnvironmentModel.url): read for the database it names
    const url = /^environments\.([^.]+)\.url$/.exec(name);
    if (url) urls.set(url[1], value);
    const override = /^environments\.([^.]+)\.flyway\.(.+)$/.exec(name);
    if (override && (ENVIRONMENT_FLYWAY_KEYS.has(override[2]) || /^placeholders\../.test(override[2]))) perEnvironment.push([override[1], `flyway.${override[2]}`, value]);
  }
  const environment = environmentFromEnv ?? out.find(([key]) => key === 'flyway.environment')?.[1] ?? 'default';
  const schemas = environments.get(environment);
  // an explicit `schemas` in [flyway] wins over the environment's
  if (schemas !== undefined && !out.some(([key]) => key === 'flyway.schemas')) out.unshift(['flyway.schemas', schemas]);
  // with no URL in the selected environment (Flyway Desktop names its own: development, shadow, Prod), every
  // environment's URL naming one kind of database still says which database the files are written for
  const vendors = new Set([...urls.values()].map((u) => /^jdbc:([a-z0-9-]+):/i.exec(u.trim())?.[1]?.toLowerCase()));
  const url = urls.get(environment) ?? (vendors.size === 1 && !vendors.has(undefined) ? [...urls.values()][0] : undefined);
  if (url !== undefined && !out.some(([key]) => key === 'flyway.url')) out.unshift(['flyway.url', url]);
  const environmentFlyway = perEnvironment.filter(([name]) => name === environment).map(([, key, value]): [string, string] => [key, value]);
  return { flyway: out, environment, environmentFlyway };
}

/**
 * flyway.toml without a table for the environment Flyway connects to (`default`, unless FLYWAY_ENVIRONMENT or
 * `environment` in [flyway] names another) while other environments list `schemas` beyond public: none of those
 * applies to the replay, which runs with no schemas set (the connection's schema, public), and a migration that
 * writes to one fails on "schema ... does not exist". Flyway Desktop projects keep their schemas in such a named
 * environment (field: Mandroide/condominiospostgreedb, whose [environments.localhost] lists the schema "condominio"
 * that every table of its migration is created in). Said as a notice naming them and how to choose one; nothing when
 * `schemas` is set otherwise ([flyway], a .conf file, FLYWAY_SCHEMAS).
 */
export function flywayTomlEnvironmentNotice(root: string, env: Record<string, string | undefined>, settings: Map<string, FlywaySetting>): string | undefined {
  if (settings.has('flyway.schemas')) return undefined;
  const tomlFile = path.join(root, 'flyway.toml');
  const leaves = parsedSettingsFile(tomlFile, 'environments', (text) => [...tomlLeaves(parseToml(text, 'flyway.toml', 'Flyway', 'fix the file (Flyway refuses it too), or name the migrations folder with --migrations'))].map(([name, value]): [string, string] => [name, settingText(value)]));
  if (!leaves) return undefined;
  const selected = env.FLYWAY_ENVIRONMENT ?? leaves.find(([key]) => key === 'flyway.environment')?.[1] ?? 'default';
  const defined = new Set(leaves.map(([key]) => /^environments\.([^.]+)\./.exec(key)?.[1]).filter((name): name is string => name !== undefined));
  if (defined.has(selected)) return undefined;
  const others = leaves
    .map(([key, value]) => ({ name: /^environments\.([^.]+)\.schemas$/.exec(key)?.[1], schemas: value.split(',').map((schema) => schema.trim()).filter(Boolean) }))
    .filter((e): e is { name: string; schemas: string[] } => e.name !== undefined && e.schemas.some((schema) => schema !== 'public'));
  if (others.length === 0) return undefined;
  const listed = others.map((e) => `[environments.${e.name}] lists schemas = ${e.schemas.join(', ')}`).join('; ');
  return `flyway.toml has no [environments.${selected}], the environment Flyway connects to (FLYWAY_ENVIRONMENT or environment in [flyway] names another), so the replay sets no schemas (the connection's schema, public); ${listed}: to replay with that environment's, run pgdrift with FLYWAY_ENVIRONMENT=${others[0].name}`;
}

/** A TOML value as a Flyway setting's text: a list comma-joined (as `locations` in a .conf file), anything else as written. */
function settingText(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(',') : String(value);
}
