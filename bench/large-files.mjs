// Large migration files: `node bench/large-files.mjs [--sizes 1,5,20] [--reps 1]` (after `npm run build`).
// Writes one migration file of N MB (a CREATE TABLE and then INSERT statements, ~90 bytes each) per size into a
// temp project and times `lint({ cwd })` in a fresh Node process per size (parse + split + every rule), so the peak
// RSS is that size's alone. Linear means the time per MB stays about the same from 1 to 20 MB; the issue measured
// 3.2 s at 2 MB and 73 s at 10 MB before (a copy of the earlier statements per statement). Prints a table and a
// JSON line; it is a measurement, not a test.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : args[index + 1];
};
const sizes = option('sizes', '1,5,20').split(',').map(Number);
const reps = Number(option('reps', '1'));

if (args[0] === '--child') {
  const { lint } = await import(new URL('../dist/commands/lint.js', import.meta.url).href);
  const started = performance.now();
  const result = await lint({ cwd: args[1] });
  process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - started) / 1000, findings: result.findings.length, rssKb: process.resourceUsage().maxRSS })}\n`);
  process.exit(0);
}

function writeProject(megabytes) {
  const root = mkdtempSync(path.join(os.tmpdir(), `pgdrift-large-${megabytes}mb-`));
  mkdirSync(path.join(root, 'migrations'));
  const parts = ['CREATE TABLE IF NOT EXISTS items (id bigint PRIMARY KEY, name text NOT NULL, qty integer);\n'];
  let size = parts[0].length;
  for (let i = 0; size < megabytes * 1024 * 1024; i++) {
    const line = `INSERT INTO items (id, name, qty) VALUES (${i}, 'item number ${i} with some text', ${i % 100});\n`;
    parts.push(line);
    size += line.length;
  }
  writeFileSync(path.join(root, 'migrations', '001_large.sql'), parts.join(''));
  return { root, statements: parts.length };
}

const rows = [];
for (const megabytes of sizes) {
  const { root, statements } = writeProject(megabytes);
  const times = [];
  let rssKb = 0;
  try {
    for (let rep = 0; rep < reps; rep++) {
      const out = execFileSync(process.execPath, ['--max-old-space-size=4096', path.join(here, 'large-files.mjs'), '--child', root], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      const line = JSON.parse(out.trim().split('\n').pop());
      times.push(line.seconds);
      rssKb = Math.max(rssKb, line.rssKb);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  rows.push({ megabytes, statements, seconds: median, secondsPerMb: median / megabytes, peakRssMb: Math.round(rssKb / 1024) });
}
const first = rows[0];
console.log(`lint of one large migration file (load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, ${os.cpus().length} CPUs)`);
console.log('size    statements   lint s   s per MB   peak RSS');
for (const row of rows) {
  console.log(`${String(row.megabytes).padStart(3)} MB  ${String(row.statements).padStart(10)}  ${row.seconds.toFixed(2).padStart(7)}  ${row.secondsPerMb.toFixed(2).padStart(9)}  ${String(row.peakRssMb).padStart(6)} MB`);
}
const last = rows[rows.length - 1];
console.log(`growth: ${last.megabytes / first.megabytes}x the size took ${(last.seconds / first.seconds).toFixed(1)}x the time (linear: about ${last.megabytes / first.megabytes}x)`);
console.log(JSON.stringify({ stage: 'large-files-lint', rows }));
