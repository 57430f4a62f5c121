// In-process stages, run by run.mjs in a fresh Node process each (so the peak RSS and the JIT state belong to that
// stage alone): `node bench/inproc.mjs <stage> '<json args>'`. The library functions are called directly, timed
// with performance.now(). Prints one JSON line: { ok, times: [s...], rssKb, ... } or { skipped: reason }.
//
//   parse-diff { a, b, reps }            buildSchemaModel(a) + buildSchemaModel(b) + diffModels(a, b)
//   lint       { cwd, reps, today }      lint({ cwd })  (file, statement and schema-state rules: all static)
//   docs       { cwd, dump, reps, tmp }  generateDocs(project, { dump, file, label, history }, { out: <fresh dir> })
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const dist = new URL('../dist/', import.meta.url);
const load = (file) => import(new URL(file, dist).href);

const [stage, rawArgs] = process.argv.slice(2);
const args = JSON.parse(rawArgs ?? '{}');

function emit(value) {
  process.stdout.write(`${JSON.stringify({ ...value, rssKb: process.resourceUsage().maxRSS })}\n`);
}

async function importAll(files) {
  try {
    return await Promise.all(files.map(load));
  } catch (error) {
    emit({ skipped: `import failed: ${String(error?.message ?? error).split('\n')[0]}` });
    process.exit(0);
  }
}

async function timeReps(reps, fn) {
  const times = [];
  let last;
  for (let i = 0; i < reps; i++) {
    const started = performance.now();
    last = await fn(i);
    times.push((performance.now() - started) / 1000);
  }
  return { times, last };
}

async function parseDiff() {
  const [{ buildSchemaModel }, { diffModels }, { loadSqlParser }, { forgetParsedDumps }] = await importAll(['model/build.js', 'diff/diff.js', 'sql/parse.js', 'model/parse-dump.js']);
  const parserStarted = performance.now();
  await loadSqlParser();
  const parserLoad = (performance.now() - parserStarted) / 1000;
  const textA = readFileSync(args.a, 'utf8');
  const textB = readFileSync(args.b, 'utf8');
  const { times, last } = await timeReps(args.reps, () => {
    // each repetition parses both dumps afresh (the second side still shares the first's identical chunks)
    forgetParsedDumps();
    const a = buildSchemaModel(textA, path.basename(args.a));
    const b = buildSchemaModel(textB, path.basename(args.b));
    return { items: diffModels(a, b), tables: a.tables?.length ?? null };
  });
  emit({ ok: true, times, parserLoad, driftItems: last.items.length, tables: last.tables, bytes: [textA.length, textB.length] });
}

async function lintStage() {
  const [{ lint }] = await importAll(['commands/lint.js']);
  const { times, last } = await timeReps(args.reps, () => lint({ cwd: args.cwd, today: args.today }));
  const byRule = {};
  for (const f of last.findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  emit({ ok: true, times, files: last.filesLinted, findings: last.findings.length, byRule, preset: last.preset });
}

async function docsStage() {
  const [{ generateDocs }, { resolveProject }, { loadHistory }, { buildMigrationHistory }, { loadSqlParser }] = await importAll([
    'commands/docs.js',
    'config/project.js',
    'pipeline/replay-project.js',
    'docs/history.js',
    'sql/parse.js',
  ]);
  await loadSqlParser();
  const project = resolveProject({ cwd: args.cwd });
  // The per-table migration history comes from parsing the migrations (no database); built once, timed apart.
  const historyStarted = performance.now();
  const loaded = await loadHistory({ cwd: args.cwd });
  const history = buildMigrationHistory(loaded.prepared.files);
  const historySeconds = (performance.now() - historyStarted) / 1000;
  const dump = readFileSync(args.dump, 'utf8');
  const source = { dump, file: path.basename(args.dump), label: `the migrations in migrations/ (${loaded.migrations.length} files)`, history };
  let written = 0;
  const { times } = await timeReps(args.reps, async (i) => {
    const out = path.join(args.tmp, `docs-${i}`);
    mkdirSync(out, { recursive: true });
    const result = await generateDocs(project, source, { out });
    written = result.written.length;
    return result;
  });
  for (let i = 0; i < args.reps; i++) rmSync(path.join(args.tmp, `docs-${i}`), { recursive: true, force: true });
  emit({ ok: true, times, historySeconds, filesWritten: written });
}

const stages = { 'parse-diff': parseDiff, lint: lintStage, docs: docsStage };
try {
  if (!stages[stage]) throw new Error(`unknown stage ${stage}`);
  await stages[stage]();
} catch (error) {
  emit({ error: String(error?.stack ?? error).split('\n').slice(0, 3).join(' | ') });
  process.exitCode = 1;
}
