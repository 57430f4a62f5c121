import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { InputError } from '../errors.js';
import { readChangelog, type LiquibaseChangelog } from './liquibase-changelog.js';
import { parsedSettingsFile, readProperties } from './flyway-settings-files.js';
import { hasApplicationFiles, resourcesFolder, springProperty } from './spring-boot-settings.js';
import { foldersUpTo, isDirectory, isFile, wholeFile, type DiscoveredMigration, type FolderListing, type IgnoredFile, type Runner, type RunnerOptions } from './types.js';

/** Spring Boot's default (LiquibaseProperties `changeLog`): classpath:/db/changelog/db.changelog-master.yaml */
const SPRING_DEFAULT = 'db/changelog/db.changelog-master.yaml';
/** master names looked for in the changelog folder when no setting names one */
const MASTER_NAMES = ['db.changelog-master', 'changelog-master', 'db.changelog', 'changelog', 'master'].flatMap((stem) => ['yaml', 'yml', 'xml', 'json', 'sql'].map((ext) => `${stem}.${ext}`));

/**
 * The bookkeeping tables as Liquibase creates them on PostgreSQL in the connection's default schema
 * (liquibase-standard/src/main/java/liquibase/sqlgenerator/core/CreateDatabaseChangeLogTableGenerator.java and
 * CreateDatabaseChangeLogLockTableGenerator.java; PostgreSQL gets the names in lower case).
 */
const BOOKKEEPING_SQL = `CREATE TABLE public.databasechangeloglock (id INTEGER NOT NULL, locked BOOLEAN NOT NULL, lockgranted TIMESTAMP WITHOUT TIME ZONE, lockedby VARCHAR(255), CONSTRAINT databasechangeloglock_pkey PRIMARY KEY (id));
CREATE TABLE public.databasechangelog (id VARCHAR(255) NOT NULL, author VARCHAR(255) NOT NULL, filename VARCHAR(255) NOT NULL, dateexecuted TIMESTAMP WITHOUT TIME ZONE NOT NULL, orderexecuted INTEGER NOT NULL, exectype VARCHAR(10) NOT NULL, md5sum VARCHAR(35), description VARCHAR(255), comments VARCHAR(255), tag VARCHAR(255), liquibase VARCHAR(20), contexts VARCHAR(255), labels VARCHAR(255), deployment_id VARCHAR(10));`;

/** Where the master changelog is, and which setting named it. */
export interface LiquibaseMaster {
  file: string;
  setting: string;
  /** the search path (classpath roots) for non-relative include paths */
  searchPath: string[];
}

/**
 * Liquibase (https://docs.liquibase.com), read at liquibase/liquibase@cdbdec7 (see liquibase-changelog.ts for the
 * changelogs and liquibase-split.ts for the statements).
 * - The master changelog: LIQUIBASE_COMMAND_CHANGELOG_FILE (the CLI's --changelog-file from the environment), Spring Boot's `spring.liquibase.change-log` (default classpath:/db/changelog/
 *   db.changelog-master.yaml, LiquibaseProperties), else liquibase.properties' `changeLogFile` / `changelog-file`, else
 *   the liquibase-maven-plugin's `<changeLogFile>` in a pom.xml, else a db.changelog-master.* in the folder.
 * - `liquibase update` runs every changeset in changelog order; each in its own transaction (ChangeSet.execute:
 *   commit after the changeset) unless runInTransaction is false, each statement sent on its own (JdbcExecutor).
 * - Bookkeeping: DATABASECHANGELOG and DATABASECHANGELOGLOCK in the default schema, created before the first
 *   changeset (StandardChangeLogHistoryService, StandardLockService).
 */
