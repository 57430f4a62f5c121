import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { foldersUpTo } from './types.js';

/**
 * sqitch.conf, the project's Sqitch configuration (git-config syntax, read by Config::GitLike:
 * `[section "subsection"]`, `key = value`, `#` and `;` comments, quoted values). Keys are returned as Sqitch names
 * them: `core.engine`, `engine.pg.top_dir`, `target.prod.plan_file` (section and key lower-cased).
 */
export function parseSqitchConf(text: string): Map<string, string> {
  const values = new Map<string, string>();
  let section = '';
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    // a backslash at the end of a line continues the value on the next one
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i];
    const header = /^\s*\[\s*([^\]\s"]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    if (header) {
      const [name, sub] = [header[1], header[2]];
      // the old `[section.subsection]` form keeps the subsection lower-cased, like git
      section = sub !== undefined ? `${name.toLowerCase()}.${sub.replace(/\\(.)/g, '$1')}` : name.toLowerCase();
      line = line.slice(header[0].length);
    }
    const entry = /^\s*([A-Za-z][\w-]*)\s*(?:=(.*))?$/.exec(line);
    if (!entry || !section) continue;
    values.set(`${section}.${entry[1].toLowerCase()}`, entry[2] === undefined ? 'true' : configValue(entry[2]));
  }
  return values;
}

/** A value without its comment, its quotes and its escapes (git-config rules). */
function configValue(raw: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\\' && i + 1 < raw.length) {
      const next = raw[++i];
      out += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'b' ? '\b' : next;
    } else if ((c === '#' || c === ';') && !quoted) break;
    else out += c;
  }
  return out.trim();
}

/** The project's Sqitch settings for its PostgreSQL target, resolved as lib/App/Sqitch/Target.pm resolves them. */
export interface SqitchSettings {
  /** the sqitch.conf read, absolute (undefined: none found, Sqitch's defaults) */
  confFile?: string;
  /** the folder sqitch runs in: sqitch.conf's (Config.pm `local_file`: ./sqitch.conf) */
  base: string;
  /** the target's name, or its URI when it has none */
  target: string;
  /** the engine of the target (`pg` for PostgreSQL) */
  engine?: string;
  /** absolute paths */
  topDir: string;
  planFile: string;
  deployDir: string;
  reworkedDeployDir: string;
  extension: string;
  registry: string;
  /** psql variables from `[core "variables"]`, `[deploy "variables"]`, `[engine "pg.variables"]`, `[target "<name>.variables"]` */
  variables: Record<string, string>;
  /** which setting decided the plan file, for messages (`sqitch.conf [engine "pg"] plan_file`) */
  planFileSetting: string;
  /** the other targets' plan files (a target-specific plan: `sqitch deploy <target>` would read that one) */
  otherTargetPlans: { target: string; planFile: string }[];
  /** the default engine is another one, and the pg engine's settings are used (a multi-engine project) */
  defaultEngine?: string;
}

/** The nearest sqitch.conf from `folder` up to the project root, or undefined. */
export function findSqitchConf(folder: string, root: string): string | undefined {
  return foldersUpTo(folder, root)
    .map((dir) => path.join(dir, 'sqitch.conf'))
    .find((file) => existsSync(file));
}

/** Sqitch's URI engine names (URI::db): `db:pg:`, `db:postgres:`, `db:postgresql:` are the pg engine. */
function engineOfUri(uri: string): string | undefined {
  const engine = /^db:([^:]+):/i.exec(uri)?.[1]?.toLowerCase();
  return engine === 'postgres' || engine === 'postgresql' || engine === 'pgsql' ? 'pg' : engine;
}

/**
 * Target.pm: the target is SQITCH_TARGET, else `core.target`, else `engine.<core.engine>.target`, else
 * `db:<core.engine>:`; a name without `:` is a `[target "<name>"]` whose `uri` names the engine. Every other setting
 * is `target.<name>.<key>`, else `engine.<engine>.<key>`, else `core.<key>` (Target.pm `_fetch`); paths are relative
 * to the folder sqitch runs in. Defaults: top_dir `.`, plan_file `<top_dir>/sqitch.plan`, deploy_dir
 * `<top_dir>/deploy`, reworked_deploy_dir `<reworked_dir (top_dir)>/<deploy_dir setting or deploy>`, extension `sql`,
 * registry `sqitch` (Engine.pm `default_registry`).
 */
