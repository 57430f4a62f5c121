import { environmentSecrets, redactSecrets } from '../util/redact.js';
import type { Report } from './types.js';

/**
 * Object names, file names and SQL in a report come from a pull request. Before any renderer sees the report:
 * every string passes the one redaction step (all formats), and for the line-based formats (text, github,
 * markdown) control characters are made visible, so a name cannot move the cursor, recolour the terminal, or
 * start a line of its own (which GitHub Actions would read as a workflow command such as `::error`).
 */
export function sanitizeReport(report: Report, options: { escapeControls: boolean }): Report {
  return walk(report, undefined, options.escapeControls, environmentSecrets()) as Report;
}

/** Fields whose text is multi-line by nature; renderers indent or encode their continuation lines. */
const MULTILINE_FIELDS = new Set(['message', 'detail', 'hint', 'help', 'snapshot', 'migrations']);
/** SQL text of a whole object: redacted but never cut. */
const UNBOUNDED_FIELDS = new Set(['snapshot', 'migrations']);

function walk(value: unknown, key: string | undefined, escapeControls: boolean, secrets: readonly string[]): unknown {
  if (typeof value === 'string') {
    const redacted = redactSecrets(value, key !== undefined && UNBOUNDED_FIELDS.has(key) ? Number.MAX_SAFE_INTEGER : undefined, secrets);
    return escapeControls ? escapeControlCharacters(redacted, key !== undefined && MULTILINE_FIELDS.has(key)) : redacted;
  }
  if (Array.isArray(value)) return value.map((item) => walk(item, key, escapeControls, secrets));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, k, escapeControls, secrets);
    return out;
  }
  return value;
}

/**
 * C0 and C1 controls, DEL, Unicode line/paragraph separators and bidirectional overrides as visible escapes
 * (`\n`, `\x1b`, `\u202e`). Newlines stay only where `keepNewlines` (and then tabs too); a CR never does.
 */
export function escapeControlCharacters(text: string, keepNewlines = false): string {
  return text.replace(CONTROLS, (c) => {
    if (keepNewlines && (c === '\n' || c === '\t')) return c;
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
