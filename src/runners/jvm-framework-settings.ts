/**
 * The Flyway and Liquibase settings of a Quarkus or a Micronaut application, beside Spring Boot's
 * (spring-boot-settings.ts, which dispatches here for their resources folders): from the application's
 * application.properties / .yaml / .yml in its resources folder, as the framework binds them.
 *
 * - Quarkus (quarkusio/quarkus extensions/flyway FlywayDataSourceBuildTimeConfig / FlywayDataSourceRuntimeConfig,
 *   extensions/liquibase LiquibaseDataSourceBuildTimeConfig / LiquibaseDataSourceRuntimeConfig; guides flyway.adoc,
 *   liquibase.adoc, config-reference.adoc): `quarkus.flyway.locations` (default `db/migration`), `schemas`,
 *   `default-schema`, `table`, `placeholders.<name>`, `placeholder-prefix` / `-suffix`, `sql-migration-prefix`...;
 *   a named datasource's as `quarkus.flyway."<name>".<property>`; `quarkus.liquibase.change-log` (default
 *   `db/changeLog.xml`), `contexts`, `labels`, `default-schema-name`, `liquibase-schema-name`,
 *   `database-change-log-table-name`, `database-change-log-lock-table-name`, `change-log-parameters.<name>`.
 *   Profiles: `%<profile>.<key>` (also `%a,b.`, a `"%prod":` YAML table, application-<profile>.properties) wins over
 *   the plain key when the profile is active. A deployed application runs the `prod` profile (Quarkus' default
 *   outside dev mode and tests), so the replay reads `prod` unless QUARKUS_PROFILE names others; a notice says so
 *   when another profile sets these settings differently. In one folder application.yaml (ordinal 255) wins over
 *   application.properties (250) (config-yaml.adoc); the working directory's (the module's) config/application.* (260,
 *   265) and .env (295, QUARKUS_* variables as in the environment, QUARKUS_PROFILE too) over those, the environment
 *   (300) over all.
 * - Micronaut (micronaut-projects/micronaut-flyway FlywayConfigurationProperties `@EachProperty("flyway.datasources")`,
 *   its FluentConfiguration bound with no prefix, so every Flyway setting by its kebab-case name; micronaut-liquibase
 *   LiquibaseConfigurationProperties `@EachProperty("liquibase.datasources")`): `flyway.datasources.<name>.enabled`
 *   (default true), `locations` (Flyway's default classpath:db/migration), `schemas`, `default-schema`, `table`,
 *   `placeholders.<name>`...; `liquibase.datasources.<name>.change-log` (no default), `default-schema`,
 *   `liquibase-schema`, `database-change-log-table`, `database-change-log-lock-table`, `contexts`, `labels`,
 *   `parameters.<name>`. The environments of MICRONAUT_ENVIRONMENTS add their application-<env>.* files over the base.
 *
 * A framework is only read when the application's build (pom.xml, build.gradle(.kts) of its module or above) or its
 * config (quarkus.* / micronaut.* keys) shows it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readDotEnv } from './dotenv.js';
import { jdbcDriverOtherDatabase, quarkusDbKindOtherDatabase } from './flyway.js';
import { parsedSettingsFile, type FlywaySetting } from './flyway-settings-files.js';
import { foldersUpTo } from './types.js';

export type JvmFramework = 'quarkus' | 'micronaut';

/** One property as the application's config sets it. */
interface Entry {
  key: string;
  value: string;
  source: string;
  /** a Quarkus profile the entry is for (`%dev.`, an application-<profile>.* file) */
  profile?: string;
  /** its config source, by precedence (a higher one wins; in one source an active profile's key over the plain key) */
  tier: number;
}

/** What spring-boot-settings.ts lends: a config file's flattened properties, and `${...}` resolution. */
export interface ConfigReader {
  fileProperties(file: string, who: string): [string, string][];
  resolve(value: string, env: Record<string, string | undefined>, properties: Map<string, string>): string | { unresolved: string };
  moduleFolder(resources: string): string;
}

const FRAMEWORK_NAME: Record<JvmFramework, string> = { quarkus: 'Quarkus', micronaut: 'Micronaut' };

