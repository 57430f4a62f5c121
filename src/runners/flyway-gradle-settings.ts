/**
 * Flyway's settings as the Flyway Gradle plugin (`gradle flywayMigrate`) reads them: the `flyway { }` extension block
 * of a build.gradle (Groovy) or build.gradle.kts (Kotlin), the flywayMigrate task's own block over it, then the Gradle
 * project properties named `flyway.*` (gradle.properties) over both (flyway/flyway, flyway-gradle-plugin
 * AbstractFlywayTask.createFlywayConfig: `putIfSet(conf, key, taskValue, extension.value)` for each setting, the
 * task's then the extension's placeholders, then `addConfigFromProperties(conf, getProject().getProperties())`, then
 * `flyway.configFiles`, environment variables and system properties). Only simple assignments are evaluated: string
 * literals, lists, maps, the project's folders (`$projectDir`, `file(...)`); a value it cannot evaluate (a variable,
 * a method call) for a setting pgdrift uses is kept as unresolved with a notice. Relative `filesystem:` locations are
 * the module's folder's. flyway-settings.ts merges these with the other sources.
 */
import path from 'node:path';
import { InputError } from '../errors.js';
import { moduleFoldersBelow, parsedSettingsFile, readProperties, type FlywaySetting } from './flyway-settings-files.js';
import { isDirectory, isFile } from './types.js';

/** The settings pgdrift reads (flyway-settings.ts, flyway-naming.ts, flyway-placeholders.ts, flyway.ts), without `flyway.`. */
const USED_SETTINGS = new Set([
  'locations', 'schemas', 'defaultSchema', 'createSchemas', 'table', 'placeholders', 'placeholderReplacement', 'placeholderPrefix',
  'placeholderSuffix', 'placeholderSeparator', 'sqlMigrationPrefix', 'undoSqlMigrationPrefix', 'repeatableSqlMigrationPrefix',
  'baselineMigrationPrefix', 'sqlMigrationSeparator', 'sqlMigrationSuffixes', 'mixed', 'group', 'executeInTransaction', 'target', 'validateMigrationNaming', 'skipDefaultCallbacks',
  'callbackLocations',
]);

const BUILD_FILES = ['build.gradle', 'build.gradle.kts'];

/** A token, with where it starts and ends in the source (`start`, `end`) and its line. */
type Token = { start: number; end: number; line: number } & (
  | { kind: 'name'; text: string }
  | { kind: 'string'; text: string; quote: string }
  | { kind: 'punct'; text: string }
  | { kind: 'newline'; text: '\n' }
);

type GradleValue = string | string[] | Map<string, string>;

/** What a build file's expressions may name: its project's folder, the build's root folder, and its language. */
interface Scope {
  /** the build file's text (a setting not evaluated is shown as written there) */
  source: string;
  projectDir: string;
  rootDir: string;
  kotlin: boolean;
}

/** One assignment of the `flyway { }` block: the value, or the expression as written when it cannot be evaluated. */
interface BlockSetting {
  name: string;
  line: number;
  /** the block it is in, as shown: `the flyway { } block`, `the flywayMigrate task` */
  block: string;
  /** the file the setting is written in when it is not the build file's own (a convention plugin's script) */
  file?: string;
  value?: GradleValue;
  written: string;
}

/**
 * The Flyway settings of the Gradle build file whose `flyway { }` block applies to `folder`: the nearest build.gradle
 * (.kts) from the folder up to the project root that has the block; asked with the root, the one module build file
 * below it (settings.gradle `include`) that does (several are an error naming them: each is a history of its own);
 * for a folder outside every module, the one module whose locations name it. A build file's settings include those of
 * the buildSrc convention plugins it applies (buildFileFlyway). Empty when no build file configures Flyway and no gradle.properties sets `flyway.*`. A FlywayMigrateTask of the
 * build's own (`task migrateTenants(type: FlywayMigrateTask)`) is an entry `gradle task <name>` with no value, only a
 * notice.
 */
