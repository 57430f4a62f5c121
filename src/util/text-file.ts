import { readFileSync } from 'node:fs';

/**
 * A schema file's text, whatever Unicode encoding marks itself with a byte order mark: UTF-16 (little- or big-endian,
 * what Windows PowerShell 5's `>` and `Out-File` write, so `supabase db dump > supabase/schema.sql` there gives a
 * UTF-16LE file) is decoded, and a UTF-8 BOM (Windows editors) is dropped; without a BOM the file is read as UTF-8.
 * Field: shreyastotm/into-the-wild supabase/schema_dump.sql is UTF-16LE with a BOM, and was refused as "a NUL byte
 * (\0) cannot be part of SQL text"; a UTF-8 BOM gave `syntax error at or near "CREATE"` with the invisible mark in it.
 */
export function readTextFile(file: string): string {
  const bytes = readFileSync(file);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  return bytes.toString('utf8');
}
