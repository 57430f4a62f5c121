import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { readSqlFile } from '../migrations/discover.js';
import { checkProjectFile } from '../util/project-paths.js';
import { psqlScriptSegments, type PsqlSegment } from './psql-script.js';
import { checkDeployDependencies, parseSqitchPlan, SqitchPlanError, type SqitchChange, type SqitchPlan } from './sqitch-plan.js';
import { findSqitchConf, sqitchSettings, type SqitchSettings } from './sqitch-config.js';
import { byCodeUnits, isDirectory, wholeFile, type IgnoredFile, type Runner } from './types.js';

/** The registry's tables (lib/App/Sqitch/Engine/pg.sql), in the registry schema. */
const REGISTRY_TABLES = ['changes', 'dependencies', 'events', 'projects', 'releases', 'tags'];

/**
 * Sqitch (https://sqitch.org/docs/manual/sqitchtutorial/), its pg engine, read at sqitchers/sqitch@0ab857e.
 * - The plan is the truth (lib/App/Sqitch/Plan.pm, see sqitch-plan.ts): `sqitch deploy` runs the deploy script of
 *   each change in plan order; a script the plan does not name never runs, nor do revert/ and verify/ scripts.
 * - Scripts (lib/App/Sqitch/Plan/Change.pm `deploy_file`, `_path_segments`): `<deploy_dir>/<change name>.<extension>`;
 *   the earlier versions of a reworked change are `<reworked_deploy_dir>/<name>@<tag>.<extension>`, the first of its
 *   rework tags whose file exists. Folders and the plan file come from sqitch.conf (lib/App/Sqitch/Target.pm, see
 *   sqitch-config.ts): `[core]`, `[engine "pg"]` or the target's `top_dir`, `plan_file`, `deploy_dir`...
 * - Running a script (lib/App/Sqitch/Engine/pg.pm `run_file` → `_run`): `psql --file <script>` with `--set
 *   ON_ERROR_STOP=1`, `--set registry=<registry>` and the configured variables, in psql's autocommit mode: each
 *   statement is sent and committed on its own unless the script opens a transaction (the script template
 *   etc/templates/deploy/pg.tmpl is `BEGIN; ... COMMIT;`); the first error stops psql, which ends its connection and
 *   so rolls back a transaction the script left open. Sqitch's own transaction (pg.pm `begin_work`: LOCK TABLE
 *   changes) is on its other connection, to the registry: it does not hold the script's statements.
 * - Each script is its own psql process, a new connection (pg.pm `run_file`): a script's `SET search_path` or `SET
 *   ROLE` does not reach the next script (field: Tamarou/Registry, whose later scripts create their functions in
 *   public once an earlier script's `SET search_path TO registry, public` is gone).
 * - Bookkeeping: the registry schema (`sqitch`, or `registry` in sqitch.conf) in the same database, created by
 *   `sqitch deploy` on first use (Engine/pg.sql: releases, projects, changes, tags, dependencies, events). A
 *   `pg_dump --schema-only` of the database holds it beside the app's schema, so drift ignores its tables (and the
 *   schema, when only one side has it). The scripts do not use it: the replay does not create it.
 */
