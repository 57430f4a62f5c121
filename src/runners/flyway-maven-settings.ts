/**
 * Flyway's settings as the Flyway Maven plugin (`mvn flyway:migrate`) reads them from a pom.xml: the plugin's
 * `<configuration>` (in `<build><plugins>`, over `<pluginManagement>` and what parent poms give), then the `<properties>`
 * named `flyway.*`, which win over it (flyway/flyway, flyway-maven-plugin AbstractFlywayMojo.execute: the plugin's
 * parameters are put first, then `conf.putAll(propertiesToMap(mavenProject.getProperties()))`, then config files,
 * FLYWAY_* variables and system properties). Relative `filesystem:` locations are the pom's folder's (the mojo
 * resolves them against `mavenProject.getBasedir()`). flyway-settings.ts merges these with the other sources.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { InputError } from '../errors.js';
import { moduleFoldersBelow, parsedSettingsFile, type FlywaySetting } from './flyway-settings-files.js';
import { isFile } from './types.js';

const PLUGIN = 'flyway-maven-plugin';

/** Plugin parameters that are lists (`<locations><location>a</location>...</locations>`): Flyway reads them comma-joined. */
const LIST_PARAMETERS = new Set(['locations', 'callbackLocations', 'schemas', 'sqlMigrationSuffixes', 'callbacks', 'resolvers', 'errorOverrides', 'jarDirs', 'cherryPick', 'ignoreMigrationPatterns', 'loggers']);

interface PomFlyway {
  /** the plugin's parameters, Flyway property names (`flyway.locations`), values as written */
  configuration: Map<string, string>;
  /** the project's `<properties>`, every one (a `${name}` in a parameter may name any of them) */
  properties: Map<string, string>;
  /** whether the pom names the plugin in `<build><plugins>` (it runs in every build of the pom) */
  runsPlugin: boolean;
  /** whether the pom names the plugin in `<build><pluginManagement>` (its version and configuration for `mvn flyway:...`) */
  managesPlugin: boolean;
  /** the parent pom.xml (`<parent><relativePath>`, by default ../pom.xml), absolute; undefined without one on disk */
  parent?: string;
  /** the pom.xml each setting comes from, as shown (withParents: a module's settings may be its parent's) */
  origin?: Map<string, string>;
  /** profiles that configure Flyway but are not active (`pom.xml (dev)`): the replay is the build without them */
  inactiveProfiles?: string[];
}

const NOTHING: PomFlyway = { configuration: new Map(), properties: new Map(), runsPlugin: false, managesPlugin: false };

/**
 * fast-xml-parser, loaded for the first pom.xml that names the plugin: imported at the top it was ~100 KB more CLI
 * bundle to read and ~6 ms of start-up for every command of every project (scripts/bundle-cli.mjs leaves it out).
 */
let xml: { validate: typeof import('fast-xml-parser').XMLValidator.validate; parse: (text: string) => any } | undefined;
export function xmlReader(): NonNullable<typeof xml> {
  if (!xml) {
    const { XMLParser, XMLValidator } = createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser');
    const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, processEntities: true });
    xml = { validate: (text) => XMLValidator.validate(text), parse: (text) => parser.parse(text) };
  }
  return xml;
}

/**
 * The Flyway settings of the pom.xml whose Flyway Maven plugin applies to `folder`: the nearest pom.xml from the folder
 * up to the project root that configures the plugin; asked with the root, the one module pom.xml below it that does
 * (several are an error naming them: each is a history of its own). Empty when no pom.xml configures the plugin.
 */
export function readMavenFlywaySettings(folder: string, root: string, env: Record<string, string | undefined>): Map<string, FlywaySetting> {
  const pom = flywayPom(folder, root, env);
  if (!pom) return new Map();
  const shown = (kind: string, key: string) => pom.flyway.origin?.get(`${kind}:${key}`) ?? shownFrom(root, pom.file);
  const basedir = path.dirname(pom.file);
  // a module's filesystem: locations are its own, as for a Spring application in that module (filesystemLocation)
  const application = path.join(basedir, 'src', 'main', 'resources');
  const settings = new Map<string, FlywaySetting>();
  const put = (key: string, written: string, source: string) => {
    const resolved = interpolate(written, basedir, pom.flyway.properties, env);
    settings.set(key, typeof resolved === 'string' ? { value: resolved, source, application } : { value: written, source, application, unresolved: resolved.unresolved });
  };
  for (const [key, value] of pom.flyway.configuration) put(key, value, `<${key.replace(/^flyway\./, '')}> of the ${PLUGIN} in ${shown('configuration', key)}`);
  for (const [key, value] of pom.flyway.properties) if (key.startsWith('flyway.')) put(key, value, `<${key}> in the <properties> of ${shown('properties', key)}`);
  return settings;
}