export function readGradleFlywaySettings(folder: string, root: string): Map<string, FlywaySetting> {
  const top = path.resolve(root);
  const build = flywayBuildFile(folder, top);
  const projectDir = build ? path.dirname(build.file) : top;
  const shownBuild = build ? shown(top, build.file) : '';
  // a module's filesystem: locations are its own, as for a Spring application in that module (filesystemLocation)
  const application = path.join(projectDir, 'src', 'main', 'resources');
  const settings = new Map<string, FlywaySetting>();
  for (const setting of build?.settings ?? []) {
    const source = `${setting.name} in ${setting.block} of ${setting.file ? shown(top, setting.file) : shownBuild}:${setting.line}`;
    if (setting.value === undefined) {
      if (!USED_SETTINGS.has(setting.name)) continue;
      settings.set(`flyway.${setting.name}`, {
        value: setting.written,
        source,
        application,
        unresolved: setting.written,
        notice: `${source} is ${setting.written}, which pgdrift does not evaluate (only literals, lists, maps and the project's folders): the replay goes on without it, as if it were not set; give the value in gradle.properties (flyway.${setting.name}=...), flyway.conf or a FLYWAY_* variable`,
      });
    } else if (setting.name === 'placeholders' && setting.value instanceof Map) {
      for (const [name, value] of setting.value) settings.set(`flyway.placeholders.${name}`, { value, source, application });
    } else if (!(setting.value instanceof Map)) {
      settings.set(`flyway.${setting.name}`, { value: Array.isArray(setting.value) ? setting.value.join(',') : setting.value, source, application });
    }
  }
  // a task of its own may run Flyway with other settings: which one the team runs is not in the build file
  for (const task of build?.tasks ?? []) {
    settings.set(`gradle task ${task.name}`, {
      value: '',
      source: `the FlywayMigrateTask ${task.name} of ${shownBuild}:${task.line}`,
      unresolved: task.name,
      notice: `${shownBuild}:${task.line} declares a FlywayMigrateTask ${task.name}: its own settings (not read) win over the flyway { } block when it runs; this replays the flywayMigrate task's settings`,
    });
  }
  // Flyway blocks inside subprojects { } / allprojects { }: the module's own build file's, and the root's (which Gradle
  // applies to every subproject, under the module's own block)
  const rootBuild = BUILD_FILES.map((name) => path.join(top, name)).find((file) => file !== build?.file && isFile(file));
  const nestedBlocks = [
    ...(build?.nested ?? []).map((block) => ({ ...block, file: shownBuild })),
    ...((rootBuild ? buildFileFlyway(rootBuild, top)?.nested : undefined) ?? []).map((block) => ({ ...block, file: shown(top, rootBuild!) })),
  ];
  for (const block of nestedBlocks) {
    settings.set(`gradle ${block.head} ${block.file}:${block.line}`, {
      value: '',
      source: `the Flyway settings inside ${block.head} { } of ${block.file}:${block.line}`,
      unresolved: block.head,
      notice: `${block.file}:${block.line} configures Flyway inside ${block.head} { }, which pgdrift does not read: the replay goes on without those settings; give them in the module's own flyway { } block, gradle.properties (flyway.*=...) or flyway.conf`,
    });
  }
  // Gradle project properties: the root project's gradle.properties, then the module's own (a subproject's wins)
  const propertyFiles = [...new Set([path.join(top, 'gradle.properties'), path.join(projectDir, 'gradle.properties')])];
  for (const file of propertyFiles) {
    for (const [key, value] of parsedSettingsFile(file, '', readProperties) ?? []) {
      if (key.startsWith('flyway.')) settings.set(key, { value, source: `${key} in ${shown(top, file)}`, application });
    }
  }
  return settings;
}

function shown(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/') || file;
}

/** The build file that configures Flyway for `folder` (see readGradleFlywaySettings), read. */
function flywayBuildFile(folder: string, top: string): ({ file: string } & BuildFlyway) | undefined {
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    for (const name of BUILD_FILES) {
      const flyway = buildFileFlyway(path.join(dir, name), top);
      if (flyway) return { file: path.join(dir, name), ...flyway };
    }
    if (dir === top || path.dirname(dir) === dir || !dir.startsWith(top + path.sep)) break;
  }
  const modules = includedProjects(top).flatMap((dir) =>
    BUILD_FILES.flatMap((name) => {
      const flyway = buildFileFlyway(path.join(dir, name), top);
      return flyway ? [{ file: path.join(dir, name), ...flyway }] : [];
    }),
  );
  if (path.resolve(folder) !== top) {
    // a folder outside every module (`locations = ['filesystem:../db']` of app/build.gradle): the one module whose
    // locations name it configures it
    const naming = modules.filter((module) => locationsReach(module, path.resolve(folder)));
    return naming.length === 1 ? naming[0] : undefined;
  }
  if (modules.length > 1) {
    throw new InputError(`several Gradle projects configure the Flyway plugin: ${modules.map((m) => shown(top, m.file)).join(', ')}`, {
      hint: 'name the migrations folder of the one to check: --migrations <folder>, or "migrations" in pgdrift.config.json',
    });
  }
  return modules[0];
}

