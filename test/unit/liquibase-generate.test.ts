import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runnableText } from '../../src/migrations/discover.js';
import { readChangelog, type LiquibaseRun } from '../../src/runners/liquibase-changelog.js';
import { dataType, escape } from '../../src/runners/liquibase-generate.js';
import { substitute } from '../../src/runners/substitution.js';
import { REPO_ROOT } from '../helpers/cli.js';

/**
 * The SQL pgdrift generates for Liquibase's change types, changeset by changeset, against what `liquibase update-sql`
 * printed for the same changelogs (Liquibase 4.28.0, the npm `liquibase` package's bundled distribution, on
 * PostgreSQL 15.20): test/fixtures/runners/liquibase-generate/expected-<format>.sql hold its output, bookkeeping left out.
 */
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'runners', 'liquibase-generate');

/** What the replay sends of a run: its lines, with the run's substitutions (as discover.ts applies them). */
function sent(run: LiquibaseRun, text: string): string {
  const runnable = runnableText(text, [{ startLine: run.startLine, endLine: run.endLine, transaction: run.transaction }]);
  const starts = (t: string) => [0, ...[...t.matchAll(/\n/g)].map((m) => m.index! + 1)];
  const [from, to] = [starts(text), starts(runnable)];
  const move = (index: number) => {
    const line = from.filter((start) => start <= index).length - 1;
    return to[line] + (index - from[line]);
  };
  return substitute(runnable, run.substitutions.map((s) => ({ start: move(s.start), end: move(s.end), value: s.value }))).text.trim();
}

/** `-- Changeset <file>::<id>::<author>` blocks of update-sql's output, as `author:id` → statements. */
function expected(format: string): Map<string, string> {
  const out = new Map<string, string>();
  let current: string | undefined;
  for (const line of readFileSync(path.join(FIXTURE, `expected-${format}.sql`), 'utf8').split('\n')) {
    const header = /^-- Changeset [^:]+::([^:]+)::(.+)$/.exec(line);
    if (header) {
      current = `${header[2]}:${header[1]}`;
      out.set(current, '');
    } else if (current && line !== '') out.set(current, `${out.get(current)}${line}\n`);
  }
  return out;
}

function generated(format: string): Map<string, string> {
  const file = path.join(FIXTURE, `changelog.${format}`);
  const { runs } = readChangelog(file, { root: FIXTURE, searchPath: [FIXTURE] });
  const text = readFileSync(file, 'utf8');
  const out = new Map<string, string>();
  for (const run of runs) {
    expect(run.problem).toBeUndefined();
    out.set(run.changeSet, `${out.get(run.changeSet) ?? ''}${sent(run, text)}\n`);
  }
  // a changeset of tagDatabase alone sends nothing, and update-sql prints no statement for it
  for (const [key, value] of expected(format)) if (value === '') out.set(key, '');
  return out;
}

describe('liquibase change types: the SQL liquibase update-sql prints (Liquibase 4.28.0)', () => {
  for (const format of ['xml', 'yaml', 'json']) {
    it(`changelog.${format}, changeset by changeset`, () => {
      const want = expected(format);
      const got = generated(format);
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [changeSet, sql] of want) expect({ changeSet, sql: got.get(changeSet) }).toEqual({ changeSet, sql });
    });
  }
});

describe('liquibase names and types (AbstractPostgresDatabase, datatype/core)', () => {
  it('quotes mixed case, reserved words, digits first and non-word characters, as LEGACY quoting does', () => {
    expect(['orders', 'ItemCount', 'ORDERS', 'user', 'order', '1st', 'a-b', 'a b', 'snake_case']).toEqual(['orders', 'ItemCount', 'ORDERS', 'user', 'order', '1st', 'a-b', 'a b', 'snake_case']);
    expect(['orders', 'ItemCount', 'ORDERS', 'user', 'order', '1st', 'a-b', 'a b', 'snake_case'].map(escape)).toEqual(['orders', '"ItemCount"', 'ORDERS', '"user"', '"order"', '"1st"', '"a-b"', '"a b"', 'snake_case']);
  });

  it('maps Liquibase types to PostgreSQL ones', () => {
    const cases: [string, string][] = [
      ['DATETIME', 'TIMESTAMP WITHOUT TIME ZONE'], ['timestamptz', 'TIMESTAMP WITH TIME ZONE'], ['TIMESTAMP(3)', 'TIMESTAMP(3) WITHOUT TIME ZONE'],
      ['CLOB', 'TEXT'], ['BLOB', 'OID'], ['TINYINT', 'SMALLINT'], ['DOUBLE', 'DOUBLE PRECISION'], ['CURRENCY', 'DECIMAL'], ['uuid', 'UUID'],
      ['DECIMAL(10,2)', 'DECIMAL(10, 2)'], ['NUMERIC(12,4)', 'numeric(12, 4)'], ['character varying(20)', 'VARCHAR(20)'], ['NVARCHAR(10)', 'VARCHAR(10)'],
      ['java.sql.Types.VARCHAR(10)', 'VARCHAR(10)'], ['TIME', 'time WITHOUT TIME ZONE'], ['DATE', 'date'], ['jsonb', 'JSONB'], ['int[]', 'INT[]'], ['bit', 'BIT'],
    ];
    expect(cases.map(([written]) => [written, dataType(written).sql])).toEqual(cases);
    expect(dataType('serial')).toMatchObject({ sql: 'INTEGER', autoIncrement: true });
    expect(dataType('BIGINT', true)).toMatchObject({ sql: 'BIGINT', autoIncrement: true });
  });
});
