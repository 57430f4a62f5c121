import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError, osFault } from '../errors.js';

/**
 * Files a pull request controls (migrations, baselines, snapshots, the config, templates, the lint baseline)
 * must be regular files inside the project. A symbolic link could otherwise make pgdrift read and echo any file
 * the CI job can read (`/proc/self/environ` holds the job's secrets). These checks run before a byte is read.
 */

/** Pseudo file systems never read, with or without --allow-outside-project. */
const SYSTEM_FOLDERS = ['/proc', '/sys', '/dev'];

export const ALLOW_OUTSIDE_ENV = 'PGDRIFT_ALLOW_OUTSIDE_PROJECT';
export const ALLOW_OUTSIDE_FLAG = '--allow-outside-project';

/** Whether paths may leave the project: the option, else env PGDRIFT_ALLOW_OUTSIDE_PROJECT=1 (set by the CLI flag). */
export function outsideProjectAllowed(option?: boolean): boolean {
  return option ?? (process.env[ALLOW_OUTSIDE_ENV] === '1' || process.env[ALLOW_OUTSIDE_ENV] === 'true');
}

function isInside(folder: string, target: string): boolean {
  const relative = path.relative(folder, target);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

function inSystemFolder(target: string): string | undefined {
  return SYSTEM_FOLDERS.find((folder) => target === folder || target.startsWith(`${folder}/`));
}

/** The project root's real path (once per root and process, like realFolder: checkProjectFile asks for every file). */
function realRoot(root: string): string {
  try {
    return realFolder(root);
  } catch {
    return path.resolve(root);
  }
}

/**
 * A path from the config (or another file of the project), resolved against the root: it must stay inside the
 * project unless outside paths are allowed. `what` names the setting, e.g. `"snapshot" in pgdrift.config.json`.
 */
export function resolveInsideProject(root: string, configured: string, what: string, allowOutside = outsideProjectAllowed()): string {
  const absolute = path.resolve(root, configured);
  const system = inSystemFolder(absolute);
  if (system) throw new InputError(`${what} points into ${system}: ${configured}`, { hint: 'pgdrift reads only regular files of the project' });
  if (!allowOutside && !isInside(path.resolve(root), absolute)) {
    throw new InputError(`${what} leaves the project folder: ${configured}`, {
      hint: `paths in the config are relative to ${root} and stay inside it; pass ${ALLOW_OUTSIDE_FLAG} (or set ${ALLOW_OUTSIDE_ENV}=1) if that is intended`,
    });
  }
  return absolute;
}

/**
 * Checks that `absolute` is a regular file whose real location (all symbolic links followed) is inside the
 * project and not in /proc, /sys or /dev. Returns the real path to read; throws an InputError naming `label`
 * without reading anything. A missing file is left to the caller (returns undefined).
 */
export function checkProjectFile(absolute: string, label: string, root: string, allowOutside = outsideProjectAllowed()): string | undefined {
  let link;
  try {
    link = lstatSync(absolute);
  } catch (error: any) {
    if (error?.code === 'ENOENT') return undefined;
    throw osFault(error, label, 'read');
  }
  // A regular file (not a link) is where its folder really is: one realpath per folder instead of one per file, and
  // no stat below (two of the three system calls of each of a history's files).
  const regular = link.isFile();
  let real: string;
  try {
    // the native call is one realpath(3); the JS one lstats every path component (~35 µs a file, 1,000 files)
    real = regular ? path.join(realFolder(path.dirname(absolute)), path.basename(absolute)) : realpathSync.native(absolute);
  } catch (error: any) {
    if (error?.code === 'ENOENT' || error?.code === 'ELOOP') {
      throw new InputError(`${label} is a symbolic link to nothing (${error.code})`, { hint: 'commit the file itself, not a link' });
    }
    throw osFault(error, label, 'read');
  }
  const system = inSystemFolder(real);
  if (system) {
    throw new InputError(`${label} ${regular ? 'is a file in' : 'is a symbolic link into'} ${system}; refusing to read it`, {
      hint: 'a migration, baseline, snapshot or config must be a regular file of the project',
    });
  }
  if (!allowOutside && !isInside(realRoot(root), real)) {
    throw new InputError(`${label} ${link.isSymbolicLink() ? 'is a symbolic link' : 'resolves'} to a file outside the project; refusing to read it`, {
      hint: `commit the file itself inside the project, or pass ${ALLOW_OUTSIDE_FLAG} if the link is intended`,
    });
  }
  if (regular) return real;
  let stat;
  try {
    stat = statSync(real);
  } catch (error) {
    throw osFault(error, label, 'read');
  }
  if (stat.isDirectory()) throw new InputError(`${label} is a folder, not a file`);
  if (!stat.isFile()) throw new InputError(`${label} is not a regular file (a device, pipe or socket); refusing to read it`);
  return real;
}

const realFolders = new Map<string, string>();

/** The real path of a folder, once per folder and process. */
function realFolder(folder: string): string {
  let real = realFolders.get(folder);
  if (real === undefined) {
    real = realpathSync.native(folder);
    realFolders.set(folder, real);
  }
  return real;
}

/** Reads a project file after checkProjectFile; a missing file is an InputError naming `label`. */
export function readProjectFile(absolute: string, label: string, root: string, allowOutside?: boolean): Buffer {
  const real = checkProjectFile(absolute, label, root, allowOutside);
  if (!real) throw new InputError(`${label}: no such file`);
  try {
    return readFileSync(real);
  } catch (error) {
    throw osFault(error, label, 'read');
  }
}
