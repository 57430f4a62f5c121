import { InputError } from '../errors.js';
import type { FlywaySetting } from './flyway-settings-files.js';

/**
 * Flyway's file-naming settings (flyway/flyway@c5e20fc: FlywayModel defaults `V`, `R`, `__`, `.sql`;
 * BaselineMigrationConfigurationExtension `B`; the undo prefix `U` of Flyway Teams), read from every settings source
 * readFlywaySettingSources reads: `flyway.sqlMigrationPrefix` in flyway.conf, `sqlMigrationPrefix` in flyway.toml's
 * `[flyway]`, `FLYWAY_SQL_MIGRATION_PREFIX`, Spring's `spring.flyway.sql-migration-prefix`, and so on.
 */
export interface FlywayNaming {
  versionedPrefix: string;
  undoPrefix: string;
  repeatablePrefix: string;
  baselinePrefix: string;
  separator: string;
  /** in Flyway's order: the first one a name ends with is its suffix */
  suffixes: string[];
}

export const DEFAULT_NAMING: FlywayNaming = { versionedPrefix: 'V', undoPrefix: 'U', repeatablePrefix: 'R', baselinePrefix: 'B', separator: '__', suffixes: ['.sql'] };

/** The setting (ConfigUtils) behind each naming field. */
const NAMING_KEYS: Record<keyof FlywayNaming, string> = {
  versionedPrefix: 'flyway.sqlMigrationPrefix',
  undoPrefix: 'flyway.undoSqlMigrationPrefix',
  repeatablePrefix: 'flyway.repeatableSqlMigrationPrefix',
  baselinePrefix: 'flyway.baselineMigrationPrefix',
  separator: 'flyway.sqlMigrationSeparator',
  suffixes: 'flyway.sqlMigrationSuffixes',
};

/** The naming settings a project sets (any source), in field order. */
export function namingSettings(settings: Map<string, FlywaySetting>): FlywaySetting[] {
  return Object.values(NAMING_KEYS).flatMap((key) => settings.get(key) ?? []);
}

/**
 * The project's naming. A setting whose Spring `${...}` has no value is an input error naming it (Spring itself would
 * not start; guessing the default would replay another vendor's files), and so is an empty separator
 * (ClassicConfiguration.setSqlMigrationSeparator: "sqlMigrationSeparator cannot be empty!").
 */
export function flywayNaming(settings: Map<string, FlywaySetting>): FlywayNaming {
  const naming = { ...DEFAULT_NAMING };
  for (const [field, key] of Object.entries(NAMING_KEYS) as [keyof FlywayNaming, string][]) {
    const setting = settings.get(key);
    // a Gradle value pgdrift does not evaluate: the default naming, with the setting's notice (Flyway runner's forProject)
    if (!setting || (setting.unresolved !== undefined && setting.notice !== undefined)) continue;
    if (setting.unresolved !== undefined) {
      const name = /^\$\{([^}:]+)/.exec(setting.unresolved)?.[1] ?? setting.unresolved;
      throw new InputError(`${setting.source} is ${setting.value}: nothing gives ${setting.unresolved} a value, so the Flyway file names it makes are unknown`, {
        hint: `give it the value Spring would: ${name.toUpperCase().replace(/[.-]/g, '_')}=<value> in the environment, or ${name}=<value> in the application's properties`,
      });
    }
    if (field === 'suffixes') {
      // StringUtils.tokenizeToStringArray(value, ","): trimmed; an empty one (which every name ends with) is dropped
      naming.suffixes = setting.value.split(',').map((s) => s.trim()).filter(Boolean);
    } else naming[field] = setting.value;
    if (field === 'separator' && setting.value === '') throw new InputError(`${setting.source} is empty: Flyway refuses it ("sqlMigrationSeparator cannot be empty!")`);
  }
  return naming;
}

