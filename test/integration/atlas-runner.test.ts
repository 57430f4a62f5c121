import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempProjects } from '../helpers/project.js';

/** `pgdrift check` on a small Atlas project (ariga/atlas `atlas migrate apply`), end to end through the CLI on PGlite. */
const project = tempProjects();

const MIGRATIONS: Record<string, string> = {
  // before the checkpoint: never run on a new database (replayed, the checkpoint's CREATE TABLE would fail: 42P07)
  '20240101000000_init.sql': 'CREATE TABLE "users" ("id" bigint NOT NULL, PRIMARY KEY ("id"));\n',
  '20240102000000_checkpoint.sql': '-- atlas:checkpoint\n\nCREATE TABLE "users" ("id" bigint NOT NULL, "email" text NOT NULL, PRIMARY KEY ("id"));\n',
  // only outside a transaction
  '20240103000000_index.sql': '-- atlas:txmode none\n\nCREATE INDEX CONCURRENTLY "users_email_idx" ON "users" ("email");\n',
  // statements cut at blank lines, no semicolons (sql/migrate/testdata/lex/3_delimiter.sql's shape)
  '20240104000000_function.sql':
    "-- atlas:delimiter \\n\\n\n\nCREATE FUNCTION \"email_domain\"(e text) RETURNS text LANGUAGE sql AS $$\nSELECT split_part(e, '@', 2);\n\nSELECT 'x'\n$$\n\nCOMMENT ON FUNCTION \"email_domain\"(text) IS 'domain of an e-mail'\n",
};

const SNAPSHOT = `CREATE TABLE public.users (id bigint NOT NULL, email text NOT NULL, PRIMARY KEY (id));
CREATE INDEX users_email_idx ON public.users USING btree (email);
CREATE FUNCTION public.email_domain(e text) RETURNS text LANGUAGE sql AS $$
SELECT split_part(e, '@', 2);

SELECT 'x'
$$;
COMMENT ON FUNCTION public.email_domain(text) IS 'domain of an e-mail';
`;

/** atlas.sum as `atlas migrate hash` writes it (ariga/atlas sql/migrate/dir.go NewHashFile, HashFile.Sum, MarshalText). */
function atlasSum(files: Record<string, string>): string {
  const running = createHash('sha256');
  const entries = Object.keys(files)
    .sort()
    .map((name) => [name, running.update(name).update(files[name]).copy().digest('base64')]);
  const total = createHash('sha256');
  for (const [name, hash] of entries) total.update(name).update(hash);
  return `h1:${total.digest('base64')}\n${entries.map(([name, hash]) => `${name} h1:${hash}\n`).join('')}`;
}

function atlasProject() {
  const sum = atlasSum(MIGRATIONS);
  return project({
    ...Object.fromEntries(Object.entries(MIGRATIONS).map(([name, text]) => [`migrations/${name}`, text])),
    'migrations/atlas.sum': sum,
    'atlas.hcl': 'env "local" {\n  url = getenv("DATABASE_URL")\n  migration {\n    dir = "file://migrations"\n  }\n}\n',
    'docs/architecture/schema-actual-2024-01-04.sql': SNAPSHOT,
  });
}

