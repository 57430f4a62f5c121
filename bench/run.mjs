#!/usr/bin/env node
// pgdrift benchmark: `npm run bench` (builds first), or `node bench/run.mjs [options]` (`--help` lists the options
// and the stages, from STAGES below). See bench/README.md for what is measured.
//
// Ours and the naive psql + pg_dump + diff pipeline are measured in the same run, alternated in every repetition;
// medians (min-max) and ratios ours/naive are printed, with PASS/MISS against each target. It is a measurement,
// never a test: nothing here fails the build. Everything temporary lives under os.tmpdir() and is removed; every
// database the naive pipeline creates is dropped, also on failure and on Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { driftMigration, structuralDumpEdits } from './drift.mjs';
import { writeHistory } from './generate.mjs';
import { engineStages } from './engine.mjs';
import { currentChild, dropAllNaiveDatabases, killGroup, firstError, libpqEnv, naiveCheck, naiveReplay, summarize, timed } from './measure.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const cli = path.join(repoRoot, 'bin', 'pgdrift.js');

// ------------------------------------------------------------------------------------------------ arguments
/** Every stage `--stages` can name, in run order: the default selection and the usage text both come from here. */
const STAGES = [
  ['replay', 'replay generated histories, server and PGlite engines, vs createdb + psql + pg_dump'],
  ['check', 'check of the sample and of the generated history vs the naive diff pipeline'],
  ['parse-diff', 'in-process model of two 1,000-table dumps and their diff'],
  ['lint', 'in-process lint() of the 1,000-file history'],
  ['squawk', 'pgdrift lint vs squawk on the same files'],
  ['docs', 'in-process docs of the 1,000-table dump'],
  ['engine', 'embedded engine: warm check, unchanged re-check, appended file'],
  ['majors', 'embedded majors 16/17/18: cold and warm start, sample replay'],
  ['check-drift', 'check of a history whose snapshot has drifted (100 changes)'],
  ['diff-dumps', 'pgdrift diff of two dump files (no engine)'],
];
const STAGE_NAMES = STAGES.map(([name]) => name);

function parseArgs(argv) {
  const options = {
    quick: false,
    reps: undefined,
    databaseUrl: process.env.PGDRIFT_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    stages: STAGE_NAMES,
    save: undefined,
    sizes: undefined,
    inprocReps: 5,
    timeout: 600,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${arg} needs a value`);
      return v;
    };
    if (arg === '--quick') options.quick = true;
    else if (arg === '--reps') options.reps = positive(value(), arg);
    else if (arg === '--database-url') options.databaseUrl = value();
    else if (arg === '--stages') options.stages = stageList(value());
    else if (arg === '--save') options.save = value();
    else if (arg === '--timeout') options.timeout = positive(value(), arg);
    else if (arg === '--sizes') options.sizes = value().split(',').map((v) => positive(v, arg));
    else if (arg === '--help' || arg === '-h') usage();
    else usage(`unknown argument ${arg}`);
  }
  options.reps ??= options.quick ? 1 : 3;
  options.sizes ??= options.quick ? [50, 200] : [50, 200, 1000];
  return options;
}

function stageList(text) {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((name) => !STAGE_NAMES.includes(name));
  if (unknown.length > 0) usage(`unknown stage ${unknown.join(', ')} (--stages takes ${STAGE_NAMES.join(', ')})`);
  return names;
}

function positive(text, flag) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) usage(`${flag} wants a positive integer`);
  return n;
}

function usage(error) {
  const width = Math.max(...STAGE_NAMES.map((name) => name.length));
  const text = `usage: node bench/run.mjs [--quick] [--reps N] [--database-url URL] [--stages ${STAGE_NAMES.join(',')}] [--sizes N,N] [--timeout S] [--save NAME]
  --stages  the stages to run, comma-separated (default all, in this order):
${STAGES.map(([name, what]) => `              ${name.padEnd(width)}  ${what}`).join('\n')}
  --quick   N in {50, 200} and 1 repetition (the 1,000-table stages then use the 200-table history)
  --reps    repetitions of the process stages (default 3); in-process stages always take the median of 5
  --database-url  admin URL of the server for the server engine and the naive pipeline (default
            postgres://postgres@127.0.0.1:5432/postgres, or PGDRIFT_BENCH_DATABASE_URL)
  --sizes   override the history sizes, e.g. --sizes 20,50 (for trying the bench out)
  --timeout seconds one measured process may take (default 600); past it the run is killed and reported
  --save    also write bench/results/NAME.json and NAME.txt`;
  (error ? console.error : console.log)(error ? `${error}\n${text}` : text);
  process.exit(error ? 2 : 0);
}

const options = parseArgs(process.argv.slice(2));
const log = (message) => process.stderr.write(`[bench] ${message}\n`);

// ------------------------------------------------------------------------------------------------ interruption
let interrupted = false;
class Interrupted extends Error {}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping, cleaning up...`);
    if (currentChild) killGroup(currentChild, 'SIGTERM');
  });
}
const checkInterrupted = () => {
  if (interrupted) throw new Interrupted('interrupted');
};

