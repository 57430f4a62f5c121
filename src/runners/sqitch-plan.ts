/**
 * Sqitch's plan file (sqitch.plan), read as App::Sqitch::Plan `_parse` and `check_changes` read it
 * (sqitchers/sqitch@0ab857e lib/App/Sqitch/Plan.pm; names: Plan.pm `$name_re`; dependencies:
 * lib/App/Sqitch/Plan/Depend.pm `parse`). Pure: text in, changes out; every error names its line and column.
 */

/** A dependency of a change, as written in its `[...]` list (`users`, `!old_users`, `other:users@v1.0`). */
export interface SqitchDependency {
  /** as written */
  text: string;
  conflicts: boolean;
  /** `project:` when written */
  project?: string;
  change?: string;
  tag?: string;
  /** a 40-hex change id */
  id?: string;
  /** 1-based column of the dependency in its line */
  column: number;
}

export interface SqitchTag {
  name: string;
  /** 1-based line of its `@tag` line */
  line: number;
}

export interface SqitchChange {
  name: string;
  /** 1-based line of the change in the plan */
  line: number;
  /** 1-based column of its name */
  column: number;
  requires: SqitchDependency[];
  conflicts: SqitchDependency[];
  /** the tags declared right after it (`@v1.0` lines), in plan order */
  tags: SqitchTag[];
  /**
   * Set when the same name is planned again after a tag (a reworked change): the tags its earlier script may carry
   * in its file name (`deploy/<name>@<tag>.sql`), in the order Sqitch tries them (Plan.pm `_parse`: the tags of the
   * changes after it, latest first, then its own; Change.pm `_path_segments`: the first that exists).
   */
  reworkTags?: string[];
}

export interface SqitchPlan {
  project: string;
  uri?: string;
  /** every `%name=value` pragma as written (`syntax-version`, `project`, `uri`, others) */
  pragmas: Record<string, string>;
  /** in plan order: the order `sqitch deploy` runs them */
  changes: SqitchChange[];
}

/** A plan Sqitch refuses to read, at a place in it. */
export class SqitchPlanError extends Error {
  constructor(
    readonly detail: string,
    readonly line: number,
    readonly column: number,
    readonly hint?: string,
  ) {
    super(detail);
  }
}

// Plan.pm: `my $punct = q{-!"#$%&'()*+,./:;<=>?@[\\]^`{|}~};` (like [:punct:] without `_`)
const PUNCT = String.raw`\-!"#$%&'()*+,./:;<=>?@\[\\\]^` + '`{|}~';
const WORD = String.raw`[\p{L}\p{N}\p{M}_]`;
/**
 * Plan.pm `$name_re`: the first character is not punctuation; no blank, `:`, `@`, `#` or `\`; no `~`, `/`, `=`, `%`,
 * `^`, `[` or `]` followed only by digits; the last character is not punctuation and ends a word (Perl's `\b`).
 */
