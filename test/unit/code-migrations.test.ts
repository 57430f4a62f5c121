import { describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { detectLayout } from '../../src/commands/init.js';
import { lint } from '../../src/commands/lint.js';
import { InputError } from '../../src/errors.js';
import { codeMigrationsIn, findCodeMigrations } from '../../src/runners/code-migrations.js';
import { tempProjects } from '../helpers/project.js';

// A project whose migrations are code (Rails, Django, Alembic, Knex...) met "no migrations folder found" or "no .sql
// files in migrations/", which reads as a wrong folder: the message now says what the folder holds and why pgdrift
// cannot replay it, with what the tool offers instead.
const project = tempProjects();

const projects: Record<string, { files: Record<string, string>; folder: string; tool: string; instead?: RegExp }> = {
  rails: {
    files: { 'Gemfile': "gem 'rails'\n", 'db/migrate/20240101000000_create_users.rb': 'class CreateUsers < ActiveRecord::Migration[7.1]\n  def change; end\nend\n' },
    folder: 'db/migrate',
    tool: 'Rails (Active Record)',
    instead: /db\/structure\.sql/,
  },
  django: {
    files: { 'manage.py': '', 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': 'from django.db import migrations, models\n' },
    folder: 'shop/migrations',
    tool: 'Django',
    instead: /sqlmigrate/,
  },
  alembic: {
    files: { 'alembic.ini': '', 'alembic/versions/1a2b_init.py': '"""init"""\nfrom alembic import op\nrevision = "1a2b"\ndown_revision = None\n' },
    folder: 'alembic/versions',
    tool: 'Alembic',
    instead: /alembic upgrade head --sql/,
  },
  knex: {
    files: { 'package.json': '{"dependencies":{"knex":"3.1.0"}}', 'migrations/20240101120000_init.js': 'exports.up = function (knex) {\n  return knex.schema.createTable("t", (t) => t.increments());\n};\n' },
    folder: 'migrations',
    tool: 'Knex',
  },
  typeorm: {
    files: { 'src/migrations/1700000000000-Init.ts': 'import { MigrationInterface, QueryRunner } from "typeorm";\nexport class Init1700000000000 implements MigrationInterface {}\n' },
    folder: 'src/migrations',
    tool: 'TypeORM',
  },
  // field: newfolder42/gspot-web keeps node-pg-migrate's JavaScript migrations in src/migrations, no package.json names it
  nodePgMigrate: {
    files: { 'src/migrations/1763029615799_users.js': "/**\n * @param pgm {import('node-pg-migrate').MigrationBuilder}\n */\nexport const up = (pgm) => {\n  pgm.createTable('users', {});\n};\n" },
    folder: 'src/migrations',
    tool: 'node-pg-migrate',
    instead: /-j sql/,
  },
  // field: nwjbrandon/bengakala_tourism (db-migrate create's template)
  dbMigrate: {
    files: { 'database/migrations/20190609052837-INFORMATION-createTable.js': "'use strict';\nvar dbm;\nexports.setup = function(options, seedLink) {\n  dbm = options.dbmigrate;\n};\nexports.up = function(db) {\n  return db.createTable('INFORMATION', {});\n};\n" },
    folder: 'database/migrations',
    tool: 'db-migrate',
    instead: /--sql-file/,
  },
  // field: Josehower/e-commerce-project, RateTheLandlord/rtl-frontend (ley)
  ley: {
    files: { 'package.json': '{"dependencies":{"ley":"^0.6.0"}}', 'migrations/1602239237-e-commerce.js': 'exports.up = async (sql) => {\n  await sql`CREATE TABLE product (id integer)`;\n};\n' },
    folder: 'migrations',
    tool: 'ley',
  },
  laravel: {
    files: { 'database/migrations/2014_10_12_000000_create_users_table.php': '<?php\nuse Illuminate\\Database\\Migrations\\Migration;\nreturn new class extends Migration {};\n' },
    folder: 'database/migrations',
    tool: 'Laravel',
    instead: /schema:dump/,
  },
};

describe('projects whose migrations are code', () => {
  for (const [name, { files, folder, tool, instead }] of Object.entries(projects)) {
    it(`${name}: check, lint and init name the tool and the folder (exit 2), not a missing folder`, async () => {
      const root = project(files).root;
      const notices: string[] = [];
      const onNotice = (notice: string) => notices.push(notice);
      const runs: (() => Promise<unknown>)[] = [() => dump({ cwd: root, engine: 'pglite', noCache: true, onNotice }), () => lint({ cwd: root, onNotice }), () => detectLayout(root)];
      for (const run of runs) {
        const error = (await run().catch((e: Error) => e)) as InputError;
        expect(error).toBeInstanceOf(InputError);
        expect(error.message).toContain(`${folder}/ holds 1 migration of ${tool}`);
        expect(error.message).toContain('which pgdrift cannot replay');
        expect(error.message).not.toMatch(/no migrations folder found|no \.sql files/);
        if (instead) expect(error.hint).toMatch(instead);
      }
      // no runner "detected" in a folder of no SQL before the error says what it holds (field: Blastose/ranobedb)
      expect(notices.filter((notice) => notice.includes('detected'))).toEqual([]);
    });
  }

  it('a folder of SQL migrations beside code files is not taken for code', () => {
    const root = project({ 'migrations/001_init.sql': 'create table t (id int);\n', 'migrations/helper.js': 'const knex = 1;\n' }).root;
    // the SQL folder is found and replayed: the code check only speaks when there is nothing to replay
    expect(findCodeMigrations(root)).toMatchObject({ tool: 'Knex' });
    return lint({ cwd: root }).then((result) => expect(result.filesLinted).toBe(1));
  });

  it("db-migrate's --sql-file wrappers (its template's options.dbmigrate too) keep the hint naming sqls/", async () => {
    const wrapper = "'use strict';\nvar dbm;\nexports.setup = function(options) {\n  dbm = options.dbmigrate;\n};\nexports.up = function(db) {\n  var filePath = path.join(__dirname, 'sqls', '20240101000000-init-up.sql');\n  return db.runSql(filePath);\n};\n";
    const root = project({ 'migrations/20240101000000-init.js': wrapper, 'migrations/sqls/20240101000000-init-up.sql': 'CREATE TABLE t (id int);\n' }).root;
    const runs: (() => Promise<unknown>)[] = [() => dump({ cwd: root, engine: 'pglite', noCache: true }), () => detectLayout(root)];
    for (const run of runs) {
      const error = (await Promise.resolve().then(run).catch((e: Error) => e)) as InputError;
      expect(error).toBeInstanceOf(InputError);
      expect(error.hint).toContain("db-migrate's --sql-file layout (its .js migrations run sqls/<name>-up.sql): --migrations migrations/sqls");
      expect(error.message).not.toContain('which pgdrift cannot replay');
    }
  });

  it('an exported up(sql) in a project that does not depend on ley is not ley', () => {
    const root = project({ 'package.json': '{"dependencies":{"postgres":"3.4.0"}}', 'migrations/1_init.js': 'exports.up = async (sql) => {\n  await sql`CREATE TABLE t (id int)`;\n};\n' }).root;
    expect(codeMigrationsIn(`${root}/migrations`, root)).toBeUndefined();
  });

  it('files with a tool-like name but without its marker are not that tool', () => {
    const root = project({ 'migrations/0001_initial.py': 'print("hello")\n', 'db/migrate/20240101_x.rb': 'puts 1\n' }).root;
    expect(findCodeMigrations(root)).toBeUndefined();
    expect(codeMigrationsIn(`${root}/migrations`, root)).toBeUndefined();
  });
});