// ------------------------------------------------------------------------------------------------ helpers
const rows = [];
const notes = [];

function addRow(row) {
  rows.push(row);
  log(`${row.stage} N=${row.n ?? '-'}: ${row.skipped ? `skipped: ${row.skipped}` : `ours ${fmtSummary(row.ours)}${row.naive ? `, naive ${fmtSummary(row.naive)}` : ''}`}`);
}

const fmtS = (s) => (s == null ? '-' : s < 10 ? s.toFixed(3) : s.toFixed(2));
const fmtSummary = (s) => (s ? `${fmtS(s.median)} s` : '-');
const fmtRange = (s) => (s ? (s.n > 1 ? `${fmtS(s.median)} (${fmtS(s.min)}-${fmtS(s.max)})` : fmtS(s.median)) : '-');
const fmtMb = (kb) => (kb == null ? '-' : `${(kb / 1024).toFixed(0)} MB`);

function rowFrom(stage, n, oursRuns, naiveRuns, target, extra = {}) {
  const ours = summarize(oursRuns.map((r) => r.seconds));
  const naive = naiveRuns ? summarize(naiveRuns.map((r) => r.seconds)) : null;
  const oursRss = summarize(oursRuns.map((r) => r.rssKb));
  const naiveRss = naiveRuns ? summarize(naiveRuns.map((r) => r.rssKb)) : null;
  const ratio = ours && naive ? ours.median / naive.median : null;
  let pass = null;
  if (target && ours) pass = target.kind === 'ratio' ? ratio != null && ratio <= target.value : ours.median < target.value;
  return {
    stage,
    n,
    ours,
    naive,
    ratio,
    oursPeakRssKb: oursRss ? oursRss.max : null,
    naivePeakRssKb: naiveRss ? naiveRss.max : null,
    target: target ? target.label : null,
    pass,
    ...extra,
  };
}

function cliArgs(command, cwd, engine, extra = []) {
  // --no-cache on PGlite: these stages measure a replay; the replay cache (which would serve a repeated history's dump
  // without starting an engine) is measured on its own by the engine stage
  const engineArgs = engine === 'server' ? ['--engine', 'server', '--database-url', options.databaseUrl] : ['--engine', 'pglite', '--no-cache'];
  return [cli, command, '-q', '-C', cwd, ...engineArgs, ...extra];
}

/** Runs the real CLI under /usr/bin/time. `ok` lists the exit codes that count as a valid measurement. */
async function ours(command, cwd, engine, { stdoutFile, extra, ok = [0] } = {}) {
  const result = await timed(process.execPath, cliArgs(command, cwd, engine, extra), { stdoutFile, cwd: repoRoot, timeoutSeconds: options.timeout });
  checkInterrupted();
  if (result.timedOut) throw new StageError(`pgdrift ${command} --engine ${engine} did not finish in ${options.timeout} s (killed)`);
  if (!ok.includes(result.code)) {
    throw new StageError(`pgdrift ${command} --engine ${engine} exited ${result.code ?? result.signal}: ${firstError(result.stderr)}`);
  }
  return result;
}

