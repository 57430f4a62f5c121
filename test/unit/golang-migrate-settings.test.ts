import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { multiStatementPieces, planMultiStatement } from '../../src/runners/golang-migrate-multistmt.js';
import { interpolate } from '../../src/runners/compose-file.js';
import { composeInvocations, makefileInvocations, migrationsTableOf, shownUrl, urlSettings } from '../../src/runners/golang-migrate-settings.js';
import { golangMigrate } from '../../src/runners/golang-migrate.js';
import { expand, readMakefile } from '../../src/runners/makefile.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

// golang-migrate@18966c7: internal/cli/main.go (flags), database/postgres/postgres.go (Open: the x- URL options,
// WithConnection/ensureVersionTable: the bookkeeping table), database/multistmt/parse.go (cut after every ";").
const project = tempProjects();
beforeAll(() => loadSqlParser());

const MAKEFILE = [
  '# database settings',
  'DB_USER ?= app',
  'DB_PASS = s3cret',
  'DB_URL := postgresql://$(DB_USER):${DB_PASS}@localhost:5432/db?sslmode=disable&search_path=app,public&x-migrations-table=versions',
  'MIGRATIONS = db/migrations',
  '',
  '.PHONY: migrate-up',
  'migrate-up:',
  '\t@echo "migrating"',
  '\tmigrate -path $(MIGRATIONS) -database "$(DB_URL)" up',
  '',
  'migrate-down:',
  '\tmigrate -path $(MIGRATIONS) -database "$(DB_URL)" down 1',
  '',
  'new:',
  '\tmigrate create -ext sql -dir $(MIGRATIONS) -seq $(name)',
  '',
].join('\n');