export const liquibase: Runner = {
  name: 'liquibase',
  docs: 'https://docs.liquibase.com/concepts/changelogs/home.html',
  folders: ['src/main/resources/db/changelog', 'db/changelog', 'changelog'],
  discover(folder, options = {}) {
    const root = options.projectRoot ?? path.dirname(folder);
    const master = findMaster(folder, root, options.env ?? process.env);
    if (!master) {
      const candidates = topChangelogs(folder);
      const found = candidates.length > 0 ? `; the folder holds ${candidates.length > 1 ? 'the changelogs' : 'the changelog'} ${candidates.slice(0, 4).join(', ')}${candidates.length > 4 ? ` and ${candidates.length - 4} more` : ''}` : '';
      throw new InputError(`no Liquibase master changelog found in ${shown(root, folder)} (looked for LIQUIBASE_COMMAND_CHANGELOG_FILE, spring.liquibase.change-log, liquibase.properties changeLogFile, the liquibase-maven-plugin's <changeLogFile>, ${MASTER_NAMES.slice(0, 5).join(', ')}...)${found}`, {
        hint: `name the one liquibase update runs: LIQUIBASE_COMMAND_CHANGELOG_FILE=${candidates[0] ? shown(root, path.join(folder, candidates[0])) : '<file>'} pgdrift ... (as for liquibase --changelog-file), or changeLogFile in liquibase.properties`,
      });
    }
    const changelog = read(master, root);
    const migrations: DiscoveredMigration[] = changelog.runs.map((run) => ({
      name: path.relative(folder, run.file).split(path.sep).join('/'),
      plan: {
        parts: [{ startLine: run.startLine, endLine: run.endLine, transaction: run.transaction }],
        ...(run.substitutions.length > 0 ? { substitutions: run.substitutions } : {}),
        ...(run.problem ? { problem: run.problem } : {}),
      },
    }));
    return { migrations, ignored: notIncluded(folder, changelog), problems: [] };
  },
  evidence(listing) {
    const files = listing.files.filter((name) => isChangelogFile(listing, name));
    if (files.length === 0) return undefined;
    return { files: files.slice(0, 3), what: 'Liquibase changelogs (databaseChangeLog, --liquibase formatted sql)', overrides: ['numbered', 'flyway', 'golang-migrate', 'dbmate', 'goose'] };
  },
  configuredFolders(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    const master = findMaster(folder, root, options.env ?? process.env);
    if (!master || master.setting === 'default') return undefined;
    return { setting: master.setting, folders: [path.dirname(master.file)] };
  },
  forProject(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    const master = findMaster(folder, root, options.env ?? process.env);
    if (!master) return {};
    let notices: string[] = [];
    try {
      notices = [...read(master, root).notices];
    } catch {
      return {}; // discover reports it, with its place
    }
    return notices.length > 0 ? { notices } : {};
  },
  plan: (text) => wholeFile(text, 'wrapped'),
  bookkeeping: ['public.databasechangelog', 'public.databasechangeloglock'],
  bookkeepingSetup: { table: 'public.databasechangelog', sql: BOOKKEEPING_SQL },
  lint: {
    // the changelog names the files: any name it names is the runner's own
    fileNamePattern: /^.+$/,
    example: 'changes/001-create-users.sql',
    sequentialVersions: false,
    versionIdentifies: false,
    orderName: 'changelog order',
    nameOrderWarning: false,
    transactions: 'liquibase update runs each changeset in its own transaction unless it is marked runInTransaction:false',
    outsideTransaction: 'put it in a changeset of its own marked runInTransaction:false (formatted SQL: --changeset author:id runInTransaction:false)',
  },
};

function read(master: LiquibaseMaster, root: string): LiquibaseChangelog {
  return readChangelog(master.file, { root, searchPath: master.searchPath });
}

/** The master changelog for a changelog folder (see the runner's comment for the order). */
export function findMaster(folder: string, root: string, env: Record<string, string | undefined>): LiquibaseMaster | undefined {
  const resources = resourcesFolder(folder) ?? (isDirectory(path.join(root, 'src', 'main', 'resources')) ? path.join(root, 'src', 'main', 'resources') : undefined);
  const searchPath = [...(resources ? [resources] : []), root];
  const inSearchPath = (written: string, extra: string[] = []) => {
    const name = written.trim().replace(/^classpath\*?:/, '').replace(/^\/+(?=.)/, (slash) => (path.isAbsolute(written.trim()) && isFile(written.trim()) ? slash : ''));
    if (path.isAbsolute(name) && isFile(name)) return name;
    return [...extra, ...searchPath].map((dir) => path.resolve(dir, name)).find(isFile);
  };
  // the environment variable Liquibase's CLI reads for --changelog-file (LIQUIBASE_COMMAND_CHANGELOG_FILE), relative
  // to the folder it runs in (taken to be the project root)
  const fromEnv = env.LIQUIBASE_COMMAND_CHANGELOG_FILE?.trim();
  if (fromEnv) {
    const file = inSearchPath(fromEnv, [root]);
    if (!file) throw new InputError(`LIQUIBASE_COMMAND_CHANGELOG_FILE names ${fromEnv}, which does not exist in ${[root, ...searchPath].map((dir) => shown(root, dir)).join(' or ')}`);
    return { file, setting: 'LIQUIBASE_COMMAND_CHANGELOG_FILE in the environment', searchPath: [root, ...searchPath] };
  }
  // Spring Boot: LiquibaseAutoConfiguration reads spring.liquibase.change-log, default db/changelog/db.changelog-master.yaml
  if (resources && hasApplicationFiles(resources)) {
    const property = springProperty(resources, root, env, 'spring.liquibase.change-log');
    const file = property ? inSearchPath(property.value) : inSearchPath(SPRING_DEFAULT);
    if (file) return { file, setting: property ? property.source : `Spring Boot's default classpath:/${SPRING_DEFAULT}`, searchPath };
  }
  // liquibase.properties (the CLI's defaults file, in the folder Liquibase runs in, or on the classpath)
  for (const dir of [...foldersUpTo(folder, root).reverse(), ...(resources ? [resources] : [])]) {
    const file = path.join(dir, 'liquibase.properties');
    if (!isFile(file)) continue;
    const properties = parsedSettingsFile(file, 'liquibase', (text) => readProperties(text)) ?? [];
    const entry = [...properties].reverse().find(([key]) => ['changelogfile', 'changelog-file', 'liquibase.command.changelogfile'].includes(key.toLowerCase()));
    if (!entry) continue;
    const master = inSearchPath(entry[1], [dir]);
    if (master) return { file: master, setting: `${entry[0]} in ${shown(root, file)}`, searchPath: [dir, ...searchPath] };
  }
  // the liquibase-maven-plugin's <changeLogFile> in the pom.xml of the folder's module or of the root
  for (const dir of foldersUpTo(folder, root)) {
    const pom = path.join(dir, 'pom.xml');
    const written = isFile(pom) ? parsedSettingsFile(pom, 'liquibase', mavenChangeLogFile) : undefined;
    if (!written) continue;
    const moduleResources = path.join(dir, 'src', 'main', 'resources');
    const master = inSearchPath(written, [moduleResources, dir]);
    if (master) return { file: master, setting: `<changeLogFile> of the liquibase-maven-plugin in ${shown(root, pom)}`, searchPath: [moduleResources, dir, ...searchPath] };
  }
  const own = MASTER_NAMES.map((name) => path.join(folder, name)).find(isFile);
  if (own) return { file: own, setting: 'default', searchPath: resources ? searchPath : [path.dirname(folder), root] };
  return undefined;
}

