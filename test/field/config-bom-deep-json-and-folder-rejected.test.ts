import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { InputError } from '../../src/errors.js';
import { tempProject } from '../helpers/project.js';

/**
 * Field defects (issue 12 items 6): a config starting with a UTF-8 BOM was rejected as invalid JSON; a deeply
 * nested config crashed the parser (exit 4, internal error); a config that is a folder was an internal error.
 */
let project: ReturnType<typeof tempProject> | undefined;
afterEach(() => project?.cleanup());

it('a UTF-8 byte order mark before the JSON is accepted', () => {
  project = tempProject();
  writeFileSync(path.join(project.root, 'pgdrift.config.json'), `\uFEFF{"migrations": "db"}`);
  expect(loadConfig(project.root).config.migrations).toBe('db');
});

it('JSON nested 100,000 levels deep is an input error, not a stack overflow', () => {
  project = tempProject();
  writeFileSync(path.join(project.root, 'pgdrift.config.json'), `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
  expect(() => loadConfig(project!.root)).toThrow(InputError);
  expect(() => loadConfig(project!.root)).toThrow(/nested 100000 levels deep \(at most 64\)/);
});

it('pgdrift.config.json that is a folder is an input error naming it', () => {
  project = tempProject();
  mkdirSync(path.join(project.root, 'pgdrift.config.json'));
  expect(() => loadConfig(project!.root)).toThrow(/pgdrift\.config\.json is a folder, not a file/);
});