class StageError extends Error {}

function sqlFiles(dir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => path.join(dir, f));
}

function serverAnswers() {
  const env = { ...process.env, ...libpqEnv(options.databaseUrl) };
  const result = spawnSync('psql', ['-X', '-At', '-c', 'show server_version'], { env, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

function toolVersion(command) {
  const result = spawnSync(command, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

/** A stage runs in isolation: a failure is printed as "skipped: <reason>" and the run goes on. */
async function stage(name, n, fn) {
  if (!options.stages.includes(name.split(' ')[0])) return;
  checkInterrupted();
  try {
    await fn();
  } catch (error) {
    if (error instanceof Interrupted) throw error;
    const reason = error instanceof StageError ? error.message : String(error?.message ?? error).split('\n')[0];
    addRow({ stage: name, n, skipped: reason });
  }
}

/** Runs one in-process stage in a fresh Node process (bench/inproc.mjs). */
function inproc(stageName, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'inproc.mjs'), stageName, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', () => {
      checkInterrupted();
      const line = stdout.trim().split('\n').pop();
      try {
        const result = JSON.parse(line);
        if (result.skipped) return reject(new StageError(result.skipped));
        if (result.error) return reject(new StageError(result.error));
        resolve(result);
      } catch {
        reject(new StageError(`inproc ${stageName} printed no result: ${firstError(stderr)}`));
      }
    });
  });
}

// ------------------------------------------------------------------------------------------------ the run
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pgdrift-bench-'));
const startedAt = new Date();
const serverVersion = serverAnswers();
const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? null,
  memoryGb: Math.round(os.totalmem() / 1024 ** 3),
  loadavgAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
  node: process.version,
  postgresServer: serverVersion,
  psql: toolVersion('psql'),
  pgDump: toolVersion('pg_dump'),
  commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).stdout?.trim() || null,
};
if (!existsSync('/usr/bin/time')) {
  console.error('bench: GNU /usr/bin/time is required (apt-get install time)');
  process.exit(2);
}

const projects = new Map(); // N -> { root, files }
const dumps = { server: new Map(), pglite: new Map() }; // N -> dump file (rep 0 output of pgdrift dump)
const bigN = Math.max(...options.sizes);

function project(n) {
  if (!projects.has(n)) {
    const root = path.join(tmp, `history-${n}`);
    const files = writeHistory(root, n);
    projects.set(n, { root, files });
  }
  return projects.get(n);
}

/** The 1,000-table dump (bigN tables): from stage 1 when it ran, else made now with pgdrift dump. */
async function bigDump(engine = 'server') {
  if (dumps[engine].has(bigN)) return dumps[engine].get(bigN);
  const file = path.join(tmp, `dump-${engine}-${bigN}.sql`);
  log(`writing the ${bigN}-table dump with pgdrift dump --engine ${engine}...`);
  await ours('dump', project(bigN).root, engine, { stdoutFile: file });
  dumps[engine].set(bigN, file);
  return file;
}

