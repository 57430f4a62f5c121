/**
 * Flyway's Java-based migrations of a Spring/Java project: classes whose migrate() code Flyway runs in the history
 * beside the SQL files, which pgdrift cannot replay. Flyway finds them two ways:
 * - scanning: flyway-core ScanningJavaMigrationResolver.resolveMigrations instantiates every class implementing
 *   JavaMigration that the Scanner finds in the `classpath:` locations (db/migration is the package db.migration,
 *   sub-packages included); a `filesystem:` location holds no classes;
 * - given: Spring Boot's FlywayAutoConfiguration passes the application's JavaMigration beans to
 *   `configuration.javaMigrations(...)` (FixedJavaMigrationResolver), whatever their package.
 * A BaseJavaMigration takes its version and description from its class name with the fixed prefixes `V` / `R` and
 * separator `__` (BaseJavaMigration.init, MigrationInfoHelper.extractVersionAndDescription), not the SQL naming settings.
 * A class that overrides getVersion() gives its own version whatever its name (ResolvedJavaMigration takes
 * `javaMigration.getVersion()`; null: repeatable); a version pgdrift cannot read from the source is still a migration.
 * Locations written in a `Flyway.configure()...locations(...)` chain in code count as scanned packages when the file
 * spells them as string literals (field: MarquezProject/marquez, FlywayFactory's "classpath:marquez/db/migrations"
 * beside the SQL folder marquez/db/migration: its JavaMigration classes V44_3_BackfillJobsWithParents,
 * V56_1__FacetViews (three views)... were not listed, so a replay without their views read as complete).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { versionParts } from './flyway-naming.js';
import { resourcesFolder } from './spring-boot-settings.js';
import { byCodeUnits, isDirectory } from './types.js';

export interface JavaMigration {
  /** the source file, relative to the migrations folder (`../../java/db/migration/V3__Backfill.java`) */
  name: string;
  /** `?`: versioned by a getVersion() whose value the source does not spell out (no place in the order known) */
  kind: 'V' | 'R' | '?';
  version?: string;
  parts?: bigint[];
  description: string;
  /** how Flyway finds it: in a scanned package, or as a Spring bean */
  how: string;
}

const MIGRATION_TYPE = /\b(?:Base)?JavaMigration\b|\bJdbcMigration\b/;
// Spring's stereotypes (and JSR-330's @Named) make the class a bean, which Spring Boot hands to Flyway
const BEAN = /@(?:Component|Named|Service|Repository|Configuration)\b/;

/**
 * The Java/Kotlin migrations Flyway runs with the SQL files of `folder` (a folder in a `src/main/resources`): those in
 * the packages of its classpath locations (`include`: the locations below the folder, when several), unless every
 * location is a `filesystem:` one, and the Spring beans of the same module anywhere.
 */
