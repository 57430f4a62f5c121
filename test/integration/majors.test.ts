import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { compareDumps } from '../../src/pipeline/compare.js';
import pc from 'picocolors';
import { checkReport } from '../../src/cli/commands/check.js';
import { checkMatrix } from '../../src/pipeline/check-matrix.js';
import { renderMatrixJson, renderMatrixText } from '../../src/report/matrix.js';
import { openEngine, withEngine } from '../../src/engine/index.js';
import { EngineError } from '../../src/errors.js';
import { loadSqlParser } from '../../src/sql/parse.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { adminQuery, SERVER_URL } from '../helpers/postgres.js';
import { copyOfSample, tempProject } from '../helpers/project.js';

// The older majors start slowly (initdb 7-15 s): every test in this file shares one data-dir cache, kept between
// runs. Replays bypass the replay cache (noCache) so each test really replays on the major it names.
const dataDirCache = path.join(os.tmpdir(), 'pgdrift-test-datadir-cache');
beforeAll(async () => {
  process.env.PGDRIFT_CACHE_DIR = dataDirCache;
  await loadSqlParser();
});
afterAll(() => {
  delete process.env.PGDRIFT_CACHE_DIR;
});

const STORED_THEN_SET_EXPRESSION = {
  'migrations/001_prices.sql': 'CREATE TABLE prices (\n  net numeric NOT NULL,\n  gross numeric GENERATED ALWAYS AS (net * 1.2) STORED\n);\n',
  // ALTER COLUMN ... SET EXPRESSION is new in PostgreSQL 17.
  'migrations/002_vat.sql': '-- VAT went up\n\nALTER TABLE prices ALTER COLUMN gross SET EXPRESSION AS (net * 1.25);\n',
};

