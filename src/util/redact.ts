/**
 * The one redaction step for every message that can echo SQL or driver text (failed statements, Postgres
 * errors, pg_dump stderr, internal errors): migrations come from pull requests and CI runs next to secrets, so
 * whatever reaches stdout, stderr, a report file or a GitHub annotation passes through here first.
 *
 * It removes: passwords in connection URLs, `password=`/`token=`/`secret=`-style settings (libpq key/value
 * strings, env lines), `PASSWORD '...'` in role statements, token formats that identify themselves (GitHub,
 * AWS, Slack, JWT, private key blocks), and the values of this process's own secret-looking environment
 * variables wherever they appear. It cannot recognise a secret with no such shape that is not in the environment.
 */

export const REDACTED = '***';
/** Longest message kept; the rest is cut with a note (a whole environment or a 4 MB line is never echoed). */
export const MAX_MESSAGE_LENGTH = 2000;

const PATTERNS: Array<[RegExp, string | ((...groups: string[]) => string)]> = [
  // scheme://user:password@host (postgres://, mysql://, https://...)
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*:)[^\s@'"]+@/gi, `$1${REDACTED}@`],
  // -----BEGIN ... PRIVATE KEY----- blocks
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, `-----BEGIN PRIVATE KEY----- ${REDACTED}`],
  // key=value settings whose key names a secret (libpq strings, env lines)
  [
    /\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|authorization)[A-Za-z0-9_.-]*)(\s*=\s*)("[^"]*"|'[^']*'|[^\s\0'",;&]+)/gi,
    (_m, key: string, sep: string) => `${key}${sep}${REDACTED}`,
  ],
  // key: value settings (YAML, env-file and header-like text) whose key ends in the secret's name (password:,
  // DB_PASSWORD:, api_key:, Authorization:). Not a key that merely contains it: pgdrift's own messages put a
  // table name before a colon ("adds PRIMARY KEY (id) to existing table team_api_keys: its index is built...",
  // e2b-dev/infra), and tables named access_tokens, api_keys or password_reset_tokens are common.
  [
    /\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|secret[_-]?key(?:[_-]?base)?|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|authorization))(\s*:(?!:)\s*)("[^"]*"|'[^']*'|[^\s\0'",;&]+)/gi,
    (_m, key: string, sep: string) => `${key}${sep}${REDACTED}`,
  ],
  // CREATE/ALTER ROLE ... PASSWORD 'x' (and ENCRYPTED PASSWORD)
  [/\b(PASSWORD\s+)('(?:[^']|'')*'|\$[A-Za-z_0-9]*\$[\s\S]*?\$[A-Za-z_0-9]*\$)/gi, `$1'${REDACTED}'`],
  // tokens that say what they are
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|sk_(?:live|test)_[A-Za-z0-9]{16,}|npm_[A-Za-z0-9]{30,})\b/g, REDACTED],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, REDACTED],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, REDACTED],
];

const SECRET_ENV_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|DATABASE_URL|_DSN$|^PGPASS)/i;

/**
 * Values of secret-looking variables of this process, longest first (so a value containing another is cut whole).
 * Reading process.env walks the real environment each time: a caller redacting many strings at once (a report)
 * reads it once and passes the list to redactSecrets.
 */
export function environmentSecrets(): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(process.env)) {
    if (!value || value.length < 6 || !SECRET_ENV_NAME.test(name)) continue;
    values.push(value);
    // a URL's password alone may be echoed, too
    const password = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@]+)@/i.exec(value)?.[1];
    if (password && password.length >= 4) {
      values.push(password);
      try {
        values.push(decodeURIComponent(password));
      } catch {
        /* not percent-encoded */
      }
    }
  }
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

/** The text with secrets replaced by *** and at most `maxLength` characters long. */
export function redactSecrets(text: string, maxLength: number = MAX_MESSAGE_LENGTH, secrets: readonly string[] = environmentSecrets()): string {
  // Bound the work too; the cut is redacted like the rest (a secret split by it is cut further below).
  let out = text.length > maxLength * 2 ? text.slice(0, maxLength * 2) : text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement as string);
  // NUL separates environment entries (/proc/*/environ); it never belongs in a message
  out = out.replace(/\0/g, '\\0');
  return out.length > maxLength || text.length > maxLength * 2 ? `${out.slice(0, maxLength)}… (message cut at ${maxLength} characters)` : out;
}

/** redactSecrets for an optional field. */
export function redactOptional(text: string | undefined, maxLength?: number): string | undefined {
  return text === undefined ? undefined : redactSecrets(text, maxLength);
}