/**
 * The callback events (api/callback/Event.java ids): `<event>.sql` and `<event><separator><description>.sql` are SQL
 * callbacks (SqlScriptCallbackFactory).
 */
export const CALLBACK_EVENTS = [
  'beforeClean', 'afterClean', 'afterCleanError',
  'beforeMigrate', 'beforeEachMigrate', 'beforeEachMigrateStatement', 'afterEachMigrateStatement', 'afterEachMigrateStatementError',
  'afterEachMigrate', 'afterEachMigrateError', 'beforeRepeatables', 'afterVersioned', 'afterMigrateApplied', 'afterMigrate', 'afterMigrateError',
  'beforeUndo', 'beforeEachUndo', 'beforeEachUndoStatement', 'afterEachUndoStatement', 'afterEachUndoStatementError', 'afterEachUndo',
  'afterEachUndoError', 'afterUndo', 'afterUndoError',
  'beforeValidate', 'afterValidate', 'afterValidateError', 'beforeBaseline', 'afterBaseline', 'afterBaselineError',
  'beforeRepair', 'afterRepair', 'afterRepairError', 'beforeInfo', 'afterInfo', 'afterInfoError',
  'afterMigrateOperationFinish', 'afterInfoOperationFinish', 'createSchema', 'beforeCreateSchema', 'beforeConnect', 'afterConnect',
];

type Kind = 'V' | 'U' | 'B' | 'R' | 'callback';

export type FlywayName =
  | { kind: 'V' | 'U' | 'B'; version: string; parts: bigint[]; description: string }
  | { kind: 'R'; description: string }
  | { kind: 'callback'; event: string; description: string; /** ResourceName.getFilenameWithoutSuffix: Flyway refuses two callbacks of one */ stem: string };

/**
 * A file name as Flyway reads it (flyway-core .../internal/resource/ResourceNameParser.java, with Scanner.getResources
 * and the resolvers that call it):
 * - the suffix: the first of the suffixes the name ends with, ignoring case (stripSuffix); none: not a migration;
 * - the prefix: the longest of the prefixes the rest starts with, exactly (populatePrefixes sorts them by length, a
 *   stable sort: equal ones in CoreResourceTypeProvider's order, versioned, repeatable, the callback events, then
 *   baseline); an empty prefix matches every name, last;
 * - the rest split at the first separator: the version before it, the description after it (`_` read as a space); no
 *   separator: all of it is the version. Versioned, undo and baseline names need a valid version, repeatables and
 *   callbacks none;
 * - Scanner.getResources (StringUtils.startsAndEndsWith) takes a name only when longer than prefix and suffix: `R.sql`
 *   is no repeatable (`V1.sql` is version 1).
 */
export function parseName(base: string, naming: FlywayNaming = DEFAULT_NAMING): FlywayName | undefined {
  const suffix = suffixOf(base, naming);
  if (suffix === undefined) return undefined;
  const stem = base.slice(0, base.length - suffix.length);
  const prefix = prefixesOf(naming).find(([p]) => stem.startsWith(p));
  if (!prefix) return undefined;
  const [written, kind] = prefix;
  // the resolvers scan with their own prefix (the callbacks' with none)
  if (kind !== 'callback' && base.length <= written.length + suffix.length) return undefined;
  const rest = stem.slice(written.length);
  const at = rest.indexOf(naming.separator);
  const version = at < 0 ? rest : rest.slice(0, at);
  const rawDescription = at < 0 ? '' : rest.slice(at + naming.separator.length);
  const description = rawDescription.replaceAll('_', ' ');
  if (kind === 'R' || kind === 'callback') {
    if (version !== '') return undefined;
    if (kind === 'R') return { kind, description };
    return { kind, event: written, description, stem: description === '' ? written : `${written}${naming.separator}${description}` };
  }
  const parts = versionParts(version);
  return parts ? { kind, version, parts, description } : undefined;
}

