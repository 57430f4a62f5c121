// The embedded engine's stages of `npm run bench` (issue 13's default-engine targets, issue 15's majors), run from
// run.mjs with its helpers. Every measured process is the real CLI under /usr/bin/time, with its own cache folder
// (PGDRIFT_CACHE_DIR) so "cold", "warm" and "cached" mean exactly what each row says.
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

/**
 * @param ctx {{ stage, addRow, rowFrom, timed, naiveCheck, needServer, checkInterrupted, log, notes, options, tmp, repoRoot, cli, project, bigN, fmtS, StageError, firstError }}
 */
export async function engineStages(ctx) {
  const { stage, addRow, rowFrom, options, tmp, repoRoot, cli, log, fmtS } = ctx;

  /** pgdrift under /usr/bin/time with a given cache folder; `ok` = exit codes that count as a measurement. */
  async function run(args, cacheDir, { ok = [0], stdoutFile } = {}) {
    const result = await ctx.timed(process.execPath, [cli, ...args], {
      cwd: repoRoot,
      stdoutFile,
      env: { ...process.env, PGDRIFT_CACHE_DIR: cacheDir },
      timeoutSeconds: options.timeout,
    });
    ctx.checkInterrupted();
    if (result.timedOut) throw new ctx.StageError(`pgdrift ${args[0]} did not finish in ${options.timeout} s (killed)`);
    if (!ok.includes(result.code)) throw new ctx.StageError(`pgdrift ${args.join(' ')} exited ${result.code ?? result.signal}: ${ctx.firstError(result.stderr)}`);
    return result;
  }
  const clearReplayCache = (dir) => {
    for (const name of safeList(dir)) if (name.startsWith('replay-') || name.startsWith('state-')) rmSync(path.join(dir, name), { force: true });
  };

  // The bundled sample with its committed snapshot (the same files check (sample) uses).
  const sample = path.join(tmp, 'engine-sample');
  cpSync(path.join(repoRoot, 'migrations'), path.join(sample, 'migrations'), { recursive: true });
  cpSync(path.join(repoRoot, 'docs', 'architecture'), path.join(sample, 'docs', 'architecture'), { recursive: true });
  const sampleFiles = readdirSync(path.join(sample, 'migrations')).filter((f) => f.endsWith('.sql')).sort().map((f) => path.join(sample, 'migrations', f));
  const snapshot = path.join(sample, 'docs', 'architecture', readdirSync(path.join(sample, 'docs', 'architecture')).sort().at(-1));
  const warmCache = path.join(tmp, 'engine-cache');

  // 1. Warm default-engine check on the sample vs the naive pipeline; its peak memory.
  await stage('engine (warm check, sample)', sampleFiles.length, async () => {
    ctx.needServer();
    const naiveSnapshot = path.join(tmp, 'engine-snapshot-for-psql.sql');
    writeFileSync(naiveSnapshot, readFileSync(snapshot, 'utf8').replace(/^SET transaction_timeout = .*\n/m, ''));
    const args = ['check', '-q', '-C', sample, '--no-lint', '--no-cache'];
    log('engine: warming the data-dir cache (not timed)...');
    await run(args, warmCache, { ok: [0, 1] });
    const oursRuns = [];
    const naiveRuns = [];
    const work = path.join(tmp, 'engine-naive');
    mkdirSync(work, { recursive: true });
    for (let rep = 0; rep < options.reps; rep++) {
      for (const side of rep % 2 === 0 ? ['ours', 'naive'] : ['naive', 'ours']) {
        if (side === 'ours') oursRuns.push(await run(args, warmCache, { ok: [0, 1] }));
        else {
          const result = await ctx.naiveCheck(options.databaseUrl, sampleFiles, naiveSnapshot, work);
          if (result.code !== 0) throw new ctx.StageError(`naive check pipeline exited ${result.code}: ${ctx.firstError(result.stderr)}`);
          naiveRuns.push(result);
        }
        log(`engine warm check rep ${rep + 1} ${side}: ${fmtS((side === 'ours' ? oursRuns : naiveRuns).at(-1).seconds)} s`);
      }
    }
    addRow(rowFrom('engine (warm check, sample)', sampleFiles.length, oursRuns, naiveRuns, { kind: 'ratio', value: 1.0, label: '<= 1.0x naive' }, {
      note: 'pgdrift check --no-lint --no-cache on the embedded engine (default), data-dir cache warm, replay cache bypassed; naive on the server',
    }));
    // Where the time and memory go: one in-process run, step by step (engine-profile.mjs), warm data-dir cache.
    const profile = spawnSync(process.execPath, [path.join(repoRoot, 'bench', 'engine-profile.mjs'), sample, '18'], {
      encoding: 'utf8',
      env: { ...process.env, PGDRIFT_CACHE_DIR: warmCache },
    });
    try {
      const { steps, peakRssMb } = JSON.parse(profile.stdout.trim().split('\n').pop());
      ctx.notes.push(`engine profile (sample, PGlite 18, in-process, warm): ${steps.map((s) => `${s.step} ${fmtS(s.seconds)} s → ${s.rssMb} MB`).join('; ')}; peak ${peakRssMb} MB`);
    } catch {
      ctx.notes.push(`engine profile failed: ${ctx.firstError(profile.stderr ?? '')}`);
    }
    const peakKb = Math.max(...oursRuns.map((r) => r.rssKb));
    addRow({
      ...rowFrom('engine (peak memory, check)', sampleFiles.length, oursRuns, null, null),
      target: '<= 500 MB',
      pass: peakKb / 1024 <= 500,
      note: 'peak RSS of the warm embedded check above (the whole Postgres runs inside the process)',
    });
  });

  // 2. Unchanged history: the first check (replay cache empty, data dir warm) and a re-check of the same files.
  await stage('engine (unchanged re-check)', sampleFiles.length, async () => {
    const args = ['check', '-q', '-C', sample, '--no-lint'];
    const first = [];
    const again = [];
    for (let rep = 0; rep < options.reps; rep++) {
      clearReplayCache(warmCache);
      first.push(await run(args, warmCache, { ok: [0, 1] }));
      again.push(await run(args, warmCache, { ok: [0, 1] }));
      log(`engine unchanged rep ${rep + 1}: first ${fmtS(first.at(-1).seconds)} s, again ${fmtS(again.at(-1).seconds)} s`);
    }
    addRow(rowFrom('engine (unchanged re-check)', sampleFiles.length, again, first, { kind: 'ratio', value: 0.2, label: '<= 0.2x first run' }, {
      note: '"naive" column = the first run of the same check (replay cache empty, data-dir cache warm); ours = the re-check (replay reused, no engine started)',
    }));
  });

  // 3. One file appended to a long generated history: replay with the saved prefix vs a full replay.
  await stage('engine (appended file)', ctx.bigN, async () => {
    const { root } = ctx.project(ctx.bigN);
    const dir = path.join(root, 'migrations');
    const last = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort().at(-1);
    const parked = path.join(tmp, `parked-${last}`);
    const cache = path.join(tmp, 'engine-append-cache');
    // --pg 18: the newest embedded major, whatever the project's snapshot header says (after the check stage it was
    // written by the PG 15 server, which would choose the embedded 16, whose pg_dump fails past ~500 tables)
    const args = ['dump', '-q', '-C', root, '--engine', 'pglite', '--pg', '18', '-o', path.join(tmp, 'engine-append.sql')];
    const full = [];
    const appended = [];
    for (let rep = 0; rep < options.reps; rep++) {
      full.push(await run([...args, '--no-cache'], cache));
      clearReplayCache(cache);
      renameSync(path.join(dir, last), parked);
      log(`engine appended rep ${rep + 1}: priming with ${ctx.bigN - 1} files (not timed)...`);
      try {
        await run(args, cache);
      } finally {
        renameSync(parked, path.join(dir, last));
      }
      appended.push(await run(args, cache));
      log(`engine appended rep ${rep + 1}: full ${fmtS(full.at(-1).seconds)} s, appended ${fmtS(appended.at(-1).seconds)} s`);
    }
    addRow(rowFrom('engine (appended file)', ctx.bigN, appended, full, { kind: 'ratio', value: 0.1, label: '<= 0.1x full replay' }, {
      note: `pgdrift dump on the embedded engine; "naive" column = the full replay (--no-cache) of all ${ctx.bigN} files; ours = the same history after a run on the first ${ctx.bigN - 1} (saved prefix loaded, one file applied)`,
    }));
  });

  // 4. Per embedded major: cold start (empty cache), warm start (data-dir cache), replay of the sample, memory.
  await stage('majors', 3, async () => {
    const tiny = path.join(tmp, 'majors-tiny');
    mkdirSync(path.join(tiny, 'migrations'), { recursive: true });
    writeFileSync(path.join(tiny, 'migrations', '001_t.sql'), 'CREATE TABLE t (id int PRIMARY KEY);\n');
    // The sample minus CREATE EXTENSION pgcrypto: the embedded 16 (PGlite 0.2.17) does not ship it.
    const portable = path.join(tmp, 'majors-sample');
    cpSync(path.join(sample, 'migrations'), path.join(portable, 'migrations'), { recursive: true });
    const first = path.join(portable, 'migrations', '001_initial_organizations.sql');
    writeFileSync(first, readFileSync(first, 'utf8').replace('CREATE EXTENSION IF NOT EXISTS pgcrypto;', ''));
    for (const pg of [16, 17, 18]) {
      const cache = path.join(tmp, `majors-cache-${pg}`);
      const rows = { cold: [], warm: [], replay: [] };
      // The sample needs citext: its own data-dir entry, warmed once (not timed) so its replay row is warm too.
      await run(['dump', '-q', '-C', portable, '--pg', String(pg), '--no-cache', '-o', path.join(tmp, 'majors-out.sql')], `${cache}-sample`);
      for (let rep = 0; rep < options.reps; rep++) {
        rmSync(cache, { recursive: true, force: true });
        rows.cold.push(await run(['dump', '-q', '-C', tiny, '--pg', String(pg), '--no-cache', '-o', path.join(tmp, 'majors-out.sql')], cache));
        rows.warm.push(await run(['dump', '-q', '-C', tiny, '--pg', String(pg), '--no-cache', '-o', path.join(tmp, 'majors-out.sql')], cache));
        rows.replay.push(await run(['dump', '-q', '-C', portable, '--pg', String(pg), '--no-cache', '-o', path.join(tmp, 'majors-out.sql')], `${cache}-sample`));
        log(`majors pg ${pg} rep ${rep + 1}: cold ${fmtS(rows.cold.at(-1).seconds)} s, warm ${fmtS(rows.warm.at(-1).seconds)} s, replay ${fmtS(rows.replay.at(-1).seconds)} s`);
      }
      addRow(rowFrom(`pg ${pg} cold start`, 1, rows.cold, null, null, { note: 'pgdrift dump of a 1-table history, empty cache folder (initdb)' }));
      addRow(rowFrom(`pg ${pg} warm start`, 1, rows.warm, null, null, { note: 'the same, data-dir cache warm' }));
      addRow(rowFrom(`pg ${pg} replay (sample)`, sampleFiles.length, rows.replay, null, null, { note: 'the sample without pgcrypto (the embedded 16 lacks it), data-dir cache warm, --no-cache' }));
    }
  });
}

function safeList(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export const ENGINE_STAGES = ['engine', 'majors'];
