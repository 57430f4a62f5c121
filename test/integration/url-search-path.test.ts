import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/index.js';
import { quoteIdent } from '../../src/engine/quote.js';
import type { Engine } from '../../src/engine/types.js';
import { setSearchPathSql, splitIdentifierList, urlSearchPath } from '../../src/runners/url-search-path.js';
import { dump } from '../../src/commands/dump.js';
import { lint } from '../../src/commands/lint.js';
import { tempProjects } from '../helpers/project.js';

const project = tempProjects();

/**
 * A database URL's search_path is read by the server (lib/pq and pgx send it in the startup packet), so the names
 * url-search-path.ts derives must be the names the embedded Postgres itself reads from the same value: each value is
 * set with set_config (what the replay runs), the schemas it names are created, and current_schemas(false) lists
 * the ones the server resolved, in order.
 */
const values = ['app', 'App, public', ' "My ""Schema""" ,Other_Schema ', '"$user", public', '"Keep Case",lower', `${'x'.repeat(70)},public`, 'tenant,  "Weird,Name"'];
const refused = ['a b', '"unterminated', 'a,,b', 'a,', ',a'];

describe('search_path from a database URL, as the server reads it', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine({ engine: 'pglite' });
  });
  afterAll(async () => engine?.close());

  it.each(values)('%s', async (value) => {
    const schemas = splitIdentifierList(value)!;
    expect(schemas).toBeDefined();
    for (const schema of schemas) if (schema !== '$user' && schema !== 'public') await engine.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await engine.exec(setSearchPathSql({ value, schemas }));
    const rows = await engine.query('SELECT unnest(current_schemas(false)) AS name');
    expect(rows.map((row) => row.name)).toEqual(schemas.filter((schema) => schema !== '$user'));
  });

  it.each(refused)('refuses %s, as the server does', async (value) => {
    expect(splitIdentifierList(value)).toBeUndefined();
    await expect(engine.exec(setSearchPathSql({ value, schemas: undefined }))).rejects.toThrow(/invalid value for parameter "search_path"|List syntax is invalid/);
  });

  it('reads the value from the URL query as Go does (%XX, +), and nothing from a URL without one', () => {
    expect(urlSearchPath('postgres://u:p@h/db?sslmode=disable&search_path=%22My+App%22,public')).toEqual({ value: '"My App",public', schemas: ['My App', 'public'] });
    expect(urlSearchPath('postgres://u:p@h/db?sslmode=disable')).toBeUndefined();
    expect(urlSearchPath('postgres://u:p@h/db?search_path=')).toBeUndefined();
    expect(urlSearchPath(undefined)).toBeUndefined();
  });
});

describe('a dbmate DATABASE_URL with search_path=App,public', () => {
  const files = {
    '.env': 'DATABASE_URL="postgres://app:secret@localhost:5432/app?sslmode=disable&search_path=App,public"\n',
    'db/migrations/20240101000000_a.sql': '-- migrate:up\nCREATE SCHEMA app;\nCREATE TABLE accounts (id bigint PRIMARY KEY, a text);\n-- migrate:down\n',
    'db/migrations/20240102000000_b.sql': '-- migrate:up\nCREATE INDEX accounts_a ON accounts (a);\n-- migrate:down\n',
  };

  it('replays into the schema the server folds App to, and keeps dbmate\'s table where dbmate puts it ("App", its first part as written)', async () => {
    const result = await dump({ cwd: project(files).root, engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.sql).toContain('CREATE TABLE app.accounts (');
    expect(result.sql).toContain('CREATE TABLE "App".schema_migrations (');
  });

  it('lint names the objects in that schema: the session search_path reaches every file (Runner.sessionSearchPath)', async () => {
    const result = await lint({ cwd: project(files).root });
    expect(result.findings.map((f) => [f.rule, f.object])).toEqual([['require-concurrent-index', 'app.accounts']]);
  });
});
