import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';

// Field: simstudioai/sim (drizzle, pgvector, CREATE/DROP INDEX CONCURRENTLY after a COMMIT chunk). Needing vector, the
// replay chose the embedded 17, whose PGlite (0.3.16) fails every CREATE/DROP INDEX CONCURRENTLY with XX000 "tuple
// concurrently updated" (electric-sql/pglite#901): 23 failures the team's Postgres never has. 16 ships vector and
// builds the index.
const project = tempProjects();
const files = {
  'migrations/001_init.sql': 'CREATE EXTENSION IF NOT EXISTS vector;\nCREATE TABLE items (id int, embedding vector(3));\n',
  'migrations/002_index.sql': 'CREATE INDEX CONCURRENTLY items_id_idx ON items (id);\n',
};

describe('a history with vector and CREATE INDEX CONCURRENTLY on the embedded engine', () => {
  it('replays on a major that runs both (16), saying why', async () => {
    const result = await dump({ cwd: project(files).root, engine: 'pglite', noCache: true, runner: 'numbered', migrations: 'migrations' });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.report.engine.postgresVersion).toMatch(/^16\./);
    expect(result.sql).toContain('CREATE INDEX items_id_idx ON public.items');
  });

  it('on --pg 17, the failure says it is the engine, not the migration', async () => {
    const result = await dump({ cwd: project(files).root, engine: 'pglite', pg: '17', noCache: true, runner: 'numbered', migrations: 'migrations' });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['migrations/002_index.sql', 1, 'XX000']]);
    expect(result.report.migrationFailures[0].hint).toContain('electric-sql/pglite#901');
  });
});
