import { describe, expect, it } from 'vitest';
import { lint } from '../../src/commands/lint.js';
import { atlasHashFile, atlasSumText } from '../../src/runners/atlas.js';
import { tempProjects } from '../helpers/project.js';

// Helper sweep (formbricks/formbricks: 25 Prisma migration folders without migration.sql; midday-ai/midday: a drizzle
// journal entry without its file): check and dump stop on what the runner refuses about the folder as a whole, but
// `pgdrift lint` exited 0 on it, so a pull request whose CI runs lint alone passed a history its deploy stops on.
const project = tempProjects();

describe('lint reports what the runner refuses about the folder (runner-refuses, an error)', () => {
  it("Prisma's P3015: a migration folder without migration.sql, at that folder", async () => {
    const result = await lint({
      cwd: project({
        'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
        'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n',
        'prisma/migrations/20240102000000_gone/README.md': 'moved\n',
      }).root,
    });
    const refused = result.findings.filter((f) => f.rule === 'runner-refuses');
    expect(refused).toEqual([expect.objectContaining({ file: 'prisma/migrations/20240102000000_gone', line: 1, severity: 'error', message: expect.stringContaining('P3015 Could not find the migration file at migration.sql') })]);
    expect(result.exitCode).toBe(1);
  });

  it('an edited Atlas file: at the atlas.sum line Atlas names', async () => {
    const first = 'CREATE TABLE a (id int PRIMARY KEY);\n';
    const sum = atlasSumText(atlasHashFile([{ name: '20240101000000_a.sql', bytes: Buffer.from(first) }]));
    const result = await lint({ cwd: project({ 'migrations/atlas.sum': sum, 'migrations/20240101000000_a.sql': 'CREATE TABLE a (id bigint PRIMARY KEY);\n' }).root });
    const refused = result.findings.filter((f) => f.rule === 'runner-refuses');
    expect(refused).toEqual([expect.objectContaining({ file: 'migrations/atlas.sum', line: 2, message: expect.stringContaining('20240101000000_a.sql was edited') })]);
  });

  it('two files of one version are one finding (duplicate-number), not a second one for the folder', async () => {
    const result = await lint({ cwd: project({ 'src/main/resources/db/migration/V1__a.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n', 'src/main/resources/db/migration/V1__b.sql': 'CREATE TABLE b (id int PRIMARY KEY);\n' }).root });
    expect(result.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.file}`)).toEqual(['duplicate-number src/main/resources/db/migration/V1__b.sql']);
  });

  it('a folder the runner accepts has no such finding', async () => {
    const result = await lint({ cwd: project({ 'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n', 'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n' }).root });
    expect(result.findings.filter((f) => f.rule === 'runner-refuses')).toEqual([]);
  });
});
