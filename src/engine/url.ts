import { InputError } from '../errors.js';

/**
 * A connection URL with its password replaced, safe for any message or log line: the user-info password (up to the
 * first `@`, so one with a raw `/` or `?` is cut whole) and every query parameter whose name holds "pass". Textual,
 * so the rest is shown exactly as written: a URL read from a Makefile or Compose file may hold values only the shell
 * knows, or not be one the URL parser takes at all.
 */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@?#\s]*:)[^@\s]*@/, '$1***@').replace(/([?&][^=&#\s]*pass[^=&#\s]*=)[^&#\s]*/gi, '$1***');
}

/** Removes a URL's password from any text (error messages from drivers sometimes echo the URL). */
export function scrubSecrets(text: string, url: string | undefined): string {
  if (!url) return text;
  let out = text;
  try {
    const password = decodeURIComponent(new URL(url).password);
    if (password) out = out.split(password).join('***');
  } catch {
    /* not a URL: nothing to scrub */
  }
  return out.split(url).join(redactUrl(url));
}

export interface ServerTarget {
  host: string;
  port: number;
  user?: string;
  password?: string;
  database?: string;
  /** the original URL */
  url: string;
}

export function parseDatabaseUrl(url: string): ServerTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`invalid database URL: ${redactUrl(url)}`, { hint: 'expected postgres://user:password@host:5432/database' });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new InputError(`invalid database URL scheme "${parsed.protocol}" in ${redactUrl(url)}`, {
      hint: 'expected postgres://user:password@host:5432/database',
    });
  }
  const port = parsed.port ? Number(parsed.port) : 5432;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new InputError(`invalid port in database URL: ${redactUrl(url)}`);
  return {
    host: decodeURIComponent(parsed.hostname || 'localhost').replace(/^\[|\]$/g, ''),
    port,
    user: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: parsed.pathname.length > 1 ? decodeURIComponent(parsed.pathname.slice(1)) : undefined,
    url,
  };
}

export function isDatabaseUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}