/** Whether a module's `locations` (the last one set) name `folder` or a folder above it (Flyway scans locations recursively). */
function locationsReach(module: { file: string } & BuildFlyway, folder: string): boolean {
  const locations = module.settings.filter((setting) => setting.name === 'locations' && setting.value !== undefined).pop()?.value;
  if (locations === undefined || locations instanceof Map) return false;
  const projectDir = path.dirname(module.file);
  return (Array.isArray(locations) ? locations : locations.split(',')).some((written) => {
    const location = written.trim();
    const dir = location.toLowerCase().startsWith('filesystem:')
      ? path.resolve(projectDir, location.slice('filesystem:'.length))
      : path.join(projectDir, 'src', 'main', 'resources', location.replace(/^classpath:/i, ''));
    return folder === dir || folder.startsWith(dir + path.sep);
  });
}

/**
 * The Flyway settings of a build file, or undefined when it configures none: those of the convention plugins it
 * applies (a precompiled script plugin of the build's buildSrc or build-logic, `id("shop.flyway-conventions")` for
 * buildSrc/src/main/kotlin/shop.flyway-conventions.gradle.kts, which configures the applying project's extension:
 * its `projectDir` is that project's), then its own `flyway { }` block's, which runs after them and wins.
 */
function buildFileFlyway(file: string, top: string): BuildFlyway | undefined {
  const projectDir = path.dirname(file);
  const conventions = appliedConventionScripts(file, top).flatMap((script) => {
    const flyway = scriptFlyway(script, projectDir, top);
    return flyway ? [{ ...flyway, settings: flyway.settings.map((setting) => ({ ...setting, file: script })) }] : [];
  });
  const own = scriptFlyway(file, projectDir, top);
  if (!own && conventions.length === 0) return undefined;
  return {
    settings: [...conventions.flatMap((c) => c.settings), ...(own?.settings ?? [])],
    tasks: [...conventions.flatMap((c) => c.tasks), ...(own?.tasks ?? [])],
    ...(own?.nested ? { nested: own.nested } : {}),
  };
}

/** The `flyway { }` block's settings of a build script applied to the project in `projectDir`, or undefined when it has none. */
function scriptFlyway(file: string, projectDir: string, top: string): BuildFlyway | undefined {
  const kotlin = file.endsWith('.kts');
  const parsed = parsedSettingsFile(file, `gradle\0${top}\0${projectDir}`, (source) => {
    if (!source.includes('flyway') && !source.includes('FlywayExtension')) return null;
    const scope = { source, projectDir, rootDir: buildRoot(projectDir, top), kotlin };
    return readFlywayBlocks(tokenize(source, shown(top, file), kotlin), scope);
  });
  return parsed ?? undefined;
}

/**
 * The precompiled script plugins of the build (buildSrc, build-logic) that a build file applies in its `plugins { }`
 * block: `id("a.b")` / `id 'a.b'` is `src/main/kotlin/a.b.gradle.kts` (or `src/main/groovy/a.b.gradle`), or, for a
 * script declared in package `a`, `a/b.gradle.kts` there (Gradle's precompiled script plugin ids).
 */
