import { readdirSync, readFileSync } from 'node:fs';
import { fileStamp } from '../util/fs.js';
import { createRequire } from 'node:module';
import path from 'node:path';
import { InputError } from '../errors.js';
import { forEachSourceFile } from '../util/walk.js';
import { readChangelog, type LiquibaseChangelog } from './liquibase-changelog.js';
import { parsedSettingsFile, readProperties } from './flyway-settings-files.js';
import { jdbcOtherDatabase } from './flyway.js';
import { frameworkLiquibaseSettings, type FrameworkLiquibase } from './jvm-framework-settings.js';
import { applicationFramework, CONFIG_READER, hasApplicationFiles, resourcesFolder, springPropertiesBelow, springProperty, springResourceFolders } from './spring-boot-settings.js';
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
  /** where the settings beside the master put the default schema, Liquibase's own schema and its tables */
  settings: LiquibaseSettings;
  /** what the replay assumes about the settings (another Quarkus profile's) */
  notice?: string;
}

/** Settings that move what Liquibase creates and where unqualified names go (each with where it is written). */
export interface LiquibaseSettings {
  defaultSchema?: Setting;
  liquibaseSchema?: Setting;
  table?: Setting;
  lockTable?: Setting;
  contexts?: Setting;
  labels?: Setting;
  /** the database Liquibase connects to */
  url?: Setting;
  /** changelog parameters (spring.liquibase.parameters.*, parameter.* in liquibase.properties) */
  parameters?: Record<string, string>;
}

interface Setting {
  value: string;
  source: string;
}

/** Setting names: Spring Boot's spring.liquibase.* (LiquibaseProperties) and liquibase.properties' (the CLI's). */
const SETTING_KEYS: Record<Exclude<keyof LiquibaseSettings, 'parameters'>, { spring: string; properties: string[] }> = {
  defaultSchema: { spring: 'spring.liquibase.default-schema', properties: ['defaultschemaname', 'default-schema-name', 'liquibase.command.defaultschemaname'] },
  liquibaseSchema: { spring: 'spring.liquibase.liquibase-schema', properties: ['liquibaseschemaname', 'liquibase-schema-name', 'liquibase.liquibaseschemaname'] },
  table: { spring: 'spring.liquibase.database-change-log-table', properties: ['databasechangelogtablename', 'database-changelog-table-name', 'liquibase.databasechangelogtablename'] },
  lockTable: { spring: 'spring.liquibase.database-change-log-lock-table', properties: ['databasechangeloglocktablename', 'database-changelog-lock-table-name', 'liquibase.databasechangeloglocktablename'] },
  contexts: { spring: 'spring.liquibase.contexts', properties: ['contexts', 'context-filter', 'contextfilter', 'liquibase.command.contexts'] },
  labels: { spring: 'spring.liquibase.label-filter', properties: ['labels', 'label-filter', 'labelfilter', 'liquibase.command.labelfilter'] },
  url: { spring: 'spring.liquibase.url', properties: ['url', 'liquibase.command.url'] },
};

function springSettings(resources: string, root: string, env: Record<string, string | undefined>): LiquibaseSettings {
  const out: LiquibaseSettings = {};
  for (const [key, names] of Object.entries(SETTING_KEYS) as [Exclude<keyof LiquibaseSettings, 'parameters'>, (typeof SETTING_KEYS)[Exclude<keyof LiquibaseSettings, 'parameters'>]][]) {
    const found = springProperty(resources, root, env, names.spring);
    if (found && found.value.trim() !== '') out[key] = { value: found.value.trim(), source: found.source };
  }
  // without spring.liquibase.url, Liquibase migrates the application's DataSource (LiquibaseAutoConfiguration)
  if (!out.url) {
    const datasource = springProperty(resources, root, env, 'spring.datasource.url');
    if (datasource && datasource.value.trim() !== '') out.url = { value: datasource.value.trim(), source: datasource.source };
  }
  const parameters = springPropertiesBelow(resources, root, env, 'spring.liquibase.parameters.');
  if (Object.keys(parameters).length > 0) out.parameters = parameters;
  return out;
}

function frameworkSettings(found: FrameworkLiquibase): LiquibaseSettings {
  const out: LiquibaseSettings = {};
  for (const [key, setting] of Object.entries(found.settings) as [keyof FrameworkLiquibase['settings'], Setting | undefined][]) if (setting) out[key] = setting;
  if (Object.keys(found.parameters).length > 0) out.parameters = found.parameters;
  return out;
}

