import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempProjects } from '../helpers/project.js';

// field: gonasi/gonasi, supabase/config.toml `[db.migrations] schema_paths` lists 201 schema files one by one. The
// snapshot was labelled by joining the patterns, so "✖ drift: 41 drift items against <201 paths>" was cut at 2,000
// characters, and the header listed all 201 files after the 201 patterns. A long list is now named by its setting,
// and the header shows the first files and how many more (the JSON report keeps them all).
const project = tempProjects();

const TABLES = Array.from({ length: 12 }, (_, i) => `t${String(i + 1).padStart(2, '0')}`);

describe('a schema_paths that names a dozen schema files', () => {
  it('is named by the setting in the verdict, and the header shows ten files and how many more', async () => {
    const files: Record<string, string> = {
      'supabase/config.toml': `[db]\nmajor_version = 17\n\n[db.migrations]\nschema_paths = [\n${TABLES.map((t) => `  "./schemas/${t}.sql",`).join('\n')}\n]\n`,
      // the last table has a column the migrations lack: one drift item
      'supabase/migrations/20240101000000_init.sql': TABLES.map((t) => `CREATE TABLE public.${t} (id bigint PRIMARY KEY);`).join('\n'),
    };
    for (const t of TABLES) files[`supabase/schemas/${t}.sql`] = `CREATE TABLE public.${t} (id bigint PRIMARY KEY${t === 't12' ? ', note text' : ''});\n`;
    const p = project(files);
    const { stdout, code } = await runCli(['check', '--no-lint'], { cwd: p.root });
    expect(code).toBe(1);
    const label = 'supabase/config.toml [db.migrations] schema_paths (12 patterns)';
    expect(stdout).toContain(`✖ drift: 1 drift item against ${label}`);
    expect(stdout).toContain(`snapshot: ${label} · 12 hand-written schema files`);
    expect(stdout).toContain('supabase/schemas/t10.sql and 2 more (--format json lists them all)');
    expect(stdout).not.toContain('supabase/schemas/t11.sql');
    const json = await runCli(['check', '--no-lint', '--format', 'json'], { cwd: p.root });
    expect(JSON.parse(json.stdout).snapshot.handWritten.files).toHaveLength(12);
  });

  it('three patterns are still shown as written', async () => {
    const p = project({
      'supabase/config.toml': '[db.migrations]\nschema_paths = ["./schemas/a.sql", "./schemas/b/*.sql"]\n',
      'supabase/migrations/20240101000000_init.sql': 'CREATE TABLE public.a (id int);\nCREATE TABLE public.b (id int);\n',
      'supabase/schemas/a.sql': 'CREATE TABLE public.a (id int);\n',
      'supabase/schemas/b/b.sql': 'CREATE TABLE public.b (id int);\n',
    });
    const { stdout, code } = await runCli(['check', '--no-lint'], { cwd: p.root });
    expect(code).toBe(0);
    expect(stdout).toContain('✔ no drift: the migrations match supabase/schemas/a.sql, supabase/schemas/b/*.sql');
  });
});
