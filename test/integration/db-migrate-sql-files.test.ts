import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { PgdriftError } from '../../src/errors.js';
import { tempProjects } from '../helpers/project.js';

const project = tempProjects();

/** The wrapper `db-migrate create <name> --sql-file` writes (db-migrate 0.11.14), cut to what matters. */
const wrapper = (name: string) =>
  `'use strict';\nvar fs = require('fs');\nvar path = require('path');\nexports.up = function(db) {\n  var filePath = path.join(__dirname, 'sqls', '${name}-up.sql');\n  return new Promise(function(resolve, reject) { fs.readFile(filePath, {encoding: 'utf-8'}, function(err, data) { if (err) return reject(err); resolve(data); }); })\n  .then(function(data) { return db.runSql(data); });\n};\n`;

const files = {
  'database.json': '{"dev": {"driver": "pg"}}\n',
  'migrations/20240101000000-users.js': wrapper('20240101000000-users'),
  'migrations/sqls/20240101000000-users-up.sql': 'CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);\n',
  'migrations/sqls/20240101000000-users-down.sql': 'DROP TABLE users;\n',
  'migrations/20240102000000-seed.js': "exports.up = function(db) { return db.createTable('flags', { id: 'int' }); };\n",
  'migrations/sqls/20240103000000-orphan-up.sql': 'CREATE TABLE orphan (id int);\n',
};

describe("db-migrate's create --sql-file layout (migrations/*.js wrappers, migrations/sqls/*-up.sql)", () => {
  it('with no --migrations: the hint names the layout and the folder to replay', async () => {
    const error = await dump({ cwd: project(files).root, engine: 'pglite', noCache: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PgdriftError);
    expect((error as PgdriftError).hint).toContain("db-migrate's --sql-file layout (its .js migrations run sqls/<name>-up.sql): --migrations migrations/sqls");
  });

  it('replays the -up.sql each wrapper reads, not the others, and says what it assumes', async () => {
    const notices: string[] = [];
    const result = await dump({ cwd: project(files).root, migrations: 'migrations/sqls', engine: 'pglite', noCache: true, onNotice: (m) => notices.push(m) });
    expect(result.report.migrationFailures).toEqual([]);
    expect(result.report.files.filter((f) => f.role === 'migration').map((f) => f.file)).toEqual(['migrations/sqls/20240101000000-users-up.sql']);
    expect(result.sql).toContain('CREATE TABLE public.users');
    expect(result.sql).not.toContain('orphan');
    const said = notices.join('\n');
    expect(said).toContain("migrations/sqls/ is db-migrate's --sql-file layout");
    expect(said).toContain('1 db-migrate migration reads no sqls/<name>-up.sql: migrations/20240102000000-seed.js');
    expect(said).toContain('migrations/sqls/20240103000000-orphan-up.sql (no migrations/20240103000000-orphan.js reads it');
  });

  it('each migration runs in BEGIN ... COMMIT: a lone CREATE INDEX CONCURRENTLY fails as under db-migrate (25001)', async () => {
    const root = project({
      ...files,
      'migrations/20240104000000-idx.js': wrapper('20240104000000-idx'),
      'migrations/sqls/20240104000000-idx-up.sql': 'CREATE INDEX CONCURRENTLY users_email ON users (email);\n',
    }).root;
    const result = await dump({ cwd: root, migrations: 'migrations/sqls', engine: 'pglite', noCache: true });
    expect(result.report.migrationFailures.map((f) => [f.file, f.sqlstate])).toEqual([['migrations/sqls/20240104000000-idx-up.sql', '25001']]);
  });
});