describe('embedded Postgres 16, 17 and 18', () => {
  it('check --pg 16,17,18 headlines a migration that fails only on 16, at its exact line', async () => {
    const project = tempProject(STORED_THEN_SET_EXPRESSION);
    try {
      const on18 = await dump({ cwd: project.root, pg: 18, noCache: true });
      expect(on18.report.engine).toMatchObject({ major: 18, postgresVersion: expect.stringMatching(/^18\./) });
      project.write('docs/architecture/schema-actual-2026-01-01.sql', on18.sql);

      const matrix = await checkMatrix({ cwd: project.root, lint: false, noCache: true }, [16, 17, 18]);
      expect(matrix.runs.map((run) => [run.pg, run.result?.engine.postgresVersion.split('.')[0], run.exitCode])).toEqual([
        [16, '16', 1],
        [17, '17', 0],
        [18, '18', 0],
      ]);
      expect(matrix.majorSpecific).toHaveLength(1);
      expect(matrix.majorSpecific[0]).toMatchObject({
        file: 'migrations/002_vat.sql',
        failsOn: [16],
        appliesOn: [17, 18],
        failure: { file: 'migrations/002_vat.sql', line: 3, column: 43, sqlstate: '42601', message: 'syntax error at or near "EXPRESSION"' },
      });
      // 16 stopped before 002, so its schema differs from 17's in the generation expression; 17 and 18 agree.
      expect(matrix.differences.map((d) => [d.base, d.pg, d.drift.map((item) => item.name)])).toEqual([
        [16, 17, ['public.prices.gross']],
        [17, 18, []],
      ]);
      expect(matrix.exitCode).toBe(1);

      const reports = new Map(matrix.runs.map((run) => [run.pg, checkReport(run.result!, false)] as const));
      const text = renderMatrixText(matrix, reports, pc.createColors(false));
      expect(text).toContain('✖ migrations/002_vat.sql:3:43 fails only on Postgres 16 (applies on 17, 18): syntax error at or near "EXPRESSION" [42601]');
      expect(text).toContain('✖ Postgres 17 vs 16: 1 schema difference\n  ~ differs: column public.prices.gross');
      expect(text).toContain('✔ Postgres 18 replays to the same schema as Postgres 17');
      expect(text).toMatch(/Postgres 16: exit 1\nPostgres 17: clean\nPostgres 18: clean\n$/);
      const json = JSON.parse(renderMatrixJson(matrix, reports));
      expect(json.runs.map((r: { pg: number; exitCode: number }) => [r.pg, r.exitCode])).toEqual([[16, 1], [17, 0], [18, 0]]);
      expect(json.runs[0].migrationFailures[0]).toMatchObject({ file: 'migrations/002_vat.sql', line: 3 });
      expect(json.majorSpecificFailures[0].failsOn).toEqual([16]);
    } finally {
      project.cleanup();
    }
  }, 480_000); // four replays on three majors: minutes on a loaded 2-core machine

  it('defaults to the major in the latest snapshot header and says so', async () => {
    const project = tempProject({ 'migrations/001_t.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n' });
    try {
      project.write('docs/architecture/schema-actual-2026-01-01.sql', '--\n-- Dumped from database version 16.10 (Debian 16.10-1.pgdg120+1)\n-- Dumped by pg_dump version 16.10\n');
      const result = await dump({ cwd: project.root, noCache: true });
      expect(result.report.engine).toMatchObject({ major: 16, majorReason: 'Postgres 16 from the header of docs/architecture/schema-actual-2026-01-01.sql' });
      expect(result.sql).toMatch(/Dumped from database version 16\./);
      expect(result.sql).toContain('CREATE TABLE public.t');

      // --pg overrides the header.
      const overridden = await dump({ cwd: project.root, pg: 17, noCache: true });
      expect(overridden.report.engine).toMatchObject({ major: 17 });
      expect(overridden.report.engine.majorReason).toBeUndefined();
    } finally {
      project.cleanup();
    }
  });

  it('a snapshot from 15 and an ICU collation: replays on 18, the embedded major built with ICU, and says why (16 and 17 fail 0A000)', async () => {
    const project = tempProject({
      'migrations/001_collation.sql': "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);\nCREATE TABLE t (name text COLLATE ci);\n",
    });
    try {
      project.write('docs/architecture/schema-actual-2026-01-01.sql', '--\n-- Dumped from database version 15.8\n-- Dumped by pg_dump version 15.8\n');
      const notices: string[] = [];
      const result = await dump({ cwd: project.root, noCache: true, onNotice: (m) => notices.push(m) });
      expect(result.report.migrationFailures).toEqual([]);
      expect(result.report.engine.major).toBe(18);
      expect(notices.join('\n')).toContain('does not ship ICU collations, which the replay needs: replaying on 18');
      expect(result.sql).toContain('CREATE COLLATION public.ci (provider = icu');
    } finally {
      project.cleanup();
    }
  });

  it('loads an extension only another major ships, and says which major has it', async () => {
    const error = await openEngine({ engine: 'pglite', pg: 18, extensions: ['vector'] }).catch((e) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error.message).toBe('the embedded Postgres 18 (PGlite 0.5.8) does not ship the extension vector; the embedded Postgres 16 and 17 do');
    expect(error.hint).toContain('--pg 17');
    expect(error.hint).toContain('; or replay on a real Postgres');
    // another major ships one of them and none the other: said of each (field: mckaywrigley/chatbot-ui, http and vector)
    const mixed = await openEngine({ engine: 'pglite', pg: 18, extensions: ['http', 'vector'] }).catch((e) => e);
    expect(mixed.message).toBe('the embedded Postgres 18 (PGlite 0.5.8) does not ship the extensions http, vector; the embedded Postgres 16 and 17 ship vector; none ships http');
    // two that the same major ships: one clause (field: Cap-go/capgo on 17, 'the embedded Postgres 18 ships moddatetime;
    // the embedded Postgres 18 ships pg_stat_statements')
    const grouped = await openEngine({ engine: 'pglite', pg: 17, extensions: ['moddatetime', 'pg_net', 'pg_stat_statements'] }).catch((e) => e);
    expect(grouped.message).toBe('the embedded Postgres 17 (PGlite 0.3.16) does not ship the extensions moddatetime, pg_net, pg_stat_statements; the embedded Postgres 18 ships moddatetime, pg_stat_statements; none ships pg_net');
    // none ships it: the hint does not start with "or"; Supabase's own extensions name its image
    const platform = await openEngine({ engine: 'pglite', pg: 18, extensions: ['pg_graphql'] }).catch((e) => e);
    expect(platform.hint).toMatch(/^replay on Supabase's own image, which ships pg_graphql: --engine docker --image supabase\/postgres:/);
    // a plain server lacks it as PGlite does: said, so --engine server is not offered as the way out (field: pgflow-dev/pgflow)
    expect(platform.hint).toContain('a plain Postgres lacks it too');
    const dumped = await withEngine({ engine: 'pglite', pg: 17, extensions: ['vector'] }, async (engine) => {
      await engine.exec('CREATE EXTENSION vector; CREATE TABLE items (embedding vector(3));');
      return engine.dump();
    });
    expect(dumped).toContain('embedding public.vector(3)');
  });

  it('names the file, line and column of the CREATE EXTENSION the embedded engine cannot load', async () => {
    const project = tempProject({
      'migrations/001_a.sql': 'CREATE TABLE a (id int);\n',
      'migrations/002_b.sql': '-- webhooks\n\n  CREATE EXTENSION IF NOT EXISTS pg_net;\nCREATE TABLE b (id int);\n',
    });
    try {
      const error = await dump({ cwd: project.root, pg: 18 }).catch((e) => e);
      expect(error).toBeInstanceOf(EngineError);
      expect(error.position).toEqual({ file: 'migrations/002_b.sql', line: 3, column: 3 });
      expect(error.message).toContain('does not ship the extension pg_net');
    } finally {
      project.cleanup();
    }
  });

  it('names the first CREATE EXTENSION of a missing one in replay order, not the first by name', async () => {
    // field: gonasi/gonasi 20240619123001_extensions.sql creates pg_jsonschema (line 4) before pg_cron (line 8), and
    // the error was placed at pg_cron's line, the first of the missing ones by name
    const project = tempProject({
      'migrations/001_a.sql': 'CREATE EXTENSION pg_jsonschema;\nCREATE EXTENSION pg_cron;\n',
      'migrations/002_b.sql': 'CREATE EXTENSION IF NOT EXISTS pg_net;\n',
    });
    try {
      const error = await dump({ cwd: project.root, pg: 18 }).catch((e) => e);
      expect(error).toBeInstanceOf(EngineError);
      expect(error.message).toContain('does not ship the extensions pg_cron, pg_jsonschema, pg_net');
      expect(error.position).toEqual({ file: 'migrations/001_a.sql', line: 1, column: 1 });
    } finally {
      project.cleanup();
    }
  });
});

// The sample without pgcrypto (PGlite 0.2.17, the embedded 16, does not ship it; gen_random_uuid() is core since 13).
const GOLDEN_DIR = path.join(REPO_ROOT, 'test', 'golden', 'majors');

async function serverAvailable(): Promise<boolean> {
  try {
    await adminQuery('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

describe('--pg lists on the command line', () => {
  it('refuses a format that cannot hold several majors, and the server engine (exit 2, no engine started)', async () => {
    const sarif = await runCli(['check', '--pg', '16,17', '--format', 'sarif'], { cwd: REPO_ROOT });
    expect(sarif.code).toBe(2);
    expect(sarif.stderr).toContain('--format sarif cannot show several majors at once');
    const server = await runCli(['check', '--pg', '16,17', '--engine', 'server', '--database-url', SERVER_URL], { cwd: REPO_ROOT });
    expect(server.code).toBe(2);
    expect(server.stderr).toContain("the server engine replays on the server's own major");
    // PGDRIFT_DATABASE_URL alone does not choose the server engine (a plain check stays embedded), so neither does a list:
    // each major's run is tried (here each stops at the missing snapshot, before any engine starts)
    const project = tempProject({ 'migrations/001_a.sql': 'CREATE TABLE a (id bigint PRIMARY KEY);\n' });
    try {
      const envOnly = await runCli(['check', '--pg', '16,17', '--format', 'json', '--no-lint'], { cwd: project.root, env: { PGDRIFT_DATABASE_URL: SERVER_URL } });
      expect(envOnly.stderr).not.toContain("the server engine replays on the server's own major");
      expect(JSON.parse(envOnly.stdout).runs.map((run: { pg: number; error?: { message: string } }) => [run.pg, run.error?.message])).toEqual([
        [16, expect.stringContaining('no snapshot')],
        [17, expect.stringContaining('no snapshot')],
      ]);
    } finally {
      project.cleanup();
    }
    const dumpList = await runCli(['dump', '--pg', '16,17'], { cwd: REPO_ROOT });
    expect(dumpList.code).toBe(2);
    expect(dumpList.stderr).toContain('only `pgdrift check` runs a matrix of majors');
  });
});

describe('the same history dumped four ways (golden)', () => {
  it('replays the sample identically on 16, 17, 18 and the local server, 0 drift items in every pair', async () => {
    const sample = copyOfSample();
    try {
      const first = path.join(sample.root, 'migrations', '001_initial_organizations.sql');
      const text = readFileSync(first, 'utf8');
      expect(text).toContain('CREATE EXTENSION IF NOT EXISTS pgcrypto;');
      writeFileSync(first, text.replace('CREATE EXTENSION IF NOT EXISTS pgcrypto;', ''));

      const dumps = new Map<string, string>();
      for (const pg of [16, 17, 18]) {
        const result = await dump({ cwd: sample.root, pg, noCache: true });
        expect(result.report.migrationFailures, `Postgres ${pg}`).toEqual([]);
        dumps.set(`pg${pg}`, result.sql);
      }
      if (await serverAvailable()) {
        const result = await dump({ cwd: sample.root, engine: 'server', databaseUrl: SERVER_URL, noCache: true });
        expect(result.report.migrationFailures).toEqual([]);
        dumps.set(`server${result.report.engine.postgresVersion.split('.')[0]}`, result.sql);
      } else if (process.env.PGDRIFT_REQUIRE_SERVER === '1') {
        throw new Error(`no Postgres server at ${SERVER_URL}`);
      }

      // Each embedded pg_dump is pinned: its output is a golden file (UPDATE_GOLDEN=1 rewrites them).
      for (const [name, sql] of dumps) {
        if (!name.startsWith('pg')) continue;
        const golden = path.join(GOLDEN_DIR, `sample-${name}.sql`);
        if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) {
          mkdirSync(GOLDEN_DIR, { recursive: true });
          writeFileSync(golden, sql);
        }
        expect(sql, name).toBe(readFileSync(golden, 'utf8'));
      }
      expect(dumps.get('pg16')).toMatch(/Dumped by pg_dump version 16\./);
      expect(dumps.get('pg17')).toMatch(/Dumped by pg_dump version 17\./);
      expect(dumps.get('pg18')).toMatch(/Dumped by pg_dump version 18\./);

      // Every pair, compared as check compares (models, no engine to confirm with): nothing differs.
      const names = [...dumps.keys()];
      for (const [i, a] of names.entries()) {
        for (const b of names.slice(i + 1)) {
          const comparison = await compareDumps({ text: dumps.get(a)!, label: a }, { text: dumps.get(b)!, label: b });
          expect(comparison.drift, `${a} vs ${b}`).toEqual([]);
        }
      }
    } finally {
      sample.cleanup();
    }
  }, 480_000);
});
