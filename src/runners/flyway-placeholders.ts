/**
 * Flyway placeholders: their settings (prefix, suffix, separator, replacement, values with Flyway's built-ins) and
 * finding them in a migration's text. The settings they come from are resolved in flyway-settings.ts (conf files,
 * flyway.toml, FLYWAY_* variables), spring-boot-settings.ts (a Spring Boot application's spring.flyway.*) and the
 * build plugins' readers (flyway-maven-settings.ts, flyway-gradle-settings.ts).
 */
import path from 'node:path';
import { flywaySchemaSettings, readFlywaySettingSources, settingValues } from './flyway-settings.js';
import type { Substitution } from './substitution.js';
import type { RunnerOptions } from './types.js';

/**
 * Flyway's placeholder settings as the CLI resolves them (flyway/flyway@c5e20fc: FlywayModel defaults, ConfigUtils
 * env names, ParsingContext built-ins), lowest precedence first:
 * 0. a Spring Boot application's `spring.flyway.*` (application.properties / .yml / .yaml in the resources folder that
 *    holds the migrations, Spring Boot's default `classpath:db/migration`, and application-<profile>.* of the active
 *    profiles, what they import with `spring.config.import`, then `SPRING_FLYWAY_*` variables: readSpringBootSettings;
 *    for a folder outside any resources folder, the application, of the root or a module, whose `filesystem:`
 *    locations name it): Spring configures Flyway from them;
 * 0b. a pom.xml's flyway-maven-plugin (readMavenFlywaySettings), then a build.gradle(.kts)'s `flyway { }` block and
 *    gradle.properties `flyway.*` (readGradleFlywaySettings): the build plugins' settings;
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
  // the database the replay runs in (RunnerOptions.replayDatabase), as Flyway gives the one it migrates
  builtIn('database', options.replayDatabase ?? 'postgres');
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

function formatTimestamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`;
}