let exitCode = 0;
try {
  log(`tmp ${tmp}; sizes ${options.sizes.join(', ')}; ${options.reps} rep(s); server ${serverVersion ?? 'NOT ANSWERING'}`);
  const needServer = () => {
    if (!serverVersion) throw new StageError(`no Postgres server answers at ${new URL(options.databaseUrl).host}`);
  };

  // 1. Replay: pgdrift dump (server, PGlite) vs createdb + psql -1 -f per file + pg_dump + dropdb.
  for (const n of options.sizes) {
    const runs = { server: [], pglite: [], naive: [] };
    const failures = {};
    await stage('replay', n, async () => {
      needServer();
      const { root, files } = project(n);
      for (let rep = 0; rep < options.reps; rep++) {
        // alternate the order every repetition, so a drift in machine load hits both sides alike
        const order = rep % 2 === 0 ? ['server', 'naive', 'pglite'] : ['pglite', 'naive', 'server'];
        for (const side of order) {
          checkInterrupted();
          try {
            if (side === 'naive') {
              const result = await naiveReplay(options.databaseUrl, files, path.join(tmp, `naive-${n}.sql`));
              checkInterrupted();
              if (result.code !== 0) throw new StageError(`naive pipeline exited ${result.code ?? result.signal}: ${firstError(result.stderr)}`);
              runs.naive.push(result);
            } else {
              const stdoutFile = path.join(tmp, `dump-${side}-${n}${rep === 0 ? '' : '-again'}.sql`);
              runs[side].push(await ours('dump', root, side, { stdoutFile }));
              if (rep === 0) dumps[side].set(n, stdoutFile);
            }
            log(`replay N=${n} rep ${rep + 1}/${options.reps} ${side}: ${fmtS(runs[side].at(-1).seconds)} s, ${fmtMb(runs[side].at(-1).rssKb)}`);
          } catch (error) {
            if (!(error instanceof StageError)) throw error;
            failures[side] = error.message;
            log(`replay N=${n} ${side}: ${error.message}`);
          }
        }
      }
      for (const side of ['server', 'pglite']) {
        const stageName = `replay (${side})`;
        if (runs[side].length === 0) addRow({ stage: stageName, n, skipped: failures[side] ?? 'no run' });
        else if (runs.naive.length === 0) addRow({ ...rowFrom(stageName, n, runs[side], null, null), note: `naive failed: ${failures.naive}` });
        else addRow(rowFrom(stageName, n, runs[side], runs.naive, null, failures[side] ? { note: failures[side] } : {}));
      }
    });
  }

  // 2. Check: pgdrift check --engine server --no-lint vs the naive replay + load snapshot + pg_dump both + diff -u.
  const checkTarget = { kind: 'ratio', value: 0.5, label: '<= 0.5x naive' };
  async function measureCheck(label, n, root, migrationsDir, snapshotFile, { engine = 'server', target = checkTarget } = {}) {
    needServer();
    const files = sqlFiles(migrationsDir);
    const work = path.join(tmp, `check-work-${n}`);
    mkdirSync(work, { recursive: true });
    const oursRuns = [];
    const naiveRuns = [];
    const codes = new Set();
    const diffExits = new Set();
    // A snapshot written by pg_dump 18 (PGlite) starts with `SET transaction_timeout = 0;`, which a PG 15 server
    // refuses; a naive script has to drop that line before `psql -1 -f` can load it (done here once, not timed).
    const snapshotText = readFileSync(snapshotFile, 'utf8');
    const loadable = snapshotText.replace(/^SET transaction_timeout = .*\n/m, '');
    const naiveSnapshot = path.join(work, 'snapshot-for-psql.sql');
    writeFileSync(naiveSnapshot, loadable);
    const naiveNote = loadable === snapshotText ? '' : '; naive: the pg_dump 18 line `SET transaction_timeout` was dropped from the snapshot so PG 15 loads it';
    for (let rep = 0; rep < options.reps; rep++) {
      const order = rep % 2 === 0 ? ['ours', 'naive'] : ['naive', 'ours'];
      for (const side of order) {
        if (side === 'ours') {
          const result = await ours('check', root, engine, { extra: ['--no-lint'], ok: [0, 1] });
          codes.add(result.code);
          oursRuns.push(result);
        } else {
          const result = await naiveCheck(options.databaseUrl, files, naiveSnapshot, work);
          checkInterrupted();
          if (result.code !== 0) throw new StageError(`naive check pipeline exited ${result.code ?? result.signal}: ${firstError(result.stderr)}`);
          diffExits.add(result.diffExit);
          naiveRuns.push(result);
        }
        log(`${label} N=${n} rep ${rep + 1}/${options.reps} ${side}: ${fmtS((side === 'ours' ? oursRuns : naiveRuns).at(-1).seconds)} s`);
      }
    }
    const note = [
      `pgdrift check exit ${[...codes].join('/')}${codes.has(1) ? ' (drift reported)' : ' (no drift)'}`,
      `naive diff exit ${[...diffExits].join('/')}${diffExits.has(1) ? ' (text differs)' : ' (identical)'}`,
    ].join('; ') + naiveNote;
    addRow(rowFrom(label, n, oursRuns, naiveRuns, target, { note }));
  }

  await stage('check (sample)', 24, async () => {
    // the bundled sample: the repo root when it has a committed snapshot, else a temp copy with one written now
    const glob = /^schema-actual-\d{4}-\d{2}-\d{2}\.sql$/;
    const archDir = path.join(repoRoot, 'docs', 'architecture');
    const committed = existsSync(archDir) ? readdirSync(archDir).filter((f) => glob.test(f)).sort() : [];
    let root = repoRoot;
    let snapshot;
    if (committed.length > 0) {
      snapshot = path.join(archDir, committed.at(-1)); // the latest by the date in its name, as pgdrift picks it
    } else {
      root = path.join(tmp, 'sample');
      cpSync(path.join(repoRoot, 'migrations'), path.join(root, 'migrations'), { recursive: true });
      for (const extra of ['pgdrift.config.json', 'pgdrift-baseline.json']) {
        if (existsSync(path.join(repoRoot, extra))) copyFileSync(path.join(repoRoot, extra), path.join(root, extra));
      }
      mkdirSync(path.join(root, 'docs', 'architecture'), { recursive: true });
      snapshot = path.join(root, 'docs', 'architecture', 'schema-actual-2025-01-01.sql');
      await ours('dump', root, 'server', { extra: ['-o', snapshot] });
      notes.push('check (sample): the repo has no docs/architecture/schema-actual-*.sql yet; a temp copy got one from `pgdrift dump --engine server -o`.');
    }
    const n = sqlFiles(path.join(root, 'migrations')).length;
    await measureCheck('check (sample)', n, root, path.join(root, 'migrations'), snapshot);
  });

  await stage('check (generated)', bigN, async () => {
    needServer();
    const { root } = project(bigN);
    const dir = path.join(root, 'docs', 'architecture');
    mkdirSync(dir, { recursive: true });
    const snapshot = path.join(dir, 'schema-actual-2025-01-01.sql');
    copyFileSync(await bigDump('server'), snapshot);
    await measureCheck('check (generated)', bigN, root, path.join(root, 'migrations'), snapshot);
  });

  // 3. Parse + diff of a 1,000-table dump, in-process; `diff -u` of the two files for reference.
  await stage('parse-diff', bigN, async () => {
    const a = await bigDump('server');
    let b = dumps.pglite.get(bigN);
    let which = 'pg_dump 15 (server) vs pg_dump 18 (PGlite) of the same history';
    if (!b) {
      b = a;
      which = 'the server dump against itself (no PGlite dump this run)';
    }
    const result = await inproc('parse-diff', { a, b, reps: options.inprocReps });
    const naiveRuns = [];
    for (let i = 0; i < options.inprocReps; i++) {
      const run = await timed('diff', ['-u', a, b]);
      checkInterrupted();
      if (run.code !== 0 && run.code !== 1) throw new StageError(`diff -u exited ${run.code}`);
      naiveRuns.push(run);
    }
    const row = rowFrom(
      'parse+diff (in-process)',
      bigN,
      result.times.map((seconds) => ({ seconds, rssKb: result.rssKb })),
      naiveRuns,
      { kind: 'abs', value: 1, label: '< 1 s' },
      { note: `${which}; ${result.tables} tables, ${result.driftItems} drift items; parser load ${fmtS(result.parserLoad)} s (once, not timed); naive = diff -u of the two files` },
    );
    addRow(row);
  });

  // 4. Lint of a generated 1,000-file history, in-process (always 1,000 files: no replay is needed).
  await stage('lint', 1000, async () => {
    const { root } = project(1000);
    const result = await inproc('lint', { cwd: root, reps: options.inprocReps, today: startedAt.toISOString().slice(0, 10) });
    const top = Object.entries(result.byRule)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 4)
      .map(([rule, count]) => `${rule} ${count}`)
      .join(', ');
    addRow(
      rowFrom('lint (in-process)', result.files, result.times.map((seconds) => ({ seconds, rssKb: result.rssKb })), null, { kind: 'abs', value: 1, label: '< 1 s' }, {
        note: `preset ${result.preset}; ${result.findings} findings${top ? ` (${top})` : ''}; includes parser load on the first rep`,
      }),
    );
  });

  // 4b. Lint vs Squawk: the CLIs as a team runs them (`pgdrift lint`, and squawk-cli's npm bin on the same files),
  // on generated histories. Squawk is a dev dependency; its npm bin is a Node wrapper around a native binary.
  const squawkBin = path.join(repoRoot, 'node_modules/.bin/squawk');
  for (const n of [30, 250, 1000]) {
    await stage('squawk', n, async () => {
      if (!existsSync(squawkBin)) throw new StageError('squawk-cli is not installed (npm ci installs it as a dev dependency)');
      const { root } = project(n);
      const files = sqlFiles(path.join(root, 'migrations'));
      const runs = { ours: [], squawk: [] };
      for (let rep = 0; rep < options.reps; rep++) {
        for (const side of rep % 2 === 0 ? ['ours', 'squawk'] : ['squawk', 'ours']) {
          checkInterrupted();
          const result =
            side === 'ours'
              ? await timed(process.execPath, [cli, 'lint', '-q', '-C', root], { cwd: repoRoot, timeoutSeconds: options.timeout })
              : await timed(squawkBin, files, { cwd: root, timeoutSeconds: options.timeout });
          // both exit 1 when they report an error-level finding
          if (result.timedOut || ![0, 1].includes(result.code)) throw new StageError(`${side} exited ${result.code ?? result.signal}: ${firstError(result.stderr)}`);
          runs[side].push(result);
        }
      }
      const target = n >= 1000 ? { kind: 'ratio', value: 1, label: '<= 1x squawk' } : { kind: 'ratio', value: 2, label: '<= 2x squawk' };
      const cpu = (list) => summarize(list.map((r) => r.cpuSeconds).filter((v) => v != null));
      const [oursCpu, squawkCpu] = [cpu(runs.ours), cpu(runs.squawk)];
      const cpuNote = oursCpu && squawkCpu ? `; CPU (user+sys) median ours ${fmtS(oursCpu.median)} s, squawk ${fmtS(squawkCpu.median)} s, ratio ${(oursCpu.median / squawkCpu.median).toFixed(2)}x` : '';
      addRow({
        ...rowFrom('lint vs squawk (CLI)', n, runs.ours, runs.squawk, target),
        note: `naive column = squawk-cli (npm bin: a Node wrapper around its native binary) on the same files; ours = pgdrift lint, every rule of the project preset${cpuNote}`,
      });
    });
  }

  // 5. Docs for the 1,000-table schema, in-process (model + render + write into a fresh temp folder).
  await stage('docs', bigN, async () => {
    const dump = await bigDump('server');
    const result = await inproc('docs', { cwd: project(bigN).root, dump, reps: options.inprocReps, tmp: path.join(tmp, 'docs-out') });
    addRow(
      rowFrom('docs (in-process)', bigN, result.times.map((seconds) => ({ seconds, rssKb: result.rssKb })), null, { kind: 'abs', value: 2, label: '< 2 s' }, {
        note: `${result.filesWritten} files written; per-table migration history built once beforehand in ${fmtS(result.historySeconds)} s (not timed)`,
      }),
    );
  });

  // 6. The embedded engine (bench/engine.mjs): warm check, unchanged re-check, appended file, per-major figures.
  await engineStages({ stage, addRow, rowFrom, timed, naiveCheck, needServer, checkInterrupted, log, notes, options, tmp, repoRoot, cli, project, bigN, fmtS, StageError, firstError });

  // 7. A check that finds drift (issue 13): a generated history against the dump of the same history plus one
  // migration of 100 changes (80 structural, 20 expression text: see drift.mjs), on the server engine and on PGlite,
  // each against the naive pipeline. Only the expression-text items make pgdrift reload both sides.
  const driftN = Math.min(200, bigN);
  await stage('check-drift', driftN, async () => {
    needServer();
    const root = path.join(tmp, `drift-${driftN}`);
    cpSync(path.join(project(driftN).root, 'migrations'), path.join(root, 'migrations'), { recursive: true });
    const withDrift = path.join(tmp, `drift-${driftN}-snapshot-side`);
    cpSync(path.join(root, 'migrations'), path.join(withDrift, 'migrations'), { recursive: true });
    writeFileSync(path.join(withDrift, 'migrations', '9999_drift.sql'), driftMigration(driftN, 100));
    mkdirSync(path.join(root, 'docs', 'architecture'), { recursive: true });
    const snapshot = path.join(root, 'docs', 'architecture', 'schema-actual-2025-01-01.sql');
    await ours('dump', withDrift, 'server', { stdoutFile: snapshot });
    // once, untimed: how many drift items, and how many went through the confirming reload
    const report = path.join(tmp, 'check-drift.json');
    await ours('check', root, 'server', { extra: ['--no-lint', '--format', 'json'], stdoutFile: report, ok: [1] });
    const drift = JSON.parse(readFileSync(report, 'utf8')).drift;
    const expressionText = drift.filter((d) => d.name.endsWith('_priority_check') || (Array.isArray(d.details) && d.details.some((x) => x?.field === 'default')));
    notes.push(`check-drift: ${drift.length} drift items, ${expressionText.length} of them in a default or CHECK expression (confirmed through the reload)`);
    await measureCheck('check-drift (server)', driftN, root, path.join(root, 'migrations'), snapshot, { engine: 'server', target: checkTarget });
    await measureCheck('check-drift (pglite)', driftN, root, path.join(root, 'migrations'), snapshot, { engine: 'pglite', target: { kind: 'ratio', value: 1.0, label: '<= 1.0x naive' } });
  });

  // 8. `pgdrift diff a.sql b.sql` of two 1,000-table dumps with 10 structural differences (issue 13): the whole CLI
  // process, which must start no engine (PGlite's cache folder is pointed at an empty temp folder and must stay
  // empty); `diff -u` of the two files for reference.
  await stage('diff-dumps', bigN, async () => {
    const a = await bigDump('server');
    const b = path.join(tmp, `dump-server-${bigN}-edited.sql`);
    writeFileSync(b, structuralDumpEdits(readFileSync(a, 'utf8'), 10));
    const cache = mkdtempSync(path.join(tmp, 'engine-cache-'));
    const out = path.join(tmp, 'diff-dumps.json');
    const oursRuns = [];
    const naiveRuns = [];
    let items;
    for (let rep = 0; rep < options.reps; rep++) {
      const result = await timed(process.execPath, [cli, 'diff', a, b, '-q', '--format', 'json', '--engine', 'pglite'], { stdoutFile: out, env: { PGDRIFT_CACHE_DIR: cache }, timeoutSeconds: options.timeout });
      checkInterrupted();
      if (result.code !== 1) throw new StageError(`pgdrift diff exited ${result.code ?? result.signal}: ${firstError(result.stderr)}`);
      items = JSON.parse(readFileSync(out, 'utf8')).drift.length;
      oursRuns.push(result);
      const naive = await timed('diff', ['-u', a, b]);
      checkInterrupted();
      naiveRuns.push(naive);
      log(`diff-dumps N=${bigN} rep ${rep + 1}/${options.reps}: ${fmtS(result.seconds)} s`);
    }
    const engineStarted = readdirSync(cache).length > 0;
    addRow(
      rowFrom('diff a.sql b.sql (CLI)', bigN, oursRuns, naiveRuns, { kind: 'abs', value: 1.5, label: '< 1.5 s, no engine' }, {
        note: `${items} differences reported (10 made); engine started: ${engineStarted ? 'YES (PGlite cache written)' : 'no (PGlite cache folder untouched)'}; naive = diff -u of the two files`,
        ...(engineStarted ? { pass: false } : {}),
      }),
    );
  });
} catch (error) {
  if (error instanceof Interrupted) {
    log('interrupted: partial results below');
    exitCode = 130;
  } else {
    log(`unexpected error: ${error?.stack ?? error}`);
    exitCode = 1;
  }
} finally {
  const failed = dropAllNaiveDatabases(options.databaseUrl);
  if (failed.length > 0) log(`could not drop: ${failed.join('; ')}`);
  rmSync(tmp, { recursive: true, force: true });
}

