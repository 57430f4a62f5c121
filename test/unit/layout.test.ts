import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

/** The source layout README's Architecture section describes, held here so a change that breaks it is seen. */
const src = path.join(REPO_ROOT, 'src');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** The module specifiers a TypeScript file imports (static and dynamic), resolved to paths under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*)'(\.[^']+)'/g)].map((match) => match[1]);
  return specifiers.map((specifier) => path.relative(src, path.resolve(path.dirname(file), specifier)));
}

describe('source layout', () => {
  test('src/diff is pure data in, data out: it imports nothing from src/engine', () => {
    const files = sourceFiles(path.join(src, 'diff'));
    expect(files.length).toBeGreaterThan(3);
    const offending = files.flatMap((file) => importsOf(file).filter((target) => target.startsWith(`engine${path.sep}`)).map((target) => `${path.relative(src, file)} → ${target}`));
    expect(offending).toEqual([]);
  });

  test('src/commands holds one file per CLI command, and nothing else', () => {
    const commands = readdirSync(path.join(src, 'cli', 'commands')).filter((name) => name.endsWith('.ts'));
    expect(commands.length).toBeGreaterThanOrEqual(8);
    expect(readdirSync(path.join(src, 'commands')).filter((name) => name.endsWith('.ts')).sort()).toEqual(commands.sort());
  });
});