describe('the Makefile reader', () => {
  it('expands =, :=, ?= (the environment wins over ?= only), +=, $(VAR), ${VAR}, $$ and included files', () => {
    const p = project({
      Makefile: 'include .env\nA = $(B) x\nB = b\nC := $(B)$$HOME\nD ?= default\nE ?= default\nE2 = one\nE2 += two\nF = file\n',
      '.env': 'FROM_ENV_FILE=yes\n',
    });
    const env = { D: 'from-env', F: 'env-loses' };
    const makefile = readMakefile(p.root, env)!;
    const value = (name: string) => expand(`$(${name})`, makefile.variables, env, p.root).text;
    expect([value('A'), value('C'), value('D'), value('E'), value('E2'), value('F'), value('FROM_ENV_FILE')]).toEqual(['b x', 'b$HOME', 'from-env', 'default', 'one two', 'file', 'yes']);
    expect(expand('$(NOT_SET)/$(shell date)', makefile.variables, env, p.root).unknown).toEqual(['NOT_SET', '$(shell date)']);
    expect(expand('$(CURDIR)/db', makefile.variables, env, p.root).text).toBe(`${p.root}/db`);
  });

  it('define NAME … endef is a variable (its body, newlines kept), with its operator (field: RAF-SI-2025/Banka-3-Backend)', () => {
    // the field Makefile: `define DB_URL` with a one-line body; pgdrift said DB_URL was set neither in the Makefile nor in the environment
    const p = project({
      Makefile: [
        'define DB_URL',
        'postgres://$$POSTGRES_USER@localhost:5432/app?sslmode=disable',
        'endef',
        'define SIMPLE :=',
        '$(SCHEMA)',
        'endef',
        'SCHEMA = late',
        'export define TWO',
        'a',
        'define INNER',
        'x',
        'endef',
        'b',
        'endef',
        'up:',
        '\tmigrate -path db -database "$(DB_URL)&search_path=app" up',
        '',
      ].join('\n'),
    });
    const makefile = readMakefile(p.root, {})!;
    expect(makefile.variables.get('DB_URL')).toMatchObject({ value: 'postgres://$$POSTGRES_USER@localhost:5432/app?sslmode=disable', recursive: true });
    expect(makefile.variables.get('SIMPLE')).toMatchObject({ value: '\0', recursive: false });
    expect(makefile.variables.get('TWO')).toMatchObject({ value: 'a\ndefine INNER\nx\nendef\nb', exported: true });
    expect(makefile.variables.has('INNER')).toBe(false);
    expect(makefile.recipes.map((r) => r.target)).toEqual(['up']);
    const [call] = makefileInvocations(p.root, {});
    expect(call.unknown).toEqual(['-database postgres://$POSTGRES_USER@localhost:5432/app?sslmode=disable&search_path=app holds a value only make or the shell knows: unless its query is known, golang-migrate\'s defaults are replayed']);
    expect(urlSettings(call.url!, call.where)?.searchPath?.schemas).toEqual(['app']);
  });

  it('a tab-indented assignment outside a rule (under ifeq) is a variable, noted as conditional where a URL uses it', () => {
    const p = project({
      Makefile: 'ifeq ($(ENV),test)\n\tDB_URL = postgres://h/test?search_path=t\nelse\n\tDB_URL = postgres://h/db?search_path=app\nendif\n\nup:\n\tmigrate -path db -database $(DB_URL) up\n',
    });
    const [call] = makefileInvocations(p.root, {});
    expect(call.url).toBe('postgres://h/db?search_path=app');
    expect(call.unknown).toEqual(['DB_URL is set under an ifeq/ifdef of the Makefile, which pgdrift does not evaluate: its last value is used']);
  });

  it('finds the `migrate … up` recipes with their folder and URL; down, create and other programs are not them', () => {
    const p = project({ Makefile: MAKEFILE });
    const calls = makefileInvocations(p.root, {});
    expect(calls).toEqual([
      {
        where: 'Makefile:10 (target migrate-up)',
        folder: path.join(p.root, 'db/migrations'),
        folderText: 'db/migrations',
        url: 'postgresql://app:s3cret@localhost:5432/db?sslmode=disable&search_path=app,public&x-migrations-table=versions',
        unknown: [],
      },
    ]);
  });

  it('reads -source file://, -flag=value, the migrate/migrate image with its -v mounts, and go run', () => {
    const p = project({
      Makefile: [
        'up1:',
        '\tmigrate --source=file://sql/m -database=$$DATABASE_URL up',
        'up2:',
        '\tdocker run --rm -v $(PWD)/db/sql:/migrations --network host migrate/migrate:v4.17.0 -path=/migrations/ -database "postgres://u:pw@h/db" up',
        'up3:',
        "\tgo run -tags 'postgres' github.com/golang-migrate/migrate/v4/cmd/migrate@latest -path ./db \\",
        '\t\t-database "postgres://h/db?x-multi-statement=true" up',
        'other:',
        '\tpython manage.py migrate && echo migrate -path x up',
      ].join('\n'),
    });
    const calls = makefileInvocations(p.root, { DATABASE_URL: 'postgres://h/db?search_path=s' });
    expect(calls.map((c) => [c.where, c.folder && path.relative(p.root, c.folder), c.url, c.unknown])).toEqual([
      ['Makefile:2 (target up1)', 'sql/m', 'postgres://h/db?search_path=s', []],
      ['Makefile:4 (target up2)', 'db/sql', 'postgres://u:pw@h/db', []],
      ['Makefile:6 (target up3)', 'db', 'postgres://h/db?x-multi-statement=true', []],
    ]);
  });

  it('says what it cannot know: a URL from a variable set nowhere here (its password never shown), a folder inside a container', () => {
    const p = project({ Makefile: 'up:\n\tmigrate -path db -database "postgres://me:hunter2@$(DB_HOST)/db" up\nup2:\n\tdocker run migrate/migrate -path /m -database "$(DB_URL)" up\n' });
    const calls = makefileInvocations(p.root, {});
    expect(calls[0].unknown).toEqual(['-database postgres://me:***@…/db holds a value only make or the shell knows (DB_HOST: set neither in the Makefile nor in the environment): unless its query is known, golang-migrate\'s defaults are replayed']);
    expect(calls[1].unknown).toEqual(['-database … holds a value only make or the shell knows (DB_URL: set neither in the Makefile nor in the environment): unless its query is known, golang-migrate\'s defaults are replayed', 'the migrations source /m is not a folder pgdrift can find: the folder found is replayed']);
    expect(JSON.stringify(calls.map((c) => c.unknown))).not.toContain('hunter2');
    // the query is still known when only the host is not: its settings apply
    expect(urlSettings(calls[0].url!.replace('\0', 'h') + '?search_path=app', 'x')?.searchPath?.schemas).toEqual(['app']);
    expect(urlSettings('postgres://me:pw@\0/db?search_path=app', 'x')?.searchPath?.schemas).toEqual(['app']);
    expect(urlSettings('postgres://h/db?\0', 'x')).toBeUndefined();
    expect(shownUrl('postgresql://me:p%40ss@h:5432/db?x=1')).toBe('postgresql://me:***@h:5432/db?x=1');
  });
  it('a cd of the recipe line moves migrate: -path and docker -v are relative to where it went, until the line or its ( … ) ends (field sweep: `cd backend && migrate -path db/migrations … up` Makefiles)', () => {
    const p = project({
      Makefile: [
        'BACKEND_DIR := services/api',
        'up1:',
        '\tcd backend && migrate -path db/migrations -database "$(DATABASE_URL)" up',
        'up2:',
        '\tcd $(BACKEND_DIR); cd ./store && docker run -v ./sql:/migrations migrate/migrate -path /migrations -database "$(DATABASE_URL)" up',
        'up3:',
        '\t(cd backend && make build) && migrate -path db/migrations -database "$(DATABASE_URL)" up',
        'up4:',
        '\tcd backend | tee log && migrate -path m1 -database "$(DATABASE_URL)" up',
        'up5:',
        '\tcd "$$APP_DIR" && migrate -path db/migrations -database "$(DATABASE_URL)" up',
        'up6:',
        '\tcd "$$APP_DIR" && migrate -path /abs/migrations -database "$(DATABASE_URL)" up',
      ].join('\n'),
    });
    const calls = makefileInvocations(p.root, { DATABASE_URL: 'postgres://h/db' });
    expect(calls.map((c) => [c.where, c.folder && path.relative(p.root, c.folder), c.unknown])).toEqual([
      ['Makefile:3 (target up1)', path.join('backend', 'db', 'migrations'), []],
      ['Makefile:5 (target up2)', path.join('services', 'api', 'store', 'sql'), []],
      ['Makefile:7 (target up3)', path.join('db', 'migrations'), []],
      ['Makefile:9 (target up4)', 'm1', []],
      ['Makefile:11 (target up5)', undefined, ['the migrations source db/migrations is relative to a folder a `cd` of the recipe goes to, which only the shell knows: the folder found is replayed']],
      ['Makefile:13 (target up6)', path.relative(p.root, '/abs/migrations'), []],
    ]);
  });
});

