/**
 * The Helios migration header template:
 *   -- Migration 025: Your Change Description
 *   -- Purpose: Brief explanation
 *   -- Created: 2025-11-06
 * Read from the leading comment lines of a file (comments are not SQL, so a line reader is the right tool).
 */
export interface MigrationHeader {
  number?: string;
  title?: string;
  purpose?: string;
  created?: string;
  /** 1-based lines where each field was found */
  lines: { migration?: number; purpose?: number; created?: number };
}

const MIGRATION_LINE = /^--\s*Migration\s+([0-9]+[a-z]?)\s*:\s*(.*?)\s*$/i;
const PURPOSE_LINE = /^--\s*Purpose\s*:\s*(.*?)\s*$/i;
const CREATED_LINE = /^--\s*Created\s*:\s*(.*?)\s*$/i;

export function readMigrationHeader(text: string): MigrationHeader {
  const header: MigrationHeader = { lines: {} };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/^\uFEFF/, '').trim();
    if (line === '') continue;
    if (!line.startsWith('--')) break;
    let m: RegExpExecArray | null;
    if ((m = MIGRATION_LINE.exec(line)) && header.number === undefined) {
      header.number = m[1];
      header.title = m[2];
      header.lines.migration = i + 1;
    } else if ((m = PURPOSE_LINE.exec(line)) && header.purpose === undefined) {
      header.purpose = m[1];
      header.lines.purpose = i + 1;
    } else if ((m = CREATED_LINE.exec(line)) && header.created === undefined) {
      header.created = m[1];
      header.lines.created = i + 1;
    }
  }
  return header;
}
