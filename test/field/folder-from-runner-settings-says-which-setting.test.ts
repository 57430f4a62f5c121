import { beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field (bllooop/monitoringapi, r0m43g/yopta): a backend/ + frontend/ repository whose root Makefile runs
 * `goose -dir ./backend/migrations … up` (or `cd backend/migrations && goose up`). pgdrift replayed backend/migrations
 * and said only "runner goose detected in backend/migrations/", not why that folder: a user of a monorepo could not
 * tell whether it was guessed or read from the project's own command. The line now names the setting.
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

const UP = '-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY);\n\n-- +goose Down\nDROP TABLE users;\n';

describe('a migrations folder named by the runner\'s settings in a sub-project', () => {
  it('the notice names the Makefile recipe that names the folder', async () => {
    const p = project({
      Makefile: 'build:\n\tdocker compose up --build\nmigrate:\n\tgoose -dir ./backend/migrations postgres "postgres://localhost/app" up\n',
      'backend/migrations/20250204221127_users.sql': UP,
      'frontend/package.json': '{"name": "web"}\n',
    });
    const notices: string[] = [];
    const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(result.sql).toContain('CREATE TABLE public.users');
    expect(notices.join('\n')).toContain('no migrations folder at the project root: using backend/migrations/, named by Makefile:4 (target migrate) (goose -dir ./backend/migrations)');
  });

  it('after a cd on the recipe line too', async () => {
    const p = project({ Makefile: 'migrate-up:\n\tcd backend/migrations && goose up\n', 'backend/migrations/20250201000001_init.sql': UP });
    const notices: string[] = [];
    await dump({ cwd: p.root, engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(notices.join('\n')).toContain("using backend/migrations/, named by Makefile:2 (target migrate-up) (goose -dir . after the recipe's cd)");
  });
});
