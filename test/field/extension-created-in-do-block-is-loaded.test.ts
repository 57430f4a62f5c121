import { expect, it } from 'vitest';
import { dump } from '../../src/commands/dump.js';
import { requestedExtensions } from '../../src/engine/extensions.js';
import { loadSqlParser, parseSql } from '../../src/sql/parse.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field defect (AppFlowy-IO/AppFlowy-Cloud, sqlx): migrations/20240614171931_collab_embeddings.sql creates the vector
 * extension inside a DO block that turns any failure into a NOTICE. Only top-level CREATE EXTENSION statements told the
 * embedded engine which extension modules to load, so the block failed quietly there, its table was never made, and a
 * later migration failed with 42704 type "vector" does not exist, where a server with pgvector runs it all.
 */
const project = tempProjects();

it('CREATE EXTENSION in a DO block (or a string it EXECUTEs) counts as requested', async () => {
  await loadSqlParser();
  const sql = `DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS vector; EXECUTE 'create extension "uuid-ossp"'; EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'skipped'; END $$;\nCREATE EXTENSION citext;\n`;
  expect(requestedExtensions(parseSql(sql, 'm.sql').statements)).toEqual(['citext', 'uuid-ossp', 'vector']);
  // one no embedded build ships stays the block's business (it catches the failure): no engine error for it
  const optional = `DO $$ BEGIN CREATE EXTENSION pg_stat_statements_not_shipped; EXCEPTION WHEN OTHERS THEN NULL; END $$;\n`;
  expect(requestedExtensions(parseSql(optional, 'm.sql').statements)).toEqual([]);
  // read with the PL/pgSQL parser: a comment or a message that spells the words requests nothing; a dollar-quoted
  // EXECUTE string does; a string built at run time is not known
  const prose = `DO $$\nBEGIN\n  -- CREATE EXTENSION vector; was here\n  RAISE NOTICE 'run CREATE EXTENSION hstore yourself';\n  EXECUTE $q$CREATE EXTENSION IF NOT EXISTS ltree$q$;\n  EXECUTE 'CREATE EXTENSION ' || 'cube';\nEND $$;\n`;
  expect(requestedExtensions(parseSql(prose, 'm.sql').statements)).toEqual(['ltree']);
});

it('the extension a DO block creates is loaded on the embedded engine, so what the block makes exists', async () => {
  const p = project({
    'Cargo.toml': '[package]\nname = "app"\n\n[dependencies]\nsqlx = "0.8"\n',
    'migrations/1_embeddings.sql': `DO $$\nBEGIN\n  CREATE EXTENSION IF NOT EXISTS vector;\n  CREATE TABLE emb (id int PRIMARY KEY, embedding vector(3));\nEXCEPTION WHEN OTHERS THEN\n  RAISE NOTICE 'could not create "vector" extension, ignoring this migration';\nEND;\n$$ LANGUAGE plpgsql;\n`,
    'migrations/2_use.sql': 'CREATE TYPE fragment AS (id int, embedding vector(3));\n',
  });
  const result = await dump({ cwd: p.root, engine: 'pglite', noCache: true });
  expect(result.report.migrationFailures).toEqual([]);
  expect(result.sql).toContain('embedding public.vector(3)');
});