function appliedConventionScripts(file: string, top: string): string[] {
  const ids = parsedSettingsFile(file, 'gradle-plugin-ids', (source) => {
    const tokens = tokenize(source, shown(top, file), file.endsWith('.kts'));
    const found: string[] = [];
    for (let i = 0; i + 1 < tokens.length; i++) {
      if (tokens[i].kind !== 'name' || tokens[i].text !== 'id' || (i > 0 && tokens[i - 1].text === '.')) continue;
      const id = tokens[i + 1].text === '(' ? tokens[i + 2] : tokens[i + 1];
      if (id?.kind === 'string' && /^[\w.-]+$/.test(id.text)) found.push(id.text);
    }
    return found;
  });
  if (!ids?.length) return [];
  const root = buildRoot(path.dirname(file), top);
  const sources = ['buildSrc', 'build-logic'].flatMap((build) => [
    { dir: path.join(root, build, 'src', 'main', 'kotlin'), suffix: '.gradle.kts' },
    { dir: path.join(root, build, 'src', 'main', 'groovy'), suffix: '.gradle' },
  ]);
  return ids.flatMap((id) =>
    sources.flatMap(({ dir, suffix }) => {
      const packaged = path.join(dir, ...id.split('.').slice(0, -1), `${id.split('.').pop()}${suffix}`);
      return [...new Set([path.join(dir, `${id}${suffix}`), packaged])].filter(isFile).slice(0, 1);
    }),
  );
}

/** The Gradle build's root folder (`rootDir`): the nearest folder up to the project root with a settings file. */
function buildRoot(projectDir: string, top: string): string {
  for (let dir = projectDir; dir.startsWith(top + path.sep) || dir === top; dir = path.dirname(dir)) {
    if (['settings.gradle', 'settings.gradle.kts'].some((name) => isFile(path.join(dir, name)))) return dir;
    if (dir === top) break;
  }
  return top;
}

/**
 * The folders of the subprojects a settings.gradle(.kts) in the root includes: `include 'app', ':db:core'` and
 * `include(":app")` name folders `app` and `db/core` (Gradle's default project directories).
 */
function includedProjects(top: string): string[] {
  for (const name of ['settings.gradle', 'settings.gradle.kts']) {
    const file = path.join(top, name);
    const included = parsedSettingsFile(file, 'gradle-include', (text) => {
      const tokens = tokenize(text, name, name.endsWith('.kts'));
      const found: string[] = [];
      for (let i = 0; i < tokens.length; i++) {
        if (tokens[i].kind !== 'name' || tokens[i].text !== 'include' || (i > 0 && tokens[i - 1].text === '.')) continue;
        for (let j = i + 1; j < tokens.length && tokens[j].kind !== 'newline' && tokens[j].text !== ';'; j++) {
          if (tokens[j].kind === 'string') found.push(tokens[j].text.replace(/^:/, '').split(':').join(path.sep));
        }
      }
      return found;
    });
    if (included) return [...new Set(included)].sort().map((dir) => path.join(top, dir)).filter(isDirectory);
  }
  return moduleFolders(top);
}

/** Without a settings file: the folders below the root that have a build file, three folders deep at most. */
function moduleFolders(top: string): string[] {
  return moduleFoldersBelow(top, ['node_modules', 'src', 'build', 'gradle'], (dir) => BUILD_FILES.some((name) => isFile(path.join(dir, name)))).sort();
}

/** The Flyway configuration of a build file: its blocks' settings in the order they apply, and its own migrate tasks. */
interface BuildFlyway {
  settings: BlockSetting[];
  /** tasks of type FlywayMigrateTask it declares besides flywayMigrate, with their line */
  tasks: { name: string; line: number }[];
  /** Flyway blocks inside `subprojects { }`, `allprojects { }` or `configure(...) { }`, not read: the enclosing block and its line */
  nested?: { head: string; line: number }[];
}

/**
 * The settings of a build file's top-level Flyway blocks, or null when it has none: the `flyway { }` extension (also
 * Kotlin's `configure<FlywayExtension> { }`, and `flyway.<name> = ...` statements), and the `flywayMigrate` task's
 * own block (`flywayMigrate { }`, `tasks.named("flywayMigrate") { }`, `tasks.withType<FlywayMigrateTask> { }`), whose
 * values win over the extension's except placeholders, where the extension's win (AbstractFlywayTask.createFlywayConfig: `putIfSet(conf, key, task
 * value, extension value)` takes the task's when set; the task's placeholders are put first, the extension's after).
 * A block inside another (`subprojects { flyway { } }`, which Gradle applies to each subproject) is not read, only
 * named (`nested`), so that it is a notice rather than silently missing settings.
 */
