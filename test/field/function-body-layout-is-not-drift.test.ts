import { describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';

// Field: cerc-io/ipld-eth-db (goose; schema.sql written by pg_dump after `goose up` with the pre-v3
// github.com/pressly/goose/cmd/goose). goose v2 dropped every empty line of a migration, and every line starting with
// `--`, inside `-- +goose StatementBegin` blocks too (sql_parser.go "Ignore empty lines" / "Ignore comments"), so the
// team's database holds get_storage_at_by_number without the body's blank lines. pg_dump prints a body verbatim: the
// replay (goose v3 keeps them) differed from the snapshot in blank lines only, reported as a changed function.
const projects = tempProjects();

const body = (blank: string, comment: string, literal = 'done') => [
  'DECLARE',
  '    n int;',
  'BEGIN',
  '    SELECT count(*) INTO n FROM pg_class;',
  blank,
  '    -- indented comment, kept by goose v2',
  comment,
  `    RAISE NOTICE '${literal}: %', n;`,
  '    RETURN n;',
  'END;',
];

const migration = (lines: string[]) =>
  ['-- +goose Up', '-- +goose StatementBegin', 'CREATE FUNCTION public.count_classes() RETURNS int LANGUAGE plpgsql AS $$', ...lines, '$$;', '-- +goose StatementEnd', ''].join('\n');

/** The goose project, and a snapshot dumped from the same function as `snapshotLines` gives it. */
async function gooseProject(snapshotLines: string[]): Promise<string> {
  const theirs = projects({ 'db/migrations/00001_fn.sql': migration(snapshotLines.filter((line) => line !== '')) });
  const snapshot = (await dump({ cwd: theirs.root, engine: 'pglite' })).sql;
  const ours = projects({ 'db/migrations/00001_fn.sql': migration(body('', '-- a comment at column 0')), 'schema.sql': snapshot });
  ours.write('pgdrift.config.json', JSON.stringify({ snapshot: 'schema.sql' }));
  return ours.root;
}

describe('a plpgsql body whose layout differs from the snapshot', () => {
  it('without its blank lines and column-0 comment lines (goose v2): no drift', async () => {
    const result = await check({ cwd: await gooseProject(body('', '')), engine: 'pglite', lint: false });
    expect(result.drift).toEqual([]);
    expect(result.exitCode).toBe(0);
  }, 120_000);

  it('a changed string literal in the body is still drift', async () => {
    const result = await check({ cwd: await gooseProject(body('', '', 'finished')), engine: 'pglite', lint: false });
    expect(result.drift.map((d) => [d.kind, d.name, d.change])).toEqual([['function', 'public.count_classes', 'changed']]);
  }, 120_000);
});
