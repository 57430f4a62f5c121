// Regenerates the golden dumps in test/fixtures/dumps/ from rich-schema.sql:
//   rich.pg15.sql           pg_dump 15 of the schema loaded into the local server (127.0.0.1:5432, user postgres)
//   rich.pg18.sql           PGlite's pg_dump 18 of the schema loaded into PGlite
//   rich.pg18.reloaded.sql  rich.pg18.sql loaded into a fresh PGlite and dumped again (Postgres re-prints expressions)
//   rich.pg15.reloaded.sql  rich.pg15.sql loaded into PGlite and dumped by pg_dump 18
// Usage: node scripts/make-dump-fixtures.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';

const dir = fileURLToPath(new URL('../test/fixtures/dumps/', import.meta.url));
const source = readFileSync(dir + 'rich-schema.sql', 'utf8');
const pgArgs = ['-h', '127.0.0.1', '-U', 'postgres'];

function serverDump(sql) {
  const db = `pgdrift_fixture_${process.pid}`;
  execFileSync('createdb', [...pgArgs, db]);
  try {
    execFileSync('psql', [...pgArgs, '-d', db, '-q', '-v', 'ON_ERROR_STOP=1'], { input: sql });
    return execFileSync('pg_dump', [...pgArgs, '--schema-only', db], { encoding: 'utf8' });
  } finally {
    execFileSync('dropdb', [...pgArgs, db]);
  }
}

/** Runs a pg_dump text in PGlite: psql meta-commands removed (PGlite's exec has no psql). */
async function pgliteDump(sql) {
  const db = await PGlite.create({ extensions: { citext } });
  try {
    await db.exec(sql.replace(/^\\(un)?restrict .*$/gm, ''));
    // A dump empties search_path for its session; PGlite's pg_dump reuses the session and needs one.
    await db.exec('RESET search_path');
    const file = await pgDump({ pg: db, args: ['--schema-only'] });
    return await file.text();
  } finally {
    await db.close();
  }
}

const pg15 = serverDump(source);
writeFileSync(dir + 'rich.pg15.sql', pg15);
const pg18 = await pgliteDump(source);
writeFileSync(dir + 'rich.pg18.sql', pg18);
writeFileSync(dir + 'rich.pg18.reloaded.sql', await pgliteDump(pg18));
writeFileSync(dir + 'rich.pg15.reloaded.sql', await pgliteDump(pg15));
console.log('wrote rich.pg15.sql, rich.pg18.sql, rich.pg18.reloaded.sql, rich.pg15.reloaded.sql');