/** The liquibase-maven-plugin's `<changeLogFile>` (or `<changelogFile>`) in a pom.xml, as written. */
export function mavenChangeLogFile(text: string): string | undefined {
  if (!text.includes('liquibase-maven-plugin')) return undefined;
  const { XMLParser } = createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser');
  let pom: any;
  try {
    pom = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true }).parse(text);
  } catch {
    return undefined;
  }
  const plugins = (build: any) => [build?.plugins?.plugin, build?.pluginManagement?.plugins?.plugin].flat().filter(Boolean);
  const all = [...plugins(pom?.project?.build), ...[pom?.project?.profiles?.profile].flat().filter(Boolean).flatMap((profile: any) => plugins(profile?.build))];
  for (const plugin of all) {
    if (plugin?.artifactId !== 'liquibase-maven-plugin') continue;
    const configuration = plugin.configuration ?? {};
    const value = configuration.changeLogFile ?? configuration.changelogFile;
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** A changelog by its content: an XML/YAML/JSON databaseChangeLog, or formatted SQL. */
function isChangelogFile(listing: FolderListing, name: string): boolean {
  const lower = name.toLowerCase();
  if (/\.(xml|ya?ml|json)$/.test(lower)) return listing.read(name).slice(0, 4000).includes('databaseChangeLog');
  if (lower.endsWith('.sql')) return /^\s*--\s*liquibase\s*formatted/i.test(listing.read(name).split('\n').find((line) => line.trim() !== '') ?? '');
  return false;
}

/** The changelogs (XML, YAML, JSON with databaseChangeLog) directly in the folder, by name. */
function topChangelogs(folder: string): string[] {
  try {
    return readdirSync(folder)
      .filter((name) => /\.(xml|ya?ml|json)$/i.test(name) && isFile(path.join(folder, name)))
      .filter((name) => {
        try {
          return readFileSync(path.join(folder, name), 'utf8').slice(0, 4000).includes('databaseChangeLog');
        } catch {
          return false;
        }
      })
      .sort();
  } catch {
    return [];
  }
}

/** Changelog and SQL files in the folder that nothing the master reaches names. */
function notIncluded(folder: string, changelog: LiquibaseChangelog): IgnoredFile[] {
  const ignored: IgnoredFile[] = [];
  const visit = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.')) visit(full);
      } else if (/\.(sql|xml|ya?ml|json)$/i.test(entry.name) && !changelog.files.has(full)) {
        ignored.push({ name: path.relative(folder, full).split(path.sep).join('/'), reason: 'no changelog the master reaches includes it: liquibase update never runs it' });
      }
    }
  };
  visit(folder);
  return ignored.sort((a, b) => (a.name < b.name ? -1 : 1));
}

function shown(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/') || '.';
}

export type { RunnerOptions };