/**
 * When Maven profiles that are not active configure Flyway (the team may run `mvn flyway:migrate -Pdev`): a notice that
 * the replay is the build without them, and how to choose one (MAVEN_ARGS, which Maven 3.9+ reads too).
 */
export function mavenProfilesNotice(folder: string, root: string, env: Record<string, string | undefined>): string | undefined {
  const inactive = flywayPom(folder, root, env)?.flyway.inactiveProfiles ?? [];
  if (inactive.length === 0) return undefined;
  return `Maven profiles that are not active configure Flyway: ${inactive.join(', ')}; this replays the build without them, an assumption (MAVEN_ARGS=-P<id> pgdrift ... replays it with one, as mvn -P<id> flyway:migrate runs it)`;
}

/**
 * The pom.xml that configures the plugin for `folder` (see readMavenFlywaySettings), parsed with what it inherits.
 * A pom that only manages the plugin (`<pluginManagement>`) still runs it on `mvn flyway:migrate`, which resolves
 * the plugin from there; but asked with the root of a multi-module build, the modules that name the plugin come first.
 */
function flywayPom(folder: string, root: string, env: Record<string, string | undefined>): { file: string; flyway: PomFlyway } | undefined {
  const mavenArgs = env.MAVEN_ARGS;
  const top = path.resolve(root);
  const fromRoot = path.resolve(folder) === top;
  const found = (file: string, flyway: PomFlyway) => ({ file, flyway: withParents(file, flyway, top, mavenArgs) });
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'pom.xml');
    const flyway = pomFlyway(file, top, mavenArgs);
    if (flyway?.runsPlugin || (flyway?.managesPlugin && !(fromRoot && dir === top))) {
      // the module's plugin is skipped: mvn flyway:migrate does nothing there, so none of its settings apply
      const pom = found(file, flyway);
      return skipped(pom, env) ? undefined : pom;
    }
    if (dir === top || path.dirname(dir) === dir || !dir.startsWith(top + path.sep)) break;
  }
  // a multi-module build has its aggregator pom.xml in the root
  const rootPom = path.join(top, 'pom.xml');
  if (!fromRoot || !isFile(rootPom)) return undefined;
  // a module whose plugin is skipped (<skip>true</skip>, often inherited from the parent's <pluginManagement>, the
  // module that holds the migrations setting it back to false) runs no migration: it is no candidate
  const modules = modulePoms(top).flatMap((file) => {
    const flyway = pomFlyway(file, top, mavenArgs);
    return flyway?.runsPlugin || flyway?.managesPlugin ? [found(file, flyway)].filter((pom) => !skipped(pom, env)) : [];
  });
  if (modules.length > 1) {
    throw new InputError(`several Maven modules configure the ${PLUGIN}: ${modules.map((m) => shownFrom(top, m.file)).join(', ')}`, {
      hint: 'name the migrations folder of the one to check: --migrations <folder>, or "migrations" in pgdrift.config.json',
    });
  }
  const own = pomFlyway(rootPom, top, mavenArgs);
  const rootFlyway = own?.managesPlugin ? found(rootPom, own) : undefined;
  return modules[0] ?? (rootFlyway && !skipped(rootFlyway, env) ? rootFlyway : undefined);
}

/**
 * Whether the plugin is skipped for this pom: `<skip>` of its configuration (inherited like every parameter), else
 * its `flyway.skip` property (the parameter is `@Parameter(property = "flyway.skip")`, so a property sets it only
 * when the configuration does not). AbstractFlywayMojo.execute returns at once on it ("Skipping Flyway execution"),
 * before any location is read. A `-Dflyway.skip` system property, which would win, is not read.
 */
function skipped(pom: { file: string; flyway: PomFlyway }, env: Record<string, string | undefined>): boolean {
  const written = pom.flyway.configuration.get('flyway.skip') ?? pom.flyway.properties.get('flyway.skip');
  if (written === undefined) return false;
  const value = interpolate(written, path.dirname(pom.file), pom.flyway.properties, env);
  return typeof value === 'string' && value.trim().toLowerCase() === 'true';
}

/**
 * A module's settings over those it inherits: Maven merges a parent's plugin `<configuration>` (from its `<plugins>`
 * and `<pluginManagement>`) and `<properties>` into the child's, the child's own values winning. Parents are
 * followed on disk inside the project (a parent only in a repository is not read).
 */
