import path from 'node:path';
import { InputError } from '../errors.js';
import type { SinceSnapshot } from './define-rule.js';
import { lazyBuiltin } from '../util/lazy-builtin.js';

const childProcess = lazyBuiltin<typeof import('node:child_process')>('node:child_process');

function git(root: string, args: string[], input?: string): Buffer {
  return childProcess().execFileSync('git', args, { cwd: root, input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The migration files (.sql directly in the folder) as they are on `ref`, read with `git ls-tree` and `git cat-file`. */
export function readMigrationsAtRef(root: string, ref: string, migrationsDir: string): SinceSnapshot {
  const folder = path.relative(root, migrationsDir).split(path.sep).join('/') || '.';
  let prefix: string;
  try {
    prefix = git(root, ['rev-parse', '--show-prefix']).toString('utf8').trim();
    git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch (error) {
    const detail = String((error as { stderr?: unknown } | undefined)?.stderr ?? '').trim();
    throw new InputError(`--since ${ref}: ${detail || 'not a git commit (or not a git repository)'}`, {
      hint: 'pass the base branch of the pull request, e.g. --since origin/main (fetch it first in CI)',
    });
  }
  const listed = git(root, ['ls-tree', '-r', '--name-only', '-z', ref, '--', `${folder}/`])
    .toString('utf8')
    .split('\0')
    .filter((p) => p !== '' && p.toLowerCase().endsWith('.sql') && path.posix.dirname(p) === folder);
  const files = new Map<string, string>();
  if (listed.length === 0) return { ref, folder, files };
  const batch = git(root, ['cat-file', '--batch'], listed.map((p) => `${ref}:${prefix}${p}`).join('\n') + '\n');
  let offset = 0;
  for (const file of listed) {
    const headerEnd = batch.indexOf(0x0a, offset);
    const header = batch.subarray(offset, headerEnd).toString('utf8').split(' ');
    const size = Number(header[2]);
    const body = batch.subarray(headerEnd + 1, headerEnd + 1 + size);
    files.set(file, body.toString('utf8').replace(/^\uFEFF/, ''));
    offset = headerEnd + 1 + size + 1;
  }
  return { ref, folder, files };
}