/**
 * The framework of the application whose resources folder is `resources`: the nearest build file (module, then up to
 * the root) naming Quarkus (`io.quarkus`) or Micronaut (`io.micronaut`) and not Spring Boot; else its config's own
 * keys (`quarkus.*`, `micronaut.*`). Undefined for a Spring Boot (or unknown) application.
 */
export function jvmFrameworkOf(resources: string, root: string, reader: ConfigReader): JvmFramework | undefined {
  for (const dir of foldersUpTo(reader.moduleFolder(resources), root)) {
    for (const name of ['pom.xml', 'build.gradle', 'build.gradle.kts']) {
      const said = parsedSettingsFile(path.join(dir, name), 'jvm-framework', (text): JvmFramework | 'spring' | undefined => {
        if (/org\.springframework\.boot/.test(text)) return 'spring';
        if (/io\.quarkus/.test(text)) return 'quarkus';
        if (/io\.micronaut/.test(text)) return 'micronaut';
        return undefined;
      });
      if (said !== undefined) return said === 'spring' ? undefined : said;
    }
  }
  const keys = configFiles(resources, 'micronaut', {}).flatMap((file) => reader.fileProperties(file, 'the application').map(([key]) => key.replace(/^%[^.]+\./, '')));
  if (keys.some((key) => key.startsWith('quarkus.'))) return 'quarkus';
  if (keys.some((key) => key.startsWith('micronaut.'))) return 'micronaut';
  return undefined;
}

