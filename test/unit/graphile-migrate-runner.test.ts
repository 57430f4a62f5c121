import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveProject } from '../../src/config/project.js';
import { detectRunner } from '../../src/runners/index.js';
import { graphileMigrate, literalSettings, parseJson5 } from '../../src/runners/graphile-migrate.js';
import { substitute } from '../../src/runners/substitution.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Graphile Migrate (graphile/migrate 54ea390): src/migration.ts getAllMigrations (committed/ names, headers, the hash
 * chain), runCommittedMigration (hash check, AllowInvalidHash), runStringMigration (transaction, --! no-transaction),
 * generatePlaceholderReplacement; src/actions.ts (afterReset SQL actions); src/commands/_common.ts (.gmrc JSON5).
 */
const project = tempProjects();

beforeAll(() => loadSqlParser());

/** What `graphile-migrate commit` writes (migration.ts serializeMigration, hash.ts calculateHash), written here apart from src/. */
function committed(bodies: string[], extra: Record<number, string> = {}): Record<string, string> {
  const files: Record<string, string> = {};
  let previous: string | null = null;
  bodies.forEach((raw, i) => {
    const body = `${raw.trim()}\n`;
    const hash = `sha1:${createHash('sha1').update(`${`${previous ?? ''}\n${body.trim()}`.trim()}\n`).digest('hex')}`;
    const number = String(i + 1).padStart(6, '0');
    files[`migrations/committed/${number}${extra[i + 1] ?? ''}.sql`] = `--! Previous: ${previous ?? '-'}\n--! Hash: ${hash}\n\n${body}`;
    previous = hash;
  });
  return files;
}

const GMRC = `{
  // comments, unquoted keys and trailing commas: JSON5
  placeholders: { ':APP_ROLE': 'app_user', },
  "afterReset": ["afterReset.sql"],
}`;

describe('graphile-migrate discovery', () => {
  it('committed/NNNNNN[-message].sql in number order, after the afterReset SQL actions; current.sql and other names left out', () => {
    const p = project({
      ...committed(['create table a (id int);', 'create table b (id int);', 'create table c (id int);'], { 2: '-add-b' }),
      'migrations/committed/notes.sql': 'select 1;',
      'migrations/current.sql': 'create table wip (id int);\n',
      'migrations/afterReset.sql': 'create schema app;\n',
      '.gmrc': GMRC,
    });
    const found = graphileMigrate.discover(`${p.root}/migrations`, { projectRoot: p.root });
    expect(found.migrations.map((m) => [m.name, m.version])).toEqual([
      ['afterReset.sql', undefined],
      ['committed/000001.sql', '000001'],
      ['committed/000002-add-b.sql', '000002'],
      ['committed/000003.sql', '000003'],
    ]);
    expect(found.problems).toEqual([]);
    expect(found.ignored.map((f) => [f.name, f.expected ?? false])).toEqual([
      ['committed/notes.sql', false],
      ['current.sql', true],
    ]);
    expect(detectRunner(`${p.root}/migrations`, p.root).runner.name).toBe('graphile-migrate');
    const resolved = resolveProject({ cwd: p.root });
    expect(resolved.runner.notices?.join('\n')).toMatch(/current\.sql, the current migration, holds SQL that is not committed/);
  });

  // field: malindakpt/microfrontends services/id/service (settings with placeholders passed to the library's migrate() in
  // src/migrations/migrations.settings.ts, no .gmrc): the replay failed at "database \":DB_NAME\" does not exist", which
  // read as the project's own bug
  it('no .gmrc: the placeholders committed migrations use are named as left unreplaced (the settings are in code)', () => {
    const files = committed(['GRANT CONNECT ON DATABASE ":DB_NAME" TO :DB_USER;\nSELECT 1::INT, \'12:00\', :DATABASE_NAME;']);
    const { runner } = resolveProject({ cwd: project(files).root });
    expect(runner.notices).toEqual([expect.stringMatching(/^graphile-migrate: no \.gmrc .*the placeholders :DB_NAME, :DB_USER that committed migrations use are left as written/)]);
    const configured = resolveProject({ cwd: project({ ...files, '.gmrc': '{ "placeholders": { ":DB_NAME": "app", ":DB_USER": "app" } }' }).root });
    expect((configured.runner.notices ?? []).join('\n')).not.toContain('left as written');
  });

  it('a .gmrc that is not valid JSON5 stops graphile-migrate (commands/_common.ts getSettings): refused at its line and column, nothing replayed', () => {
    const { root } = project({ ...committed(['create table a (id int);']), '.gmrc': '{\n  placeholders: { ":A": "b" \n' });
    expect(() => resolveProject({ cwd: root })).toThrow(/^\.gmrc:3:1: not valid JSON5 \(JSON5: invalid end of input at 3:1\): graphile-migrate stops on it$/);
  });

  it('a broken hash chain, or a missing Previous header, stops graphile-migrate before anything runs', () => {
    const files = committed(['create table a (id int);', 'create table b (id int);']);
    const second = 'migrations/committed/000002.sql';
    const broken = project({ ...files, [second]: files[second].replace(/^--! Previous: sha1:\w+/, '--! Previous: sha1:0000') });
    expect(graphileMigrate.discover(`${broken.root}/migrations`, { projectRoot: broken.root }).problems).toEqual([expect.stringMatching(/^committed\/000002\.sql:1: its --! Previous: sha1:0000 is not the hash of committed\/000001\.sql/)]);
    const headless = project({ ...files, [second]: files[second].replace(/^--! Previous: .*\n/, '') });
    expect(graphileMigrate.discover(`${headless.root}/migrations`, { projectRoot: headless.root }).problems).toEqual([expect.stringMatching(/^committed\/000002\.sql: no '--! Previous:' header/)]);
    // headers must be followed by an empty line (parseMigrationText strict); CRLF line endings fail it
    const crlf = project({ ...files, [second]: files[second].replace(/\n/g, '\r\n') });
    expect(graphileMigrate.discover(`${crlf.root}/migrations`, { projectRoot: crlf.root }).problems[0]).toMatch(/^committed\/000002\.sql:1: there should be two newlines after the headers section/);
  });
});