function propertiesSettings(properties: [string, string][], source: string): LiquibaseSettings {
  const out: LiquibaseSettings = {};
  for (const [key, names] of Object.entries(SETTING_KEYS) as [Exclude<keyof LiquibaseSettings, 'parameters'>, (typeof SETTING_KEYS)[Exclude<keyof LiquibaseSettings, 'parameters'>]][]) {
    const entry = [...properties].reverse().find(([name]) => names.properties.includes(name.toLowerCase()));
    if (entry && entry[1].trim() !== '') out[key] = { value: entry[1].trim(), source: `${entry[0]} in ${source}` };
  }
  const parameters = Object.fromEntries(properties.filter(([name]) => /^parameter\./i.test(name)).map(([name, value]) => [name.slice('parameter.'.length), value.trim()]));
  if (Object.keys(parameters).length > 0) out.parameters = parameters;
  return out;
}

/** Liquibase folds unquoted names to lower case on PostgreSQL (PostgresDatabase: LOWER case); `"Name"` is kept. */
function pgName(written: string): string {
  return /^".*"$/.test(written) ? written.slice(1, -1).replace(/""/g, '"') : written.toLowerCase();
}

/**
 * The bookkeeping of a project: the tables in Liquibase's schema (liquibase-schema, else the default schema, else
 * public), and the session's search_path with the default schema first (DatabaseUtils.initializeDatabase: `SET
 * SEARCH_PATH TO <schema>, <the existing path>`). Liquibase does not create the schema.
 */
function bookkeepingOf(settings: LiquibaseSettings): Pick<Runner, 'bookkeeping' | 'bookkeepingSetup' | 'sessionSearchPath'> {
  const defaultSchema = settings.defaultSchema ? pgName(settings.defaultSchema.value) : undefined;
  const schema = settings.liquibaseSchema ? pgName(settings.liquibaseSchema.value) : (defaultSchema ?? 'public');
  const table = settings.table ? pgName(settings.table.value) : 'databasechangelog';
  const lockTable = settings.lockTable ? pgName(settings.lockTable.value) : 'databasechangeloglock';
  const q = (name: string) => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);
  const setPath = defaultSchema ? `SET search_path TO ${q(defaultSchema)}, "$user", public;\n` : '';
  const sql = `${setPath}${BOOKKEEPING_SQL.replace('public.databasechangeloglock', `${q(schema)}.${q(lockTable)}`).replace('databasechangeloglock_pkey', q(`${lockTable}_pkey`)).replace('public.databasechangelog ', `${q(schema)}.${q(table)} `)}`;
  const named = [settings.defaultSchema?.source, settings.liquibaseSchema?.source].filter(Boolean).join(', ');
  return {
    bookkeeping: [`${schema}.${table}`, `${schema}.${lockTable}`],
    bookkeepingSetup: {
      table: `${q(schema)}.${q(table)}`,
      sql,
      ...(schema !== 'public' ? { failureHint: `${named} puts Liquibase's tables in schema ${schema}, which Liquibase does not create: on a new database liquibase update fails the same way; create the schema before the migrations as the team's database setup does, in a baseline file ("baseline" in pgdrift.config.json)` } : {}),
    },
    ...(defaultSchema ? { sessionSearchPath: [defaultSchema, '$user', 'public'] } : {}),
  };
}