/** The config files the framework loads from the resources folder, lowest precedence first. */
function configFiles(resources: string, framework: JvmFramework, env: Record<string, string | undefined>): string[] {
  if (framework === 'quarkus') {
    // application.properties (250) below application.yaml/.yml (255); profile files over both
    return ['application.properties', 'application.yml', 'application.yaml'].map((name) => path.join(resources, name));
  }
  const environments = (env.MICRONAUT_ENVIRONMENTS ?? env['micronaut.environments'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return ['', ...environments.map((e) => `-${e}`)].flatMap((suffix) => ['properties', 'yml', 'yaml', 'json'].map((ext) => path.join(resources, `application${suffix}.${ext}`)));
}

/**
 * The environment a Quarkus application sees for its profile: the working directory's .env under the environment
 * (QUARKUS_PROFILE may be set there too).
 */
function quarkusProfileEnv(resources: string, root: string, reader: ConfigReader, env: Record<string, string | undefined>): Record<string, string | undefined> {
  const dotEnv = readDotEnvFile(path.join(reader.moduleFolder(resources), '.env'));
  const seen = dotEnv ? { ...dotEnv, ...env } : env;
  if (seen.QUARKUS_PROFILE !== undefined || seen['quarkus.profile'] !== undefined) return seen;
  const built = buildProfile(resources, root, reader);
  return built ? { ...seen, 'quarkus.profile': built.value, [BUILD_PROFILE_SOURCE]: built.source } : seen;
}

/** Where quarkusProfileEnv found the build's profile (a key no environment variable can have). */
const BUILD_PROFILE_SOURCE = '\0quarkus.profile source';

/**
 * The profile the application's Maven build packages it with: `quarkus.profile` in the <properties> of its pom (or a
 * parent's), or of a quarkus-maven-plugin execution (field: com-pas/compas-scl-data-service, whose app/pom.xml build
 * execution sets prod-postgresql, the profile that names its Flyway folder). Quarkus makes the profile a build ran
 * with the packaged application's default runtime profile (quarkusio/quarkus docs/src/main/asciidoc/
 * config-reference.adoc, "Default Runtime profile"); QUARKUS_PROFILE still overrides it. Several values in one pom
 * (a build per database) decide nothing, nor does one inside a Maven <profile> (a build `-P native` runs, not the
 * default one).
 */
function buildProfile(resources: string, root: string, reader: ConfigReader): { value: string; source: string } | undefined {
  for (const dir of foldersUpTo(reader.moduleFolder(resources), root)) {
    const pom = path.join(dir, 'pom.xml');
    // a Maven <profile>'s properties apply only when -P (or its activation) turns it on: not the default build's
    const values = parsedSettingsFile(pom, 'quarkus-build-profile', (text) => {
      const defaultBuild = text.replace(/<!--[\s\S]*?-->/g, '').replace(/<profiles>[\s\S]*?<\/profiles>/g, '');
      return [...new Set([...defaultBuild.matchAll(/<quarkus\.profile>\s*([^<]*?)\s*<\/quarkus\.profile>/g)].map((m) => m[1]))];
    });
    if (values === undefined || values.length === 0) continue;
    return values.length === 1 && values[0] !== '' && !values[0].includes('${') ? { value: values[0], source: `quarkus.profile of the build in ${path.relative(root, pom).split(path.sep).join('/')}` } : undefined;
  }
  return undefined;
}

/** How the replay's Quarkus profiles were chosen, for messages: QUARKUS_PROFILE, the build's, else a deployment's default. */
function profileOrigin(env: Record<string, string | undefined>): string {
  if (env.QUARKUS_PROFILE) return 'QUARKUS_PROFILE';
  return env[BUILD_PROFILE_SOURCE] ?? 'what a deployed application runs';
}

/** The active Quarkus profiles of the application and how they were chosen (`prod-postgresql (quarkus.profile of the build in ...)`). */
export function quarkusActiveProfiles(resources: string, root: string, env: Record<string, string | undefined>, reader: ConfigReader): string {
  const seen = quarkusProfileEnv(resources, root, reader, env);
  return `${quarkusProfiles(seen).join(',')} (${profileOrigin(seen)})`;
}

/** The active Quarkus profiles: QUARKUS_PROFILE (or quarkus.profile), else `prod`, as a packaged application runs. */
function quarkusProfiles(env: Record<string, string | undefined>): string[] {
  const named = (env.QUARKUS_PROFILE ?? env['quarkus.profile'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return named.length > 0 ? named : ['prod'];
}

/** Every entry of the application's config, profile-specific ones marked (not yet filtered by the active profiles). */
function entriesOf(resources: string, root: string, framework: JvmFramework, env: Record<string, string | undefined>, reader: ConfigReader): Entry[] {
  const who = FRAMEWORK_NAME[framework];
  const shown = (file: string) => path.relative(root, file).split(path.sep).join('/');
  const out: Entry[] = [];
  let tier = 0;
  const add = (file: string, profileOfFile?: string) => {
    tier++;
    for (const [written, value] of reader.fileProperties(file, who)) {
      const profiled = framework === 'quarkus' ? /^%([^.]+)\.(.+)$/.exec(written) : null;
      const key = profiled ? profiled[2] : written;
      const source = `${written} in ${shown(file)}`;
      if (profiled) for (const profile of profiled[1].split(',')) out.push({ key, value, source, profile: profile.trim(), tier });
      else out.push({ key, value, source, tier, ...(profileOfFile ? { profile: profileOfFile } : {}) });
    }
  };
  // application-<profile>.properties / .yaml (Quarkus 2.16+): that profile's keys, for every such file, each read
  // just above its main file
  let names: string[] = [];
  if (framework === 'quarkus') {
    try {
      names = readdirSync(resources).sort();
    } catch {
      // no folder: no files
    }
  }
  for (const file of configFiles(resources, framework, env)) {
    add(file);
    const ext = path.extname(file).slice(1);
    for (const name of names) {
      const profile = /^application-(.+)\.(properties|ya?ml)$/.exec(name);
      if (profile && profile[2] === ext) add(path.join(resources, name), profile[1]);
    }
  }
  if (framework === 'quarkus') {
    // the working directory's config/application.properties (ordinal 260) and config/application.yaml (265), then
    // its .env (295, read as environment variables), below the environment itself (300): config-reference.adoc
    // "Configuration Sources"; the application runs in its module's folder
    const workingDirectory = reader.moduleFolder(resources);
    for (const name of ['application.properties', 'application.yml', 'application.yaml']) add(path.join(workingDirectory, 'config', name));
    const dotEnv = path.join(workingDirectory, '.env');
    const fromDotEnv = readDotEnvFile(dotEnv);
    if (fromDotEnv) out.push(...quarkusEnvironmentEntries(fromDotEnv, `in ${shown(dotEnv)}`).map((entry) => ({ ...entry, tier: tier + 1 })));
    out.push(...quarkusEnvironmentEntries(env).map((entry) => ({ ...entry, tier: tier + 2 })));
  }
  return out;
}

/** A .env file's variables (dotenv.ts readDotEnv), undefined when there is none or it cannot be read. */
function readDotEnvFile(file: string): Record<string, string> | undefined {
  try {
    return readDotEnv(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The Quarkus Flyway and Liquibase properties read from the environment (the default datasource's). */
const QUARKUS_ENV_PROPERTIES = [
  'quarkus.flyway.locations', 'quarkus.flyway.schemas', 'quarkus.flyway.default-schema', 'quarkus.flyway.table', 'quarkus.flyway.create-schemas',
  'quarkus.flyway.placeholder-prefix', 'quarkus.flyway.placeholder-suffix', 'quarkus.flyway.sql-migration-prefix', 'quarkus.flyway.repeatable-sql-migration-prefix',
  'quarkus.liquibase.change-log', 'quarkus.liquibase.default-schema-name', 'quarkus.liquibase.liquibase-schema-name', 'quarkus.liquibase.contexts', 'quarkus.liquibase.labels',
  'quarkus.liquibase.database-change-log-table-name', 'quarkus.liquibase.database-change-log-lock-table-name', 'quarkus.datasource.jdbc.url',
];

/**
 * Environment variables as SmallRye Config maps them to properties (EnvConfigSource, ordinal 300, above the files;
 * config-reference.adoc "Environment Variables"): the name upper-cased with every other character than a letter or
 * digit as `_` (QUARKUS_FLYWAY_DEFAULT_SCHEMA), `_<PROFILE>_` before it for a profile's (`_DEV_QUARKUS_...`), and
 * QUARKUS_FLYWAY_PLACEHOLDERS_<NAME> the placeholder `<name>` lower-cased. Above every file, profile keys included.
 */
function quarkusEnvironmentEntries(env: Record<string, string | undefined>, where = 'in the environment'): Entry[] {
  const byName = new Map(QUARKUS_ENV_PROPERTIES.map((key) => [key.toUpperCase().replace(/[^A-Z0-9]/g, '_'), key]));
  const out: Entry[] = [];
  for (const [name, value] of Object.entries(env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (value === undefined) continue;
    const profiled = /^_([A-Z0-9]+)_(QUARKUS_.+)$/.exec(name);
    const variable = profiled ? profiled[2] : name;
    const placeholder = /^QUARKUS_FLYWAY_PLACEHOLDERS_(.+)$/.exec(variable);
    const key = placeholder ? `quarkus.flyway.placeholders.${placeholder[1].toLowerCase()}` : byName.get(variable);
    if (key === undefined) continue;
    out.push({ key, value, source: `${name} ${where}`, tier: 0, ...(profiled ? { profile: profiled[1].toLowerCase() } : {}) });
  }
  return out;
}

/** The settings that change what the replay runs or where (not credentials, retries, migrate-at-start...). */
const REPLAYED = /^(locations|schemas|default-schema|table|create-schemas|placeholders\.|placeholder-|sql-migration-|repeatable-sql-migration-|change-log|default-schema-name|liquibase-schema-name|database-change-log|contexts|labels|enabled)/;

/**
 * The effective properties (later entries win; an active profile's over the plain key) and the entries of inactive
 * profiles that set a property below `watched` to another value than the replay reads.
 */
function effective(entries: Entry[], framework: JvmFramework, env: Record<string, string | undefined>, watched: string[]): { values: Map<string, Entry>; otherProfiles: Entry[] } {
  const active = framework === 'quarkus' ? quarkusProfiles(env) : [];
  const values = new Map<string, Entry>();
  // source by source, lowest first: in each the plain keys, then the active profiles' in order (the last of several
  // profiles has priority); a higher source's plain key wins over a lower one's profile key (SmallRye Config's
  // ProfileConfigSourceInterceptor looks a name up source by source; config-reference.adoc: a .env / environment
  // variable without a profile overrides `%test.` keys of application.properties)
  for (const tier of [...new Set(entries.map((entry) => entry.tier))].sort((a, b) => a - b)) {
    const inTier = entries.filter((entry) => entry.tier === tier);
    for (const entry of inTier) if (entry.profile === undefined) values.set(entry.key, entry);
    for (const profile of active) for (const entry of inTier) if (entry.profile === profile) values.set(entry.key, entry);
  }
  const replayed = (key: string) => watched.some((prefix) => key.startsWith(prefix) && REPLAYED.test(scoped(key, prefix, framework)?.property ?? ''));
  const otherProfiles = entries.filter((entry) => entry.profile !== undefined && !active.includes(entry.profile) && replayed(entry.key) && values.get(entry.key)?.value !== entry.value);
  return { values, otherProfiles };
}

/** A datasource-scoped key: `quarkus.flyway.<property>` / `quarkus.flyway."<ds>".<property>`, `flyway.datasources.<ds>.<property>`. */
function scoped(key: string, prefix: string, framework: JvmFramework): { datasource: string; property: string } | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const rest = key.slice(prefix.length);
  if (framework === 'micronaut') {
    const match = /^("([^"]+)"|[^.]+)\.(.+)$/.exec(rest);
    return match ? { datasource: match[2] ?? match[1], property: match[3] } : undefined;
  }
  const quoted = /^"([^"]+)"\.(.+)$/.exec(rest);
  if (quoted) return { datasource: quoted[1], property: quoted[2] };
  const parts = rest.split('.');
  // one segment, or a map (`placeholders.<name>`, `change-log-parameters.<name>`), is the default datasource's
  if (parts.length === 1 || MAP_PROPERTIES.has(parts[0])) return { datasource: DEFAULT, property: rest };
  return { datasource: parts[0], property: parts.slice(1).join('.') };
}

const DEFAULT = '<default>';
const MAP_PROPERTIES = new Set(['placeholders', 'change-log-parameters', 'parameters', 'jdbc-properties']);

/** `<name>.url` (Micronaut `datasources.<name>.url`, Quarkus `quarkus.datasource."<name>".jdbc.url`) of a datasource. */
function datasourceUrl(values: Map<string, Entry>, framework: JvmFramework, datasource: string): Entry | undefined {
  if (framework === 'micronaut') return values.get(`datasources.${datasource}.url`) ?? values.get(`datasources."${datasource}".url`);
  if (datasource === DEFAULT) return values.get('quarkus.datasource.jdbc.url');
  return values.get(`quarkus.datasource."${datasource}".jdbc.url`) ?? values.get(`quarkus.datasource.${datasource}.jdbc.url`);
}

/** Quarkus `quarkus.datasource[."<name>"].db-kind`, Micronaut `datasources.<name>.driver-class-name` of a datasource. */
function datasourceKind(values: Map<string, Entry>, framework: JvmFramework, datasource: string): Entry | undefined {
  if (framework === 'micronaut') {
    return ['driver-class-name', 'driverClassName'].map((key) => values.get(`datasources.${datasource}.${key}`) ?? values.get(`datasources."${datasource}".${key}`)).find(Boolean);
  }
  if (datasource === DEFAULT) return values.get('quarkus.datasource.db-kind');
  return values.get(`quarkus.datasource."${datasource}".db-kind`) ?? values.get(`quarkus.datasource.${datasource}.db-kind`);
}

/**
 * The datasource whose settings apply: the one whose locations hold `covers` (the migrations folder), else the one
 * whose JDBC URL is PostgreSQL's, else one named after PostgreSQL, else the default datasource, else the only one.
 */
function chooseDatasource(names: string[], values: Map<string, Entry>, framework: JvmFramework, covering: (name: string) => boolean): string | undefined {
  if (names.length === 0) return undefined;
  return (
    names.find(covering) ??
    names.find((name) => /^jdbc:postgresql:/i.test(datasourceUrl(values, framework, name)?.value.trim() ?? '')) ??
    names.find((name) => /^postgres(ql)?$|^pg$/i.test(name)) ??
    names.find((name) => name === DEFAULT || name === 'default') ??
    (names.length === 1 ? names[0] : undefined)
  );
}

/**
 * The settings under `prefix` that the replay reads (the active profile's, environment variables first), as plain
 * values for `${...}` resolution, and per datasource by property name (`propertyName` rewrites a name, default as is);
 * `otherProfiles`: the entries other profiles set differently.
 */
function datasourceSettings(
  resources: string,
  root: string,
  env: Record<string, string | undefined>,
  framework: JvmFramework,
  reader: ConfigReader,
  prefix: string,
  propertyName: (property: string) => string = (property) => property,
): { values: Map<string, Entry>; otherProfiles: Entry[]; properties: Map<string, string>; byDatasource: Map<string, Map<string, Entry>> } {
  const { values, otherProfiles } = effective(entriesOf(resources, root, framework, env, reader), framework, framework === 'quarkus' ? quarkusProfileEnv(resources, root, reader, env) : env, [prefix]);
  const properties = new Map([...values].map(([key, entry]) => [key, entry.value]));
  const byDatasource = new Map<string, Map<string, Entry>>();
  for (const entry of values.values()) {
    const at = scoped(entry.key, prefix, framework);
    if (!at) continue;
    const own = byDatasource.get(at.datasource) ?? new Map<string, Entry>();
    own.set(propertyName(at.property), entry);
    byDatasource.set(at.datasource, own);
  }
  return { values, otherProfiles, properties, byDatasource };
}

/**
 * The Flyway settings (as `flyway.<camelCase>` / `flyway.placeholders.<name>`, with `application: resources`) of a
 * Quarkus or Micronaut application, for the migrations folder `folder` (it chooses among named datasources), and a
 * notice when another Quarkus profile sets them differently. `covers(locations)` tells whether a locations value
 * names the folder.
 */
export function frameworkFlywaySettings(
  resources: string,
  root: string,
  env: Record<string, string | undefined>,
  framework: JvmFramework,
  reader: ConfigReader,
  covers: (locations: string) => boolean,
): Map<string, FlywaySetting> {
  const { values, otherProfiles, properties, byDatasource } = datasourceSettings(resources, root, env, framework, reader, framework === 'quarkus' ? 'quarkus.flyway.' : 'flyway.datasources.');
  // Micronaut runs Flyway for the datasources configured under flyway.datasources and not disabled; Quarkus for the
  // default datasource always (its settings default), a named one when configured
  const disabled = [...byDatasource.keys()].filter((name) => byDatasource.get(name)!.get('enabled')?.value.trim().toLowerCase() === 'false');
  const enabled = [...byDatasource.keys()].filter((name) => !disabled.includes(name));
  const names = framework === 'quarkus' && !enabled.includes(DEFAULT) && !disabled.includes(DEFAULT) ? [...enabled, DEFAULT] : enabled;
  const locationsOf = (name: string) => byDatasource.get(name)?.get('locations')?.value ?? (framework === 'quarkus' ? 'db/migration' : 'classpath:db/migration');
  const chosen = chooseDatasource(names, values, framework, (name) => covers(locationsOf(name)));
  const out = new Map<string, FlywaySetting>();
  const who = FRAMEWORK_NAME[framework];
  if (chosen === undefined) {
    // every configured datasource turned off (`enabled: false`): the framework does not run Flyway; the replay is
    // Flyway's defaults, as a CLI or build plugin would apply the files, an assumption said as a notice
    const off = disabled.map((name) => byDatasource.get(name)!.get('enabled')!);
    if (off.length > 0) out.set('flyway.$disabled', { value: '', source: off[0].source, application: resources, notice: `${off.map((entry) => entry.source).slice(0, 3).join(', ')} ${off.length > 1 ? 'are' : 'is'} false: ${who} does not run Flyway, so this replays the migrations with Flyway's defaults as a CLI or build plugin would apply them, an assumption` });
    return out;
  }
  for (const [property, entry] of byDatasource.get(chosen) ?? []) {
    if (property === 'enabled' || property === 'active') continue;
    const [head, ...rest] = property.split('.');
    const name = head === 'placeholders' && rest.length > 0 ? `placeholders.${rest.join('.')}` : property.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());
    const resolved = reader.resolve(entry.value, env, properties);
    out.set(`flyway.${name}`, typeof resolved === 'string' ? { value: resolved, source: entry.source, application: resources } : { value: entry.value, source: entry.source, unresolved: resolved.unresolved, application: resources });
  }
  // an unset location stays unset: both frameworks default to Flyway's own (db/migration), and a default read as a
  // setting would claim another module's db/migration for every application (field: hensu-project/hensu, whose
  // hensu-cli Quarkus module has no Flyway and hensu-server has db/migration)
  const url = datasourceUrl(values, framework, chosen);
  if (url && !out.has('flyway.url') && !out.has('flyway.jdbcUrl')) {
    const resolved = reader.resolve(url.value, env, properties);
    if (typeof resolved === 'string') out.set('flyway.url', { value: resolved, source: url.source, application: resources });
  }
  // with no URL that resolves (Quarkus Dev Services start the database db-kind names), the database from the
  // datasource's db-kind (Quarkus) or driver class (Micronaut)
  const kind = !out.has('flyway.url') && !out.has('flyway.jdbcUrl') ? datasourceKind(values, framework, chosen) : undefined;
  if (kind) {
    const resolved = reader.resolve(kind.value, env, properties);
    const database = typeof resolved === 'string' ? (framework === 'quarkus' ? quarkusDbKindOtherDatabase(resolved) : jdbcDriverOtherDatabase(resolved)) : undefined;
    if (database) out.set('flyway.$database', { value: database, source: `${kind.source} (${kind.value.trim()})`, application: resources });
  }
  const notice = profileNotice(otherProfiles, framework, framework === 'quarkus' ? quarkusProfileEnv(resources, root, reader, env) : env, 'Flyway');
  if (notice) out.set('flyway.$profiles', { value: '', source: otherProfiles[0].source, application: resources, notice });
  return out;
}

/** Liquibase's settings of a Quarkus or Micronaut application, by pgdrift's names (liquibase.ts LiquibaseSettings). */
export interface FrameworkLiquibase {
  changeLog?: { value: string; source: string };
  /** the framework's default master when none is set (Quarkus db/changeLog.xml) */
  defaultChangeLog?: string;
  settings: Record<'defaultSchema' | 'liquibaseSchema' | 'table' | 'lockTable' | 'contexts' | 'labels' | 'url', { value: string; source: string } | undefined>;
  parameters: Record<string, string>;
  notice?: string;
}

const LIQUIBASE_KEYS: Record<JvmFramework, Record<keyof FrameworkLiquibase['settings'] | 'changeLog', string>> = {
  quarkus: {
    changeLog: 'change-log',
    defaultSchema: 'default-schema-name',
    liquibaseSchema: 'liquibase-schema-name',
    table: 'database-change-log-table-name',
    lockTable: 'database-change-log-lock-table-name',
    contexts: 'contexts',
    labels: 'labels',
    url: 'jdbc-url',
  },
  micronaut: {
    changeLog: 'change-log',
    defaultSchema: 'default-schema',
    liquibaseSchema: 'liquibase-schema',
    table: 'database-change-log-table',
    lockTable: 'database-change-log-lock-table',
    contexts: 'contexts',
    labels: 'labels',
    url: 'url',
  },
};

export function frameworkLiquibaseSettings(resources: string, root: string, env: Record<string, string | undefined>, framework: JvmFramework, reader: ConfigReader, covers: (changeLog: string) => boolean): FrameworkLiquibase {
  // camelCase property names read as their kebab-case form (Micronaut's relaxed binding): LIQUIBASE_KEYS are kebab
  const { values, otherProfiles, properties, byDatasource } = datasourceSettings(resources, root, env, framework, reader, framework === 'quarkus' ? 'quarkus.liquibase.' : 'liquibase.datasources.', (property) =>
    property.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
  );
  const keys = LIQUIBASE_KEYS[framework];
  const enabled = [...byDatasource.keys()].filter((name) => byDatasource.get(name)!.get('enabled')?.value.trim().toLowerCase() !== 'false');
  const names = framework === 'quarkus' && !enabled.includes(DEFAULT) ? [...enabled, DEFAULT] : enabled;
  const defaultChangeLog = framework === 'quarkus' ? 'db/changeLog.xml' : undefined;
  const chosen = chooseDatasource(names, values, framework, (name) => {
    const changeLog = byDatasource.get(name)?.get(keys.changeLog)?.value ?? defaultChangeLog;
    return changeLog !== undefined && covers(changeLog);
  });
  const own = chosen === undefined ? new Map<string, Entry>() : (byDatasource.get(chosen) ?? new Map<string, Entry>());
  const get = (property: string) => {
    const entry = own.get(property);
    if (!entry) return undefined;
    const resolved = reader.resolve(entry.value, env, properties);
    return typeof resolved === 'string' && resolved.trim() !== '' ? { value: resolved.trim(), source: entry.source } : undefined;
  };
  const settings = {} as FrameworkLiquibase['settings'];
  for (const [name, property] of Object.entries(keys)) if (name !== 'changeLog') settings[name as keyof FrameworkLiquibase['settings']] = get(property);
  if (!settings.url && chosen !== undefined) {
    const url = datasourceUrl(values, framework, chosen);
    const resolved = url && reader.resolve(url.value, env, properties);
    if (url && typeof resolved === 'string') settings.url = { value: resolved, source: url.source };
  }
  const parameters: Record<string, string> = {};
  const parameterPrefix = framework === 'quarkus' ? 'change-log-parameters.' : 'parameters.';
  for (const [property, entry] of own) {
    if (!property.startsWith(parameterPrefix)) continue;
    const resolved = reader.resolve(entry.value, env, properties);
    if (typeof resolved === 'string') parameters[entry.key.slice(entry.key.lastIndexOf(parameterPrefix) + parameterPrefix.length)] = resolved;
  }
  const changeLog = get(keys.changeLog);
  const notice = profileNotice(otherProfiles, framework, framework === 'quarkus' ? quarkusProfileEnv(resources, root, reader, env) : env, 'Liquibase');
  return { ...(changeLog ? { changeLog } : {}), ...(defaultChangeLog ? { defaultChangeLog } : {}), settings, parameters, ...(notice ? { notice } : {}) };
}

/** Other Quarkus profiles (or Micronaut environments) set these settings to other values than the replay reads. */
function profileNotice(others: Entry[], framework: JvmFramework, env: Record<string, string | undefined>, tool: string): string | undefined {
  if (others.length === 0 || framework !== 'quarkus') return undefined;
  const listed = others.slice(0, 3).map((entry) => entry.source).join(', ');
  const active = quarkusProfiles(env).join(',');
  return `${listed}${others.length > 3 ? ` and ${others.length - 3} more` : ''}: another Quarkus profile sets ${tool} differently; the replay reads profile ${active} (${profileOrigin(env)}): QUARKUS_PROFILE=<profile> replays another`;
}

/**
 * The Quarkus profiles, other than the active ones, that set the default datasource's `quarkus.flyway.locations`
 * (a `%<profile>.` key or an application-<profile>.* file): where to look when the active profile's names nothing.
 */
export function quarkusProfilesSettingLocations(resources: string, root: string, env: Record<string, string | undefined>, reader: ConfigReader): string[] {
  const active = quarkusProfiles(quarkusProfileEnv(resources, root, reader, env));
  const profiles = entriesOf(resources, root, 'quarkus', env, reader)
    .filter((entry) => entry.profile !== undefined && !active.includes(entry.profile) && scoped(entry.key, 'quarkus.flyway.', 'quarkus')?.datasource === DEFAULT && scoped(entry.key, 'quarkus.flyway.', 'quarkus')?.property === 'locations')
    .map((entry) => entry.profile!);
  return [...new Set(profiles)];
}