const NAME = String.raw`(?![${PUNCT}])(?:(?![~/=%^\[\]]\d+(?:$|[ \t]))[^ \t:@#\\])+(?<![${PUNCT}])(?<=${WORD})(?!${WORD})`;
const TIMESTAMP = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z`;
/**
 * The plan's patterns, built on first use: their Unicode classes cost ~3 ms to construct, which every pgdrift command
 * paid at start-up when they were module constants (the CLI bundle loads every runner).
 */
let built: { NAME_ONLY: RegExp; TIMESTAMP_ANYWHERE: RegExp; ENTRY: RegExp; PRAGMA: RegExp; DEPENDENCY: RegExp } | undefined;
function patterns() {
  return (built ??= {
    NAME_ONLY: new RegExp(`^${NAME}$`, 'u'),
    TIMESTAMP_ANYWHERE: new RegExp(TIMESTAMP),
    // Plan.pm: the change or tag line, after its note (`# ...`) is cut off
    ENTRY: new RegExp(
      String.raw`^[ \t]*(?:@|[ \t]*[+-][ \t]*)?(?<name>${NAME})(?:[ \t]+)?(?:\[(?<dependencies>[^\]]+)\][ \t]*)?(?:(?<timestamp>${TIMESTAMP})[ \t]*)?(?:(?<planner>[^<]+)[ \t]+<[^>]+>)?$`,
      'u',
    ),
    // Plan.pm: `%name` or `%name = value`
    PRAGMA: new RegExp(String.raw`^[ \t]*%[ \t]*(?<name>[^${PUNCT}](?:[^ \t=]*?[^${PUNCT} \t])?)(?:[ \t]*=[ \t]*(?<value>.+))?$`, 'u'),
    // Depend.pm `parse`
    DEPENDENCY: new RegExp(String.raw`^(?<conflicts>!?)(?:(?<project>${NAME}):)?(?:(?<id>[0-9a-f]{40})|(?<change>${NAME})(?:@(?<tag>${NAME}))?|(?:@(?<tag2>${NAME}))?)$`, 'u'),
  });
}
const BLANK_OR_COMMENT = /^[ \t]*(?:#[ \t]*(?<note>.+)|$)/;
const RESERVED = new Set(['ROOT', 'HEAD']);

const INVALID_NAME =
  'Invalid name; names must not begin with punctuation, contain "@", ":", "#", "\\", "[", "]", or blanks, or end in punctuation or digits following punctuation';

/** Reads a plan as Sqitch does; throws SqitchPlanError (1-based line and column) where Sqitch would refuse it. */
export function parseSqitchPlan(text: string): SqitchPlan {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const pragmas: Record<string, string> = {};
  let index = 0;

  // The header: pragmas and comment lines, up to the first blank line (Plan.pm `HEADER:` loop).
  for (; index < lines.length; index++) {
    const line = lines[index];
    const blank = BLANK_OR_COMMENT.exec(line);
    if (blank) {
      if (!blank.groups?.note) {
        index++;
        break;
      }
      continue;
    }
    const match = patterns().PRAGMA.exec(stripNote(line));
    if (!match?.groups) throw new SqitchPlanError('Invalid pragma; a blank line must come between pragmas and changes', index + 1, 1);
    const { name, value } = match.groups;
    if (name === 'project' && !patterns().NAME_ONLY.test(value ?? '')) {
      throw new SqitchPlanError(
        `invalid project name "${value ?? ''}": project names must not begin with punctuation, contain "@", ":", "#", "\\", "[", "]", or blanks, or end in punctuation or digits following punctuation`,
        index + 1,
        line.indexOf('%') + 1,
      );
    }
    pragmas[name] = value ?? '1';
  }
  const project = pragmas.project;
  if (!project) throw new SqitchPlanError('Missing %project pragma', 1, 1, 'the plan starts with pragmas, then a blank line: %syntax-version=1.0.0 and %project=<name> (sqitch init writes them)');

  const changes: SqitchChange[] = [];
  /** the changes since the last tag, checked at each tag (Plan.pm `@curr_changes`) */
  let section: SqitchChange[] = [];
  /** changes and `@tags` of the sections already checked, with their line (Plan.pm `%line_no_for`) */
  const seen = new Map<string, number>();
  /** the changes of the current section by name, with their line (Plan.pm `%tag_changes`) */
  let sectionNames = new Map<string, number>();
  const byName = new Map<string, SqitchChange>();

  for (; index < lines.length; index++) {
    const lineNumber = index + 1;
    const raw = lines[index];
    if (BLANK_OR_COMMENT.test(raw)) continue;
    const line = stripNote(raw);
    const isTag = /^[ \t]*@/.test(line);
    const match = patterns().ENTRY.exec(line)?.groups;
    const nameColumn = firstNonBlank(line) + (isTag || /^[ \t]*[+-]/.test(line) ? 2 : 1);
    const fail = (message: string, column = nameColumn, hint?: string): never => {
      throw new SqitchPlanError(message, lineNumber, column, hint);
    };
    if (!match?.name || (!match.timestamp && patterns().TIMESTAMP_ANYWHERE.test(line))) fail(INVALID_NAME);
    const { name, dependencies, timestamp, planner } = match!;
    const entry = `${isTag ? 'tag' : 'change'} line: <name> ${isTag ? '' : '[<dependencies>] '}<YYYY-MM-DDTHH:MM:SSZ> <planner name> <<planner email>> # <note>`;
    if (!timestamp && !planner) fail('Missing timestamp and planner name and email', nameColumn, `a ${entry}`);
    if (!timestamp) fail('Missing timestamp', nameColumn, `a ${entry}`);
    if (!planner) fail('Missing planner name and email', nameColumn, `a ${entry}`);
    if (RESERVED.has(name)) fail(`"${isTag ? '@' : ''}${name}" is a reserved name`);
    if (/^[0-9a-f]{40}/.test(name)) fail(`"${name}" is invalid because it could be confused with a SHA1 ID`);

    if (isTag) {
      if (name.includes('/')) fail(`Tag "${name}" contains illegal character /`);
      const previous = changes.length + section.length > 0 ? (section[section.length - 1] ?? changes[changes.length - 1]) : undefined;
      if (!previous) fail(`Tag "${name}" declared without a preceding change`);
      const earlier = seen.get(`@${name}`);
      if (earlier !== undefined) fail(`Tag "${name}" duplicates earlier declaration on line ${earlier}`);
      if (dependencies) fail('Tags may not specify dependencies', line.indexOf('[') + 1);
      if (section.length > 0) {
        checkChanges(project, seen, section);
        changes.push(...section);
        section = [];
      }
      previous!.tags.push({ name, line: lineNumber });
      for (const [change, at] of sectionNames) seen.set(change, at);
      seen.set(`@${name}`, lineNumber);
      sectionNames = new Map();
      continue;
    }

    const duplicate = sectionNames.get(name);
    if (duplicate !== undefined) {
      fail(`Change "${name}" duplicates earlier declaration on line ${duplicate}`, nameColumn, 'a change is planned again (reworked) only after a tag: sqitch rework <change> after sqitch tag');
    }
    const requires: SqitchDependency[] = [];
    const conflicts: SqitchDependency[] = [];
    if (dependencies) {
      const listStart = line.indexOf('[') + 1;
      const written = new Set<string>();
      for (const word of dependencies.matchAll(/[^ \t]+/g)) {
        const column = listStart + word.index! + 1;
        const dependency = parseDependency(word[0], column);
        if (!dependency) fail(`"${word[0]}" is not a valid dependency specification`, column, 'a dependency is [!][<project>:]<change>[@<tag>], [!][<project>:]@<tag> or a change id');
        if (written.has(word[0])) fail(`Duplicate dependency "${word[0]}"`, column);
        written.add(word[0]);
        (dependency!.conflicts ? conflicts : requires).push(dependency!);
      }
    }
    const change: SqitchChange = { name, line: lineNumber, column: nameColumn, requires, conflicts, tags: [] };
    sectionNames.set(name, lineNumber);
    section.push(change);
    const reworked = byName.get(name);
    if (reworked) {
      // Plan.pm: the tags of the changes between (latest first), then the reworked change's own
      const between = changes.slice(changes.indexOf(reworked) + 1).reverse();
      reworked.reworkTags = [...between.flatMap((c) => c.tags.map((t) => t.name)), ...reworked.tags.map((t) => t.name), ...(reworked.reworkTags ?? [])];
    }
    byName.set(name, change);
  }
  if (section.length > 0) {
    checkChanges(project, seen, section);
    changes.push(...section);
  }
  return { project, ...(pragmas.uri ? { uri: pragmas.uri } : {}), pragmas, changes };
}

/** Plan.pm: an inline note (`# ...`) and the blanks before it are not part of the entry. */
function stripNote(line: string): string {
  const hash = line.indexOf('#');
  return (hash === -1 ? line : line.slice(0, hash)).replace(/[ \t]+$/, '');
}

function firstNonBlank(line: string): number {
  const match = /[^ \t]/.exec(line);
  return match ? match.index : 0;
}

/** Depend.pm `parse`: `[!][project:]change[@tag]`, `[!][project:]@tag` or `[!][project:]<40-hex id>`. */
export function parseDependency(text: string, column = 1): SqitchDependency | undefined {
  const match = patterns().DEPENDENCY.exec(text)?.groups;
  if (!match) return undefined;
  const tag = match.tag ?? match.tag2;
  if (!match.id && !match.change && !tag) return undefined;
  return {
    text,
    conflicts: match.conflicts === '!',
    column,
    ...(match.project ? { project: match.project } : {}),
    ...(match.id ? { id: match.id } : {}),
    ...(match.change ? { change: match.change } : {}),
    ...(tag ? { tag } : {}),
  };
}

/** `change@tag`, `change` or `@tag`: how Sqitch names a dependency's target in its plan (Depend.pm `key_name`). */
export function dependencyKey(dependency: SqitchDependency): string {
  return `${dependency.change ?? ''}${dependency.tag ? `@${dependency.tag}` : ''}` || (dependency.id ?? '');
}

/**
 * Plan.pm `check_changes`: each change of a section (the changes up to a tag) must require only changes planned
 * before it: in an earlier section, or earlier in its own. Requirements of other projects and change ids are not
 * checked; conflicts neither (Sqitch: "XXX Ignoring conflicts for now").
 */
function checkChanges(project: string, seen: Map<string, number>, section: SqitchChange[]): void {
  const position = new Map<string, number>();
  const bad: { change: SqitchChange; dependency: SqitchDependency }[] = [];
  section.forEach((change, i) => {
    for (const dependency of change.requires) {
      if (dependency.project !== undefined ? dependency.project !== project : dependency.id !== undefined) continue;
      const key = dependencyKey(dependency);
      if (dependency.change !== undefined && dependency.tag !== undefined) {
        const tagAt = seen.get(`@${dependency.tag}`);
        const changeAt = seen.get(dependency.change);
        if (tagAt !== undefined && changeAt !== undefined && changeAt < tagAt) continue;
      } else if (seen.has(key) || position.has(key)) continue;
      bad.push({ change, dependency });
    }
    position.set(change.name, i + 1);
  });
  if (bad.length === 0) return;
  const errors = bad.map(({ change, dependency }) => {
    const key = dependencyKey(dependency);
    const at = position.get(key);
    if (key === change.name) return { change, dependency, message: `Change "${change.name}" cannot require itself` };
    if (at === undefined) return { change, dependency, message: `Unknown change "${key}" required by change "${change.name}"` };
    const delta = at - position.get(change.name)!;
    return { change, dependency, message: `Change "${change.name}" planned ${delta} change${delta === 1 ? '' : 's'} before required change "${key}"`, moveDown: delta };
  });
  const [first, ...others] = errors;
  const also = others.map((e) => `line ${e.change.line}: ${e.message}`);
  throw new SqitchPlanError(
    `Dependency error: ${first.message}${also.length > 0 ? ` (and ${also.join('; ')})` : ''}`,
    first.change.line,
    first.dependency.column,
    'moveDown' in first && first.moveDown ? `move "${first.change.name}" down ${first.moveDown} line${first.moveDown === 1 ? '' : 's'} in the plan` : 'a change may require only changes planned before it (or, with @tag, before that tag)',
  );
}

/**
 * Engine.pm `check_deploy_dependencies` (sqitchers/sqitch@0ab857e; the same in Debian's sqitch 1.3.1), which
 * `sqitch deploy` runs over every change to deploy before it deploys any: a conflict (`!name`) of this project is
 * looked up in the plan (Depend.pm `id` → Plan.pm `find`), and one that names no planned change stops the deploy
 * ("Unable to find change ... in plan"), as does a conflict with a change deployed before it in the same run (on a new
 * database: planned before it). A conflict with a later change, or with another project's change, stands until that
 * change is in the database, which it is not on a new one. Requirements are checked by `checkChanges` when the plan
 * is read. Throws SqitchPlanError at the dependency's line and column.
 */
export function checkDeployDependencies(plan: SqitchPlan, planFile: string): void {
  const byName = new Map<string, number[]>();
  const tagAt = new Map<string, number>();
  plan.changes.forEach((change, i) => {
    byName.set(change.name, [...(byName.get(change.name) ?? []), i]);
    for (const tag of change.tags) tagAt.set(tag.name, i);
  });
  plan.changes.forEach((change, i) => {
    for (const dependency of change.conflicts) {
      // Depend.pm `project`: another project's, or a change id (external unless planned here: pgdrift does not
      // compute ids), is looked up in the database only
      if ((dependency.project !== undefined && dependency.project !== plan.project) || dependency.id !== undefined) continue;
      if (dependency.tag !== undefined && RESERVED.has(dependency.tag)) continue; // @HEAD / @ROOT: symbolic
      const key = dependencyKey(dependency);
      const fail = (message: string): never => {
        throw new SqitchPlanError(
          message,
          change.line,
          dependency.column,
          'sqitch deploy checks the conflicts of every change before it deploys any (Engine.pm check_deploy_dependencies), and deploys nothing: fix the dependency in the plan',
        );
      };
      let at: number | undefined;
      if (dependency.change === undefined) at = tagAt.get(dependency.tag!);
      else if (dependency.tag === undefined) at = byName.get(dependency.change)?.[0];
      else {
        // ChangeList.pm `_index_of`: the change as of the tag, its last instance planned at or before it
        const tagIndex = tagAt.get(dependency.tag);
        if (tagIndex === undefined) fail(`Unknown tag "@${dependency.tag}"`);
        at = byName.get(dependency.change)?.filter((index) => index <= tagIndex!).pop();
      }
      if (at === undefined) fail(`Unable to find change "${key}" in plan ${planFile}`);
      if (at! < i) fail(`Conflicts with previously deployed change: ${dependency.text.replace(/^!/, '')} (change "${change.name}" conflicts with "${key}", planned before it)`);
    }
  });
}