function withParents(file: string, own: PomFlyway, root: string, mavenArgs: string | undefined): PomFlyway {
  const chain: PomFlyway[] = [own];
  const seen = new Set([path.resolve(file)]);
  const files = [shownFrom(root, file)];
  for (let parent = own.parent; parent && !seen.has(parent) && (parent === path.join(root, 'pom.xml') || parent.startsWith(root + path.sep)); ) {
    seen.add(parent);
    const read = pomFlyway(parent, root, mavenArgs, true);
    if (!read) break;
    chain.push(read);
    files.push(shownFrom(root, parent));
    parent = read.parent;
  }
  const merged: PomFlyway = {
    configuration: new Map(),
    properties: new Map(),
    runsPlugin: own.runsPlugin,
    managesPlugin: own.managesPlugin,
    origin: new Map(),
    inactiveProfiles: chain.flatMap((pom) => pom.inactiveProfiles ?? []),
  };
  for (let i = chain.length - 1; i >= 0; i--) {
    for (const kind of ['configuration', 'properties'] as const) {
      for (const [key, value] of chain[i][kind]) {
        merged[kind].set(key, value);
        merged.origin!.set(`${kind}:${key}`, files[i]);
      }
    }
  }
  return merged;
}

/**
 * A pom.xml's Flyway plugin settings, properties and parent; undefined when there is no such file. A pom that does
 * not mention Flyway is not parsed (nothing of it counts) unless it is read as a module's parent (its properties do).
 */
function pomFlyway(file: string, root: string, mavenArgs: string | undefined, asParent = false): PomFlyway | undefined {
  const shown = shownFrom(root, file);
  const key = `${asParent ? 'maven-parent' : 'maven'}\0${mavenArgs ?? ''}`;
  return parsedSettingsFile(file, key, (text) => (asParent || text.includes('flyway') ? readPom(text, shown, path.dirname(file), mavenArgs) : NOTHING));
}

function shownFrom(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/') || file;
}

/** Reads a pom.xml's Flyway plugin configuration, properties and parent. `file` as shown; `basedir` its folder. */
function readPom(xmlText: string, file: string, basedir: string, mavenArgs: string | undefined): PomFlyway {
  // the parser itself reads malformed XML leniently: validate first, as Maven would refuse the file
  const valid = xmlReader().validate(xmlText);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    throw new InputError(`${file}:${line}:${col}: not valid XML (${msg}): the Flyway Maven plugin reads its settings there`, {
      hint: 'fix the file, or name the migrations folder with --migrations',
      position: { file, line, column: col },
    });
  }
  const project = xmlReader().parse(xmlText)?.project;
  const base = readSection(project);
  // Maven profiles: those active by default, or named in MAVEN_ARGS (-P), merge into the build, their values winning
  const chosen = activeProfiles(mavenArgs);
  const profiles = list(project?.profiles?.profile)
    .map((profile) => ({ id: text(profile?.id), activeByDefault: text(profile?.activation?.activeByDefault).trim() === 'true', ...readSection(profile) }))
    .filter((profile) => profile.runsPlugin || profile.managesPlugin || profile.configuration.size > 0 || [...profile.properties.keys()].some((key) => key.startsWith('flyway.')));
  const named = profiles.filter((profile) => chosen.on.has(profile.id));
  const active = (named.length > 0 ? named : profiles.filter((profile) => profile.activeByDefault)).filter((profile) => !chosen.off.has(profile.id));
  const configuration = new Map(base.configuration);
  const properties = new Map(base.properties);
  for (const profile of active) {
    for (const [key, value] of profile.configuration) configuration.set(key, value);
    for (const [key, value] of profile.properties) properties.set(key, value);
  }
  const inactiveProfiles = profiles.filter((profile) => !active.includes(profile)).map((profile) => `${file} (${profile.id})`);
  const runsPlugin = base.runsPlugin || active.some((profile) => profile.runsPlugin);
  const managesPlugin = base.managesPlugin || profiles.some((profile) => profile.runsPlugin || profile.managesPlugin);
  // <relativePath/> (empty) means the parent comes from a repository, not from this tree
  const relativePath = project?.parent === undefined ? undefined : typeof project.parent?.relativePath === 'string' ? project.parent.relativePath : '../pom.xml';
  const parentPath = relativePath ? path.resolve(basedir, relativePath) : undefined;
  const parent = parentPath && !parentPath.endsWith('.xml') ? path.join(parentPath, 'pom.xml') : parentPath;
  return { configuration, properties, runsPlugin, managesPlugin, inactiveProfiles, ...(parent && isFile(parent) ? { parent } : {}) };
}