function readFlywayBlocks(tokens: Token[], scope: Scope): BuildFlyway | null {
  const extension: BlockSetting[] = [];
  const task: BlockSetting[] = [];
  const tasks: BuildFlyway['tasks'] = [];
  const nested: NonNullable<BuildFlyway['nested']> = [];
  let found = false;
  for (const statement of statements(tokens, scope.kotlin)) {
    // `flyway.table = 'x'` outside a block sets the extension's property too
    if (statement[0].text === 'flyway' && statement[1]?.text === '.' && statement[2]?.kind === 'name' && statement[3]?.text !== '(') {
      extension.push(...blockSettings(statement.slice(2), scope, 'the flyway extension'));
      found = true;
      continue;
    }
    const open = statement.findIndex((token) => token.kind === 'punct' && token.text === '{');
    if (open <= 0 || matching(statement, open) !== statement.length - 1) continue;
    const head = statement.slice(0, open).filter((token) => token.kind !== 'newline').map((token) => (token.kind === 'string' ? `"${token.text}"` : token.text)).join('');
    const body = statement.slice(open + 1, -1);
    if (head === 'flyway' || head === 'project.flyway' || head === 'configure<FlywayExtension>') {
      extension.push(...blockSettings(body, scope, 'the flyway { } block'));
      found = true;
    } else if (MIGRATE_TASK_HEADS.has(head)) {
      task.push(...blockSettings(body, scope, 'the flywayMigrate task'));
      found = true;
    } else if (head.includes('FlywayMigrateTask')) {
      const name = statement.slice(0, open).find((token, i) => i > 0 && (token.kind === 'string' || (token.kind === 'name' && statement[i - 1].text === 'task')));
      tasks.push({ name: name?.text ?? head, line: statement[0].line });
      found = true;
    } else if ((head === 'subprojects' || head === 'allprojects' || head.startsWith('configure(')) && holdsFlywayBlock(body)) {
      nested.push({ head: head.startsWith('configure(') ? 'configure(...)' : head, line: statement[0].line });
      found = true;
    }
  }
  if (!found) return null;
  const placeholders = (setting: BlockSetting) => setting.name === 'placeholders';
  return { settings: [...task.filter(placeholders), ...extension, ...task.filter((setting) => !placeholders(setting))], tasks, ...(nested.length > 0 ? { nested } : {}) };
}

/** Whether tokens hold a Flyway block or setting at any depth: `flyway {`, `flyway.<name>`, `flywayMigrate {`. */
function holdsFlywayBlock(tokens: Token[]): boolean {
  const significant = tokens.filter((token) => token.kind !== 'newline');
  return significant.some((token, i) => token.kind === 'name' && (token.text === 'flyway' || token.text === 'flywayMigrate') && (significant[i + 1]?.text === '{' || (token.text === 'flyway' && significant[i + 1]?.text === '.')));
}

/** How a build file names the flywayMigrate task to configure it (quotes as `"`, no spaces). */
const MIGRATE_TASK_HEADS = new Set([
  'flywayMigrate', 'tasks.flywayMigrate', 'tasks.named("flywayMigrate")', 'tasks.named<FlywayMigrateTask>("flywayMigrate")',
  'tasks.getByName("flywayMigrate")', 'tasks.withType(FlywayMigrateTask)', 'tasks.withType<FlywayMigrateTask>',
  'tasks.withType(FlywayMigrateTask).configureEach', 'tasks.withType<FlywayMigrateTask>().configureEach',
]);

/** The index of the bracket that closes the one at `open` (or the last token). */
function matching(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].kind !== 'punct') continue;
    if ('{[('.includes(tokens[i].text)) depth++;
    else if ('}])'.includes(tokens[i].text) && --depth === 0) return i;
  }
  return tokens.length - 1;
}

/**
 * The block's statements as settings: `name = value`, Groovy's `name value` and `name(value)`. Any other statement
 * that starts with a setting's name (`placeholders.put(...)`, `placeholders['a'] = ...`) is a setting not evaluated.
 */
function blockSettings(body: Token[], scope: Scope, block: string): BlockSetting[] {
  const out: BlockSetting[] = [];
  for (const statement of statements(body, scope.kotlin)) {
    const [first, second] = statement;
    if (first.kind !== 'name') continue;
    let expression: Token[] | undefined;
    if (second?.text === '=' && second.kind === 'punct') expression = statement.slice(2);
    else if (second?.text === '(' && matching(statement, 1) === statement.length - 1) expression = statement.slice(2, -1);
    else if (second && (second.kind === 'string' || second.text === '[' || (second.kind === 'name' && statement.length === 2))) expression = statement.slice(1);
    const shownTokens = expression?.length ? expression : statement;
    const written = scope.source.slice(shownTokens[0].start, shownTokens[shownTokens.length - 1].end).replace(/\s+/g, ' ');
    const value = expression ? evaluate(expression, scope) : undefined;
    out.push({ name: first.text, line: first.line, block, ...(value === undefined ? {} : { value }), written });
  }
  return out;
}