/** The suffix Flyway strips from a name (the first one it ends with, ignoring case), if any: only such files are scanned. */
export function suffixOf(base: string, naming: FlywayNaming): string | undefined {
  const upper = base.toUpperCase();
  return naming.suffixes.find((s) => upper.endsWith(s.toUpperCase()));
}

const prefixesByNaming = new WeakMap<FlywayNaming, readonly [string, Kind][]>();

/**
 * The prefixes in the order findPrefix tries them: longest first, equal ones in their registration order. Built once
 * per naming: detection asks for every file of a folder.
 */
function prefixesOf(naming: FlywayNaming): readonly [string, Kind][] {
  let prefixes = prefixesByNaming.get(naming);
  if (!prefixes) {
    prefixes = sortedPrefixes(naming);
    prefixesByNaming.set(naming, prefixes);
  }
  return prefixes;
}

function sortedPrefixes(naming: FlywayNaming): [string, Kind][] {
  const prefixes: [string, Kind][] = [
    [naming.versionedPrefix, 'V'],
    [naming.repeatablePrefix, 'R'],
    ...CALLBACK_EVENTS.map((event): [string, Kind] => [event, 'callback']),
    [naming.baselinePrefix, 'B'],
    [naming.undoPrefix, 'U'],
  ];
  return prefixes.sort((a, b) => b[0].length - a[0].length);
}

/** MigrationVersion.tokenize: `_` → `.`, split at dots followed by a digit, big integers, trailing zeros dropped. */
export function versionParts(version: string): bigint[] | undefined {
  const normalized = version.replaceAll('_', '.');
  const raw = normalized.split(/\.(?=\d)/);
  if (raw.some((part) => !/^\d+$/.test(part))) return undefined;
  const parts = raw.map((part) => BigInt(part));
  while (parts.length > 1 && parts[parts.length - 1] === 0n) parts.pop();
  return parts;
}

/**
 * The lint rule file-name's pattern for the naming: the names parseName takes (a separator that starts with a digit
 * aside), in any folder. The suffixes' letters are spelled in both cases (`\.[sS][qQ][lL]`): ruleOptions keeps the
 * pattern's source, not its flags.
 */
export function fileNamePattern(naming: FlywayNaming): RegExp {
  const separated = `(?:${escape(naming.separator)}[^/]*)?`;
  const versioned = [naming.versionedPrefix, naming.undoPrefix, naming.baselinePrefix].map((p) => `${escape(p)}\\d+(?:[._]\\d+)*${separated}`);
  // a repeatable's name is longer than its prefix (getResources), so it has the separator; a callback needs none
  const unversioned = [`${escape(naming.repeatablePrefix)}${escape(naming.separator)}[^/]*`, ...CALLBACK_EVENTS.map((event) => `${escape(event)}${separated}`)];
  const suffixes = naming.suffixes.map(anyCase);
  return new RegExp(`(?:^|/)(?:${[...versioned, ...unversioned].join('|')})(?:${suffixes.join('|')})$`);
}

/** An example migration name for the naming (the file-name rule's help). */
export function exampleName(naming: FlywayNaming): string {
  return `${naming.versionedPrefix}1_2${naming.separator}add_orders${naming.suffixes[0] ?? ''}`;
}

/** The naming in a few words, for the reason a file is skipped: `V<version>__<description>.sql, R__<description>.sql`. */
export function describeNaming(naming: FlywayNaming): string {
  const suffix = naming.suffixes.join(' / ');
  return `${naming.versionedPrefix}<version>${naming.separator}<description>${suffix}, ${naming.repeatablePrefix}${naming.separator}<description>${suffix}`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A literal matched ignoring case, as a pattern without flags. */
function anyCase(text: string): string {
  return [...text].map((c) => (c.toLowerCase() !== c.toUpperCase() && c.toUpperCase().length === 1 ? `[${c.toLowerCase()}${c.toUpperCase()}]` : escape(c))).join('');
}