describe('the Compose file (a migrate/migrate service)', () => {
  const COMPOSE = [
    'services:',
    '  db:',
    '    image: postgres:16 # the database',
    '    command: ["postgres", "-c", "log_statement=all"]',
    '  migrate:',
    '    image: migrate/migrate:v4.17.0',
    '    volumes:',
    '      - ./db/migrations:/migrations:ro',
    '    command: ["-path", "/migrations/", "-database", "postgres://app:${DB_PASSWORD}@db:5432/app?sslmode=disable&search_path=${SCHEMA:-app}", "up"]',
    '    depends_on: [db]',
    '  migrate-down:',
    '    image: migrate/migrate',
    '    command: -path /migrations -database postgres://db/app down 1',
    '',
  ].join('\n');

  it('reads command: (a list, or a string split as a shell does) with the volumes and Compose interpolation', () => {
    const p = project({ 'docker-compose.yml': COMPOSE });
    const calls = composeInvocations(p.root, { DB_PASSWORD: 'pw' });
    expect(calls).toEqual([
      { where: 'docker-compose.yml:5 (service migrate)', folder: path.join(p.root, 'db/migrations'), folderText: '/migrations/', url: 'postgres://app:pw@db:5432/app?sslmode=disable&search_path=app', unknown: [] },
    ]);
    // a string command, another image running migrate through its entrypoint
    p.write('docker-compose.yml', "services:\n  tools:\n    image: golang:1.22\n    entrypoint: ['migrate']\n    command: >-\n      -path db\n");
    expect(composeInvocations(p.root, {}).map((c) => c.folderText)).toEqual(['db']);
    p.write('docker-compose.yml', 'services:\n  m:\n    image: migrate/migrate\n    command: >-\n      -path db up\n');
    expect(composeInvocations(p.root, {}).map((c) => c.folderText)).toEqual(['db']);
    // YAML is read by a YAML parser: a tag, a flow sequence over several lines (field: PedroBinotto/website, whose
    // settings were "not read"), an alias of an anchored list, the long volume syntax
    p.write('docker-compose.yml', 'services:\n  m:\n    image: migrate/migrate\n    command: !!str -path db up\n');
    expect(composeInvocations(p.root, {}).map((c) => c.folderText)).toEqual(['db']);
    p.write('docker-compose.yml', 'services:\n  migrate:\n    image: migrate/migrate:latest\n    volumes:\n      - ./db/migrations:/migrations\n    command: [\n      "-path", "/migrations",\n        "-database", "postgres://u:${DB_PASSWORD}@db:5432/app?sslmode=disable",\n      "up"\n    ]\n');
    expect(composeInvocations(p.root, { DB_PASSWORD: 'pw' }).map((c) => [c.where, path.relative(p.root, c.folder!), c.url, c.unknown])).toEqual([['docker-compose.yml:2 (service migrate)', 'db/migrations', 'postgres://u:pw@db:5432/app?sslmode=disable', []]]);
    p.write('docker-compose.yml', 'x-args: &args ["-path", "/m", "up"]\nservices:\n  m:\n    image: migrate/migrate\n    volumes:\n      - type: bind\n        source: ./sql\n        target: /m\n    command: *args\n');
    expect(composeInvocations(p.root, {}).map((c) => path.relative(p.root, c.folder!))).toEqual(['sql']);
    p.write('docker-compose.yml', 'services:\n  m:\n    image: migrate/migrate\n    command:\n      path: db\n');
    expect(composeInvocations(p.root, {})[0].unknown).toEqual([`its command: is a mapping where a string or a list is expected: its settings are not read`]);
    p.write('docker-compose.yml', 'services:\n  m:\n    image: "migrate/migrate"\n    volumes: [./sql:/m]\n    command: -source=file:///m -database "postgres://h/db?x-multi-statement=1" up\n');
    expect(composeInvocations(p.root, {}).map((c) => [path.relative(p.root, c.folder!), c.url])).toEqual([['sql', 'postgres://h/db?x-multi-statement=1']]);
    // a relative path inside the container is relative to the image's working directory: not known here
    p.write('docker-compose.yml', 'services:\n  m:\n    image: migrate/migrate\n    command: ["-path", "sql", "up"]\n');
    expect(composeInvocations(p.root, {})[0].unknown).toEqual(['the migrations source sql is not a folder pgdrift can find: the folder found is replayed']);
  });

  it('reads a folded or literal command: and a shell -c script that replaces the image entrypoint (field: corpus compose files)', () => {
    // entrypoint: ["/bin/sh", "-c"] replaces the migrate/migrate image's entrypoint; command: is then the script
    const p = project({
      'docker-compose.yml': [
        'services:',
        '  cache:',
        '    image: redis:7',
        '  migrate:',
        '    image: migrate/migrate',
        '    volumes:',
        '      - ./database/migration:/migrations',
        '    entrypoint: ["/bin/sh", "-c"]',
        '    command: >',
        '      "migrate -path=/migrations',
        '      -database postgres://admin:123@postgres:5432/subs?sslmode=disable',
        '      up"',
        '',
      ].join('\n'),
    });
    expect(composeInvocations(p.root, {})).toEqual([
      { where: 'docker-compose.yml:4 (service migrate)', folder: path.join(p.root, 'database/migration'), folderText: '/migrations', url: 'postgres://admin:123@postgres:5432/subs?sslmode=disable', unknown: [] },
    ]);
    // a script of several commands; the container's $DATABASE_URL is known only to its shell
    p.write('docker-compose.yml', 'services:\n  m:\n    image: migrate/migrate\n    volumes: ["./sql:/sql"]\n    entrypoint: ["/bin/sh", "-c", "echo start; migrate -path /sql -database \\"$$DATABASE_URL\\" up && echo done"]\n');
    const [call] = composeInvocations(p.root, {});
    expect(path.relative(p.root, call.folder!)).toBe('sql');
    expect(call.unknown).toEqual(['-database $DATABASE_URL holds a value only Compose or the container\'s shell knows (a variable set neither in the environment nor in .env): unless its query is known, golang-migrate\'s defaults are replayed']);
    // a literal block keeps its line breaks and its `#`
    p.write('docker-compose.yml', "services:\n  m:\n    image: migrate/migrate\n    volumes: ['./sql:/sql']\n    entrypoint: ['sh', '-c']\n    command: |\n      'migrate -path /sql#x -database postgres://h/db up'\n");
    expect(composeInvocations(p.root, {}).map((c) => c.folderText)).toEqual(['/sql#x']);
  });

  it('a Makefile recipe running a Compose service (`docker-compose run --rm migrate -path /migrations …`) reads it through the service', () => {
    // field (corpus Makefiles): `docker-compose run migrate -path /migrations -database "${POSTGRES_URL}" -verbose up`;
    // compose run's words after the service replace its command: migrate's arguments for the migrate/migrate image
    const p = project({
      Makefile: 'include .env\nup:\n\tdocker-compose run --rm migrate -path /migrations -database "${POSTGRES_URL}" -verbose up\n',
      '.env': 'POSTGRES_URL=postgres://u:p@db:5432/x?search_path=app,public\n',
      'docker-compose.yml': 'services:\n  migrate:\n    image: migrate/migrate\n    volumes:\n      - ./db/migrations:/migrations\n',
    });
    const read = (makefile: string) => {
      p.write('Makefile', makefile);
      return makefileInvocations(p.root, {}).map((c) => [c.folder && path.relative(p.root, c.folder), c.url, c.unknown]);
    };
    const expected = [['db/migrations', 'postgres://u:p@db:5432/x?search_path=app,public', []]];
    expect(read('include .env\nup:\n\tdocker-compose run --rm migrate -path /migrations -database "${POSTGRES_URL}" -verbose up\n')).toEqual(expected);
    // docker compose (v2) with its options, a service of another name, the run's own -v
    p.write('docker-compose.yml', 'services:\n  db-migrate:\n    image: migrate/migrate:v4.17.0\n');
    expect(read('include .env\nup:\n\tdocker compose -f docker-compose.yml run -it --rm -v ./db/migrations:/m db-migrate -path=/m/ -database=$(POSTGRES_URL) up\n')).toEqual(expected);
    // another image whose command runs migrate
    p.write('docker-compose.yml', 'services:\n  tools:\n    image: golang:1.22\n    volumes: ["./db/migrations:/src/m"]\n');
    expect(read('include .env\nup:\n\tdocker compose run tools migrate -path /src/m -database "$(POSTGRES_URL)" up\n')).toEqual(expected);
    expect(read('include .env\nup:\n\tdocker compose run tools go test ./...\n')).toEqual([]);
    // a service built from a Dockerfile (no image:) named migrate: its words are migrate's
    p.write('docker-compose.yml', 'services:\n  migrate:\n    build: ./docker/migrate\n    volumes: ["./db/migrations:/migrations"]\n');
    expect(read('include .env\nup:\n\tdocker-compose run migrate -path /migrations -database "$(POSTGRES_URL)" up\n')).toEqual(expected);
    // a down run is not an up run
    p.write('docker-compose.yml', 'services:\n  migrate:\n    image: migrate/migrate\n');
    expect(read('up:\n\tdocker-compose run migrate -path /migrations -database postgres://h/db down 1\n')).toEqual([]);
  });

  it('interpolates $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, $$; a variable set nowhere is unknown', () => {
    expect(interpolate('$A/${B}/${C:-c}/${D-d}/${E:-e}/$$F/${G}', { A: 'a', B: 'b', D: '', E: '' })).toBe('a/b/c//e/$F/\0');
  });
});