export function javaMigrations(folder: string, locations: string | undefined, include?: string[]): JavaMigration[] {
  const resources = resourcesFolder(folder);
  if (!resources || path.basename(path.dirname(resources)) !== 'main') return [];
  const srcMain = path.dirname(resources);
  const inResources = path.relative(resources, folder).split(path.sep).join('/');
  const written = (locations ?? '').split(',').map((l) => l.trim()).filter(Boolean);
  const scanned = written.length === 0 || written.some((l) => !/^filesystem:/i.test(l));
  const packages: Array<{ path: string; how?: string }> = scanned ? (include?.length ? include.map((sub) => ({ path: join(inResources, sub) })) : [{ path: inResources }]) : [];
  packages.push(...codeLocationPackages(srcMain, folder));
  const found: JavaMigration[] = [];
  for (const language of ['java', 'kotlin']) {
    const root = path.join(srcMain, language);
    if (!isDirectory(root)) continue;
    for (const file of sourceFiles(root)) {
      const shortName = path.posix.basename(file).replace(/\.(java|kt)$/, '');
      const named = /^([VR])(.*?)__(.*)$/.exec(shortName);
      const text = readFileSync(path.join(root, file), 'utf8');
      if (!MIGRATION_TYPE.test(text) || /\babstract\s+class\b/.test(text)) continue;
      const own = ownVersion(text);
      if (!named && own === undefined) continue;
      const pkg = (/^\s*package\s+([\w.]+)/m.exec(text)?.[1] ?? '').replaceAll('.', '/');
      const inScanned = packages.find((p) => p.path === '' || pkg === p.path || pkg.startsWith(`${p.path}/`));
      const how =
        inScanned !== undefined
          ? `in the package ${pkg.replaceAll('/', '.') || '(default)'}, which Flyway scans for Java migrations${inScanned.how ?? ''}`
          : BEAN.test(text)
            ? 'a Spring bean, which Spring Boot hands to Flyway'
            : undefined;
      if (!how) continue;
      const name = path.relative(folder, path.join(root, file)).split(path.sep).join('/');
      const description = named ? named[3].replaceAll('_', ' ') : shortName;
      if (own !== undefined) {
        if (own === null) found.push({ name, kind: 'R', description, how });
        else if (own === '?') found.push({ name, kind: '?', description, how });
        else {
          const parts = versionParts(own);
          found.push(parts ? { name, kind: 'V', version: own, parts, description, how } : { name, kind: '?', description, how });
        }
        continue;
      }
      const [, kind, version] = named! as unknown as [string, 'V' | 'R', string];
      if (kind === 'R') {
        if (version === '') found.push({ name, kind, description, how });
        continue;
      }
      const parts = versionParts(version);
      if (parts) found.push({ name, kind, version, parts, description, how });
    }
  }
  return found;
}

/**
 * The version a class's own getVersion() returns, when it overrides it: the string of
 * `MigrationVersion.fromVersion("44.3")` (returned, or a constant of the file initialised so), null for `return null`
 * (a repeatable migration), `?` for any other value; undefined when the class does not override getVersion().
 */
function ownVersion(text: string): string | null | '?' | undefined {
  const method = /\b(?:public\s+MigrationVersion|fun)\s+getVersion\s*\(\s*\)\s*(?::\s*MigrationVersion\??\s*)?(?:\{\s*return\s+|=\s*)([^;}\n]+)/.exec(text);
  if (!method) return undefined;
  const returned = method[1].trim();
  if (returned === 'null') return null;
  const literal = /^MigrationVersion\s*\.\s*fromVersion\s*\(\s*"([^"]+)"\s*\)$/.exec(returned);
  if (literal) return literal[1];
  if (/^\w+$/.test(returned)) {
    const constant = new RegExp(`\\b${returned}\\s*(?::\\s*MigrationVersion\\s*)?=\\s*MigrationVersion\\s*\\.\\s*fromVersion\\s*\\(\\s*"([^"]+)"\\s*\\)`).exec(text);
    if (constant) return constant[1];
  }
  return '?';
}

/**
 * The packages a `Flyway.configure()` chain in the module's code scans through `.locations(...)`: the string literals
 * of that file that are classpath locations (`classpath:a/b`, or a bare `a/b`, as Flyway reads a location without a
 * prefix) other than the SQL folder itself, each with the file and line that configures Flyway, for the notice.
 */
