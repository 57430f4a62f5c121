import { existsSync } from 'node:fs';
import path from 'node:path';
import { latestSnapshot, type Project } from '../config/project.js';
import { functionKey, migrationHistoryFromEvents, relationKey, typeKey, type ObjectHistory } from '../docs/history.js';
import { isVirtualFile } from '../migrations/virtual-file.js';
import { SUPABASE_DB_DUMP_EXCLUDED_SCHEMAS } from '../runners/supabase-platform.js';
import { compareDocs, writeDocs } from '../docs/files.js';
import type { DocsContext } from '../docs/data.js';
import { loadTemplates, renderDocs } from '../docs/render.js';
import { isDatabaseUrl, redactUrl } from '../engine/url.js';
import { InputError } from '../errors.js';
import { buildSchemaModel } from '../model/build.js';
import type { SchemaModel } from '../model/types.js';
import type { ReplayReport } from '../replay/types.js';
import { loadSqlParser } from '../sql/parse.js';
import type { ReplayCommandOptions } from '../pipeline/options.js';
import { dumpLiveDatabase } from '../pipeline/read-database.js';
import { historyEvents, loadHistory, replayProject, resolveRunProject, type LoadedHistory } from '../pipeline/replay-project.js';
import { readTextFile } from '../util/text-file.js';

export const DEFAULT_DOCS_OUT = 'docs/schema';

export interface DocsOptions extends ReplayCommandOptions {
  /** docs folder, relative to the project root (default: config docs.out, then docs/schema) */
  out?: string;
  /** what to document: `migrations` (default: replay them), `snapshot` (the latest), a .sql dump file, or a postgres:// URL (dumped read-only with pg_dump) */
  from?: string;
  /** write nothing; exit 1 when the docs on disk are stale, missing or extra */
  check?: boolean;
  /** print the generation time in the docs (off by default so the output is byte-identical run to run) */
  timestamp?: boolean;
}

export interface DocsResult {
  /** absolute docs folder */
  out: string;
  /** files written (created or updated), relative to `out` */
  written: string[];
  /** --check: files on disk whose content differs */
  stale: string[];
  /** --check: files that would be created */
  missing: string[];
  /** generated files no longer produced (a dropped table's page): removed, or with --check only listed */
  extra: string[];
  /** 1 when a migration failed, or with --check when anything is stale, missing or extra */
  exitCode: 0 | 1;
  /** the replay, when documenting the migrations */
  report?: ReplayReport;
}

/** What to document, already dumped: the text of a pg_dump, a name for it, and the migrations' history if known. */
export interface DocsSource {
  dump: string;
  /** the file name the model's lines refer to */
  file: string;
  /** "the migrations in migrations/ (24 files)", printed at the top of the README */
  label: string;
  history?: ObjectHistory;
  /** migration files that failed during a `--keep-going` replay: the index says the schema is partial */
  failures?: DocsContext['failures'];
}

/** `pgdrift docs`: Markdown documentation of the schema, or with `check` a freshness test of the docs on disk. */
export async function docs(options: DocsOptions = {}): Promise<DocsResult> {
  const from = options.from ?? 'migrations';
  // a dump or a database is documented without migrations too: they only add the history
  const project = resolveRunProject(options, { migrationsOptional: from !== 'migrations' });
  if (from === 'migrations') {
    const outcome = await replayProject(options, undefined, project);
    const failed = outcome.report.migrationFailures.length > 0;
    const out = docsFolder(project, options.out);
    if (failed && !options.keepGoing) return { out, written: [], stale: [], missing: [], extra: [], exitCode: 1, report: outcome.report };
    const source = { ...migrationsSource(outcome.history, outcome.dump), failures: outcome.report.migrationFailures };
    const result = await generateDocs(project, source, options);
    return { ...result, exitCode: failed ? 1 : result.exitCode, report: outcome.report };
  }
  return generateDocs(project, await otherSource(project, from, options), options);
}

export function migrationsSource(history: LoadedHistory, dump: string): DocsSource {
  const folder = path.relative(history.project.root, history.project.migrationsDir).split(path.sep).join('/') || '.';
  return {
    dump,
    file: 'pg_dump of the replayed migrations',
    label: `the migrations in ${folder}/ (${history.migrations.length} files)`,
    history: migrationHistoryFromEvents(historyEvents(history).events, [...history.baseline, ...history.migrations]),
  };
}

async function otherSource(project: Project, from: string, options: DocsOptions): Promise<DocsSource> {
  if (project.withoutMigrations) options.onNotice?.('no migrations folder found: the docs leave out the migration history (name the folder with --migrations to add it)');
  const history = project.withoutMigrations ? undefined : await historyWithoutReplay(options, project);
  if (from === 'snapshot') {
    if (project.schemaFiles) {
      throw new InputError(`--from snapshot: the snapshot is ${project.schemaFiles.files.length} hand-written schema files (${project.schemaFiles.label}), not one dump to document`, {
        hint: 'document the migrations (--from migrations), or a dump of a database loaded from the schema files (--from <file> or a postgres:// URL)',
      });
    }
    const latest = await latestSnapshot(project);
    if (!latest) {
      throw new InputError(`no snapshot matches ${project.snapshotGlob}`, {
        hint: project.withoutMigrations ? 'name the dump: --from <file.sql>, or a database: --from postgres://...' : 'run `pgdrift snapshot` first, or document the migrations (--from migrations)',
      });
    }
    return { dump: readTextFile(latest.path), file: latest.file, label: `the snapshot ${latest.file}`, history };
  }
  if (isDatabaseUrl(from)) {
    return { dump: (await dumpLiveDatabase(from)).text, file: redactUrl(from), label: `the database ${redactUrl(from)}`, history };
  }
  const file = path.resolve(project.root, from);
  if (!existsSync(file)) {
    throw new InputError(`--from: no such file: ${from}`, { hint: 'use migrations, snapshot, a .sql dump file or a postgres:// URL' });
  }
  const relative = path.relative(project.root, file).split(path.sep).join('/');
  return { dump: readTextFile(file), file: relative, label: `the dump ${relative}`, history };
}

