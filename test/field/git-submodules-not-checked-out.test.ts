import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { init } from '../../src/commands/init.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field (BackendWorks/nestjs-microservices): each service, with its prisma/migrations, is a git submodule; a clone
 * without --recurse-submodules leaves auth/ and post/ empty. pgdrift said only "no migrations folder found (looked
 * for ...)", which does not tell the user that the migrations are one `git submodule update --init` away.
 */
const project = tempProjects();

const GITMODULES = '[submodule "auth"]\n\tpath = auth\n\turl = https://example.invalid/auth.git\n[submodule "post"]\n\tpath = post\n\turl = https://example.invalid/post.git\n';

async function failure(run: () => Promise<unknown>): Promise<(Error & { hint?: string }) | undefined> {
  return run().then(
    () => undefined,
    (e: Error & { hint?: string }) => e,
  );
}

describe('migrations in git submodules that are not checked out', () => {
  it('names the empty submodules and how to fetch them, for check and init', async () => {
    const { root } = project({ '.gitmodules': GITMODULES, 'README.md': '# services\n' });
    mkdirSync(path.join(root, 'auth'));
    mkdirSync(path.join(root, 'post'));
    for (const run of [() => check({ cwd: root }), () => init({ cwd: root })]) {
      const error = await failure(run);
      expect(error?.message).toContain('auth/, post/ are git submodules (.gitmodules) not checked out here');
      expect(error?.hint).toContain('git submodule update --init');
      expect(error?.hint).toContain('-C auth');
    }
  });

  it('a checked-out submodule is not named', async () => {
    const { root } = project({ '.gitmodules': GITMODULES, 'auth/README.md': '# auth\n', 'README.md': '# services\n' });
    mkdirSync(path.join(root, 'post'));
    const error = await failure(() => check({ cwd: root }));
    expect(error?.message).toContain('post/ is a git submodule');
    expect(error?.message).not.toContain('auth/');
  });

  it('without .gitmodules the usual message stays', async () => {
    const { root } = project({ 'README.md': '# nothing\n' });
    mkdirSync(path.join(root, 'auth'));
    const error = await failure(() => check({ cwd: root }));
    expect(error?.message).toContain('no migrations folder found');
    expect(error?.message).not.toContain('submodule');
  });
});