describe('graphile-migrate plan', () => {
  it('the body after the headers, in a transaction; --! no-transaction on its first line sends it as one query', () => {
    const files = committed(['create table a (id int);', '--! no-transaction\ncreate index concurrently a_id on a (id);']);
    const first = graphileMigrate.plan(files['migrations/committed/000001.sql'], 'committed/000001.sql', '/nowhere/migrations');
    expect(first).toEqual({ parts: [{ startLine: 2, endLine: 5, transaction: 'wrapped' }] });
    const second = graphileMigrate.plan(files['migrations/committed/000002.sql'], 'committed/000002.sql', '/nowhere/migrations');
    expect(second.parts).toEqual([{ startLine: 2, endLine: 6, transaction: 'implicit' }]);
  });

  it('an edited committed file is refused at its Hash line, as graphile-migrate refuses it; --! AllowInvalidHash lets it run', () => {
    const text = committed(['create table a (id int);'])['migrations/committed/000001.sql'];
    const edited = text.replace('(id int)', '(id bigint)');
    const refused = graphileMigrate.plan(edited, 'committed/000001.sql', '/nowhere/migrations');
    expect(refused.problem).toMatchObject({ line: 2, column: 1 });
    expect(refused.problem?.message).toMatch(/^the file's hash is sha1:\w+, not its --! Hash: sha1:\w+: graphile-migrate refuses it/);
    const allowed = edited.replace('\n\n', '\n--! AllowInvalidHash\n\n');
    expect(graphileMigrate.plan(allowed, 'committed/000001.sql', '/nowhere/migrations').problem).toBeUndefined();
    // AllowInvalidHash on a file whose hash matches is refused too
    expect(graphileMigrate.plan(text.replace('\n\n', '\n--! AllowInvalidHash\n\n'), 'committed/000001.sql', '/nowhere/migrations').problem?.line).toBe(3);
  });

  it('placeholders: the .gmrc ones, :DATABASE_NAME and :DATABASE_OWNER, replaced where a word boundary follows; !ENV from the environment', () => {
    const p = project({
      ...committed(['grant select on t to :APP_ROLE;\ncomment on table t is \':DATABASE_NAME/:DATABASE_OWNER/:APP_ROLEX/:VISITOR\';']),
      '.gmrc': `{ placeholders: { ':APP_ROLE': 'app_user', ':VISITOR': '!ENV' }, connectionString: 'postgres://owner_role@localhost/appdb' }`,
    });
    const text = committed(['grant select on t to :APP_ROLE;\ncomment on table t is \':DATABASE_NAME/:DATABASE_OWNER/:APP_ROLEX/:VISITOR\';'])['migrations/committed/000001.sql'];
    const plan = graphileMigrate.plan(text, 'committed/000001.sql', `${p.root}/migrations`, { projectRoot: p.root, env: { VISITOR: 'web_visitor' } });
    const replaced = substitute(text, plan.substitutions ?? []).text;
    expect(replaced).toContain('grant select on t to app_user;');
    // :APP_ROLEX is no placeholder (no word boundary after :APP_ROLE); the headers are left alone; :DATABASE_NAME is
    // the replay's database (appdb, the connection's, does not exist there), the owner the connection's user
    expect(replaced).toContain("'postgres/owner_role/:APP_ROLEX/web_visitor'");
    const onServer = graphileMigrate.plan(text, 'committed/000001.sql', `${p.root}/migrations`, { projectRoot: p.root, env: { VISITOR: 'web_visitor' }, replayDatabase: 'pgdrift_1_a_b' });
    expect(substitute(text, onServer.substitutions ?? []).text).toContain("'pgdrift_1_a_b/owner_role/");
    expect(graphileMigrate.forProject!(`${p.root}/migrations`, { projectRoot: p.root, env: {} }).rolesBeforeMigrations).toEqual(['owner_role']);
    expect(replaced.startsWith('--! Previous: -\n')).toBe(true);
    // an unknown !ENV: a stand-in and a notice
    const unset = graphileMigrate.plan(text, 'committed/000001.sql', `${p.root}/migrations`, { projectRoot: p.root, env: {} });
    expect(substitute(text, unset.substitutions ?? []).text).toContain('/visitor\'');
    expect(graphileMigrate.forProject!(`${p.root}/migrations`, { projectRoot: p.root, env: {} }).notices?.join('\n')).toMatch(/placeholders :VISITOR take their value from the environment/);
  });

  it('afterReset: SQL files run before the migrations as one query each, with placeholders; command actions are a notice', () => {
    const p = project({
      ...committed(['create table app.a (id int);']),
      'migrations/afterReset.sql': 'create schema app;\ngrant usage on schema app to :DATABASE_OWNER;\n',
      'migrations/shadowOnly.sql': 'select 1;\n',
      '.gmrc': `{ "afterReset": ["!afterReset.sql", { "_": "sql", "file": "shadowOnly.sql", "shadow": true }, { "_": "command", "command": "yarn worker install-db-schema" }] }`,
    });
    const folder = `${p.root}/migrations`;
    expect(graphileMigrate.discover(folder, { projectRoot: p.root }).migrations.map((m) => m.name)).toEqual(['afterReset.sql', 'committed/000001.sql']);
    const text = 'create schema app;\ngrant usage on schema app to :DATABASE_OWNER;\n';
    const plan = graphileMigrate.plan(text, 'afterReset.sql', folder, { projectRoot: p.root, env: {} });
    expect(plan.parts).toEqual([{ startLine: 0, endLine: 3, transaction: 'implicit' }]);
    expect(substitute(text, plan.substitutions ?? []).text).toContain('to postgres;');
    const settings = graphileMigrate.forProject!(folder, { projectRoot: p.root, env: {} });
    expect(settings.notices?.join('\n')).toMatch(/runs command actions pgdrift cannot replay \(yarn worker install-db-schema\)/);
    // each file starts on a session put back as a new connection has it (an action's SETs stay on its own connection)
    expect(settings.sessionBeforeEachFile).toEqual(['RESET ALL', 'RESET ROLE', 'SET search_path TO "$user", public']);
    expect(settings.lint?.fileNamePattern.test('afterReset.sql')).toBe(true);
    expect(settings.lint?.fileNamePattern.test('other.sql')).toBe(false);
  });
});

describe('.gmrc settings', () => {
  it('JSON5: comments, unquoted keys, single quotes, trailing commas', () => {
    expect(parseJson5(`{ /* c */ a: 'x\\'y', "b": [1, 2,], // d\n c: { 'd': true, }, }`)).toEqual({ a: "x'y", b: [1, 2], c: { d: true } });
  });

  it('a .gmrc.cjs is not evaluated: only settings written as literals are read, and a notice says so', () => {
    const js = `const { parsed: config } = require("dotenv").config()\nmodule.exports = {\n  connectionString: \`postgres://\${config.USER}@h/db\`,\n  // migrationsFolder: "./elsewhere",\n  "pgSettings": { search_path: "app_public,public" },\n  "placeholders": { ":VISITOR": "!ENV" },\n  afterReset: ["!afterReset.sql", { _: "command", command: "echo hi" }],\n}\n`;
    expect(literalSettings(js)).toEqual({ pgSettings: { search_path: 'app_public,public' }, placeholders: { ':VISITOR': '!ENV' }, afterReset: ['!afterReset.sql', { _: 'command', command: 'echo hi' }] });
    const p = project({ ...committed(['select 1;']), 'migrations/afterReset.sql': 'select 1;\n', '.gmrc.cjs': js });
    const settings = graphileMigrate.forProject!(`${p.root}/migrations`, { projectRoot: p.root, env: { VISITOR: 'v' } });
    expect(settings.notices?.[0]).toMatch(/\.gmrc\.cjs is JavaScript, which pgdrift does not evaluate: only the settings written there as literals are read \(placeholders, pgSettings, afterReset\)/);
    expect(settings.sessionSearchPath).toEqual(['app_public', 'public']);
    expect(settings.bookkeepingSetup?.sql).toMatch(/^SELECT pg_catalog\.set_config\('search_path', 'app_public,public', false\);\ncreate schema if not exists graphile_migrate;/);
  });

  it('a monorepo package with a .gmrc is found below the root (graphile/starter: @app/db/.gmrc, @app/db/migrations)', () => {
    const p = project(Object.fromEntries(Object.entries({ ...committed(['create table a (id int);']), '.gmrc': '{}' }).map(([file, text]) => [`@app/db/${file}`, text])));
    const resolved = resolveProject({ cwd: p.root });
    expect(resolved.migrationsDir).toBe(`${p.root}/@app/db/migrations`);
    expect(resolved.runner.name).toBe('graphile-migrate');
  });
});
