import { readFileSync } from 'node:fs';
import path from 'node:path';
import { foldersUpTo } from './types.js';

/**
 * Which databases a Go module talks to, read from the database drivers its go.mod requires (never from running
 * anything): for the Go runners whose files say nothing of the database (goose's and golang-migrate's SQL is the
 * same for SQLite, MySQL and PostgreSQL). A goose project on SQLite (field: many `goose -dir ... sqlite3 ./app.db up`
 * projects) was replayed on Postgres and failed at its first AUTOINCREMENT with a syntax error, where the honest answer
 * is "not a PostgreSQL project".
 *
 * Postgres is assumed unless the evidence is plain: the nearest go.mod from the migrations folder up to the project
 * root requires, directly (not `// indirect`), a driver of another database, and requires no PostgreSQL driver at all
 * (indirect ones count here: golang-migrate's database/postgres package brings lib/pq as an indirect requirement).
 */
type OtherDatabase = 'SQLite' | 'MySQL' | 'ClickHouse' | 'SQL Server';

/** PostgreSQL drivers and libraries that exist only for it (module paths, matched as prefixes or by these words). */
const POSTGRES_MODULE = /(^|\/)(pq|pgx|pgconn|pgtype|pgerrcode|pgvector-go|pgdriver|pgdialect|go-pg|pglogrepl|pgtestdb|embedded-postgres)(\/|$)|postgres|jackc\/pg|cockroach/i;

const OTHER_MODULES: [RegExp, OtherDatabase][] = [
  [/sqlite|libsql/i, 'SQLite'],
  [/mysql|mariadb/i, 'MySQL'],
  [/clickhouse/i, 'ClickHouse'],
  [/mssql|sqlserver/i, 'SQL Server'],
];

interface GoRequirement {
  module: string;
  indirect: boolean;
}

/** The `require` lines of a go.mod (single lines and blocks), with their `// indirect` mark. */
export function goRequirements(text: string): GoRequirement[] {
  const found: GoRequirement[] = [];
  let inBlock = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (inBlock) {
      if (line.startsWith(')')) inBlock = false;
      else if (line && !line.startsWith('//')) found.push(requirement(line));
    } else if (/^require\s*\($/.test(line)) inBlock = true;
    else if (/^require\s+\S/.test(line)) found.push(requirement(line.replace(/^require\s+/, '')));
  }
  return found;
}

function requirement(line: string): GoRequirement {
  return { module: line.split(/\s+/)[0].replace(/^"|"$/g, ''), indirect: /\/\/\s*indirect\b/.test(line) };
}

/**
 * Why the Go module around `folder` is not a PostgreSQL project, for Discovery.notPostgres: `go.mod requires
 * github.com/mattn/go-sqlite3 (SQLite) and no PostgreSQL driver: ...`; undefined when it may be one (or there is no go.mod).
 */
export function goModuleForOtherDatabase(folder: string, root: string, runner: string): string | undefined {
  for (const dir of foldersUpTo(folder, root)) {
    let text: string;
    try {
      text = readFileSync(path.join(dir, 'go.mod'), 'utf8');
    } catch {
      continue;
    }
    const requirements = goRequirements(text);
    if (requirements.some((r) => POSTGRES_MODULE.test(r.module))) return undefined;
    const others = requirements.filter((r) => !r.indirect).flatMap((r) => OTHER_MODULES.filter(([pattern]) => pattern.test(r.module)).map(([, database]) => ({ module: r.module, database })));
    if (others.length === 0) return undefined;
    const databases = [...new Set(others.map((o) => o.database))];
    const where = path.relative(path.resolve(root), path.join(dir, 'go.mod')).split(path.sep).join('/');
    return `${where} requires ${others.map((o) => `${o.module} (${o.database})`).join(', ')} and no PostgreSQL driver: these ${runner} migrations are for ${databases.join(' and ')}, this is not a PostgreSQL project`;
  }
  return undefined;
}
