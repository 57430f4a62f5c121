/**
 * A Spring Boot application's Flyway configuration: `spring.flyway.*` from application.properties / .yml / .yaml,
 * the active profiles' application-<profile>.* files, what `spring.config.import` names, and SPRING_FLYWAY_*
 * variables (relaxed binding); which application's resources folder holds (or whose `filesystem:` locations name) a
 * migrations folder, across modules. flyway-settings.ts reads these below its own sources; shared pieces are in
 * flyway-settings-files.ts (this module does not import flyway-settings.ts, which imports it).
 */
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { jdbcDriverOtherDatabase } from './flyway.js';
import { parsedSettingsFile, readProperties, type FlywaySetting } from './flyway-settings-files.js';
import { frameworkFlywaySettings, jvmFrameworkOf, quarkusActiveProfiles, quarkusProfilesSettingLocations, type ConfigReader, type JvmFramework } from './jvm-framework-settings.js';
import { springBootMajorVersion } from './spring-boot-version.js';
import { withQuotedContinuationsIndented } from './snakeyaml-quoted-lines.js';
import { byCodeUnits } from './types.js';
import { InputError } from '../errors.js';

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
export function readSpringBootSettings(folder: string, root: string, env: Record<string, string | undefined>): Map<string, FlywaySetting> {
  const own = resourcesFolder(folder);
  const resources = own && hasApplicationFiles(own) ? own : (springApplicationLocating(folder, root, env) ?? own);
  return resources ? applicationFlywaySettings(resources, root, env, folder) : new Map();
}

/** What jvm-framework-settings.ts reads config files and resolves values with (Spring's readers, shared). */
export const CONFIG_READER: ConfigReader = {
  fileProperties: (file, who) => springDocumentsOf(file, undefined, who).flatMap((document) => document.properties),
  resolve: (value, env, properties) => resolveSpringValue(value, env, properties),
  moduleFolder: (resources) => moduleFolder(resources),
};

/** The JVM framework (Quarkus, Micronaut) of an application's resources folder; undefined for Spring Boot. */
export function applicationFramework(resources: string, root: string): JvmFramework | undefined {
  return jvmFrameworkOf(resources, root, CONFIG_READER);
}

/** The active Quarkus profiles of an application and how they were chosen, for messages. */
export function quarkusProfilesInUse(resources: string, root: string, env: Record<string, string | undefined>): string {
  return quarkusActiveProfiles(resources, root, env, CONFIG_READER);
}

/** The Quarkus profiles other than the active ones that set `quarkus.flyway.locations` (none for another framework). */
export function otherQuarkusProfilesWithLocations(resources: string, root: string, env: Record<string, string | undefined>): string[] {
  return applicationFramework(resources, root) === 'quarkus' ? quarkusProfilesSettingLocations(resources, root, env, CONFIG_READER) : [];
}

/**
 * The Flyway settings of the application whose resources folder is `resources`, by its framework: Quarkus' and
 * Micronaut's (jvm-framework-settings.ts, choosing the datasource whose locations name `folder`), else Spring Boot's.
 */
function applicationFlywaySettings(resources: string, root: string, env: Record<string, string | undefined>, folder: string): Map<string, FlywaySetting> {
  const framework = applicationFramework(resources, root);
  if (!framework) return springBootSettingsOf(resources, root, env);
  if (framework === 'quarkus') parseSpringConfigFiles(resources, root, 'Quarkus');
  else parseSpringConfigFiles(resources, root, 'Micronaut');
  return frameworkFlywaySettings(resources, root, env, framework, CONFIG_READER, (locations) => locationsCover(locations, folder, root, resources));
}

/** Each application.* config file of the resources folder parsed (a file that is not valid YAML: an input error). */
function parseSpringConfigFiles(resources: string, root: string, who: string): void {
  for (const ext of ['properties', 'yml', 'yaml']) springDocumentsOf(path.join(resources, `application.${ext}`), root, who);
}