describe('pgdrift check on an Atlas project', () => {
  it('replays from the latest checkpoint, the txmode none file outside a transaction and the delimiter file by its blank lines: no drift', async () => {
    const p = atlasProject();
    const result = await runCli(['check', '--engine', 'pglite', '--no-lint', '--no-cache'], { cwd: p.root });
    expect(result.stderr).toContain('runner atlas detected in migrations/');
    expect(result.stdout).toContain('✔ replay: 3 files applied');
    expect(result.stdout).toContain('✔ no drift');
    expect(result.code).toBe(0);
  });

  it('refuses the folder when a file no longer matches atlas.sum, naming the line and the file, as atlas migrate apply does', async () => {
    const p = atlasProject();
    const edited = path.join(p.root, 'migrations', '20240103000000_index.sql');
    writeFileSync(edited, readFileSync(edited, 'utf8').replace('CONCURRENTLY ', ''));
    const result = await runCli(['check', '--engine', 'pglite', '--no-lint', '--no-cache'], { cwd: p.root });
    expect(result.stderr).toContain('the atlas runner would refuse migrations/');
    expect(result.stderr).toContain('atlas.sum:4: 20240103000000_index.sql was edited');
    expect(result.code).toBe(2);
  });

  it('check --write-migration adds the file and re-hashes atlas.sum with it, so the next check replays the folder clean', async () => {
    const p = atlasProject();
    // the team's database has a column the migrations lack
    p.write('docs/architecture/schema-actual-2024-01-05.sql', SNAPSHOT.replace('email text NOT NULL,', 'email text NOT NULL, nickname text,'));
    const written = await runCli(['check', '--engine', 'pglite', '--no-lint', '--no-cache', '--write-migration', 'add_nickname'], { cwd: p.root });
    expect(written.code).toBe(1);
    const sum = readFileSync(path.join(p.root, 'migrations', 'atlas.sum'), 'utf8');
    const added = sum.split('\n').find((line) => line.includes('_add_nickname.sql'));
    expect(added).toMatch(/^\d{14}_add_nickname\.sql h1:/);
    const again = await runCli(['check', '--engine', 'pglite', '--no-lint', '--no-cache'], { cwd: p.root });
    expect(again.stderr).not.toContain('would refuse');
    expect(again.stdout).toContain('✔ replay: 4 files applied');
    expect(again.stdout).toContain('✔ no drift');
    expect(again.code).toBe(0);
  });

  // sql/sqltool/tool.go GolangMigrateDir: Atlas applies (and atlas.sum lists) the *.up.sql files only. The fix file was
  // written as `<version>_<name>.sql`, which Atlas never applies, and atlas.sum was left without it
  it('check --write-migration in a golang-migrate directory (?format=golang-migrate) writes a .up.sql file and re-hashes the .up.sql files', async () => {
    const up = { '1_users.up.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n' };
    const p = project({
      'migrations/1_users.up.sql': up['1_users.up.sql'],
      'migrations/1_users.down.sql': 'DROP TABLE users;\n',
      'migrations/atlas.sum': atlasSum(up),
      Makefile: 'migrate:\n\tatlas migrate apply --env local\n',
      'atlas.hcl': 'env "local" {\n  url = getenv("DATABASE_URL")\n  migration {\n    dir = "file://migrations?format=golang-migrate"\n  }\n}\n',
      'docs/architecture/schema-actual-2024-01-05.sql': 'CREATE TABLE public.users (id bigint NOT NULL, email text NOT NULL, nickname text, PRIMARY KEY (id));\n',
    });
    const written = await runCli(['check', '--engine', 'pglite', '--no-lint', '--no-cache', '--write-migration', 'add_nickname'], { cwd: p.root });
    expect(written.code).toBe(1);
    const sum = readFileSync(path.join(p.root, 'migrations', 'atlas.sum'), 'utf8');
    const names = sum.trim().split('\n').slice(1).map((line) => line.split(' ')[0]);
    expect(names).toEqual(['1_users.up.sql', '2_add_nickname.up.sql']);
    const again = await runCli(['check', '--engine', 'pglite', '--no-lint', '--no-cache'], { cwd: p.root });
    expect(again.stderr).toContain('runner atlas detected');
    expect(again.stderr).not.toContain('would refuse');
    expect(again.stdout).toContain('✔ replay: 2 files applied');
    expect(again.stdout).toContain('✔ no drift');
    expect(again.code).toBe(0);
  });

  // applied by golang-migrate, generated by `atlas migrate diff --dir-format golang-migrate` (which keeps atlas.sum):
  // a fix file added without re-hashing made the team's next atlas command refuse the folder
  it('check --write-migration in a golang-migrate folder that holds an atlas.sum re-hashes it with the new .up.sql file', async () => {
    const up = { '1_users.up.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n' };
    const p = project({
      'migrations/1_users.up.sql': up['1_users.up.sql'],
      'migrations/1_users.down.sql': 'DROP TABLE users;\n',
      'migrations/atlas.sum': atlasSum(up),
      'docs/architecture/schema-actual-2024-01-05.sql': 'CREATE TABLE public.users (id bigint NOT NULL, email text NOT NULL, nickname text, PRIMARY KEY (id));\n',
    });
    const written = await runCli(['check', '--engine', 'pglite', '--no-lint', '--no-cache', '--write-migration', 'add_nickname'], { cwd: p.root });
    expect(written.stderr).toContain('runner golang-migrate detected');
    expect(written.stderr).toContain('wrote migrations/2_add_nickname.up.sql');
    const fixed = { ...up, '2_add_nickname.up.sql': readFileSync(path.join(p.root, 'migrations', '2_add_nickname.up.sql'), 'utf8') };
    expect(readFileSync(path.join(p.root, 'migrations', 'atlas.sum'), 'utf8')).toBe(atlasSum(fixed));
  });
});
