/**
 * Flyway's settings as the project's Flyway CLI commands give them (package.json scripts, Makefile, Taskfile and
 * justfile recipes): `flyway -configFiles=sql/flyway.conf -locations=filesystem:sql migrate`. The CLI reads
 * `-<setting>=<value>` arguments over the environment and every config file, and `-configFiles` (`-configFile` before
 * Flyway 6) as config files loaded after the default ones (flyway-commandline CommandLineArguments, Flyway docs
 * "Command-line Parameters" and "Config Files").
 */
import path from 'node:path';
import { parsedSettingsFile, readFlywayConf, type FlywaySetting } from './flyway-settings-files.js';
import { UNKNOWN } from './makefile.js';
import { programCalls } from './project-commands.js';

/** CommandLineArguments: options of the CLI itself, not Flyway settings. */
const CLI_OPTIONS = new Set(['configFiles', 'configFile', 'configFileEncoding', 'workingDirectory', 'jarDirs', 'outputFile', 'outputType', 'color', 'logger', 'environment', 'infoSinceDate', 'infoUntilDate', 'infoSinceVersion', 'infoUntilVersion', 'infoOfState']);

export interface FlywayCommandSettings {
  /** settings of the config files `-configFiles` names: over the default config files, under the environment */
  files: Map<string, FlywaySetting>;
  /** `-<setting>=<value>` arguments: over everything */
  args: Map<string, FlywaySetting>;
  notices: string[];
}

/**
 * The settings the project's `flyway ... migrate` commands give, each when they all give it the same value (a setting
 * they give differently is left out, with a notice naming it). Relative `filesystem:` locations and config files are
 * taken from the folder each command runs in.
 */
export function flywayCommandSettings(root: string, env: Record<string, string | undefined>): FlywayCommandSettings {
  const found = new Map<string, { where: string; files: Map<string, FlywaySetting>; args: Map<string, FlywaySetting> }>();
  const unknown: string[] = [];
  for (const call of programCalls(root, env, 'flyway')) {
    const words = call.args;
    if (!words.some((word) => word.text === 'migrate')) continue;
    const settings = words.filter((word) => /^-[A-Za-z][\w.]*=/.test(word.text));
    if (settings.length === 0) continue;
    const dynamic = settings.find((word) => word.dynamic || word.text.includes(UNKNOWN));
    if (dynamic || call.cwd === undefined) {
      unknown.push(`${call.where} (${dynamic ? dynamic.text.replaceAll(UNKNOWN, '…') : 'after a cd to a folder only the shell knows'})`);
      continue;
    }
    const cwd = call.cwd;
    const fromRoot = (written: string) => path.relative(root, path.resolve(cwd, written)).split(path.sep).join('/') || '.';
    // a filesystem: location is relative to the folder the CLI runs in
    const relocated = (name: string, value: string) =>
      name === 'locations' || name === 'callbackLocations'
        ? value
            .split(',')
            .map((location) => (/^filesystem:/i.test(location.trim()) ? `filesystem:${fromRoot(location.trim().slice('filesystem:'.length))}` : location))
            .join(',')
        : value;
    const files = new Map<string, FlywaySetting>();
    const args = new Map<string, FlywaySetting>();
    for (const word of settings) {
      const at = word.text.indexOf('=');
      const name = word.text.slice(1, at);
      const value = word.text.slice(at + 1);
      if (name === 'configFiles' || name === 'configFile') {
        for (const file of value.split(',').map((f) => f.trim()).filter(Boolean)) {
          const absolute = path.resolve(cwd, file);
          const shown = fromRoot(file);
          for (const [key, written] of parsedSettingsFile(absolute, '', readFlywayConf) ?? []) {
            files.set(key, { value: relocated(key.replace(/^flyway\./, ''), written), source: `${key} in ${shown} (-${name} of ${call.where})` });
          }
        }
        continue;
      }
      if (CLI_OPTIONS.has(name)) continue;
      args.set(`flyway.${name}`, { value: relocated(name, value), source: `-${name} of ${call.where}` });
    }
    const key = JSON.stringify([[...files].map(([k, s]) => [k, s.value]), [...args].map(([k, s]) => [k, s.value])]);
    if (!found.has(key)) found.set(key, { where: call.where, files, args });
  }
  const notices: string[] = [];
  if (unknown.length > 0) notices.push(`flyway: the settings of ${unknown.join(', ')} hold a value only the shell knows: pgdrift did not follow them`);
  const calls = [...found.values()];
  if (calls.length === 0 || unknown.length > 0) return { files: new Map(), args: new Map(), notices };
  // a setting the commands agree on is followed; one they give differently (a dev and a test database) is not
  const differing = new Set<string>();
  const agreed = (pick: (call: (typeof calls)[number]) => Map<string, FlywaySetting>) => {
    const out = new Map<string, FlywaySetting>();
    for (const key of new Set(calls.flatMap((call) => [...pick(call).keys()]))) {
      const values = new Set(calls.map((call) => pick(call).get(key)?.value));
      if (values.size === 1) out.set(key, pick(calls[0]).get(key)!);
      else if (!CONNECTION.has(key)) differing.add(key);
    }
    return out;
  };
  const files = agreed((call) => call.files);
  const args = agreed((call) => call.args);
  if (differing.size > 0) notices.push(`flyway: the project's flyway migrate commands (${calls.map((call) => call.where).join('; ')}) give different values of ${[...differing].join(', ')}: pgdrift followed none of them (set the one to replay in flyway.conf or a FLYWAY_* variable)`);
  return { files, args, notices };
}

/** Where the commands connect: a dev and a test command differ there, which the replay never uses as a setting. */
const CONNECTION = new Set(['flyway.url', 'flyway.user', 'flyway.password']);