export const sqitch: Runner = {
  name: 'sqitch',
  docs: 'https://sqitch.org/docs/manual/sqitch-deploy/',
  folders: ['.'],
  discover(folder, options = {}) {
    const root = options.projectRoot ?? path.dirname(folder);
    const settings = sqitchSettings(folder, root, options.env);
    if (settings.engine !== 'pg') {
      return { migrations: [], ignored: [], problems: [], notPostgres: `${shown(root, settings.confFile ?? folder)} sets Sqitch's engine to ${settings.engine ?? '(none)'} (target ${settings.target}), not pg` };
    }
    const plan = readPlan(settings, root);
    const deployed = new Set<string>();
    const migrations = plan.changes.flatMap((change) => {
      const script = deployScript(change, settings);
      if (!existsSync(script.file)) {
        const tried = script.tried.map((file) => shown(root, file)).join(', ');
        throw new InputError(`${shown(root, settings.planFile)}:${change.line}:${change.column}: change "${change.name}" has no deploy script: ${tried} ${script.tried.length > 1 ? 'do' : 'does'} not exist`, {
          hint: change.reworkTags
            ? `a reworked change's earlier script is <name>@<tag>.${settings.extension} (sqitch rework copies it there): restore it, or fix the plan`
            : `sqitch deploy fails at this change (psql cannot open the file): add the script, or fix the change's name in the plan`,
          position: { file: shown(root, settings.planFile), line: change.line, column: change.column },
        });
      }
      // the script, and every file it includes (psql runs those too: not "never deployed")
      const runs = psqlRuns(script.file, settings, root, (file) => deployed.add(path.resolve(file)));
      return runs.map((run, index) => ({
        name: relativeName(folder, run.path),
        plan: {
          parts: [{ startLine: run.startLine, endLine: run.endLine, transaction: 'none' as const, ...(index < runs.length - 1 ? { continued: true } : {}) }],
          ...(run.substitutions.length > 0 ? { substitutions: run.substitutions } : {}),
          ...(run.problem ? { problem: run.problem } : {}),
        },
      }));
    });
    return { migrations, ignored: notDeployed(folder, settings, deployed), problems: [] };
  },
  evidence(listing) {
    const files = listing.files.filter((name) => name === 'sqitch.plan' || name === 'sqitch.conf');
    if (files.length > 0) return { files, what: `Sqitch's ${files.join(' and ')}` };
    // the deploy folder (or a top_dir) of a Sqitch project above: its sqitch.conf names the folder
    const root = listing.root ?? path.dirname(listing.folder);
    const conf = findSqitchConf(path.dirname(listing.folder), root);
    if (!conf) return undefined;
    const settings = sqitchSettings(listing.folder, root, {});
    // its top_dir, or its deploy folder (a --migrations pointed at deploy/): not any folder below the project
    const folder = path.resolve(listing.folder);
    if (folder === settings.topDir || folder === settings.deployDir || folder.startsWith(settings.deployDir + path.sep)) return { files: [path.relative(listing.folder, conf).split(path.sep).join('/')], what: 'inside a Sqitch project (sqitch.conf)' };
    return undefined;
  },
  configuredFolders(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    const conf = options.env?.SQITCH_CONFIG ? path.resolve(root, options.env.SQITCH_CONFIG) : findSqitchConf(folder, root);
    if (!conf && !existsSync(path.join(folder, 'sqitch.plan'))) return undefined;
    const settings = sqitchSettings(folder, root, options.env);
    // another engine's project (field: JasonLamey/IMGames and DikshaTomar101/Multi-RDS, `engine = mysql`) still names
    // its folder, which discovery then refuses by name as not PostgreSQL (discover's notPostgres), instead of the
    // project meeting "no migrations folder found"; used only when no conventional folder exists (folderFromRunnerSettings)
    // the plan's folder: a plan_file outside top_dir still names scripts under deploy_dir
    return { setting: settings.confFile ? `${shown(root, settings.confFile)} (top_dir)` : 'sqitch.plan', folders: [settings.topDir] };
  },
  forProject(folder, options) {
    const root = options.projectRoot ?? path.dirname(folder);
    const settings = sqitchSettings(folder, root, options.env);
    if (settings.engine !== 'pg') return {};
    const notices: string[] = [];
    if (!settings.confFile) notices.push(`no sqitch.conf in ${shown(root, folder)} or above: Sqitch's defaults assumed (engine pg, plan sqitch.plan, scripts in deploy/)`);
    if (settings.defaultEngine) notices.push(`sqitch.conf's default engine is ${settings.defaultEngine}: replaying the pg engine's plan (${shown(root, settings.planFile)})`);
    if (settings.otherTargetPlans.length > 0) {
      notices.push(
        `replaying the plan of Sqitch's default target ${settings.target} (${shown(root, settings.planFile)}); ${settings.otherTargetPlans.map((t) => `target ${t.target} reads ${shown(root, t.planFile)}`).join(', ')}: SQITCH_TARGET=<target> replays a target's plan, as it makes sqitch deploy use that target`,
      );
    }
    const variables = Object.keys(settings.variables);
    if (variables.length > 0) {
      notices.push(`sqitch.conf sets psql variables (${variables.join(', ')}), substituted in the scripts as psql does (:name, :'name', :"name"); a \`sqitch deploy --set\` on the command line is not known to pgdrift`);
    }
    let plan: SqitchPlan | undefined;
    try {
      plan = readPlan(settings, root);
    } catch {
      plan = undefined; // discover reports it, with its place
    }
    const external = plan?.changes.flatMap((change) => change.requires.filter((d) => d.project !== undefined && d.project !== plan!.project).map((d) => `${change.name} requires ${d.text}`)) ?? [];
    if (external.length > 0) {
      notices.push(
        `${shown(root, settings.planFile)} requires changes of other Sqitch projects (${external.slice(0, 3).join('; ')}${external.length > 3 ? `, and ${external.length - 3} more` : ''}): sqitch deploy needs them deployed first in the same database; the replay does not have them unless a baseline file creates their objects`,
      );
    }
    const registry = REGISTRY_TABLES.map((table) => `${settings.registry}.${table}`);
    return { bookkeeping: registry, ...(notices.length > 0 ? { notices } : {}) };
  },
  // each statement on its own, as psql sends them; the script's own BEGIN ... COMMIT holds what it wraps
  plan: (text) => wholeFile(text, 'none'),
  runsWithPsql: 'sqitch runs deploy scripts with psql --file',
  // Engine/pg.pm `run_file` → `_run`: each deploy script is a `psql --file` process of its own, so a new connection:
  // what a script SETs (search_path, role) does not reach the next script. A psql include runs in its includer's
  // session (ExecutionPart `continued`): no reset comes between them.
  sessionBeforeEachFile: ['RESET ALL', 'RESET ROLE', 'SET search_path TO "$user", public'],
  searchPathBeforeEachFile: ['$user', 'public'],
  bookkeeping: REGISTRY_TABLES.map((table) => `sqitch.${table}`),
  lint: {
    // the plan names the scripts: any name it names is the runner's own
    fileNamePattern: /^.+$/,
    example: 'deploy/add_users.sql',
    sequentialVersions: false,
    versionIdentifies: false,
    orderName: 'plan order (sqitch.plan)',
    nameOrderWarning: false,
    transactions: 'sqitch runs each deploy script with psql in autocommit mode: a statement commits on its own unless the script opens a transaction (sqitch add writes BEGIN; ... COMMIT;)',
    outsideTransaction: 'put it in a change of its own whose deploy script has no BEGIN / COMMIT (psql then runs it on its own)',
  },
};