/** The migrations' history from parsing alone (no database); undefined when the project has no readable migrations. */
async function historyWithoutReplay(options: ReplayCommandOptions, project: Project): Promise<ObjectHistory | undefined> {
  try {
    const loaded = await loadHistory({ ...options, onNotice: undefined }, project);
    return migrationHistoryFromEvents(historyEvents(loaded).events, [...loaded.baseline, ...loaded.migrations]);
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
}

export function docsFolder(project: Project, out?: string): string {
  return path.resolve(project.root, out ?? project.config.docs?.out ?? DEFAULT_DOCS_OUT);
}

/** The docs of a dump, in memory: path inside the docs folder → content. Nothing is read from or written to the docs folder. */
export async function renderProjectDocs(
  project: Project,
  source: DocsSource,
  options: Pick<DocsOptions, 'out' | 'timestamp'> = {},
): Promise<{ out: string; files: Map<string, string> }> {
  await loadSqlParser();
  const out = docsFolder(project, options.out);
  const model = withoutPlatformObjects(withoutBookkeeping(buildSchemaModel(source.dump, source.file, { writtenExpressions: true }), project), project, source.history);
  const files = renderDocs(
    {
      model,
      history: source.history,
      projectRoot: project.root,
      outDir: out,
      sourceLabel: source.label,
      failures: source.failures,
      generatedAt: options.timestamp ? new Date().toISOString() : undefined,
    },
    loadTemplates(project.root, project.config.docs?.templates),
  );
  return { out, files };
}

/**
 * The runner's bookkeeping tables are its own (the replay creates them as the runner does, and a pg_dump of the
 * team's database has them): they are not the team's schema, so the docs leave them out, as drift does.
 */
function withoutBookkeeping(model: SchemaModel, project: Project): SchemaModel {
  const bookkeeping = new Set(project.runner.bookkeeping);
  return { ...model, tables: model.tables.filter((table) => !bookkeeping.has(`${table.schema}.${table.name}`)) };
}

/**
 * With the Supabase platform baseline, the platform's schemas (`auth`, `storage`, `realtime`... the ones `supabase db
 * dump` leaves out) hold pgdrift's stand-ins, not the team's schema nor the platform's real content: the docs leave
 * them out, except an object a project file created or changed (a trigger on `auth.users`, a policy on
 * `storage.objects`, a table of the team's in `storage`), whose page is kept. Links to the others print as plain names.
 */
function withoutPlatformObjects(model: SchemaModel, project: Project, history: ObjectHistory | undefined): SchemaModel {
  if (!project.platformBaseline) return model;
  const patterns = SUPABASE_DB_DUMP_EXCLUDED_SCHEMAS.map((p) => new RegExp(`^${p.replace(/\*/g, '.*')}$`));
  const touchedByProject = (key: string) => (history?.get(key) ?? []).some((entry) => !isVirtualFile(entry.file));
  const keep = (schema: string, key: string) => !patterns.some((p) => p.test(schema)) || touchedByProject(key);
  return {
    ...model,
    tables: model.tables.filter((t) => keep(t.schema, relationKey(t.schema, t.name))),
    views: model.views.filter((v) => keep(v.schema, relationKey(v.schema, v.name))),
    materializedViews: model.materializedViews.filter((v) => keep(v.schema, relationKey(v.schema, v.name))),
    types: model.types.filter((t) => keep(t.schema, typeKey(t.schema, t.name))),
    functions: model.functions.filter((f) => keep(f.schema, functionKey(f.schema, f.name))),
  };
}

/** Renders the docs of a dump and writes them (or, with `check`, compares them with the disk). No replay here. */
export async function generateDocs(
  project: Project,
  source: DocsSource,
  options: Pick<DocsOptions, 'out' | 'check' | 'timestamp' | 'timings'> & { alongside?: ReadonlyArray<readonly [string, string]> } = {},
): Promise<DocsResult> {
  if (!options.timings) return renderAndWrite(project, source, options);
  return options.timings.time('docs', () => renderAndWrite(project, source, options), (r) =>
    options.check ? `${r.stale.length + r.missing.length + r.extra.length} files out of date` : `${r.written.length} files written, ${r.extra.length} removed`,
  );
}

async function renderAndWrite(
  project: Project,
  source: DocsSource,
  options: Pick<DocsOptions, 'out' | 'check' | 'timestamp'> & { alongside?: ReadonlyArray<readonly [string, string]> },
): Promise<DocsResult> {
  const { out, files } = await renderProjectDocs(project, source, options);
  if (options.check) {
    const comparison = compareDocs(out, files);
    const fresh = comparison.stale.length + comparison.missing.length + comparison.extra.length === 0;
    return { out, written: [], stale: comparison.stale, missing: comparison.missing, extra: comparison.extra, exitCode: fresh ? 0 : 1 };
  }
  const comparison = writeDocs(out, files, options.alongside);
  return { out, written: [...comparison.missing, ...comparison.stale].sort(), stale: [], missing: [], extra: comparison.extra, exitCode: 0 };
}
