import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';

// Field: FoxComm/highlander middlewarehouse (Flyway, a Postgres 15 snapshot → the embedded 16):
// `alter table stock_item_units add column type stock_item_type not null default 1`, stock_item_type a text domain
// CHECKed against four names. Postgres 15 (the team's), 17 and 18 add it to the empty table without evaluating the
// default; the embedded 16 (PGlite 0.2.17) evaluates it and fails with 23514: a failure the team never has.
const project = tempProjects();
const files = {
  'pgdrift.config.json': JSON.stringify({ migrations: 'migrations', runner: 'numbered', snapshot: 'schema.sql' }),
  'schema.sql': '--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 15.4\n-- Dumped by pg_dump version 15.4\n',
  'migrations/001_units.sql': "CREATE DOMAIN stock_item_type text NOT NULL CHECK (value IN ('Sellable', 'Backorder'));\nCREATE TABLE stock_item_units (id int);\n",
  'migrations/002_type.sql': 'ALTER TABLE stock_item_units ADD COLUMN type stock_item_type NOT NULL DEFAULT 1;\n',
};

describe('a CHECKed domain column added with a default to an empty table', () => {
  it('replays on a major that leaves the default unchecked, as the server does (17, not the snapshot\'s nearest 16)', async () => {
    const notices: string[] = [];
    const result = await dump({ cwd: project(files).root, engine: 'pglite', noCache: true, onNotice: (notice: string) => notices.push(notice) });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.report.engine.postgresVersion).toMatch(/^17\./);
    expect(result.sql).toContain('type public.stock_item_type DEFAULT 1');
    expect(notices.join('\n')).toContain('CHECKed domain');
  });
});