/**
 * Liquibase (https://docs.liquibase.com), read at liquibase/liquibase@cdbdec7 (see liquibase-changelog.ts for the
 * changelogs and liquibase-split.ts for the statements).
 * - The master changelog: LIQUIBASE_COMMAND_CHANGELOG_FILE (the CLI's --changelog-file from the environment), Spring Boot's `spring.liquibase.change-log` (default classpath:/db/changelog/
 *   db.changelog-master.yaml, LiquibaseProperties), else liquibase.properties' `changeLogFile` / `changelog-file`, else
 *   the liquibase-maven-plugin's `<changeLogFile>` in a pom.xml, else a db.changelog-master.* in the folder.
 * - `liquibase update` runs every changeset in changelog order; each in its own transaction (ChangeSet.execute:
 *   commit after the changeset, all its changes) unless runInTransaction is false, each statement sent on its own
 *   (JdbcExecutor): the replay runs a changeset's changes in one transaction (DiscoveredMigration.sameTransaction).
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
    const url = master.settings.url;
    const other = url && jdbcOtherDatabase(url.value);
    const profiles = url ? undefined : profilesOtherDatabase(master.file, root);
    if (profiles) return { migrations: [], ignored: [], problems: [], notPostgres: profiles };
    if (other) return { migrations: [], ignored: [], problems: [], notPostgres: `${url.source} connects Liquibase to ${/^[AEIOU]/.test(other) ? 'an' : 'a'} ${other} database (${url.value.split(/[?;]/)[0]}): these changelogs run on ${other}, not PostgreSQL` };
    const changelog = read(master, root);
    const migrations: DiscoveredMigration[] = changelog.runs.map((run, index) => ({
      name: path.relative(folder, run.file).split(path.sep).join('/'),
      plan: {
        parts: [{ startLine: run.startLine, endLine: run.endLine, transaction: run.transaction }],
        ...(run.substitutions.length > 0 ? { substitutions: run.substitutions } : {}),
        ...(run.problem ? { problem: run.problem } : {}),
      },
      // the changes of one changeset run in its one transaction (ChangeSet.execute: setAutoCommit(!runInTransaction),
      // every change, then commit; rollback on an error), wherever each is written (a sqlFile in another file)
      ...(index > 0 && sharesTransaction(changelog.runs[index - 1], run) ? { sameTransaction: true } : {}),
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
    const env = options.env ?? process.env;
    const master = findMaster(folder, root, env);
    if (master && master.setting !== 'default' && master.setting !== BELOW) return { setting: master.setting, folders: [path.dirname(master.file)] };
    // asked with the root: a Quarkus or Micronaut application in a module (horreum-backend/src/main/resources with
    // Quarkus' default db/changeLog.xml; field: Hyperfoil/Horreum), by its own settings
    if (path.resolve(folder) !== path.resolve(root)) return undefined;
    for (const resources of springResourceFolders(root)) {
      if (path.resolve(resources) === path.resolve(root, 'src', 'main', 'resources') || !hasApplicationFiles(resources) || !applicationFramework(resources, root)) continue;
      const found = findMaster(resources, root, env);
      if (found && found.setting !== 'default' && found.setting !== BELOW) return { setting: `${found.setting} of ${shown(root, resources)}`, folders: [path.dirname(found.file)] };
    }
    return undefined;
  },
  forProject(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    const master = findMaster(folder, root, options.env ?? process.env);
    if (!master) return {};
    const notices: string[] = master.notice ? [master.notice] : [];
    if (master.setting === BELOW) {
      notices.push(`no setting names the master changelog (spring.liquibase.change-log, liquibase.properties changeLogFile, the liquibase-maven-plugin's <changeLogFile>): replaying ${shown(root, master.file)}, the only db.changelog-master.* below ${shown(root, folder)} (code that names another with a setChangeLog call pgdrift cannot read as one string literal is not followed): LIQUIBASE_COMMAND_CHANGELOG_FILE=<file> names it`);
    }
    try {
      const changelog = read(master, root);
      notices.push(...changelog.notices);
      // The project's contexts and labels (spring.liquibase.contexts, liquibase.properties...) are evaluated as
      // Liquibase does (liquibase-filters.ts). Without them, a deployment that passes --contexts or --labels runs fewer
      // changesets than the replay: only changesets that carry contexts or labels are in doubt.
      const { filtered } = changelog;
      const { contexts, labels } = master.settings;
      if (filtered.length > 0 && !contexts && !labels) {
        const which = `${filtered.slice(0, 3).join('; ')}${filtered.length > 3 ? ` and ${filtered.length - 3} more` : ''}`;
        const what = filtered.every((entry) => entry.startsWith('property ')) ? 'changelog properties carry' : filtered.some((entry) => entry.startsWith('property ')) ? 'changesets and changelog properties carry' : 'changesets carry';
        notices.push(`${what} contexts or labels (${which}): the replay runs every changeset and sets every property, as liquibase update does when given no --contexts or --labels; a deployment that passes them runs fewer`);
      }
    } catch {
      // discover reports it, with its place
    }
    const bookkeeping = master.settings.defaultSchema || master.settings.liquibaseSchema || master.settings.table || master.settings.lockTable ? bookkeepingOf(master.settings) : {};
    return { ...bookkeeping, ...(notices.length > 0 ? { notices } : {}) };
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

/** Whether `run` goes on in the transaction of the run before it: a change of the same changeset, runInTransaction true. */
function sharesTransaction(before: LiquibaseChangelog['runs'][number], run: LiquibaseChangelog['runs'][number]): boolean {
  return before.changeSetNumber === run.changeSetNumber && before.transaction === 'wrapped' && run.transaction === 'wrapped';
}

