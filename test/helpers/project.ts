import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './cli.js';

/** A temporary project folder with the given files (path → content); removed by `cleanup()`. */
export function tempProject(files: Record<string, string | Buffer> = {}): { root: string; write: (file: string, content: string | Buffer) => void; cleanup: () => void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-test-'));
  const write = (file: string, content: string | Buffer) => {
    const absolute = path.join(root, file);
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, content);
  };
  for (const [file, content] of Object.entries(files)) write(file, content);
  return { root, write, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A temporary copy of the bundled sample project (migrations + docs), safe to edit. */
export function copyOfSample(): ReturnType<typeof tempProject> {
  const project = tempProject();
  cpSync(path.join(REPO_ROOT, 'migrations'), path.join(project.root, 'migrations'), { recursive: true });
  cpSync(path.join(REPO_ROOT, 'docs', 'architecture'), path.join(project.root, 'docs', 'architecture'), { recursive: true });
  return project;
}

export const MESSY_HISTORY = path.join(REPO_ROOT, 'test', 'fixtures', 'messy-history');