export function sqitchSettings(folder: string, root: string, env: Record<string, string | undefined> = process.env): SqitchSettings {
  const confFile = env.SQITCH_CONFIG ? path.resolve(root, env.SQITCH_CONFIG) : findSqitchConf(folder, root);
  const conf = confFile && existsSync(confFile) ? parseSqitchConf(readFileSync(confFile, 'utf8')) : new Map<string, string>();
  const base = confFile ? path.dirname(confFile) : folder;
  const coreEngine = conf.get('core.engine')?.trim();
  let target = env.SQITCH_TARGET || conf.get('core.target') || (coreEngine ? conf.get(`engine.${coreEngine}.target`) || `db:${coreEngine}:` : 'db:pg:');
  let uri = target.includes(':') ? target : conf.get(`target.${target}.uri`) ?? '';
  let engine = engineOfUri(uri) ?? coreEngine;
  let defaultEngine: string | undefined;
  // a multi-engine project whose default engine is another one: its pg engine (sqitch-configuration.pod "Engine Configuration")
  if (engine !== 'pg' && [...conf.keys()].some((key) => key.startsWith('engine.pg.'))) {
    defaultEngine = engine;
    target = conf.get('engine.pg.target') || 'db:pg:';
    uri = target.includes(':') ? target : conf.get(`target.${target}.uri`) ?? '';
    engine = engineOfUri(uri) ?? 'pg';
  }
  const fetchFor = (name: string) => (key: string): { value: string; setting: string } | undefined => {
    for (const [full, shown] of [
      [`target.${name}.${key}`, `[target "${name}"] ${key}`],
      [`engine.${engine}.${key}`, `[engine "${engine}"] ${key}`],
      [`core.${key}`, `[core] ${key}`],
    ]) {
      const value = conf.get(full);
      if (value) return { value, setting: `sqitch.conf ${shown}` };
    }
    return undefined;
  };
  const fetch = fetchFor(target);
  const resolve = (p: string) => path.resolve(base, p);
  const topDir = resolve(fetch('top_dir')?.value ?? '.');
  const planSetting = fetch('plan_file');
  const planFile = planSetting ? resolve(planSetting.value) : path.join(topDir, 'sqitch.plan');
  const deploySetting = fetch('deploy_dir')?.value;
  const reworkedDir = fetch('reworked_dir')?.value;
  const reworkedDeploy = fetch('reworked_deploy_dir')?.value;
  const variables: Record<string, string> = {};
  // Command/deploy.pm `_collect_vars`: core.variables, deploy.variables, then the target's (Target.pm `variables`:
  // the engine's, then the target's own), later ones winning; `sqitch deploy --set` is not known here
  for (const prefix of ['core.variables.', 'deploy.variables.', `engine.${engine}.variables.`, `target.${target}.variables.`]) {
    for (const [key, value] of conf) if (key.startsWith(prefix)) variables[key.slice(prefix.length)] = value;
  }
  const otherTargetPlans: { target: string; planFile: string }[] = [];
  for (const key of conf.keys()) {
    const other = /^target\.(.+)\.uri$/.exec(key)?.[1];
    if (other === undefined || other === target || engineOfUri(conf.get(key)!) !== 'pg') continue;
    const fetchOther = fetchFor(other);
    const otherPlan = fetchOther('plan_file')?.value;
    const otherTop = resolve(fetchOther('top_dir')?.value ?? '.');
    const file = otherPlan ? resolve(otherPlan) : path.join(otherTop, 'sqitch.plan');
    if (file !== planFile) otherTargetPlans.push({ target: other, planFile: file });
  }
  return {
    ...(confFile ? { confFile } : {}),
    base,
    target,
    ...(engine ? { engine } : {}),
    topDir,
    planFile,
    deployDir: deploySetting ? resolve(deploySetting) : path.join(topDir, 'deploy'),
    reworkedDeployDir: reworkedDeploy ? resolve(reworkedDeploy) : path.join(reworkedDir ? resolve(reworkedDir) : topDir, deploySetting ?? 'deploy'),
    extension: fetch('extension')?.value ?? 'sql',
    registry: fetch('registry')?.value ?? 'sqitch',
    variables,
    planFileSetting: planSetting?.setting ?? (fetch('top_dir') ? `${fetch('top_dir')!.setting}/sqitch.plan` : 'sqitch.plan (Sqitch\'s default)'),
    otherTargetPlans,
    ...(defaultEngine ? { defaultEngine } : {}),
  };
}