/**
 * What psql runs of a deploy script (psql-script.ts): pg.pm `_psql` passes the configured variables, then
 * `--set ON_ERROR_STOP=1 --set registry=<registry>` (`_client_opts`, so `registry` is always the registry), and
 * Sqitch runs psql in the folder sqitch itself runs in (App::Sqitch `run`, no chdir but `sqitch --chdir`), where it
 * reads ./sqitch.conf (Config.pm `local_file`): `\i` paths start there, `\ir` ones at the including script's folder.
 */
function psqlRuns(script: string, settings: SqitchSettings, root: string, onRead: (file: string) => void): PsqlSegment[] {
  return psqlScriptSegments(script, {
    cwd: settings.base,
    variables: { ...settings.variables, ON_ERROR_STOP: '1', registry: settings.registry },
    runner: 'sqitch runs deploy scripts with psql --file',
    shown: (file) => shown(root, file),
    read(file) {
      const label = shown(root, file);
      const real = checkProjectFile(file, label, root);
      if (!real) throw new InputError(`${label} does not exist`);
      onRead(file);
      return readSqlFile(real, label);
    },
  });
}

/** The plan Sqitch reads for the target; one it refuses is an input error at its line and column. */
function readPlan(settings: SqitchSettings, root: string): SqitchPlan {
  const file = shown(root, settings.planFile);
  if (!existsSync(settings.planFile)) {
    throw new InputError(`Sqitch plan file ${file} does not exist (${settings.planFileSetting})`, {
      hint: 'point plan_file (or top_dir) in sqitch.conf at the plan, or name the folder of sqitch.plan with --migrations',
    });
  }
  try {
    const plan = parseSqitchPlan(readFileSync(settings.planFile, 'utf8'));
    checkDeployDependencies(plan, file);
    return plan;
  } catch (error) {
    if (!(error instanceof SqitchPlanError)) throw error;
    throw new InputError(`${file}:${error.line}:${error.column}: ${error.detail}`, {
      hint: error.hint ?? 'Sqitch refuses a plan it cannot read (its format: https://sqitch.org/docs/manual/sqitchchanges/)',
      position: { file, line: error.line, column: error.column },
    });
  }
}

/** Change.pm `deploy_file`: the script Sqitch runs for a change, and every file it would look at for it. */
function deployScript(change: SqitchChange, settings: SqitchSettings): { file: string; tried: string[] } {
  const segments = change.name.split('/');
  const base = segments.pop()!;
  if (!change.reworkTags) {
    const file = path.join(settings.deployDir, ...segments, `${base}.${settings.extension}`);
    return { file, tried: [file] };
  }
  // Change.pm `_path_segments`: the first `<name>@<tag>` that exists, else the first candidate
  const tried = change.reworkTags.map((tag) => path.join(settings.reworkedDeployDir, ...segments, `${base}@${tag}.${settings.extension}`));
  return { file: tried.find((file) => existsSync(file)) ?? tried[0], tried };
}

/** Scripts the plan does not name (never deployed), and the revert and verify scripts (never run by deploy). */
function notDeployed(folder: string, settings: SqitchSettings, deployed: Set<string>): IgnoredFile[] {
  const ignored: IgnoredFile[] = [];
  const extension = `.${settings.extension}`;
  for (const file of walk(settings.deployDir)) {
    if (!file.endsWith(extension) || deployed.has(file)) continue;
    ignored.push({ name: relativeName(folder, file), reason: 'sqitch.plan names no change with this deploy script: sqitch deploy never runs it' });
  }
  for (const dir of ['revert', 'verify']) {
    for (const file of walk(path.join(settings.topDir, dir))) {
      if (file.endsWith(extension)) ignored.push({ name: relativeName(folder, file), reason: `a ${dir} script: sqitch deploy does not run it`, expected: true });
    }
  }
  return ignored;
}

/** Every file below a folder (change names may hold `/`), absolute, in name order. */
function walk(dir: string): string[] {
  if (!isDirectory(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => byCodeUnits(a.name, b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

function relativeName(folder: string, file: string): string {
  return path.relative(folder, file).split(path.sep).join('/');
}

function shown(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/') || '.';
}

