/**
 * Statements that act on a database by its name: `ALTER DATABASE app SET timezone TO 'UTC'`, `COMMENT ON DATABASE
 * app`, `GRANT CONNECT ON DATABASE app TO reader`... In a migration the name is the team's own database, the one the
 * runner is connected to. The replay runs in a throwaway database of another name, where "app" does not exist (or,
 * on a server, is a real database the replay must never touch), and nothing such a statement sets (database-level
 * settings, its comment, owner, privileges, security label, collation version) is part of the schema pg_dump prints
 * without --create, nor of the replay's own session (an ALTER DATABASE ... SET applies to sessions that start later,
 * and every runner applies its migrations on one connection). So the replay leaves them out (replay.ts withoutDatabaseStatements).
 *
 * `ALTER DATABASE ... RENAME` is not one of them: Postgres refuses to rename the database a session is connected to,
 * so in a migration it names another database, and it runs as written.
 */
import type { AlterDatabaseRefreshCollStmt, AlterDatabaseSetStmt, AlterDatabaseStmt, AlterOwnerStmt, CommentStmt, GrantStmt, SecLabelStmt } from '@pgsql/types';
import { nodeAs, stringList } from './ast.js';
import type { ParsedStatement } from './parse.js';

/**
 * The databases a statement the replay leaves out acts on: undefined when it runs as written (not a statement on
 * databases by name, or one naming only `replayDatabase`, the database the replay runs in, as a runner's placeholder
 * for its current database gives: Flyway's ${flyway:database}, graphile-migrate's :DATABASE_NAME).
 */
export function databasesLeftOut(statement: ParsedStatement, replayDatabase: string | undefined): string[] | undefined {
  const names = databasesNamedBy(statement);
  return names && names.some((name) => name !== replayDatabase) ? names : undefined;
}

/** The databases a statement acts on by name, or undefined when it is not a statement on databases. */
export function databasesNamedBy(statement: ParsedStatement): string[] | undefined {
  switch (statement.kind) {
    case 'AlterDatabaseSetStmt':
    case 'AlterDatabaseStmt':
    case 'AlterDatabaseRefreshCollStmt': {
      const name = (statement.ast as AlterDatabaseSetStmt | AlterDatabaseStmt | AlterDatabaseRefreshCollStmt).dbname;
      return name ? [name] : undefined;
    }
    case 'AlterOwnerStmt':
    case 'CommentStmt':
    case 'SecLabelStmt': {
      const ast = statement.ast as AlterOwnerStmt & CommentStmt & SecLabelStmt;
      const type = statement.kind === 'AlterOwnerStmt' ? ast.objectType : ast.objtype;
      const name = String(type) === 'OBJECT_DATABASE' ? nodeAs(ast.object, 'String')?.sval : undefined;
      return name ? [name] : undefined;
    }
    case 'GrantStmt': {
      const ast = statement.ast as GrantStmt;
      if (String(ast.objtype) !== 'OBJECT_DATABASE') return undefined;
      const names = stringList(ast.objects);
      return names.length > 0 ? names : undefined;
    }
    default:
      return undefined;
  }
}
