import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';

// Field: OpenLMIS/openlmis-referencedata (Flyway): `ALTER TABLE facilities ADD COLUMN location geometry` fails with
// 42704 `type "geometry" does not exist` and no hint: the team's image (openlmis/postgres:9.6-postgis) has PostGIS
// before the migrations run, which nothing in the failure said.
const project = tempProjects();
const replay = async (sql: string) => {
  const result = await dump({ cwd: project({ 'migrations/001_a.sql': sql }).root, engine: 'pglite', noCache: true, runner: 'numbered', migrations: 'migrations' });
  return result.report.migrationFailures;
};

describe('a type of an extension the history never creates', () => {
  it('names the extension and how to provide it', async () => {
    const [geometry] = await replay('CREATE TABLE places (id int, location geometry);\n');
    expect([geometry.sqlstate, geometry.message]).toEqual(['42704', 'type "geometry" does not exist']);
    expect(geometry.hint).toContain('geometry is a type of the postgis extension');
    expect(geometry.hint).toContain('CREATE EXTENSION postgis;');
    const [citext] = await replay('CREATE TABLE users (email public.citext);\n');
    expect(citext.hint).toContain('CREATE EXTENSION citext;');
  });

  it('says nothing of extensions for a type no extension provides', async () => {
    const [own] = await replay('CREATE TABLE t (a mood);\n');
    expect(own.message).toBe('type "mood" does not exist');
    expect(own.hint ?? '').not.toContain('EXTENSION');
  });
});