function read(master: LiquibaseMaster, root: string): LiquibaseChangelog {
  return readChangelog(master.file, {
    root,
    searchPath: master.searchPath,
    parameters: { ...databaseParameters(master.settings), ...master.settings.parameters },
    runtime: { contexts: master.settings.contexts?.value, labels: master.settings.labels?.value },
    ...(master.settings.defaultSchema ? { defaultSchema: master.settings.defaultSchema.value } : {}),
  });
}

/**
 * The `database.*` parameters ChangeLogParameters sets before anything else (changelog/ChangeLogParameters.java), those
 * that do not depend on the live server: on PostgreSQL the default schema is `public` unless configured.
 */
function databaseParameters(settings: LiquibaseSettings): Record<string, string> {
  const schema = settings.defaultSchema ? pgName(settings.defaultSchema.value) : 'public';
  return {
    'database.typeName': 'postgresql',
    'database.defaultSchemaName': schema,
    'database.defaultSchemaNamePrefix': `.${schema}`,
    'database.liquibaseSchemaName': settings.liquibaseSchema ? pgName(settings.liquibaseSchema.value) : schema,
    'database.currentDateTimeFunction': 'NOW()',
    'database.lineComment': '--',
  };
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
  // a Spring Boot application's spring.liquibase.* (its schema, tables, parameters, database) hold for its master
  // wherever the master was found
  let spring: LiquibaseSettings | undefined;
  // a Quarkus or Micronaut application's quarkus.liquibase.* / liquibase.datasources.<name>.* (jvm-framework-settings.ts)
  const framework = resources && hasApplicationFiles(resources) ? applicationFramework(resources, root) : undefined;
  const covers = (changeLog: string) => {
    const file = inSearchPath(changeLog);
    return file !== undefined && (file === folder || file.startsWith(path.resolve(folder) + path.sep));
  };
  const fromFramework = resources && framework ? frameworkLiquibaseSettings(resources, root, env, framework, CONFIG_READER, covers) : undefined;
  const springSet = () => (spring ??= fromFramework ? frameworkSettings(fromFramework) : resources && hasApplicationFiles(resources) ? springSettings(resources, root, env) : {});
  // the environment variable Liquibase's CLI reads for --changelog-file (LIQUIBASE_COMMAND_CHANGELOG_FILE), relative
  // to the folder it runs in (taken to be the project root)
  const fromEnv = env.LIQUIBASE_COMMAND_CHANGELOG_FILE?.trim();
  if (fromEnv) {
    const file = inSearchPath(fromEnv, [root]);
    if (!file) throw new InputError(`LIQUIBASE_COMMAND_CHANGELOG_FILE names ${fromEnv}, which does not exist in ${[root, ...searchPath].map((dir) => shown(root, dir)).join(' or ')}`);
    return { file, setting: 'LIQUIBASE_COMMAND_CHANGELOG_FILE in the environment', searchPath: [root, ...searchPath], settings: springSet() };
  }
  // A SpringLiquibase bean of the application's own code (JHipster's DatabaseConfiguration / LiquibaseConfiguration:
  // liquibase.setChangeLog("classpath:config/liquibase/master.xml")): Spring Boot's LiquibaseAutoConfiguration is
  // @ConditionalOnMissingBean(SpringLiquibase.class), so that bean's changelog is the one run, whatever
  // spring.liquibase.change-log says
  const inCode = resources && !framework ? codeChangeLog(resources, root) : undefined;
  if (inCode) {
    const file = inSearchPath(inCode.written);
    if (file) return { file, setting: `SpringLiquibase.setChangeLog("${inCode.written}") in ${inCode.at}`, searchPath, settings: springSet() };
  }
  // Quarkus: quarkus.liquibase.change-log, default db/changeLog.xml (LiquibaseDataSourceBuildTimeConfig); Micronaut:
  // liquibase.datasources.<name>.change-log (LiquibaseConfigurationProperties, no default)
  if (fromFramework) {
    const written = fromFramework.changeLog?.value ?? fromFramework.defaultChangeLog;
    const file = written === undefined ? undefined : inSearchPath(written);
    const notice = fromFramework.notice ? { notice: fromFramework.notice } : {};
    if (file) return { file, setting: fromFramework.changeLog?.source ?? `Quarkus' default classpath:${written}`, searchPath, settings: springSet(), ...notice };
  }
  // Spring Boot: LiquibaseAutoConfiguration reads spring.liquibase.change-log, default db/changelog/db.changelog-master.yaml
  else if (resources && hasApplicationFiles(resources)) {
    const property = springProperty(resources, root, env, 'spring.liquibase.change-log');
    const file = property ? inSearchPath(property.value) : inSearchPath(SPRING_DEFAULT);
    if (file) return { file, setting: property ? property.source : `Spring Boot's default classpath:/${SPRING_DEFAULT}`, searchPath, settings: springSet() };
  }
  // liquibase.properties (the CLI's defaults file, in the folder Liquibase runs in, or on the classpath)
  for (const dir of [...foldersUpTo(folder, root).reverse(), ...(resources ? [resources] : [])]) {
    const file = path.join(dir, 'liquibase.properties');
    if (!isFile(file)) continue;
    const properties = parsedSettingsFile(file, 'liquibase', (text) => readProperties(text)) ?? [];
    const entry = [...properties].reverse().find(([key]) => ['changelogfile', 'changelog-file', 'liquibase.command.changelogfile'].includes(key.toLowerCase()));
    if (!entry) continue;
    const master = inSearchPath(entry[1], [dir]);
    if (master) return { file: master, setting: `${entry[0]} in ${shown(root, file)}`, searchPath: [dir, ...searchPath], settings: propertiesSettings(properties, shown(root, file)) };
  }
  // the liquibase-maven-plugin's <changeLogFile> in the pom.xml of the folder's module or of the root
  for (const dir of foldersUpTo(folder, root)) {
    const pom = path.join(dir, 'pom.xml');
    // ${project.basedir} / ${basedir}: Maven's folder of this pom (JHipster writes ${project.basedir}/src/main/resources/...)
    const written = isFile(pom) ? parsedSettingsFile(pom, 'liquibase', mavenChangeLogFile)?.replace(/\$\{(?:project\.)?basedir\}/g, dir) : undefined;
    if (!written) continue;
    const moduleResources = path.join(dir, 'src', 'main', 'resources');
    const master = inSearchPath(written, [moduleResources, dir]);
    if (master) return { file: master, setting: `<changeLogFile> of the liquibase-maven-plugin in ${shown(root, pom)}`, searchPath: [moduleResources, dir, ...searchPath], settings: {} };
  }
  const own = MASTER_NAMES.map((name) => path.join(folder, name)).find(isFile);
  if (own) return { file: own, setting: 'default', searchPath: resources ? searchPath : [path.dirname(folder), root], settings: springSet() };
  // a master one or two folders down (db/changelog/v0.0/db.changelog-master.yml, named in Java code: SpringLiquibase
  // setChangeLog), when it is the only one: an assumption, said in a notice
  const below = mastersBelow(folder, 2);
  if (below.length === 1) return { file: below[0], setting: BELOW, searchPath: resources ? searchPath : [path.dirname(folder), root], settings: springSet() };
  return undefined;
}