describe('the -database URL (postgres.go Open)', () => {
  it('reads search_path and the x- options as the driver does', () => {
    // search_path is the server's to read (lib/pq sends it in the startup packet): a quoted name keeps its case, an unquoted one folds
    expect(urlSettings('postgres://h/db?search_path=App,%22Other%22&x-multi-statement=TRUE&x-multi-statement-max-size=0&x-migrations-table=%22m%22.%22v%22&x-migrations-table-quoted=1', 'M')).toEqual({
      searchPath: { value: 'App,"Other"', schemas: ['app', 'Other'] },
      migrationsTable: '"m"."v"',
      migrationsTableQuoted: true,
      multiStatement: true,
      multiStatementMaxSize: 10 * 1024 * 1024,
    });
    expect(urlSettings('mysql://h/db?x-multi-statement=true', 'M')).toBeUndefined();
  });

  it('refuses what stops migrate before it connects (ParseBool, Atoi, an unquoted table with -quoted)', () => {
    expect(() => urlSettings('postgres://h/db?x-multi-statement=yes', 'Makefile:3')).toThrow(/Makefile:3: migrate would stop before connecting: unable to parse option x-multi-statement/);
    expect(() => urlSettings('postgres://h/db?x-multi-statement-max-size=1k', 'M')).toThrow(InputError);
    expect(() => urlSettings('postgres://h/db?x-migrations-table=v&x-migrations-table-quoted=true', 'M')).toThrow(/must be quoted/);
  });

  it('names the bookkeeping table as WithConnection does: unquoted as written (dots too), quoted split into schema and table', () => {
    const settings = (table: string, quoted: boolean) => ({ migrationsTable: table, migrationsTableQuoted: quoted, multiStatement: false, multiStatementMaxSize: 1 });
    expect(migrationsTableOf(settings('app.versions', false), 'M')).toEqual({ table: 'app.versions' });
    expect(migrationsTableOf(settings('"app"."versions"', true), 'M')).toEqual({ schema: 'app', table: 'versions' });
    expect(migrationsTableOf(settings('"versions"', true), 'M')).toEqual({ table: 'versions' });
    expect(() => migrationsTableOf(settings('"a"."b"."c"', true), 'M')).toThrow(/too many dot characters/);
  });
});

