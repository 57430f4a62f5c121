import { defineRule } from '../define-rule.js';

/** NAMEDATALEN - 1 (src/include/pg_config_manual.h): Postgres keeps at most 63 bytes of a name. */
const MAX_IDENTIFIER_BYTES = 63;

export default defineRule({
  id: 'identifier-too-long',
  scope: 'file',
  description: 'An identifier longer than 63 bytes, which Postgres silently truncates',
  defaultSeverity: 'warning',
  docs: 'Postgres truncates names to 63 bytes with only a NOTICE: the name in the migration is not the name in the database, and two long names can collide.',
  check({ file, report }) {
    // The parser already truncates names in the AST, so the scanner's tokens are the only place the written
    // name survives. Scanning costs about a parse: skip files that cannot hold a 64-byte name.
    if (!mayHoldLongIdentifier(file.migration.text)) return;
    for (const token of file.comments.tokens() ?? []) {
      if (token.tokenName !== 'IDENT') continue;
      const name = identifierValue(token.text);
      const bytes = Buffer.byteLength(name, 'utf8');
      if (bytes <= MAX_IDENTIFIER_BYTES) continue;
      const kept = truncateName(name);
      report({
        message: `identifier "${name}" is ${bytes} bytes; Postgres truncates it to the 63-byte "${kept}"`,
        help: 'shorten the name to at most 63 bytes, so the migration names what the database holds',
        byteLocation: token.start,
        object: kept,
      });
    }
  },
});

/** The identifier as Postgres stores it: quoted names keep case (and "" means "), bare ones are lower-cased. */
function identifierValue(text: string): string {
  if (text.startsWith('"')) return text.slice(1, -1).replace(/""/g, '"');
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase()); // downcase_identifier lowers ASCII only
}

/** Postgres clips at 63 bytes on a character boundary (truncate_identifier, pg_mbcliplen). */
function truncateName(name: string): string {
  let bytes = 0;
  let out = '';
  for (const char of name) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > MAX_IDENTIFIER_BYTES) break;
    bytes += size;
    out += char;
  }
  return out;
}

/**
 * A conservative pre-check (it may say yes wrongly, never no wrongly): a run of more than 63 bytes of identifier
 * characters, or more than 63 bytes between two double quotes (a doubled "" counts as content).
 */
export function mayHoldLongIdentifier(text: string): boolean {
  let run = 0;
  let bytes = 0;
  let lastQuote = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdfff ? 2 : 3;
    if (code === 0x22) {
      if (text.charCodeAt(i + 1) === 0x22) {
        i++;
        bytes += 2;
        run += 2;
        continue;
      }
      if (lastQuote >= 0 && bytes - lastQuote - 1 > MAX_IDENTIFIER_BYTES) return true;
      lastQuote = bytes;
      run = 0;
    } else if (code >= 0x80 || code === 0x5f || code === 0x24 || (code >= 0x30 && code <= 0x39) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a)) {
      run += size;
      if (run > MAX_IDENTIFIER_BYTES) return true;
    } else {
      run = 0;
    }
    bytes += size;
  }
  return false;
}
