import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { InputError } from '../../src/errors.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Sweep of Prisma projects (sweep-prisma-drizzle): Prisma's baselining guide writes the `0_init` baseline with
 * `npx prisma migrate diff --from-empty --to-schema-datamodel prisma/schema.prisma --script >
 * prisma/migrations/0_init/migration.sql`; in Windows PowerShell that `>` writes UTF-16LE with a byte order mark.
 * pgdrift said "the file is not valid UTF-8" with the hint `iconv -f latin1 -t utf-8`, which turns the file into
 * Latin-1 noise with NUL bytes. It now says the file is UTF-16 and how to re-save it.
 */
const project = tempProjects();

describe('a migration saved as UTF-16', () => {
  it('is said to be UTF-16, with a hint that converts it', async () => {
    const p = project({
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'prisma/migrations/0_init/migration.sql': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('-- CreateTable\nCREATE TABLE "User" ("id" SERIAL PRIMARY KEY);\n', 'utf16le')]),
      'prisma/migrations/20240101000000_posts/migration.sql': 'CREATE TABLE "Post" ("id" SERIAL PRIMARY KEY);\n',
    });
    const error = (await dump({ cwd: p.root, engine: 'pglite', noCache: true }).catch((e: Error) => e)) as InputError & { hint?: string };
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('prisma/migrations/0_init/migration.sql:1:1: the file is UTF-16 (its byte order mark says UTF-16LE), not UTF-8');
    expect(error.hint).toContain('iconv -f utf-16 -t utf-8');
    expect(error.hint).not.toContain('latin1');
  });
});
