import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { init } from '../../src/commands/init.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field (RockkleyPushPost/pushpost): a Go monorepo keeps a goose folder per service, each for its own database, and
 * one Makefile recipe runs `goose -dir <service>/migrations pgx <its database> up` for each. No folder is at the root,
 * so pgdrift said only "no migrations folder found (looked for ...)", naming none of the three the Makefile names
 * (five levels down, below the hint's reach). goose's -dir is the one folder a command applies (cmd/goose/main.go):
 * three commands are three histories, so pgdrift now lists them and the exact flags to pick one.
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

const UP = (table: string) => `-- +goose Up\nCREATE TABLE ${table} (id bigint PRIMARY KEY);\n\n-- +goose Down\nDROP TABLE ${table};\n`;
const SERVICES = {
  makefile:
    'migrate-all:\n' +
    '\tgoose -dir internal/services/users/storage/migrations pgx "postgres://localhost/app_users" up\n' +
    '\tgoose -dir internal/services/messages/storage/migrations pgx "postgres://localhost/app_messages" up\n',
  'internal/services/users/storage/migrations/20240101000000_users.sql': UP('users'),
  'internal/services/messages/storage/migrations/20240101000000_messages.sql': UP('messages'),
};

async function failure(run: () => Promise<unknown>): Promise<(Error & { hint?: string }) | undefined> {
  return run().then(
    () => undefined,
    (e: Error & { hint?: string }) => e,
  );
}

describe('goose: a Makefile running goose up on a folder per service', () => {
  it('lists the folders with the command naming each, and the flags to choose one (dump and init)', async () => {
    const p = project(SERVICES);
    for (const run of [() => dump({ cwd: p.root, engine: 'pglite', noCache: true }), () => init({ cwd: p.root, skipLint: true })]) {
      const error = await failure(run);
      expect(error?.message).toContain("the project's goose up commands run on 2 migrations folders, each its own history");
      expect(error?.message).toContain('makefile:2 (target migrate-all): internal/services/users/storage/migrations');
      expect(error?.message).toContain('internal/services/messages/storage/migrations');
      expect(error?.hint).toContain('--migrations internal/services/users/storage/migrations --runner goose');
    }
  });

  it('the folder the hint names replays that service alone', async () => {
    const p = project(SERVICES);
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, migrations: 'internal/services/users/storage/migrations', runner: 'goose' });
    expect(result.sql).toContain('CREATE TABLE public.users');
    expect(result.sql).not.toContain('CREATE TABLE public.messages');
  });

  it('one folder named twice (up, then up-by-one) is still that folder', async () => {
    const p = project({
      Makefile: 'up:\n\tgoose -dir sql/schema postgres "$(DB)" up\nstep:\n\tgoose -dir ./sql/schema postgres "$(DB)" up-by-one\n',
      'sql/schema/20240101000000_users.sql': UP('users'),
    });
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(result.sql).toContain('CREATE TABLE public.users');
  });
});