describe('the runner as the Makefile configures it', () => {
  it('sets the search_path before its table, which lands in the first schema that exists (unqualified), and keeps the table out of drift', () => {
    const p = project({ Makefile: MAKEFILE, 'db/migrations/1_a.up.sql': 'SELECT 1;\n' });
    const folder = path.join(p.root, 'db/migrations');
    expect(golangMigrate.configuredFolders!(p.root, { projectRoot: p.root, env: {} })?.folders).toEqual([folder]);
    const configured = golangMigrate.forProject!(folder, { projectRoot: p.root, env: {} });
    expect(configured.bookkeepingSetup).toEqual({
      table: 'app.versions',
      sql: "SELECT pg_catalog.set_config('search_path', 'app,public', false);\nCREATE TABLE IF NOT EXISTS versions (version bigint not null primary key, dirty boolean not null)",
      failureHint: expect.stringContaining('sets search_path=app,public, and golang-migrate creates its table in the first of those schemas that exists'),
    });
    expect(configured.bookkeeping).toEqual(['app.versions', 'public.versions']);
    expect(configured.notices).toBeUndefined();
    expect(configured.plan).toBeUndefined();
  });

  it('a program that runs migrate itself: the postgres.Config of its Go code names the table, its schema and the multi-statement mode', () => {
    const goCode = (config: string) =>
      ['package db', '', 'import (', '\t"github.com/golang-migrate/migrate/v4"', '\t"github.com/golang-migrate/migrate/v4/database/postgres"', ')', '', 'const versionsTable = "app_versions"', '', 'func Up(db *sql.DB) error {', `\tdriver, err := postgres.WithInstance(db, &postgres.Config{${config}})`, '\t_ = driver', '\treturn err', '}', ''].join('\n');
    const p = project({ 'internal/db/migrate.go': goCode('MigrationsTable: versionsTable, SchemaName: "ops", MultiStatementEnabled: true'), 'migrations/1_a.up.sql': 'SELECT 1;\n' });
    const folder = path.join(p.root, 'migrations');
    const configured = golangMigrate.forProject!(folder, { projectRoot: p.root, env: {} });
    // golang-migrate never creates the schema (postgres.go ensureVersionTable): a replay failing there says so, and how
    // to make it (field: nhost/hasura-auth, SchemaName: "auth", where the Supabase hint alone misled)
    expect(configured.bookkeepingSetup).toEqual({
      table: 'ops.app_versions',
      sql: 'CREATE TABLE IF NOT EXISTS ops.app_versions (version bigint not null primary key, dirty boolean not null)',
      failureHint: expect.stringContaining("internal/db/migrate.go:11 puts golang-migrate's table in schema ops, which golang-migrate never creates"),
    });
    expect(configured.bookkeepingSetup!.failureHint).toContain('a file with CREATE SCHEMA ops;');
    expect(configured.bookkeeping).toContain('ops.app_versions');
    expect(configured.plan!('CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n', 'x.up.sql', '', {}).parts).toEqual([{ startLine: 0, endLine: 3, transaction: 'none' }]);
    // a value set elsewhere: said, and the defaults replayed
    p.write('internal/db/migrate.go', goCode('MigrationsTable: cfg.Table'));
    const unread = golangMigrate.forProject!(folder, { projectRoot: p.root, env: {} });
    expect(unread.bookkeepingSetup).toBeUndefined();
    expect(unread.notices).toEqual(["golang-migrate: the project's Go code configures the driver (internal/db/migrate.go:11 MigrationsTable: cfg.Table) with values pgdrift cannot read: golang-migrate's defaults are replayed unless a migrate up command says more"]);
    // a migrate up command of the project says its own settings: they win, the code's table is said and kept out of drift
    p.write('internal/db/migrate.go', goCode('MigrationsTable: "app_versions"'));
    p.write('Makefile', 'up:\n\tmigrate -path migrations -database "postgres://localhost/app" up\n');
    const both = golangMigrate.forProject!(folder, { projectRoot: p.root, env: {} });
    expect(both.bookkeepingSetup?.table).toBe('public.schema_migrations');
    expect(both.bookkeeping).toEqual(expect.arrayContaining(['public.schema_migrations', 'public.app_versions']));
    expect(both.notices?.join('\n')).toContain("the project's Go code configures the driver (internal/db/migrate.go:11");
  });

  it('x-multi-statement=true plans the file statement by statement; several up targets that disagree are said, not picked silently', () => {
    const p = project({
      Makefile: 'up:\n\tmigrate -path m -database "postgres://u:topsecret@h/db?x-multi-statement=true" up\nup-test:\n\tmigrate -path m -database "postgres://u:topsecret@h/test" up\n',
    });
    const configured = golangMigrate.forProject!(path.join(p.root, 'm'), { projectRoot: p.root, env: {} });
    expect(configured.plan!('CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n', 'x.up.sql', '', {}).parts).toEqual([{ startLine: 0, endLine: 3, transaction: 'none' }]);
    expect(configured.notices).toEqual([
      'golang-migrate: the project runs migrate up with different -database settings (Makefile:2 (target up): x-multi-statement=true; Makefile:4 (target up-test): the defaults): pgdrift replays as Makefile:2 (target up) does',
    ]);
    expect(configured.lint?.transactions).toMatch(/x-multi-statement=true .* each statement is its own implicit transaction/);
    expect(JSON.stringify(configured)).not.toContain('topsecret');
  });

  it('reads the Compose file\'s migrate service too, with .env for its interpolation', () => {
    const p = project({
      'compose.yaml': 'services:\n  migrate:\n    image: migrate/migrate\n    volumes: ["./migrations:/migrations"]\n    command: ["-path", "/migrations", "-database", "${APP_MIGRATE_DSN}", "up"]\n',
      '.env': 'APP_MIGRATE_DSN=postgres://u:pw@db/app?search_path=tenant&x-migrations-table=%22tenant%22.%22versions%22&x-migrations-table-quoted=true\n',
    });
    const folder = path.join(p.root, 'migrations');
    expect(golangMigrate.configuredFolders!(p.root, { projectRoot: p.root })?.setting).toBe('compose.yaml:2 (service migrate) (migrate -path /migrations)');
    const configured = golangMigrate.forProject!(folder, { projectRoot: p.root });
    expect(configured.bookkeepingSetup).toEqual({
      table: 'tenant.versions',
      sql: "SELECT pg_catalog.set_config('search_path', 'tenant', false);\nCREATE TABLE IF NOT EXISTS tenant.versions (version bigint not null primary key, dirty boolean not null)",
      failureHint: expect.stringContaining("compose.yaml:2 (service migrate) puts golang-migrate's table in schema tenant, which golang-migrate never creates"),
    });
    expect(configured.bookkeeping).toEqual(['tenant.versions']);
  });

  it('refuses a Makefile whose up targets name different folders, unless the folder found is one of them', () => {
    const p = project({ Makefile: 'a:\n\tmigrate -path db/one -database "$(URL)" up\nb:\n\tmigrate -path db/two -database "$(URL)" up\n' });
    expect(() => golangMigrate.configuredFolders!(p.root, { projectRoot: p.root, env: {} })).toThrow(/different migrations folders: Makefile:2 \(target a\): db\/one; Makefile:4 \(target b\): db\/two/);
    expect(golangMigrate.configuredFolders!(path.join(p.root, 'db/two'), { projectRoot: p.root, env: {} })).toBeUndefined();
  });
});

