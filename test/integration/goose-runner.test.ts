import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/** The goose runner replayed as the goose CLI applies a folder (pressly/goose@520411a). */
const project = tempProjects();

beforeAll(() => loadSqlParser());

describe('goose Go migrations', () => {
  const GO = 'package migrations\n\nimport "github.com/pressly/goose/v3"\n\nfunc init() { goose.AddMigrationContext(upAudit, downAudit) }\n';

  it('a .go migration is named as not replayed: a later file that needs its table fails, and check says the replay is incomplete', async () => {
    const p = project({
      'migrations/00001_users.sql': '-- +goose Up\nCREATE TABLE users (id int PRIMARY KEY);\n',
      'migrations/00002_audit.go': GO,
      'migrations/00003_audit_index.sql': '-- +goose Up\nCREATE INDEX audit_id ON audit (id);\n',
      'docs/architecture/schema-actual-2024-01-01.sql': 'CREATE TABLE public.users (id integer NOT NULL);\n',
    });
    const notices: string[] = [];
    const result = await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false, onNotice: (m) => notices.push(m) });
    expect(result.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['migrations/00003_audit_index.sql', '42P01']]);
    expect(result.skippedFiles).toEqual([expect.objectContaining({ file: 'migrations/00002_audit.go', appliedByRunner: true })]);
    expect(notices.join('\n')).toContain('the goose runner applies cannot be replayed');
    expect(result.exitCode).toBe(1);
  });

  it('with only SQL files left to replay, check is still incomplete, never clean', async () => {
    const p = project({ 'migrations/00001_users.sql': '-- +goose Up\nCREATE TABLE users (id int PRIMARY KEY);\n', 'migrations/00002_audit.go': GO });
    const replayed = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
    expect(replayed.report.migrationFailures).toEqual([]);
    p.write('docs/architecture/schema-actual-2024-01-01.sql', replayed.sql);
    const result = await check({ cwd: p.root, engine: 'pglite', noCache: true, lint: false });
    expect(result.exitCode).toBe(1);
    expect(result.skippedFiles).toEqual([expect.objectContaining({ file: 'migrations/00002_audit.go', appliedByRunner: true })]);
  });
});
