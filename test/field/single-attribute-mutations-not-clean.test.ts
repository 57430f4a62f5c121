import { beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { diff } from '../../src/commands/diff.js';
import { diffModels } from '../../src/diff/diff.js';
import { buildSchemaModel } from '../../src/model/build.js';
import { renderReport } from '../../src/report/index.js';
import { loadSqlParser } from '../../src/sql/parse.js';

beforeAll(loadSqlParser);

// Field sweep (branch field-mutations): a pg_dump 15.20 --schema-only of a schema using every kind of object, and
// one dump per single-attribute mutation (ALTER ... on the server, then pg_dump again). Each of these pairs compared
// as "no differences". The lines below are pg_dump 15.20's own text of the mutated objects.

const HEADER = `--
-- PostgreSQL database dump
--

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);

CREATE SCHEMA app;
`;

const TABLES = `
SET default_tablespace = '';

SET default_table_access_method = heap;

CREATE TABLE app.orgs (
    id bigint NOT NULL
);

CREATE TABLE app.users (
    id integer NOT NULL,
    nick text,
    first text,
    last text
);
`;

/** The items of `diff a b` (a: before, b: after), compared from the models as `diff --no-canonicalize` compares them. */
function differences(before: string, after: string): string[] {
  const a = buildSchemaModel(HEADER + before, 'a.sql');
  const b = buildSchemaModel(HEADER + after, 'b.sql');
  return diffModels(b, a).map((item) => `${item.kind} ${item.name} ${item.change}`);
}

describe('a single-attribute change pg_dump prints is a difference', () => {
  // ALTER TABLE app.cache SET ACCESS METHOD heap2: pg_dump names it only by SET default_table_access_method
  test('a table access method', () => {
    const heap = `${TABLES}\nCREATE TABLE app.cache (k text);\n`;
    const heap2 = `${TABLES}\nSET default_table_access_method = heap2;\n\nCREATE TABLE app.cache (k text);\n\nSET default_table_access_method = heap;\n`;
    expect(differences(heap, heap2)).toEqual(['table app.cache changed']);
    expect(differences(heap, `${TABLES}\nCREATE TABLE app.cache (k text) USING heap2;\n`)).toEqual(['table app.cache changed']);
  });

  test('a materialized view access method', () => {
    const view = 'CREATE MATERIALIZED VIEW app.stats AS\n SELECT orgs.id\n   FROM app.orgs\n  WITH NO DATA;\n';
    expect(differences(`${TABLES}\n${view}`, `${TABLES}\nSET default_table_access_method = heap2;\n\n${view}`)).toEqual(['materialized_view app.stats changed']);
  });

  // pg_dump writes no SET before a partitioned table (it has no storage): the SET in force is another table's
  test('a SET default_table_access_method left in force does not give a partitioned table an access method', () => {
    const parted = 'CREATE TABLE app.events (at timestamp with time zone NOT NULL)\nPARTITION BY RANGE (at);\n';
    expect(differences(`${TABLES}\n${parted}`, `${TABLES}\nSET default_table_access_method = heap2;\n\nCREATE TABLE app.t (a int);\n\n${parted}`)).toEqual([
      'table app.t added',
    ]);
  });

  test('UNLOGGED of a sequence', () => {
    const sequence = (unlogged: string) => `CREATE ${unlogged}SEQUENCE app.s\n    START WITH 1\n    INCREMENT BY 1\n    NO MINVALUE\n    NO MAXVALUE\n    CACHE 1;\n`;
    expect(differences(sequence('UNLOGGED '), sequence(''))).toEqual(['sequence app.s changed']);
  });

  // the deparser printed UNIQUE (nick) DEFERRABLE for all of these
  test.each([
    ['INCLUDE columns', "UNIQUE (nick) INCLUDE (first) WITH (fillfactor='70') DEFERRABLE", "UNIQUE (nick) INCLUDE (last) WITH (fillfactor='70') DEFERRABLE"],
    ['index storage parameters', "UNIQUE (nick) INCLUDE (first) WITH (fillfactor='70') DEFERRABLE", "UNIQUE (nick) INCLUDE (first) WITH (fillfactor='50') DEFERRABLE"],
    ['a primary key fillfactor', 'PRIMARY KEY (id)', "PRIMARY KEY (id) WITH (fillfactor='50')"],
    ['an index tablespace', 'PRIMARY KEY (id)', 'PRIMARY KEY (id) USING INDEX TABLESPACE fast'],
    ['exclusion INCLUDE', 'EXCLUDE USING gist (id WITH =) WHERE ((nick IS NOT NULL))', 'EXCLUDE USING gist (id WITH =) INCLUDE (nick) WHERE ((nick IS NOT NULL))'],
  ])("a key constraint's %s", (_what, before, after) => {
    const constraint = (definition: string) => `${TABLES}\nALTER TABLE ONLY app.users\n    ADD CONSTRAINT users_k ${definition};\n`;
    expect(differences(constraint(before), constraint(after))).toEqual(['constraint app.users.users_k changed']);
  });

  test('the index parameters keep their place in the definition', () => {
    const model = buildSchemaModel(
      `${HEADER}${TABLES}\nALTER TABLE ONLY app.users\n    ADD CONSTRAINT x EXCLUDE USING gist (id WITH =) INCLUDE (nick) WITH (fillfactor='70') WHERE ((nick IS NOT NULL)) DEFERRABLE;\n`,
      'a.sql',
    );
    expect(model.tables.find((t) => t.name === 'users')!.constraints[0].definition).toBe(
      "EXCLUDE USING gist (id WITH =) INCLUDE (nick) WITH (fillfactor='70') WHERE (nick IS NOT NULL) DEFERRABLE",
    );
  });

  test("an operator class's parameters in an index", () => {
    const index = (siglen: number) => `${TABLES}\nCREATE INDEX users_trgm_idx ON app.users USING gist (nick ext.gist_trgm_ops (siglen='${siglen}'));\n`;
    expect(differences(index(32), index(64))).toEqual(['index app.users.users_trgm_idx changed']);
  });

  test("a constraint trigger's FROM table", () => {
    const trigger = (from: string) =>
      `${TABLES}\nCREATE CONSTRAINT TRIGGER users_ctrig AFTER UPDATE ON app.users ${from}DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app.audit_fn();\n`;
    expect(differences(trigger(''), trigger('FROM app.orgs '))).toEqual(['trigger app.users.users_ctrig changed']);
  });

  test("LOGGED of an unlogged table's identity sequence", () => {
    const identity = (logged: string) =>
      `\nCREATE UNLOGGED TABLE app.t (\n    c integer NOT NULL\n);\n\nALTER TABLE app.t ALTER COLUMN c ADD GENERATED ALWAYS AS IDENTITY (\n    SEQUENCE NAME app.t_c_seq\n${logged}    START WITH 1\n    INCREMENT BY 1\n    NO MINVALUE\n    NO MAXVALUE\n    CACHE 1\n);\n`;
    expect(differences(identity(''), identity('    LOGGED\n'))).toEqual(['column app.t.c changed']);
  });

  // it was dropped as "implied by the partition tree": a partition's index need not be attached (CREATE INDEX ON ONLY)
  test("ALTER INDEX ... ATTACH PARTITION of a partition's index", () => {
    const tree = `\nCREATE TABLE app.t (\n    p integer,\n    a integer\n)\nPARTITION BY LIST (p);\n\nCREATE TABLE app.t1 (\n    p integer,\n    a integer\n);\n\nALTER TABLE ONLY app.t ATTACH PARTITION app.t1 FOR VALUES IN (1);\n\nCREATE INDEX i ON ONLY app.t USING btree (a);\n\nCREATE INDEX i1 ON app.t1 USING btree (a);\n`;
    expect(differences(tree, `${tree}\nALTER INDEX app.i ATTACH PARTITION app.i1;\n`)).toEqual(['index app.t1.i1 changed']);
    // a partition on one side only takes its index's ATTACH with it
    const withoutPartition = tree.replace(/\nCREATE TABLE app.t1 [^;]*;\n\nALTER TABLE ONLY app.t ATTACH[^;]*;\n/, '').replace(/\nCREATE INDEX i1 [^;]*;\n/, '');
    expect(differences(withoutPartition, `${tree}\nALTER INDEX app.i ATTACH PARTITION app.i1;\n`)).toEqual(['table app.t1 added']);
  });

  // a statement kept as text was compared by the deparser's print of it, which left the operator's name out:
  // COMMENT ON OPERATOR app(app.addr, app.addr) IS 'eq' for both
  test('a statement kept as text whose print loses part of it (COMMENT ON OPERATOR)', () => {
    const comment = (operator: string) => `${TABLES}\nCOMMENT ON OPERATOR app.${operator} (integer, integer) IS 'eq';\n`;
    expect(differences(comment('==='), comment('<<<'))).toEqual(['other app.<<< added', 'other app.=== removed']);
    // the same statement on both sides is still no difference
    expect(differences(comment('==='), comment('==='))).toEqual([]);
  });
});

describe('a difference where the comparison does not look is said, not a bare "no differences"', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pgdrift-not-compared-'));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, HEADER + TABLES + text);
    return file;
  };
  const owned = (role: string) => `\nALTER TABLE app.orgs OWNER TO ${role};\nALTER TABLE app.users OWNER TO postgres;\n`;

  test('privileges, without --include privileges', async () => {
    const a = write('grant-a.sql', '\nGRANT SELECT ON TABLE app.orgs TO app_ro;\n');
    const b = write('grant-b.sql', '\nGRANT SELECT ON TABLE app.orgs TO app_ro;\nGRANT UPDATE ON TABLE app.orgs TO app_rw;\n');
    const plain = await diff(a, b, { cwd: dir, canonicalize: false });
    expect(plain.drift).toEqual([]);
    expect(plain.notCompared).toEqual([
      'privileges: 1 GRANT / REVOKE / ALTER DEFAULT PRIVILEGES statement is on one side only (compared with --include privileges)',
    ]);
    // the text and JSON reports say it with the verdict
    const report = { command: 'diff' as const, migrationFailures: [], drift: plain.drift, sides: plain.sides, notCompared: plain.notCompared, exitCode: plain.exitCode };
    const text = renderReport(report, 'text');
    expect(text).toContain('ℹ not compared: privileges: 1 GRANT');
    expect(text).toContain('✔ no differences between');
    expect(text).toContain('(apart from what was not compared, above)');
    expect(JSON.parse(renderReport(report, 'json')).notCompared).toEqual(plain.notCompared);
    // and so does diff --sql's script
    const script = (await diff(a, b, { cwd: dir, canonicalize: false, sql: true })).fix!.sql;
    expect(script.split('\n').slice(0, 2)).toEqual([
      '-- pgdrift: not compared: privileges: 1 GRANT / REVOKE / ALTER DEFAULT PRIVILEGES statement is on one side only (compared with --include privileges)',
      '-- pgdrift: no differences, nothing to do',
    ]);
    const included = await diff(a, b, { cwd: dir, canonicalize: false, includePrivileges: true });
    expect(included.drift.map((item) => item.name)).toEqual(['GRANT UPDATE ON app.orgs TO app_rw']);
    expect(included.notCompared).toBeUndefined();
  });

  test('owners', async () => {
    const a = write('owner-a.sql', owned('postgres'));
    const b = write('owner-b.sql', owned('app_owner'));
    expect((await diff(a, b, { cwd: dir, canonicalize: false })).notCompared).toEqual([
      'owners: 2 OWNER TO statements are on one side only (owners are never compared)',
    ]);
    // pg_dump 15 writes ALTER TABLE ... OWNER TO for a sequence, pg_dump 18 ALTER SEQUENCE: the same owner
    const sequence = (keyword: string) => write(`seq-${keyword}.sql`, `${owned('postgres')}\nCREATE SEQUENCE app.s;\n\nALTER ${keyword} app.s OWNER TO postgres;\n`);
    expect((await diff(sequence('TABLE'), sequence('SEQUENCE'), { cwd: dir, canonicalize: false })).notCompared).toBeUndefined();
    // a side dumped with --no-owner (pgdrift's replays are) says nothing about owners
    expect((await diff(a, write('no-owner.sql', ''), { cwd: dir, canonicalize: false })).notCompared).toBeUndefined();
  });
});

// `diff --sql` printed "-- pgdrift: no differences, nothing to do" when no step served the differences found
test('diff --sql names a difference it writes no DDL for', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pgdrift-unwritten-'));
  const view = 'CREATE MATERIALIZED VIEW app.stats AS\n SELECT orgs.id\n   FROM app.orgs\n  WITH NO DATA;\n';
  const a = path.join(dir, 'a.sql');
  const b = path.join(dir, 'b.sql');
  writeFileSync(a, `${HEADER}${TABLES}\n${view}`);
  writeFileSync(b, `${HEADER}${TABLES}\nSET default_table_access_method = heap2;\n\n${view}`);
  const result = await diff(a, b, { cwd: dir, canonicalize: false, sql: true });
  expect(result.exitCode).toBe(1);
  expect(result.fix!.sql).not.toContain('no differences');
  expect(result.fix!.sql).toContain('-- pgdrift: no DDL written for 1 difference');
  expect(result.fix!.sql).toContain('--   changed materialized_view app.stats');
});
