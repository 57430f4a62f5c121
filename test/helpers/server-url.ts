/** The local PostgreSQL server the server-engine tests run against (see .ci/run). */
export const SERVER_URL = process.env.PGDRIFT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The test server URL without its password, for messages. */
export function redactedServerUrl(): string {
  try {
    const url = new URL(SERVER_URL);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(an invalid PGDRIFT_TEST_DATABASE_URL)';
  }
}

/** Whether the server answered the global setup's probe, and if not why (ECONNREFUSED, 28P01...). */
export interface ServerState {
  available: boolean;
  reason: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    server: ServerState;
  }
}