/**
 * With no URL for Liquibase in the active settings: the Spring Boot application's `spring.datasource.url` of every
 * profile (application*.yml / .yaml / .properties in its resources folder and its config/), when one names another
 * server database (MySQL, Oracle...; H2 and the like are the developers' in-memory stand-ins) and none names
 * PostgreSQL: the changelogs are written for that database (field: AMC-Software-Solution/amcCarePlanner, a JHipster
 * application on MySQL in prod and H2 in dev, whose `${uuidType}` properties have no PostgreSQL value).
 */
function profilesOtherDatabase(master: string, root: string): string | undefined {
  const resources = resourcesFolder(path.dirname(master));
  if (!resources) return undefined;
  const urls: { value: string; source: string }[] = [];
  for (const dir of [resources, path.join(resources, 'config')]) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((name) => /^application(-[^.]+)?\.(ya?ml|properties)$/.test(name)).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      for (const [key, value] of CONFIG_READER.fileProperties(file, 'Spring Boot')) {
        if (key.replace(/^%[^.]+\./, '') === 'spring.datasource.url' && value.trim() !== '') urls.push({ value: value.trim(), source: `${key} in ${shown(root, file)}` });
      }
    }
  }
  if (urls.some((url) => /^jdbc:(?:[a-z0-9-]+:)*?postgresql:/i.test(url.value) || /postgres/i.test(url.value))) return undefined;
  const found = urls.map((url) => ({ ...url, other: jdbcOtherDatabase(url.value) })).find((url) => url.other);
  if (!found) return undefined;
  return `${found.source} connects the application to ${/^[AEIOU]/.test(found.other!) ? 'an' : 'a'} ${found.other} database (${found.value.split(/[?;]/)[0]}), and no profile's spring.datasource.url names PostgreSQL: these changelogs run on ${found.other}, not PostgreSQL`;
}