/**
 * The statements of a block body: split at newlines and `;` outside brackets, a line that ends with an operator or
 * a comma, or a next line that starts with `.`, `+` or `?.`, continuing the statement.
 */
function statements(body: Token[], kotlin: boolean): Token[][] {
  const out: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const token = body[i];
    if (token.kind === 'punct' && '{[('.includes(token.text)) depth++;
    if (token.kind === 'punct' && '}])'.includes(token.text)) depth--;
    const ends = depth === 0 && (token.kind === 'newline' || (token.kind === 'punct' && token.text === ';'));
    if (!ends) {
      // newlines inside brackets stay: they separate the statements of a block
      if (token.kind !== 'newline' || depth > 0) current.push(token);
      continue;
    }
    const last = current[current.length - 1];
    const next = body.slice(i + 1).find((t) => t.kind !== 'newline');
    // Groovy's ternary may break after or before its `?` and `:` (`x == 'a' ?\n [...] :\n [...]`); in Kotlin a line
    // ending with `?` is a nullable type, with `?:` an elvis operator that goes on
    const operators = kotlin ? ['=', ',', '+', '.', ':'] : ['=', ',', '+', '.', '?', ':'];
    const continues = token.kind === 'newline' && ((last?.kind === 'punct' && operators.includes(last.text)) || (next?.kind === 'punct' && ['.', '+', '?', ':'].includes(next.text)));
    if (continues) continue;
    if (current.length > 0) out.push(current);
    current = [];
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * An expression's value: a string literal (Groovy's `'...'`, `"..."` with `${...}`/`$name`, Kotlin's `"..."` with
 * `${...}`/`$name`), strings joined with `+`, a list (`[...]`, `arrayOf(...)`, `listOf(...)`, with Groovy's
 * `as String[]` or Kotlin's `.toTypedArray()`), a map (`[k: v]`, `mapOf(k to v)`), the project's folders
 * (`projectDir`, `rootDir`, `file(...)`), a number or boolean; undefined for anything else.
 */
function evaluate(tokens: Token[], scope: Scope): GradleValue | undefined {
  let expression = tokens;
  const as = expression.findIndex((t, i) => t.kind === 'name' && t.text === 'as' && i > 0);
  if (as > 0) expression = expression.slice(0, as);
  const n = expression.length;
  if (n >= 4 && expression[n - 4].text === '.' && ['toTypedArray', 'toList', 'toMutableList'].includes(expression[n - 3].text) && expression[n - 2].text === '(' && expression[n - 1].text === ')') expression = expression.slice(0, -4);
  if (expression.length === 0) return undefined;
  const [first] = expression;
  if (first.kind === 'punct' && first.text === '[' && matching(expression, 0) === expression.length - 1) return collection(expression.slice(1, -1), scope);
  if (first.kind === 'name' && expression[1]?.text === '(' && matching(expression, 1) === expression.length - 1) {
    const args = expression.slice(2, -1);
    if (['arrayOf', 'listOf', 'mutableListOf', 'setOf', 'arrayListOf'].includes(first.text)) return list(args, scope);
    if (['mapOf', 'mutableMapOf', 'hashMapOf', 'linkedMapOf'].includes(first.text)) return kotlinMap(args, scope);
  }
  return text(expression, scope);
}

/** Groovy's `[a, b]` list or `[k: v, ...]` map (`[:]` the empty map). */
function collection(inside: Token[], scope: Scope): GradleValue | undefined {
  if (inside.length === 1 && inside[0].text === ':') return new Map();
  const items = splitTopLevel(inside, ',');
  if (!items.some((item) => topLevelIndex(item, ':') > 0)) return list(inside, scope);
  const map = new Map<string, string>();
  for (const item of items) {
    const at = topLevelIndex(item, ':');
    if (at <= 0) return undefined;
    const key = item.length === 2 || at === 1 ? (item[0].kind === 'name' ? item[0].text : text(item.slice(0, at), scope)) : undefined;
    const value = text(item.slice(at + 1), scope);
    if (key === undefined || value === undefined) return undefined;
    map.set(key, value);
  }
  return map;
}

function list(inside: Token[], scope: Scope): string[] | undefined {
  const values = splitTopLevel(inside, ',').map((item) => text(item, scope));
  return values.every((value): value is string => value !== undefined) ? values : undefined;
}

/** Kotlin's `mapOf("a" to "b", ...)` entries. */
function kotlinMap(inside: Token[], scope: Scope): Map<string, string> | undefined {
  const map = new Map<string, string>();
  for (const item of splitTopLevel(inside, ',')) {
    const at = item.findIndex((t) => t.kind === 'name' && t.text === 'to');
    const key = at > 0 ? text(item.slice(0, at), scope) : undefined;
    const value = at > 0 ? text(item.slice(at + 1), scope) : undefined;
    if (key === undefined || value === undefined) return undefined;
    map.set(key, value);
  }
  return map;
}

/** A single value as text: operands joined with `+` (string literals, the project's folders, numbers, booleans). */
function text(tokens: Token[], scope: Scope): string | undefined {
  if (tokens.length === 0) return undefined;
  let out = '';
  for (const operand of splitTopLevel(tokens, '+')) {
    const value = operandText(operand, scope);
    if (value === undefined) return undefined;
    out += value;
  }
  return out;
}

function operandText(tokens: Token[], scope: Scope): string | undefined {
  if (tokens.length === 1 && tokens[0].kind === 'string') return stringValue(tokens[0], scope);
  if (tokens.length === 1 && tokens[0].kind === 'name' && /^(\d+(\.\d+)?|true|false)$/.test(tokens[0].text)) return tokens[0].text;
  return folderValue(tokens.map((t) => t.text).join(''), tokens, scope);
}

/**
 * The project's folders as Gradle gives them: `projectDir`, `project.projectDir`, `rootDir`, `rootProject.projectDir`,
 * `buildDir`, `file("x")` / `project.file("x")` (x under the project's folder), optionally `.absolutePath`, `.path`
 * or `.toString()` after them. Undefined for anything else.
 */
function folderValue(written: string, tokens: Token[], scope: Scope): string | undefined {
  const bare = written.replace(/(\.(absolutePath|path|canonicalPath)|\.(toString|getAbsolutePath|getPath)\(\))$/, '');
  const { projectDir, rootDir } = scope;
  const folders: Record<string, string> = {
    projectDir,
    'project.projectDir': projectDir,
    buildDir: path.join(projectDir, 'build'),
    'project.buildDir': path.join(projectDir, 'build'),
    rootDir,
    'project.rootDir': rootDir,
    'rootProject.projectDir': rootDir,
    'rootProject.rootDir': rootDir,
  };
  if (folders[bare] !== undefined) return folders[bare];
  const file = /^(project\.)?file\(/.exec(bare);
  if (file && bare.endsWith(')')) {
    const open = tokens.findIndex((t) => t.text === '(');
    const close = matching(tokens, open);
    const inner = text(tokens.slice(open + 1, close), scope);
    return inner === undefined ? undefined : path.resolve(projectDir, inner);
  }
  return undefined;
}

/** A string literal's value: single-quoted as written (escapes aside), double-quoted with its templates evaluated. */
function stringValue(token: Extract<Token, { kind: 'string' }>, scope: Scope): string | undefined {
  const raw = token.text;
  if (token.quote === '/') return raw.replace(/\\\//g, '/');
  if (token.quote.startsWith("'")) return unescape(raw);
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && !token.quote.startsWith('"""')) {
      out += unescape(raw.slice(i, i + 2));
      i++;
    } else if (c === '$' && raw[i + 1] === '{') {
      const end = templateEnd(raw, i + 1);
      const inner = evaluate(tokenize(raw.slice(i + 2, end), '', scope.kotlin), scope);
      if (typeof inner !== 'string') return undefined;
      out += inner;
      i = end;
    } else if (c === '$' && /[A-Za-z_]/.test(raw[i + 1] ?? '')) {
      // Groovy's `$a.b.c` takes the dotted path; Kotlin's `$a` a single name
      const name = (scope.kotlin ? /^[A-Za-z_]\w*/ : /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*/).exec(raw.slice(i + 1))![0];
      const value = folderValue(name, tokenize(name, '', scope.kotlin), scope);
      if (value === undefined) return undefined;
      out += value;
      i += name.length;
    } else out += c;
  }
  return out;
}

/** The index of the `}` that ends the template whose `{` is at `open`. */
function templateEnd(raw: string, open: number): number {
  let depth = 0;
  for (let i = open; i < raw.length; i++) {
    if (raw[i] === '{') depth++;
    else if (raw[i] === '}' && --depth === 0) return i;
  }
  return raw.length;
}

function unescape(raw: string): string {
  return raw.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

function splitTopLevel(tokens: Token[], separator: string): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'punct' && '{[('.includes(token.text)) depth++;
    if (token.kind === 'punct' && '}])'.includes(token.text)) depth--;
    if (depth === 0 && token.kind === 'punct' && token.text === separator) parts.push([]);
    else if (token.kind !== 'newline') parts[parts.length - 1].push(token);
  }
  return parts.filter((part) => part.length > 0);
}

