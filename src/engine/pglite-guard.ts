import type { MigrationFile } from '../migrations/discover.js';
import type { MigrationFailure } from '../replay/types.js';
import type { ParsedSql } from '../sql/parse.js';

/**
 * Statements the embedded engine must not be sent. `COPY ... FROM STDIN` waits for a client data stream that a
 * migration runner sending the file as a query never provides (PGlite then spins); `COPY ... TO/FROM PROGRAM`
 * and `COPY ... TO/FROM '<file>'` act on the server's programs and files (PGlite leaves its session broken).
 * A runner could not run them from a migration file either, so each is a failure at its own line.
 */
export function refuseOnEmbeddedEngine(migration: MigrationFile, parsed: ParsedSql): MigrationFailure | undefined {
  for (const statement of parsed.statements) {
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
