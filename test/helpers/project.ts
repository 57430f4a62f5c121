import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
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

/** `tempProject` for one test file: every project it makes is removed after the file's tests. */
export function tempProjects(): (files?: Record<string, string | Buffer>) => ReturnType<typeof tempProject> {
  const made: ReturnType<typeof tempProject>[] = [];
  afterAll(() => {
    for (const p of made) p.cleanup();
  });
  return (files) => {
    const p = tempProject(files);
    made.push(p);
    return p;
  };
}

/** A temporary copy of the bundled sample project (migrations + docs), safe to edit. */
export function copyOfSample(): ReturnType<typeof tempProject> {
  const project = tempProject();
  cpSync(path.join(REPO_ROOT, 'migrations'), path.join(project.root, 'migrations'), { recursive: true });
  cpSync(path.join(REPO_ROOT, 'docs', 'architecture'), path.join(project.root, 'docs', 'architecture'), { recursive: true });
  return project;
}

export const MESSY_HISTORY = path.join(REPO_ROOT, 'test', 'fixtures', 'messy-history');