/** A project's or a profile's build: the Flyway plugin's configuration, whether it names the plugin, its properties. */
function readSection(section: any): Pick<PomFlyway, 'configuration' | 'properties' | 'runsPlugin' | 'managesPlugin'> {
  const build = section?.build;
  // <pluginManagement> configures the plugin for the poms that use it: its configuration comes first, under <plugins>'
  const isFlyway = (plugin: any) => plugin?.artifactId === PLUGIN;
  const used = list(build?.plugins?.plugin).filter(isFlyway);
  const managed = list(build?.pluginManagement?.plugins?.plugin).filter(isFlyway);
  const configuration = new Map<string, string>();
  for (const plugin of [...managed, ...used]) {
    readConfiguration(plugin.configuration, configuration);
    // an execution's own <configuration> (a goal bound to a build phase) applies to that execution: with one, it is
    // how the build runs Flyway; with several, each may name other locations, so only what they agree on is kept
    const executions = list(plugin.executions?.execution).filter((execution) => execution?.configuration);
    const own = executions.map((execution) => readConfiguration(execution.configuration, new Map()));
    for (const [key, value] of own[0] ?? []) if (own.every((other) => other.get(key) === value)) configuration.set(key, value);
  }
  const properties = new Map<string, string>();
  for (const [key, value] of Object.entries(section?.properties ?? {})) if (typeof value === 'string') properties.set(key, value);
  return { configuration, properties, runsPlugin: used.length > 0, managesPlugin: managed.length > 0 };
}

/**
 * The profiles `-P` names in MAVEN_ARGS (Maven 3.9+ reads it before the command line's arguments): `-Pdev,live`,
 * `-P dev`, `--activate-profiles=dev`; `!dev` or `-dev` in the list deactivates one.
 */
function activeProfiles(args: string | undefined): { on: Set<string>; off: Set<string> } {
  const on = new Set<string>();
  const off = new Set<string>();
  const words = (args ?? '').split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const inline = /^(?:-P|--activate-profiles=)(.+)$/.exec(word)?.[1];
    const value = inline ?? (word === '-P' || word === '--activate-profiles' ? words[++i] : undefined);
    for (const id of (value ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
      if (id.startsWith('!') || id.startsWith('-')) off.add(id.slice(1));
      else on.add(id.replace(/^\+/, ''));
    }
  }
  return { on, off };
}

/** The plugin's `<configuration>` as Flyway properties: lists comma-joined, `<placeholders>` one property each. */
function readConfiguration(configuration: unknown, into: Map<string, string>): Map<string, string> {
  if (!configuration || typeof configuration !== 'object') return into;
  for (const [name, value] of Object.entries(configuration as Record<string, unknown>)) {
    if (name === 'placeholders' && value && typeof value === 'object') {
      for (const [placeholder, replacement] of Object.entries(value as Record<string, unknown>)) into.set(`flyway.placeholders.${placeholder}`, text(replacement));
    } else if (LIST_PARAMETERS.has(name) && value && typeof value === 'object') {
      // <locations><location>a</location><location>b</location></locations>: the element names do not matter to Maven
      into.set(`flyway.${name}`, Object.values(value as Record<string, unknown>).flatMap(list).map(text).join(','));
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      into.set(`flyway.${name}`, String(value));
    }
  }
  return into;
}

const list = (value: unknown): any[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);
const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null || typeof value === 'object' ? '' : String(value));

/**
 * Maven's `${...}` in a value: `project.basedir` / `basedir`, `project.build.directory`, the project's properties,
 * `env.NAME`; the first reference none of them gives, otherwise.
 */
function interpolate(value: string, basedir: string, properties: Map<string, string>, env: Record<string, string | undefined>, depth = 0): string | { unresolved: string } {
  let unresolved: string | undefined;
  const out = value.replace(/\$\{([^}]+)\}/g, (reference, name: string) => {
    const known =
      name === 'project.basedir' || name === 'basedir' || name === 'pom.basedir'
        ? basedir
        : name === 'project.build.directory'
          ? path.join(basedir, 'target')
          : name.startsWith('env.')
            ? env[name.slice(4)]
            : properties.get(name);
    if (known === undefined) {
      unresolved ??= reference;
      return reference;
    }
    if (depth >= 10 || !known.includes('${')) return known;
    const inner = interpolate(known, basedir, properties, env, depth + 1);
    if (typeof inner !== 'string') {
      unresolved ??= inner.unresolved;
      return reference;
    }
    return inner;
  });
  return unresolved === undefined ? out : { unresolved };
}

/** pom.xml files of modules below the root (the root's own excluded), three folders deep at most. */
function modulePoms(root: string): string[] {
  const isModule = (dir: string) => isFile(path.join(dir, 'pom.xml'));
  return moduleFoldersBelow(root, ['node_modules', 'src', 'target', 'build'], isModule)
    .map((dir) => path.join(dir, 'pom.xml'))
    .sort();
}
