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
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { versionParts } from './flyway-naming.js';
import { resourcesFolder } from './spring-boot-settings.js';
import { byCodeUnits, isDirectory } from './types.js';

export interface JavaMigration {
  /** the source file, relative to the migrations folder (`../../java/db/migration/V3__Backfill.java`) */
  name: string;
  kind: 'V' | 'R';
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
  const packages = scanned ? (include?.length ? include.map((sub) => join(inResources, sub)) : [inResources]) : [];
  const found: JavaMigration[] = [];
  for (const language of ['java', 'kotlin']) {
    const root = path.join(srcMain, language);
    if (!isDirectory(root)) continue;
    for (const file of sourceFiles(root)) {
      const match = /^([VR])([^/]*?)\.(?:java|kt)$/.exec(path.posix.basename(file));
      if (!match || !match[2].includes('__')) continue;
      const text = readFileSync(path.join(root, file), 'utf8');
      if (!MIGRATION_TYPE.test(text) || /\babstract\s+class\b/.test(text)) continue;
      const pkg = (/^\s*package\s+([\w.]+)/m.exec(text)?.[1] ?? '').replaceAll('.', '/');
      const inScanned = packages.find((p) => p === '' || pkg === p || pkg.startsWith(`${p}/`));
      const how =
        inScanned !== undefined ? `in the package ${pkg.replaceAll('/', '.') || '(default)'}, which Flyway scans for Java migrations` : BEAN.test(text) ? 'a Spring bean, which Spring Boot hands to Flyway' : undefined;
      if (!how) continue;
      const shortName = path.posix.basename(file).replace(/\.(java|kt)$/, '');
      const kind = match[1] as 'V' | 'R';
      const separator = shortName.indexOf('__');
      const version = shortName.slice(1, separator);
      const description = shortName.slice(separator + 2).replaceAll('_', ' ');
      const name = path.relative(folder, path.join(root, file)).split(path.sep).join('/');
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
      const at = /\bFlyway\s*\.\s*configure\s*\(/.exec(text);
      if (!at) continue;
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
  return undefined;
}
