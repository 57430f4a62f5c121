import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser, parseSql } from '../../src/sql/parse.js';
import { positionInStatement, roleStatementOf, type RoleStatement } from '../../src/sql/role-statements.js';

beforeAll(async () => {
  await loadSqlParser();
});

/** The role statement of each statement of a text (undefined for other statements). */
function read(sql: string): Array<RoleStatement | undefined> {
  return parseSql(sql, 'test.sql').statements.map(roleStatementOf);
}

/** The written text at a role statement's reported place. */
function written(statement: RoleStatement, byteLocation: number, length: number): string {
  const position = positionInStatement(statement, byteLocation);
  return [...statement.text].slice(position - 1, position - 1 + length).join('');
}

describe('role statements read from the AST', () => {
  it('each kind, with the roles it acts on', () => {
    const [create, user, alter, group, settings, all, current, drop, comment, rename, grant, table] = read(
      `CREATE ROLE "App" LOGIN; CREATE USER u; ALTER ROLE a NOLOGIN; ALTER GROUP g ADD USER u, v; ALTER ROLE a IN DATABASE d SET x.y = 1;
       ALTER ROLE ALL SET work_mem = '1MB'; ALTER ROLE CURRENT_USER PASSWORD 'x'; DROP ROLE IF EXISTS a, b; COMMENT ON ROLE a IS 'x';
       ALTER USER a RENAME TO b; GRANT a TO b; CREATE TABLE t (id int);`,
    );
    expect([create?.action, create?.roles]).toEqual(['create', ['App']]);
    expect([user?.action, user?.roles]).toEqual(['create', ['u']]);
    expect([alter?.action, alter?.roles, alter?.privileged]).toEqual(['alter', ['a'], undefined]);
    expect([group?.action, group?.roles]).toEqual(['alter', ['g']]);
    expect([settings?.action, settings?.roles]).toEqual(['settings', ['a']]);
    expect([all?.action, all?.roles]).toEqual(['settings', []]);
    expect([current?.action, current?.roles]).toEqual(['alter', []]);
    expect([drop?.action, drop?.roles, drop?.missingOk]).toEqual(['drop', ['a', 'b'], true]);
    expect([comment?.action, comment?.roles]).toEqual(['comment', ['a']]);
    expect([rename?.action, rename?.roles, rename?.newName]).toEqual(['rename', ['a'], 'b']);
    expect(grant).toBeUndefined(); // the replay role runs GRANT role TO role itself (it holds ADMIN on its roles)
    expect(table).toBeUndefined();
  });

  it('what only a superuser may give, at the place it is written (multibyte text before it)', () => {
    const [first, second, third, fourth] = read(
      `-- ☕ café\nCREATE ROLE "ü😀" NOSUPERUSER NOCREATEDB LOGIN\n  CREATEDB SUPERUSER;\nCREATE ROLE plain NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT CONNECTION LIMIT 3 VALID UNTIL 'infinity' PASSWORD NULL;\nALTER ROLE a WITH REPLICATION;\nCREATE ROLE b IN ROLE c, d ROLE e ADMIN CURRENT_USER;`,
    );
    expect(first?.privileged?.attribute).toBe('CREATEDB'); // the first one written
    expect(written(first!, first!.privileged!.byteLocation, 8)).toBe('CREATEDB');
    expect(second?.privileged).toBeUndefined();
    expect(third?.privileged?.attribute).toBe('REPLICATION');
    expect(fourth?.memberOf.map((m) => [m.role, written(fourth!, m.byteLocation, 1)])).toEqual([
      ['c', 'c'],
      ['d', 'd'],
    ]);
    expect(fourth?.specialRole?.written).toBe('CURRENT_USER');
    expect(written(fourth!, fourth!.specialRole!.byteLocation, 12)).toBe('CURRENT_USER');
  });
});