// ------------------------------------------------------------------------------------------------ report
const finishedAt = new Date();
machine.loadavgAtEnd = os.loadavg().map((l) => Number(l.toFixed(2)));
const header = ['stage', 'N', 'ours median (min-max) s', 'naive median (min-max) s', 'ratio', 'peak RSS ours / naive', 'target', 'result'];
const body = rows.map((r) =>
  r.skipped
    ? [r.stage, String(r.n ?? '-'), `skipped: ${r.skipped}`, '', '', '', '', '']
    : [
        r.stage,
        String(r.n ?? '-'),
        fmtRange(r.ours),
        fmtRange(r.naive),
        r.ratio == null ? '-' : `${r.ratio.toFixed(2)}x`,
        `${fmtMb(r.oursPeakRssKb)} / ${fmtMb(r.naivePeakRssKb)}`,
        r.target ?? '-',
        r.pass == null ? '-' : r.pass ? 'PASS' : 'MISS',
      ],
);
const measured = body.filter((_, i) => !rows[i].skipped);
const widths = header.map((h, i) => Math.max(h.length, ...measured.map((b) => b[i].length)));
const line = (cells) =>
  cells[2].startsWith('skipped')
    ? `${cells[0].padEnd(widths[0])}  ${cells[1].padStart(widths[1])}  ${cells[2]}`
    : cells.map((c, i) => (i === 1 || i === 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
const rule = widths.map((w) => '-'.repeat(w)).join('  ');
const details = rows.filter((r) => r.note).map((r) => `- ${r.stage} N=${r.n}: ${r.note}`);
const text = [
  `pgdrift bench ${startedAt.toISOString()} (${options.quick ? 'quick, ' : ''}${options.reps} rep(s) of the process stages, median of ${options.inprocReps} in-process)`,
  `machine: ${machine.cpus} CPU ${machine.cpuModel ?? ''}, ${machine.memoryGb} GB, load ${machine.loadavgAtStart.join(' ')} -> ${machine.loadavgAtEnd.join(' ')}; node ${machine.node}; server ${machine.postgresServer ?? '-'}; ${machine.pgDump ?? ''}; commit ${machine.commit ?? '-'}`,
  '',
  line(header),
  rule,
  ...body.map(line),
  '',
  'ratio = ours median / naive median (lower is better). Peak RSS = /usr/bin/time %M: the pgdrift process (PGlite runs inside it),',
  'and for the naive pipeline its largest client process (psql / pg_dump / diff); the server backends count on neither side.',
  ...(details.length || notes.length ? ['', ...details, ...notes.map((n) => `- ${n}`)] : []),
  `total ${((finishedAt - startedAt) / 1000).toFixed(0)} s`,
].join('\n');
process.stdout.write(`${text}\n`);

const json = { startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), options: { quick: options.quick, reps: options.reps, sizes: options.sizes, inprocReps: options.inprocReps, stages: options.stages }, machine, rows, notes };
const resultsDir = path.join(here, 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
writeFileSync(path.join(resultsDir, 'latest.txt'), `${text}\n`);
if (options.save) {
  writeFileSync(path.join(resultsDir, `${options.save}.json`), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(path.join(resultsDir, `${options.save}.txt`), `${text}\n`);
}
process.exitCode = exitCode;
