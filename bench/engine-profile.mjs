// Where the embedded engine's time and memory go on a history: `node bench/engine-profile.mjs <project> [pg]`
// prints one JSON line of steps {step, seconds, rssMb} (wall time of each step, RSS after it). The data-dir cache is
// PGDRIFT_CACHE_DIR (warm it first for warm figures). Run from run.mjs (engine stage) or by hand.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const [root, pg = '18'] = process.argv.slice(2);
const steps = [];
let last = performance.now();
const mark = (step) => {
  const now = performance.now();
  steps.push({ step, seconds: Number(((now - last) / 1000).toFixed(3)), rssMb: Math.round(process.memoryUsage().rss / 1e6) });
  last = now;
};

const { loadSqlParser, parseSql } = await import(path.join(dist, 'sql', 'parse.js'));
const { requestedExtensions } = await import(path.join(dist, 'engine', 'extensions.js'));
const { buildSchemaModel } = await import(path.join(dist, 'model', 'build.js'));
mark('load pgdrift modules');
await loadSqlParser();
const dir = path.join(root, 'migrations');
const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort().map((f) => readFileSync(path.join(dir, f), 'utf8'));
const extensions = requestedExtensions(files.flatMap((text, i) => parseSql(text, `f${i}`).statements));
mark('parse migrations');
const { openPgliteEngine } = await import(path.join(dist, 'engine', 'pglite.js'));
const engine = await openPgliteEngine({ engine: 'pglite', pg: Number(pg), extensions });
mark(`start PGlite ${engine.info.postgresVersion} (data-dir cache ${engine.info.cache}, extensions ${extensions.join(', ') || 'none'})`);
for (const text of files) await engine.exec(text);
mark(`apply ${files.length} files`);
const dump = await engine.dump();
mark('pg_dump --schema-only');
await engine.saveState();
mark('save data dir (replay cache state)');
buildSchemaModel(dump, 'dump');
mark('model of the dump');
await engine.close();
mark('close');
process.stdout.write(`${JSON.stringify({ pg: Number(pg), steps, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
