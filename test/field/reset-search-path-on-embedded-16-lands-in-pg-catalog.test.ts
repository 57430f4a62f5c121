import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';

// Found with leg100/otf (tern): the embedded 16 and 17 (PGlite 0.2.17, 0.3.16) reset search_path to pg_catalog, where a
// server resets to "$user", public. A migration's own RESET (a `SET search_path = app` ... `RESET search_path` pair)
// put every later table in pg_catalog, which pg_dump leaves out: all of them reported as drift.
const project = tempProjects();
const files = {
  'pgdrift.config.json': JSON.stringify({ migrations: 'migrations', runner: 'numbered', snapshot: 'schema.sql' }),
  'schema.sql': '--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 16.4\n-- Dumped by pg_dump version 16.4\n',
  'migrations/001_app.sql': 'CREATE SCHEMA app;\nSET search_path = app;\nCREATE TABLE settings (id int);\nRESET search_path;\n',
  'migrations/002_accounts.sql': 'CREATE TABLE accounts (id int);\n',
};

describe('a migration that resets search_path, on the embedded engine', () => {
  it('replays on a major that resets it as a server does (18), saying why, not on the snapshot\'s 16', async () => {
    const notices: string[] = [];
    const result = await dump({ cwd: project(files).root, engine: 'pglite', noCache: true, onNotice: (notice: string) => notices.push(notice) });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.report.engine.postgresVersion).toMatch(/^18\./);
    expect(result.sql).toContain('CREATE TABLE public.accounts (');
    expect(result.sql).toContain('CREATE TABLE app.settings (');
    expect(notices.join('\n')).toContain('a RESET of search_path');
  });

  it('on --pg 16, the RESET is refused at its line, saying it is the engine, not the migration', async () => {
    const result = await dump({ cwd: project(files).root, engine: 'pglite', pg: '16', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.line, f.sqlstate])).toEqual([['migrations/001_app.sql', 4, '0A000']]);
    expect(result.report.migrationFailures[0].message).toContain('resets search_path to pg_catalog');
    expect(result.report.migrationFailures[0].hint).toContain('--pg 18');
  });
});