/**
 * Whether a Flyway `locations` value (comma-separated, `classpath:` or `filesystem:`) names `folder` or a folder
 * above it: `filesystem:` from the application's module or the root, `classpath:` in the resources folder that holds
 * `folder` (a multi-module build puts every module's resources on the application's classpath).
 */
function locationsCover(value: string, folder: string, root: string, application: string): boolean {
  const target = path.resolve(folder);
  const inResources = resourcesFolder(target);
  const covers = (at: string) => at === target || target.startsWith(at + path.sep);
  return value.split(',').some((location) => {
    const written = location.trim().replaceAll('{vendor}', 'postgresql');
    if (written.toLowerCase().startsWith('filesystem:')) return covers(filesystemLocation(written.slice('filesystem:'.length), root, application));
    return inResources !== undefined && covers(path.join(inResources, written.replace(/^classpath:/i, '')));
  });
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
  return springResourceFolders(root).find((resources) => {
    if (!hasApplicationFiles(resources)) return false;
    const locations = applicationFlywaySettings(resources, root, env, folder).get('flyway.locations') ?? { value: 'classpath:db/migration', source: '' };
    if (locations.unresolved !== undefined) return false;
    return locationsCover(locations.value, folder, root, resources);
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

/**
 * One Spring Boot property of the application whose resources folder is `resources` (`spring.liquibase.change-log`):
 * the last value the loaded documents give it (springDocuments' precedence), its relaxed forms (kebab-case, camelCase)
 * and the environment variable Spring binds to it (`SPRING_LIQUIBASE_CHANGELOG`) included, `${...}` resolved.
 */
export function springProperty(resources: string, root: string, env: Record<string, string | undefined>, name: string): { value: string; source: string } | undefined {
  const relaxed = (key: string) => key.toLowerCase().replace(/[-_]/g, '');
  const documents = springDocuments(resources, root, env);
  const properties = new Map(documents.flatMap(({ properties }) => properties));
  const variable = name.toUpperCase().replace(/[.]/g, '_').replace(/-/g, '');
  let found: { value: string; source: string } | undefined;
  if (env[variable] !== undefined) found = { value: env[variable]!, source: `${variable} in the environment` };
  else {
    for (const { file, properties: entries } of documents) {
      for (const [key, value] of entries) if (relaxed(key) === relaxed(name)) found = { value, source: `${key} in ${path.relative(root, file).split(path.sep).join('/')}` };
    }
  }
  if (!found) return undefined;
  const resolved = resolveSpringValue(found.value, env, properties);
  return typeof resolved === 'string' ? { value: resolved, source: found.source } : undefined;
}

/** The Spring Boot properties below a prefix (`spring.liquibase.parameters.`), by the rest of their name, `${...}` resolved. */
export function springPropertiesBelow(resources: string, root: string, env: Record<string, string | undefined>, prefix: string): Record<string, string> {
  const documents = springDocuments(resources, root, env);
  const properties = new Map(documents.flatMap(({ properties }) => properties));
  const out: Record<string, string> = {};
  for (const { properties: entries } of documents) {
    for (const [key, value] of entries) {
      if (!key.startsWith(prefix)) continue;
      const resolved = resolveSpringValue(value, env, properties);
      if (typeof resolved === 'string') out[key.slice(prefix.length)] = resolved;
    }
  }
  return out;
}

/** `spring.flyway.*` of the application whose resources folder is `resources` (readSpringBootSettings). */
function springBootSettingsOf(resources: string, root: string, env: Record<string, string | undefined>): Map<string, FlywaySetting> {
  const out = new Map<string, FlywaySetting>();
  const documents = springDocuments(resources, root, env);
  const properties = new Map(documents.flatMap(({ properties }) => properties));
  const prefix = flywayPrefix(resources, root);
  for (const { file, properties: entries } of documents) {
    for (const [written, value] of entries) {
      if (!written.startsWith(prefix)) continue;
      const key = written.slice(prefix.length);
      const [head, ...rest] = key.split('.');
      // relaxed binding: kebab-case, underscore notation and camelCase name one property
      const name = head === 'placeholders' && rest.length > 0 ? `placeholders.${rest.join('.')}` : key.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());
      const resolved = resolveSpringValue(value, env, properties);
      const source = `${written} in ${path.relative(root, file).split(path.sep).join('/')}`;
      out.set(`flyway.${name}`, typeof resolved === 'string' ? { value: resolved, source, application: resources } : { value, source, unresolved: resolved.unresolved, application: resources });
    }
  }
  // A build that does not say its Spring Boot version is read as 2.x+, where `flyway.*` keys are ignored: when the
  // application sets some and no `spring.flyway.*` one, that reading is an assumption, said once (a notice)
  const legacy = prefix === LEGACY_PREFIX ? [] : documents.flatMap(({ file, properties: entries }) => entries.filter(([key]) => key.startsWith(LEGACY_PREFIX)).map(([key]) => `${key} in ${path.relative(root, file).split(path.sep).join("/")}`));
  if (legacy.length > 0 && out.size === 0 && springBootMajorVersion(moduleFolder(resources), root) === undefined) {
    out.set('flyway.$legacyKeys', {
      value: '',
      source: legacy[0],
      application: resources,
      notice: `${legacy.slice(0, 3).join(', ')}: Spring Boot 1.x reads flyway.* keys, 2.x and later ignore them (spring.flyway.*), and the build does not say its Spring Boot version: they are ignored, as 2.x+ would; for a 1.x application, state the version in its build (spring-boot-starter-parent, the Gradle plugin) or name the folder with --migrations`,
    });
  }
  // Spring Boot 1.x manages Flyway 3.2 (spring-boot-dependencies 1.5 `flyway.version`), whose history table is
  // schema_version (Flyway 5 renamed it flyway_schema_history)
  if (prefix === LEGACY_PREFIX && !out.has('flyway.table')) out.set('flyway.table', { value: 'schema_version', source: 'Spring Boot 1.x\'s Flyway 3 default history table', application: resources });
  // the OS environment is a property source above every config file (SystemEnvironmentPropertySource)
  for (const [key, { value, source }] of prefix === LEGACY_PREFIX ? [] : springEnvironmentSettings(env)) {
    const resolved = resolveSpringValue(value, env, properties);
    out.set(key, typeof resolved === 'string' ? { value: resolved, source, application: resources } : { value, source, unresolved: resolved.unresolved, application: resources });
  }
  // without spring.flyway.url Flyway migrates the application's DataSource (FlywayAutoConfiguration
  // configureDataSource): spring.datasource.url, SPRING_DATASOURCE_URL over the files; read for the database it names
  if (!out.has('flyway.url')) {
    const fromFiles = documents.flatMap(({ file, properties: entries }) => entries.filter(([key]) => key === 'spring.datasource.url').map(([key, value]) => ({ value, source: `${key} in ${path.relative(root, file).split(path.sep).join('/')}` })));
    const datasource = env.SPRING_DATASOURCE_URL !== undefined ? { value: env.SPRING_DATASOURCE_URL, source: 'SPRING_DATASOURCE_URL in the environment' } : fromFiles[fromFiles.length - 1];
    if (datasource) {
      const resolved = resolveSpringValue(datasource.value, env, properties);
      if (typeof resolved === 'string') out.set('flyway.url', { value: resolved, source: datasource.source, application: resources });
    }
  }
  // with no URL that resolves (`${database.url}` set by a deployment), the driver class still names the database:
  // FlywayAutoConfiguration.configureDataSource takes spring.flyway.driver-class-name, else the DataSource's
  // spring.datasource.driver-class-name, as given
  if (out.get('flyway.url')?.unresolved !== undefined || !out.has('flyway.url')) {
    const lastOf = (name: string) =>
      documents
        .flatMap(({ file, properties: entries }) => entries.filter(([key]) => key === `${name}.driver-class-name` || key === `${name}.driverClassName`).map(([key, value]) => ({ value, source: `${key} in ${path.relative(root, file).split(path.sep).join('/')}` })))
        .at(-1);
    const envDriver = (name: string) => {
      const variable = [`${name}_DRIVER_CLASS_NAME`, `${name}_DRIVERCLASSNAME`].find((v) => env[v] !== undefined);
      return variable ? { value: env[variable]!, source: `${variable} in the environment` } : undefined;
    };
    const driver = envDriver('SPRING_FLYWAY') ?? lastOf('spring.flyway') ?? envDriver('SPRING_DATASOURCE') ?? lastOf('spring.datasource');
    const resolved = driver && resolveSpringValue(driver.value, env, properties);
    const database = typeof resolved === 'string' ? jdbcDriverOtherDatabase(resolved) : undefined;
    if (driver && database) out.set('flyway.$database', { value: database, source: `${driver.source} (${driver.value.trim()})`, application: resources });
    // with no driver class either, JPA's vendor of the same DataSource (field: henr1ck/spring-flyway, url
    // ${DATABASE_URL}, spring.jpa.database: mysql, auto_increment in every file): spring.jpa.database (JpaProperties,
    // Spring's orm.jpa.vendor.Database), spring.jpa.database-platform or hibernate.dialect (a Hibernate dialect class)
    if (!driver) {
      const jpa = documents
        .flatMap(({ file, properties: entries }) =>
          entries
            .filter(([key]) => ['spring.jpa.database', 'spring.jpa.database-platform', 'spring.jpa.databasePlatform', 'spring.jpa.properties.hibernate.dialect'].includes(key))
            .map(([key, value]) => ({ value, source: `${key} in ${path.relative(root, file).split(path.sep).join('/')}` })),
        )
        .at(-1);
      const named = jpa && resolveSpringValue(jpa.value, env, properties);
      const vendor = typeof named === 'string' ? jpaOtherDatabase(named) : undefined;
      if (jpa && vendor) out.set('flyway.$database', { value: vendor, source: `${jpa.source} (${jpa.value.trim()})`, application: resources });
    }
  }
  return out;
}

/** The database a JPA vendor (`mysql`, `SQL_SERVER`) or Hibernate dialect class (`org.hibernate.dialect.MySQL8Dialect`) names when not PostgreSQL; H2, HSQL and Derby left alone. */
function jpaOtherDatabase(value: string): string | undefined {
  const word = value.trim().split('.').at(-1)!.toLowerCase().replace(/dialect$/, '');
  const found = [
    ['mariadb', 'MariaDB'],
    ['mysql', 'MySQL'],
    ['oracle', 'Oracle'],
    ['sqlserver', 'SQL Server'],
    ['sql_server', 'SQL Server'],
    ['db2', 'DB2'],
  ].find(([prefix]) => word.startsWith(prefix));
  return found?.[1];
}

const LEGACY_PREFIX = 'flyway.';

/**
 * The prefix Spring Boot binds Flyway's settings under: `spring.flyway.` since 2.0, `flyway.` in 1.x (spring-boot 1.5
 * FlywayProperties `@ConfigurationProperties(prefix = "flyway")`, and the Flyway bean itself bound with
 * `@ConfigurationProperties(prefix = "flyway")` in FlywayAutoConfiguration: every Flyway setter, `flyway.schemas`,
 * `flyway.table`, `flyway.placeholders.*`...), by the Spring Boot version of the application's build.
 */
function flywayPrefix(resources: string, root: string): string {
  return springBootMajorVersion(moduleFolder(resources), root) === 1 ? LEGACY_PREFIX : 'spring.flyway.';
}

/** The `spring.flyway.*` properties read from the environment (camelCase; pgdrift's settings and `enabled`). */
const SPRING_FLYWAY_PROPERTIES = [
  'enabled', 'url', 'locations', 'schemas', 'defaultSchema', 'table', 'createSchemas', 'mixed', 'group', 'executeInTransaction', 'target', 'validateMigrationNaming', 'skipDefaultCallbacks', 'callbackLocations',
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
  const { filesOf, base, loaded, importContext, profiles } = springBaseDocuments(resources, root, env);
  const applies = (d: SpringDocument) => d.onProfile === undefined || (d.onProfile !== false && profileExpressionMatches(d.onProfile, profiles));
  const specificFiles = profiles.flatMap((profile) => filesOf(`application-${profile}`));
  const specific = specificFiles.flatMap((file) => springDocumentsOf(file, root));
  return withSpringImports([...base, ...specific], applies, profiles, new Set([...loaded, ...specificFiles]), importContext).filter(applies);
}

/** The `application` files' documents and the active profiles they (and the environment) choose (springDocuments). */
function springBaseDocuments(resources: string, root: string, env: Record<string, string | undefined>) {
  // ConfigDataEnvironment.DEFAULT_SEARCH_LOCATIONS: `classpath:/`, then `classpath:/config/` (which wins)
  const locations = [resources, path.join(resources, 'config')];
  const filesOf = (stem: string) => locations.flatMap((location) => ['yaml', 'yml', 'properties'].map((ext) => path.join(location, `${stem}.${ext}`)));
  const base = filesOf('application').flatMap((file) => springDocumentsOf(file, root));
  const loaded = new Set(filesOf('application'));
  // the profiles come from the profile-less documents, those they import included (imports are read before profiles)
  const profileLess = (d: SpringDocument) => d.onProfile === undefined;
  const importContext = { resources, root, env, properties: new Map(base.flatMap((d) => d.properties)) };
  const profiles = activeSpringProfiles(withSpringImports(base, profileLess, [], new Set(loaded), importContext).filter(profileLess), env);
  return { filesOf, base, loaded, importContext, profiles };
}

/**
 * A notice when profiles of the Spring Boot application whose resources folder is `resources`, other than the active
 * ones, set `spring.flyway.locations` (application-<profile>.* files, documents activated on a profile): the replay
 * reads the active profiles' folders only, and a history split across profile folders fails or differs there (field:
 * ministryofjustice/laa-data-claims-api, whose V15 is in db/migration-main or db/migration-preview by profile: the
 * default profile failed at V20 on the publication V15 creates, with no word of the profiles).
 */
export function otherSpringProfilesLocationsNotice(resources: string, root: string, env: Record<string, string | undefined>): string | undefined {
  if (applicationFramework(resources, root) !== undefined || !hasApplicationFiles(resources)) return undefined;
  const { profiles } = springBaseDocuments(resources, root, env);
  const prefix = flywayPrefix(resources, root);
  const found = new Map<string, string>();
  for (const { file, profile, document } of profileDocuments(resources)) {
    const locations = document.properties.find(([key]) => key === `${prefix}locations`)?.[1];
    if (!profile || locations === undefined || profiles.includes(profile) || found.has(profile)) continue;
    found.set(profile, `${profile} (${locations} in ${path.relative(root, file).split(path.sep).join('/')})`);
  }
  if (found.size === 0) return undefined;
  return `other Spring profiles set ${prefix}locations: ${[...found.values()].join(', ')}; the replay reads profile ${profiles.join(', ')}: replay another with SPRING_PROFILES_ACTIVE=<profile>`;
}

/**
 * Every document of the application files in `resources` and its config/ folder (application.properties/.yml and
 * application-<profile>.*), in name order, with the profile it applies to: its `spring.config.activate.on-profile`, else
 * the file name's; undefined for a document of the base file, or one whose on-profile is an expression.
 */
function* profileDocuments(resources: string): Generator<{ file: string; profile: string | undefined; document: SpringDocument }> {
  for (const location of [resources, path.join(resources, 'config')]) {
    let names: string[];
    try {
      names = readdirSync(location).sort(byCodeUnits);
    } catch {
      continue;
    }
    for (const name of names) {
      const match = /^application(?:-(.+))?\.(properties|ya?ml)$/.exec(name);
      if (!match) continue;
      const file = path.join(location, name);
      for (const document of springDocumentsOf(file)) {
        const profile = typeof document.onProfile === 'string' ? document.onProfile : document.onProfile === undefined ? match[1] : undefined;
        yield { file, profile, document };
      }
    }
  }
}

/**
 * A Spring config file's documents, parsed once while it is unchanged; none when there is no such file. With `root`
 * (a file Spring Boot loads), a YAML file that is not valid YAML is an input error at its line and column, as Spring
 * Boot refuses to start on it (OriginTrackedYamlLoader: SnakeYAML throws, duplicate keys included, as it sets
 * allowDuplicateKeys false); without, its documents are read as far as the YAML library recovers them.
 */
function springDocumentsOf(file: string, root?: string, who = 'Spring Boot'): SpringDocument[] {
  const parsed = parsedSettingsFile(file, '', (text) => springFileDocuments(file, text));
  if (!parsed) return [];
  if (parsed.error && root !== undefined) {
    const shown = path.relative(root, file).split(path.sep).join('/') || file;
    const { line, column, message } = parsed.error;
    throw new InputError(`${shown}:${line}:${column}: not valid YAML (${message}): ${who} reads the Flyway settings there, and does not start`, {
      hint: 'fix the file, or name the migrations folder with --migrations',
      position: { file: shown, line, column },
    });
  }
  return parsed.documents;
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
      return withSpringImports(springDocumentsOf(file, context.root), applies, profiles, seen, context);
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
export function springProfilesEnablingFlyway(folder: string, root: string): string[] {
  const resources = resourcesFolder(folder);
  if (!resources) return [];
  const prefix = flywayPrefix(resources, root);
  const found = new Set<string>();
  for (const { profile, document } of profileDocuments(resources)) {
    const enabled = document.properties.find(([key]) => key === `${prefix}enabled`)?.[1]?.trim().toLowerCase();
    if (enabled === 'true' && profile) found.add(profile);
  }
  return [...found];
}

/** A config file's documents: YAML's `---`, and `#---` / `!---` lines in a .properties file (Spring Boot 2.4+). */
function springFileDocuments(file: string, text: string): { documents: SpringDocument[]; error?: YamlError } {
  const yamlDocuments = file.endsWith('.properties') ? undefined : springYamlDocuments(text);
  const entries = yamlDocuments ? yamlDocuments.documents : text.split(/^[#!]---[ \t]*$/m).map(readProperties);
  const documents = entries.map((list) => {
    const properties = joinIndexedLists(list);
    return { file, properties, ...documentActivation(properties) };
  });
  return yamlDocuments?.error ? { documents, error: yamlDocuments.error } : { documents };
}

interface YamlError {
  line: number;
  column: number;
  message: string;
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

/**
 * The documents of an application.yml, each as `[dotted key, value]` (lists of values joined with commas), and the
 * first error of a file that is not valid YAML (its documents then as far as the library recovers them).
 */
function springYamlDocuments(written: string): { documents: [string, string][][]; error?: YamlError } {
  const out: [string, string][][] = [];
  let error: YamlError | undefined;
  const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  // continuation lines of quoted scalars indented as SnakeYAML does not require (snakeyaml-quoted-lines.ts), when
  // that is what the YAML library refuses
  const parse = (text: string) => {
    const parsed = yaml.parseAllDocuments(text);
    return Array.isArray(parsed) ? parsed : [parsed];
  };
  let documents = parse(written);
  if (documents.some((document) => document.errors.length > 0)) {
    const lenient = parse(withQuotedContinuationsIndented(written));
    if (lenient.every((document) => document.errors.length === 0)) documents = lenient;
  }
  for (const document of documents) {
    const first = document.errors[0];
    if (first && !error) {
      const at = first.linePos?.[0];
      error = { line: at?.line ?? 1, column: at?.col ?? 1, message: first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '') };
    }
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
      // a key with no value (`ignoreIfProd:`, `~`, `null`) is the empty string to Spring Boot, not an absent key
      // (spring-boot OriginTrackedYamlLoader.OriginTrackingConstructor.constructTrackedObject: getValue(null) is "")
      else if (value === null && prefix) properties.push([prefix, '']);
      else if (value !== undefined && prefix) properties.push([prefix, Array.isArray(value) ? value.join(',') : String(value)]);
    };
    visit(root, '');
    out.push(properties);
  }
  return error ? { documents: out, error } : { documents: out };
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
