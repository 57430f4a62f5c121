import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempProjects } from '../helpers/project.js';

// `check --include privileges` reported a changed GRANT with no migration file:line ("no source position"): the
// history walker does not follow GRANT / REVOKE / ALTER DEFAULT PRIVILEGES, so every privilege item went
// unattributed (field sweep: grants planted in a dbmate history, Axbon/radler tenants_data, against a pg_dump 15.20
// db/schema.sql). Each is now traced to the last migration statement that set privileges on its object, on all
// objects of its kind in its schema, or, failing those, to the default privileges its schema had.
const project = tempProjects();

describe('privilege drift names the migration statement that granted it', () => {
  test('GRANT on a table, REVOKE on a function, ALTER DEFAULT PRIVILEGES and the grants it made', async () => {
    const p = project({
      'migrations/001_roles.sql': 'CREATE ROLE app_reader;\n',
      'migrations/002_tables.sql': [
        'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO app_reader;',
        'CREATE TABLE accounts (id serial PRIMARY KEY, email text);',
        'CREATE FUNCTION add1(i int) RETURNS int LANGUAGE sql AS $$ SELECT i + 1 $$;',
        '',
        'GRANT SELECT ON accounts TO app_reader;',
        'GRANT EXECUTE ON FUNCTION add1(int) TO app_reader;',
        '',
      ].join('\n'),
    });
    const env = { PGDRIFT_CACHE_DIR: path.join(p.root, '.cache') };
    const written = await runCli(['snapshot', '-q', '--no-docs', '-C', p.root], { env });
    expect({ code: written.code, stderr: written.stderr }).toMatchObject({ code: 0 });
    const clean = await runCli(['check', '-q', '--no-lint', '--include', 'privileges', '-C', p.root], { env });
    expect({ code: clean.code, stdout: clean.stdout }).toMatchObject({ code: 0 });

    // the planted changes: one line each
    p.write(
      'migrations/002_tables.sql',
      [
        'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON SEQUENCES TO app_reader;',
        'CREATE TABLE accounts (id serial PRIMARY KEY, email text);',
        'CREATE FUNCTION add1(i int) RETURNS int LANGUAGE sql AS $$ SELECT i + 1 $$;',
        '',
        'GRANT SELECT, INSERT ON accounts TO app_reader;',
        'REVOKE EXECUTE ON FUNCTION add1(int) FROM PUBLIC;',
        '',
      ].join('\n'),
    );
    const check = await runCli(['check', '-q', '--no-lint', '--include', 'privileges', '-C', p.root, '--format', 'json'], { env });
    expect(check.code).toBe(1);
    const drift = JSON.parse(check.stdout).drift as Array<{ kind: string; name: string; source: { migration?: { file: string; line: number } } }>;
    const where = (pattern: RegExp) =>
      drift.filter((item) => pattern.test(item.name)).map((item) => `${item.source.migration?.file}:${item.source.migration?.line}`);
    expect(drift.length).toBeGreaterThanOrEqual(4);
    // every privilege item is attributed
    expect(drift.filter((item) => item.source.migration === undefined).map((item) => item.name)).toEqual([]);
    expect(where(/ON public\.accounts TO app_reader/)).toEqual(['migrations/002_tables.sql:5', 'migrations/002_tables.sql:5']);
    expect(where(/FUNCTION public\.add1/).every((at) => at === 'migrations/002_tables.sql:6')).toBe(true);
    expect(where(/^ALTER DEFAULT PRIVILEGES/)).toEqual(['migrations/002_tables.sql:1', 'migrations/002_tables.sql:1']);
    // the serial's sequence got its privileges from the defaults when the table was created
    expect(where(/ON SEQUENCE public\.accounts_id_seq/).every((at) => at === 'migrations/002_tables.sql:1')).toBe(true);
  }, 120_000);

  // publications, event triggers and statistics objects are not followed by the history walker either: their drift
  // items had no file:line (field sweep, the same radler history)
  test('a publication, an event trigger and a statistics object the snapshot lacks name their CREATE line', async () => {
    const p = project({
      'migrations/001_init.sql': 'CREATE TABLE accounts (id int PRIMARY KEY, price int, qty int);\n',
      'migrations/002_more.sql': '',
    });
    const env = { PGDRIFT_CACHE_DIR: path.join(p.root, '.cache') };
    const written = await runCli(['snapshot', '-q', '--no-docs', '-C', p.root], { env });
    expect({ code: written.code, stderr: written.stderr }).toMatchObject({ code: 0 });
    p.write(
      'migrations/002_more.sql',
      [
        "CREATE PUBLICATION changes WITH (publish = 'insert');",
        'CREATE STATISTICS accounts_price_qty ON price, qty FROM accounts;',
        'CREATE FUNCTION on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;',
        'CREATE EVENT TRIGGER log_ddl ON ddl_command_end EXECUTE FUNCTION on_ddl();',
        '',
      ].join('\n'),
    );
    const check = await runCli(['check', '-q', '--no-lint', '-C', p.root, '--format', 'json'], { env });
    expect(check.code).toBe(1);
    const drift = JSON.parse(check.stdout).drift as Array<{ name: string; source: { migration?: { file: string; line: number } } }>;
    expect(drift.map((item) => [item.name, `${item.source.migration?.file}:${item.source.migration?.line}`]).sort()).toEqual([
      ['changes', 'migrations/002_more.sql:1'],
      ['log_ddl', 'migrations/002_more.sql:4'],
      ['public.accounts_price_qty', 'migrations/002_more.sql:2'],
      ['public.on_ddl', 'migrations/002_more.sql:3'],
    ]);
  }, 120_000);
});
