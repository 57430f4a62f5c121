import * as z from 'zod';
import { RUNNER_NAMES } from '../runners/types.js';

// The schema itself is built on first use (there may be no configuration to validate). zod's 100 CommonJS files
// took ~75 ms to require; the CLI bundle (scripts/bundle-cli.mjs) inlines it, which is why it is imported statically.
// Only named members of the namespace are read (never `z.z` or the namespace as a value): that lets the bundler
// leave out what is not used, zod's 40 locales above all (the CLI's largest chunk: 944 → 386 KB).

/**
 * pgdrift.config.json. `migrations`, `baseline` and `snapshot` are fixed names other tools rely on;
 * strict objects, so an unknown (misspelt) key is an error rather than silently ignored.
 */
function defineConfigSchema() {
  const severity = z.enum(['off', 'info', 'warning', 'error']);
  return z.strictObject({
    $schema: z.string().optional().describe('JSON Schema URL or path, for editor completion'),
    migrations: z
      .string()
      .min(1)
      .optional()
      .describe('Folder of migrations (default: detected: supabase/migrations/, prisma/migrations/, drizzle/, src/main/resources/db/migration/, migrations/, database/migrations/, db/migrations/, db/migration/)'),
    runner: z
      .enum(RUNNER_NAMES)
      .optional()
      .describe('The migration runner whose rules decide which files run, their order, sections and transactions (default: detected from the folder)'),
    platformBaseline: z
      .boolean()
      .optional()
      .describe('apply pgdrift\'s minimal Supabase platform baseline (roles, auth, storage, realtime) first (default: true for the supabase runner and for any runner whose folder is supabase/migrations, false otherwise)'),
    placeholders: z
      .record(z.string(), z.string())
      .optional()
      .describe('flyway runner: values of ${name} placeholders (over flyway.conf, flyway.toml and FLYWAY_PLACEHOLDERS_* env vars; built-ins such as flyway:defaultSchema may be overridden)'),
    baseline: z
      .array(z.string().min(1))
      .optional()
      .describe('SQL files applied before the migrations, statement by statement (e.g. a base schema); default none'),
    snapshot: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .optional()
      .describe(
        'Glob of committed snapshots, or one file; the latest is the newest YYYY-MM-DD in the file name (default: the runner\'s, e.g. dbmate\'s db/schema.sql, else docs/architecture/schema-actual-*.sql; in a Supabase project without those, its declarative schema files). ' +
          'A folder, or a list of globs, names hand-written schema files loaded together in order as one snapshot: a folder\'s .sql files (below it too) sorted by path; a list pattern by pattern, each one\'s matches sorted, as the Supabase CLI reads [db.migrations] schema_paths',
      ),
    order: z.enum(['lexicographic', 'natural']).optional().describe('numbered runner: file order lexicographic (readdirSync().sort(), the default) or natural numeric'),
    mode: z.enum(['file', 'statement']).optional().describe('Apply each migration file as one query (default, like a Node runner) or statement by statement'),
    engine: z.enum(['pglite', 'server', 'docker']).optional().describe('Where to replay: pglite (embedded, default), server (databaseUrl), docker'),
    pg: z
      .union([z.number().int(), z.string(), z.array(z.number().int())])
      .optional()
      .describe('Postgres major of the embedded engine (16, 17 or 18; default: the latest snapshot\'s "Dumped from" major, else supabase/config.toml [db] major_version, else 18) or of the docker image; a list such as [16, 17, 18] makes check run on each'),
    databaseUrl: z.string().optional().describe('Admin URL for the server engine; only used to create and drop a throwaway database. Prefer env PGDRIFT_DATABASE_URL for secrets'),
    replay: z
      .strictObject({
        timeout: z.number().min(0).optional().describe('Seconds a whole replay may take, and each query inside Postgres (statement_timeout); 0 = no limit (default 300)'),
        tempFileLimit: z.number().min(0).optional().describe('Server engine: MB of temporary files per session (temp_file_limit of the throwaway role); 0 = no limit (default 1024)'),
        memoryLimit: z.number().min(0).optional().describe('Embedded engine: MB of memory the process may use before the replay is stopped; 0 = no limit (default 3072)'),
      })
      .optional()
      .describe('Bounds for SQL from pull requests'),
    docker: z
      .strictObject({
        image: z.string().optional().describe('Docker image, e.g. postgres:16-alpine (default: postgres:<pg>-alpine, else postgres:17-alpine)'),
      })
      .optional(),
    ignore: z.array(z.string()).optional().describe('Object name patterns the drift check ignores, e.g. "public.migrations" (a runner bookkeeping table)'),
    preset: z.enum(['recommended', 'helios', 'strict']).optional().describe('Lint rule preset (default: helios when the layout looks like it, else recommended)'),
    rules: z.record(z.string(), severity).optional().describe('Severity per lint rule id: off | info | warning | error'),
    lint: z
      .strictObject({
        fileNamePattern: z.string().optional().describe('Regex a migration file name must match (default: the runner\'s; ^\\d{3,}_[a-z0-9_]+\\.sql$ for numbered)'),
        forbiddenFiles: z.array(z.string()).optional().describe('Files that must not exist or be referenced (default database/schema.sql)'),
        numberRange: z.tuple([z.number().int(), z.number().int()]).optional().describe('Allowed migration numbers [min, max] (default [1, 999])'),
        baselineFile: z.string().optional().describe('Lint baseline of accepted legacy findings (default pgdrift-baseline.json)'),
        idempotent: z.boolean().optional().describe('Require re-runnable DDL (IF NOT EXISTS ...); on in the helios preset'),
      })
      .optional(),
    docs: z
      .strictObject({
        out: z.string().optional().describe('Output folder of pgdrift docs (default docs/schema)'),
        templates: z
          .record(z.string(), z.string())
          .optional()
          .describe('Template overrides by template name (index, table, view, enum, function) to a .md.hbs path'),
      })
      .optional(),
  });

}

let schema: ReturnType<typeof defineConfigSchema> | undefined;

export function configSchema(): ReturnType<typeof defineConfigSchema> {
  schema ??= defineConfigSchema();
  return schema;
}

export type PgdriftConfig = z.infer<ReturnType<typeof defineConfigSchema>>;

export function configJsonSchema(): Record<string, unknown> {
  const jsonSchema = z.toJSONSchema(configSchema(), { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  return { title: 'pgdrift configuration', ...jsonSchema };
}