function topLevelIndex(tokens: Token[], punct: string): number {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind !== 'punct') continue;
    if ('{[('.includes(token.text)) depth++;
    else if ('}])'.includes(token.text)) depth--;
    else if (depth === 0 && token.text === punct) return i;
  }
  return -1;
}

/**
 * Groovy / Kotlin source as tokens: names (also numbers), string literals (`'...'`, `"..."`, `'''...'''`,
 * `"""..."""`, Groovy's slashy `/.../` where an expression starts, their text as written between the quotes),
 * punctuation and newlines; comments are dropped. An unterminated string or comment is an input error at its line.
 */
function tokenize(text: string, file: string, kotlin: boolean): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (c === '\n') {
      tokens.push({ kind: 'newline', text: '\n', line: line++, start: i, end: i + 1 });
      i++;
    } else if (/\s/.test(c)) i++;
    else if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw unterminated(file, line, 'comment');
      line += countLines(text.slice(i, end));
      i = end + 2;
    } else if (c === '"' || c === "'" || (c === '/' && !kotlin && startsExpression(tokens[tokens.length - 1]))) {
      const quote = c !== '/' && text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      const end = stringEnd(text, i + quote.length, quote);
      if (end < 0 && quote === '/') {
        // not a slashy string after all (a division over lines): the operator
        tokens.push({ kind: 'punct', text: c, line, start: i, end: i + 1 });
        i++;
        continue;
      }
      if (end < 0) throw unterminated(file, line, 'string');
      const body = text.slice(i + quote.length, end);
      tokens.push({ kind: 'string', text: body, quote, line, start: i, end: end + quote.length });
      line += countLines(body);
      i = end + quote.length;
    } else if (/[\w$]/.test(c)) {
      const name = /^[\w$]+/.exec(text.slice(i, i + 200))![0];
      tokens.push({ kind: 'name', text: name, line, start: i, end: i + name.length });
      i += name.length;
    } else {
      tokens.push({ kind: 'punct', text: c, line, start: i, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

/** Whether a `/` after `previous` starts a Groovy slashy string (`~/x/`, `= /x/`) rather than dividing. */
function startsExpression(previous: Token | undefined): boolean {
  return previous === undefined || previous.kind === 'newline' || (previous.kind === 'punct' && '=(,[:~!&|?{;+'.includes(previous.text));
}

/** Where the string opened before `from` ends (the index of its closing quote), skipping escapes and `${...}`; -1. */
function stringEnd(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\' && quote.length === 1) i += quote === '/' && text[i + 1] !== '/' ? 0 : 1;
    else if (text[i] === '$' && text[i + 1] === '{' && quote.startsWith('"')) i = templateEnd(text, i + 1);
    else if (text.startsWith(quote, i)) return i;
    else if (text[i] === '\n' && quote.length === 1) return -1;
  }
  return -1;
}

function countLines(text: string): number {
  return text.split('\n').length - 1;
}

function unterminated(file: string, line: number, what: string): InputError {
  return new InputError(`${file}:${line}: unterminated ${what}: the Flyway Gradle plugin reads its settings there`, {
    hint: 'fix the file, or name the migrations folder with --migrations',
    position: { file, line, column: 1 },
  });
}