/**
 * The changelog a SpringLiquibase bean of the application's code names: one distinct `.setChangeLog("<literal>")` in the
 * Java / Kotlin sources of the module whose resources folder this is (src/main/java, src/main/kotlin; read as text,
 * at most 3,000 files). Undefined when none, or several different ones, are written there.
 */
function codeChangeLog(resources: string, root: string): { written: string; at: string } | undefined {
  const module = CONFIG_READER.moduleFolder(resources);
  const found = new Map<string, string>();
  for (const language of ['java', 'kotlin']) {
    for (const [written, where] of setChangeLogCalls(path.join(module, 'src', 'main', language))) {
      if (!found.has(written)) found.set(written, `${shown(root, where.file)}:${where.line}`);
    }
  }
  if (found.size !== 1) return undefined;
  const [[written, at]] = [...found];
  return { written, at };
}

/**
 * The `.setChangeLog("<literal>")` calls below a source folder (first place of each), walked once per process while
 * nothing there changes: findMaster runs several times per command (discovery, forProject, configuredFolders) and
 * walking up to 3,000 sources each time was most of its cost. The walk is kept with the stamp (inode, size, change
 * times) of every folder it listed (a file added, removed or renamed changes its folder's) and every file it read
 * (an edit changes it), and walked again when one differs, as parsedSettingsFile keeps a settings file.
 */
const walkedSources = new Map<string, { stamps: Map<string, string>; calls: Map<string, { file: string; line: number }> }>();
function setChangeLogCalls(folder: string): Map<string, { file: string; line: number }> {
  const cached = walkedSources.get(folder);
  if (cached && [...cached.stamps].every(([file, stamp]) => fileStamp(file) === stamp)) return cached.calls;
  const stamps = new Map<string, string>([[folder, fileStamp(folder)]]);
  const calls = new Map<string, { file: string; line: number }>();
  const walk = { accept: (name: string) => name.endsWith('.java') || name.endsWith('.kt'), maxFiles: 3000, onFolder: (dir: string) => stamps.set(dir, fileStamp(dir)) };
  forEachSourceFile(folder, walk, (file) => {
    stamps.set(file, fileStamp(file));
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    if (!text.includes('setChangeLog')) return;
    for (const match of text.matchAll(/\.setChangeLog\(\s*"((?:[^"\\\n]|\\.)+)"\s*\)/g)) {
      if (!calls.has(match[1])) calls.set(match[1], { file, line: text.slice(0, match.index).split('\n').length });
    }
  });
  walkedSources.set(folder, { stamps, calls });
  return calls;
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

const BELOW = 'below';

/** `db.changelog-master.*` files in sub-folders of the folder, up to `depth` levels down. */
function mastersBelow(folder: string, depth: number): string[] {
  const found: string[] = [];
  forEachSourceFile(folder, { accept: (name) => /^db\.changelog-master\.(ya?ml|xml|json|sql)$/i.test(name), maxFiles: Number.POSITIVE_INFINITY, maxDepth: depth }, (file) => {
    if (path.dirname(file) !== folder) found.push(file);
  });
  return found.sort();
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
  forEachSourceFile(folder, { accept: (name) => /\.(sql|xml|ya?ml|json)$/i.test(name), maxFiles: Number.POSITIVE_INFINITY }, (file) => {
    if (!changelog.files.has(file)) ignored.push({ name: path.relative(folder, file).split(path.sep).join('/'), reason: 'no changelog the master reaches includes it: liquibase update never runs it' });
  });
  return ignored.sort((a, b) => (a.name < b.name ? -1 : 1));
}

function shown(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/') || '.';
}

export type { RunnerOptions };
