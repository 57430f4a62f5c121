import { describe, expect, it } from 'vitest';
import { resolveProject } from '../../src/config/project.js';
import { tempProjects } from '../helpers/project.js';

// Field: a Node project whose runner pgdrift has none for (rustymotors/server runs @databases/pg-migrations, which
// orders by the number: migrations-base MigrationContext sortMigrations) falls back to the numbered runner, which
// replays in name order. With numbers of different widths the replay ran 10-c.sql before 2-b.sql without a word.
const project = tempProjects();
const files = {
  'package.json': JSON.stringify({ scripts: { migrate: 'pg-migrations apply --directory migrations' }, devDependencies: { '@databases/pg-migrations': '^5.0.3' } }),
  'migrations/1-a.sql': 'CREATE TABLE a (id int);\n',
  'migrations/2-b.sql': 'ALTER TABLE a ADD COLUMN b int;\n',
  'migrations/10-c.sql': 'ALTER TABLE a RENAME COLUMN b TO c;\n',
};

describe('numbered runner: a Node migration tool pgdrift has no runner for', () => {
  it('is named, with what it does that the fallback does not (@databases/pg-migrations: a transaction per file)', () => {
    const { runner } = resolveProject({ cwd: project(files).root });
    expect(runner.notices?.[0]).toMatch(/^numbered runner: the project depends on @databases\/pg-migrations, which pgdrift has no runner for: .*its own transaction/);
    const nested = resolveProject({ cwd: project({ 'app/package.json': JSON.stringify({ dependencies: { umzug: '^2.3.0' } }), 'app/db/migrations/sql/20200101-up.sql': 'SELECT 1;\n' }).root, migrations: 'app/db/migrations/sql' });
    expect(nested.runner.notices).toEqual([expect.stringContaining('depends on umzug, which pgdrift has no runner for')]);
  });
});

describe('numbered runner: name order and number order disagree', () => {
  it('says so, naming the pair, when no "order" is configured', () => {
    const { runner } = resolveProject({ cwd: project(files).root });
    expect(runner.name).toBe('numbered');
    expect(runner.notices?.join('\n')).toMatch(/10-c\.sql before 2-b\.sql.*"order": "natural"/);
  });

  it('says nothing once "order" is configured, or when the numbers have one width', () => {
    const configured = resolveProject({ cwd: project({ ...files, 'pgdrift.config.json': '{"order": "natural"}' }).root });
    expect((configured.runner.notices ?? []).join('\n')).not.toContain('differ in width');
    const padded = resolveProject({ cwd: project({ 'migrations/01-a.sql': 'SELECT 1;\n', 'migrations/02-b.sql': 'SELECT 1;\n', 'migrations/10-c.sql': 'SELECT 1;\n' }).root });
    expect(padded.runner.notices ?? []).toEqual([]);
  });
});