describe('multi-statement mode (multistmt.Parse: a cut after every ";", not SQL-aware)', () => {
  const pieces = (text: string) => multiStatementPieces(Buffer.from(text)).map((p) => Buffer.from(text).subarray(p.start, p.end).toString());

  it('cuts after each ";", inside dollar quotes, strings and comments too; the rest is a last piece', () => {
    expect(pieces("CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;\nSELECT 'a;b' -- c;\n")).toEqual([
      'CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1;',
      ' END;',
      ' $$ LANGUAGE plpgsql;',
      "\nSELECT 'a;",
      "b' -- c;",
      '\n',
    ]);
  });

  it('a function body with ";" fails as migrate fails: Postgres refuses the first piece', () => {
    const text = 'CREATE TABLE t (id int);\nCREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql;\n';
    const { parts, problem } = planMultiStatement(text, '2_f.up.sql', 10 * 1024 * 1024);
    expect(parts).toEqual([]);
    expect(problem?.message).toMatch(/^golang-migrate \(x-multi-statement\) cuts the file after every ";".*, and Postgres refuses the piece sent: unterminated dollar-quoted string/);
    expect(problem?.line).toBe(2);
  });

  it('a ";" in a line comment makes migrate send the rest of the comment as SQL: refused, whether Postgres rejects it or runs it', () => {
    const rejected = planMultiStatement('-- note; DROP TABLE keep\nCREATE TABLE t (id int);\n', '1_a.up.sql', 10 * 1024 * 1024).problem;
    expect([rejected?.message.endsWith('Postgres refuses the piece sent: syntax error at or near "CREATE"'), rejected?.line]).toEqual([true, 2]);
    const run = planMultiStatement('CREATE TABLE a (id int);\n-- keep; CREATE TABLE hidden (id int);\nSELECT 1;\n', '1_a.up.sql', 10 * 1024 * 1024).problem;
    expect(run?.message).toMatch(/the piece sent from line 2 is not the statement the file reads there/);
  });

  it('statements cut where the file ends them run one by one, two on a line too', () => {
    expect(planMultiStatement('CREATE TABLE t (id int); INSERT INTO t VALUES (1);\n-- done;\n', '1_a.up.sql', 10 * 1024 * 1024)).toEqual({ parts: [{ startLine: 0, endLine: 3, transaction: 'none' }] });
  });

  it('a piece longer than x-multi-statement-max-size (at least bufio\'s 4096-byte start buffer) stops migrate', () => {
    const long = `INSERT INTO t VALUES ('${'x'.repeat(5000)}');\n`;
    expect(planMultiStatement(long, 'a.up.sql', 100).problem?.message).toMatch(/bufio.Scanner: token too long/);
    expect(planMultiStatement(long, 'a.up.sql', 10000).problem).toBeUndefined();
    expect(planMultiStatement('SELECT 1;\n', 'a.up.sql', 1).problem).toBeUndefined();
  });
});
