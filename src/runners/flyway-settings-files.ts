/**
 * What the Flyway settings readers share (flyway-settings.ts for conf files, flyway.toml and FLYWAY_* variables;
 * spring-boot-settings.ts for a Spring Boot application's): a setting as read with where it is set, the
 * once-per-process parse of a settings file, and Java .properties lines. Placeholders: flyway-placeholders.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileStamp } from '../util/fs.js';
import path from 'node:path';
import { InputError } from '../errors.js';

/** One Flyway setting as read: its value and where it is set; `unresolved` names a Spring `${...}` nothing gave a value. */
export interface FlywaySetting {
  value: string;
  /** the key as written and the file, relative to the project root, or the environment variable */
  source: string;
  unresolved?: string;
  /** a Spring Boot application's setting: its resources folder (its `filesystem:` locations are the module's) */
  application?: string;
  /** what pgdrift cannot tell about the setting (a Gradle expression it does not evaluate): a notice while it is in effect */
  notice?: string;
}

/**
 * A settings file, parsed once per process while it is unchanged (inode, size, change times): planFlyway asks
 * for the settings of every migration, and parsing an application.yml per file was ~40% of `lint` on a 300-file
 * Spring project. Undefined when there is no such file; `key` tells apart parses that depend on more than the text.
 */
const parsedFiles = new Map<string, { stamp: string; value: unknown }>();
export function parsedSettingsFile<T>(file: string, key: string, parse: (text: string) => T): T | undefined {
  const stamp = fileStamp(file);
  if (stamp === 'missing') return undefined;
  const cacheKey = `${file}\0${key}`;
  const cached = parsedFiles.get(cacheKey);
  if (cached?.stamp === stamp) return cached.value as T;
  const value = parse(readSettingsFile(file));
  parsedFiles.set(cacheKey, { stamp, value });
  return value;
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
export function readProperties(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (match) out.push([match[1], match[2]]);
  }
  return out;
}

/**
 * A Flyway .conf file's settings: Java properties of lines Flyway trims first (ConfigUtils.loadConfigurationFromString),
 * so that a value's trailing blanks are not part of it (`flyway.sqlMigrationPrefix=V   ` is `V`).
 */
export function readFlywayConf(text: string): [string, string][] {
  return readProperties(text).map(([key, value]) => [key, value.trimEnd()]);
}

/**
 * The module folders of a multi-module build below `root` (the root itself excluded), three folders deep at most:
 * those `isModule` accepts. Dot folders and the names in `skipped` (sources, build output) are not entered.
 */
export function moduleFoldersBelow(root: string, skipped: readonly string[], isModule: (dir: string) => boolean): string[] {
  const found: string[] = [];
  const visit = (dir: string, level: number) => {
    if (level > 0 && isModule(dir)) found.push(dir);
    if (level >= 3) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && !skipped.includes(entry.name)) visit(path.join(dir, entry.name), level + 1);
    }
  };
  visit(root, 0);
  return found;
}
