import type { MigrationFile } from '../migrations/discover.js';
import type { MigrationFailure } from '../replay/types.js';
import type { ParsedSql } from '../sql/parse.js';
import { resetsSearchPath } from './extensions.js';
import { EMBEDDED_BUILDS, type EmbeddedMajor } from './pglite-builds.js';

/**
 * Statements the embedded engine must not be sent. `COPY ... FROM STDIN` waits for a client data stream that a
 * migration runner sending the file as a query never provides (PGlite then spins); `COPY ... TO/FROM PROGRAM`
 * and `COPY ... TO/FROM '<file>'` act on the server's programs and files (PGlite leaves its session broken).
 * A runner could not run them from a migration file either, so each is a failure at its own line.
 */
export function refuseOnEmbeddedEngine(migration: MigrationFile, parsed: ParsedSql, major?: number): MigrationFailure | undefined {
  const build = major === undefined ? undefined : EMBEDDED_BUILDS[major as EmbeddedMajor];
  for (const statement of parsed.statements) {
    // the embedded 16 and 17 reset search_path to pg_catalog (EmbeddedBuild.searchPathReset): what the file or the
    // next ones create after it would land there, which pg_dump leaves out, a false drift; the automatic major choice
    // avoids them for such a history, an explicit --pg (or a needed extension) does not
    if (build && !build.searchPathReset && resetsSearchPath([statement])) {
      return {
        file: migration.file,
        line: statement.line,
        column: statement.column,
        sqlstate: '0A000',
        message: `the embedded Postgres ${build.major} (PGlite ${build.pgliteVersion}) resets search_path to pg_catalog here, not to a server's "$user", public: the tables created after it would land in pg_catalog, unseen by the dump; the embedded engine refuses it`,
        hint: 'not your migration: replay on the embedded 18 (--pg 18) or a real server (--engine server, --engine docker)',
        statement: statement.text.split('\n')[0],
      };
    }
    if (statement.kind !== 'CopyStmt') continue;
    const copy = statement.ast as { is_from?: boolean; is_program?: boolean; filename?: string };
    const direction = copy.is_from ? 'FROM' : 'TO';
    let what: string | undefined;
    if (copy.is_program) what = `COPY ... ${direction} PROGRAM runs a program on the database server`;
    else if (copy.filename) what = `COPY ... ${direction} '<file>' ${copy.is_from ? 'reads' : 'writes'} a file on the database server`;
    else if (copy.is_from) what = 'COPY ... FROM STDIN needs a client data stream, which a migration file sent as a query does not provide';
    if (!what) continue;
    return {
      file: migration.file,
      line: statement.line,
      column: statement.column,
      sqlstate: '0A000',
      message: `${what}; the embedded engine refuses it`,
      hint: copy.is_from && !copy.filename && !copy.is_program ? 'load data with INSERT statements, or from a psql script outside the migrations' : 'a migration cannot rely on the database server\'s programs or files',
      statement: statement.text.split('\n')[0],
    };
  }
  return undefined;
}