function codeLocationPackages(srcMain: string, folder: string): Array<{ path: string; how: string }> {
  const out: Array<{ path: string; how: string }> = [];
  for (const language of ['java', 'kotlin']) {
    const top = path.join(srcMain, language);
    if (!isDirectory(top)) continue;
    for (const file of sourceFiles(top)) {
      const text = readFileSync(path.join(top, file), 'utf8');
      const at = /\bFlyway\s*\.\s*configure\s*\(/.exec(text);
      if (!at || !/\.\s*locations\s*\(/.test(text.slice(at.index))) continue;
      const line = text.slice(0, at.index).split('\n').length;
      const shown = path.relative(path.dirname(path.dirname(srcMain)), path.join(top, file)).split(path.sep).join('/');
      for (const [, written] of text.matchAll(/"((?:classpath:)?[A-Za-z_][\w$-]*(?:\/[\w$-]+)+\/?)"/g)) {
        const pkg = written.replace(/^classpath:/, '').replace(/^\/+|\/+$/g, '');
        out.push({ path: pkg, how: ` ("${written}" in the locations that ${shown}:${line} gives Flyway in code)` });
      }
    }
  }
  return out;
}

const join = (a: string, b: string) => (a ? (b ? `${a}/${b}` : a) : b);

/** .java and .kt files below a source root, relative with forward slashes, in name order. */
function sourceFiles(root: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(root, prefix)).sort(byCodeUnits)) {
    const relative = prefix ? `${prefix}/${entry}` : entry;
    if (isDirectory(path.join(root, relative))) out.push(...sourceFiles(root, relative));
    else if (/\.(java|kt)$/.test(entry)) out.push(relative);
  }
  return out;
}

/**
 * Settings a `Flyway.configure()` chain in the application's code makes that change what the replay applies or where
 * (FluentConfiguration setters: schemas, defaultSchema, table, placeholders, the naming...). pgdrift reads settings
 * files, the build plugins and the frameworks' config, not code (field: HSFL-X-SOOP/backend, a Ktor application whose
 * Main.kt runs `Flyway.configure()...locations(...).schemas("marlin")`).
 */
const CODE_SETTINGS = [
  'schemas', 'defaultSchema', 'table', 'placeholders', 'placeholderReplacement', 'placeholderPrefix', 'placeholderSuffix', 'sqlMigrationPrefix',
  'sqlMigrationSeparator', 'sqlMigrationSuffixes', 'repeatableSqlMigrationPrefix', 'createSchemas', 'mixed', 'group', 'executeInTransaction',
  'target', 'callbacks', 'skipDefaultCallbacks', 'baselineVersion', 'initSql',
];

/**
 * A notice when the module of `folder` (its src/main/java or src/main/kotlin) configures Flyway in code with settings
 * the replay does not read: the file, the line of `Flyway.configure(`, and the setters its chain calls that the
 * project's settings do not also give.
 */
export function codeConfiguredFlywayNotice(folder: string, root: string, alreadySet: (setting: string) => boolean): string | undefined {
  const resources = resourcesFolder(folder);
  if (!resources) return undefined;
  const srcMain = path.dirname(resources);
  for (const language of ['java', 'kotlin']) {
    const top = path.join(srcMain, language);
    if (!isDirectory(top)) continue;
    for (const file of sourceFiles(top)) {
      const text = readFileSync(path.join(top, file), 'utf8');
      // every chain of the file (field: Ujjwalsuthar99/collection-service, whose FlywayService.java builds one Flyway
      // with .locations(...) only, then another with .defaultSchema(...).schemas(...))
      for (const at of text.matchAll(/\bFlyway\s*\.\s*configure\s*\(/g)) {
        // the chain: up to its .load() (or a statement's end), as far as a reader without a Java parser can tell
        const rest = text.slice(at.index);
        const end = /\.\s*load\s*\(\s*\)/.exec(rest);
        const chain = rest.slice(0, end ? end.index : 2000);
        // a setting the project's files also give (flyway.conf written for pgdrift, say) is replayed as they give it
        const called = CODE_SETTINGS.filter((name) => new RegExp(`\\.\\s*${name}\\s*\\(`).test(chain) && !alreadySet(name));
        if (called.length === 0) continue;
        const line = text.slice(0, at.index).split('\n').length;
        const shown = path.relative(root, path.join(top, file)).split(path.sep).join('/');
        return `${shown}:${line} configures Flyway in code (${called.map((name) => `.${name}(...)`).join(', ')}): pgdrift does not read settings made in code, so the replay uses Flyway's defaults for them (e.g. the public schema); write the same values in flyway.conf or flyway.toml beside the project (and placeholders in pgdrift.config.json) to replay as the application migrates`;
      }
    }
  }
  return undefined;
}
