import pg from 'pg';

/** The local PostgreSQL server the server-engine tests run against (see .ci/run). */
export const SERVER_URL = process.env.PGDRIFT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function adminQuery<Row = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

/** Throwaway databases and roles left behind by the pgdrift process `pid` (there must never be any). */
export async function leftovers(pid: number = process.pid): Promise<string[]> {
  const pattern = `pgdrift\\_${pid}\\_%`;
  const rows = await adminQuery<{ name: string }>(
    `SELECT datname AS name FROM pg_database WHERE datname LIKE $1
     UNION ALL SELECT rolname FROM pg_roles WHERE rolname LIKE $1`,
    [pattern],
  );
  return rows.map((r) => r.name);
}
