import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { dump } from '../../src/commands/dump.js';
import { tempProjects } from '../helpers/project.js';

/**
 * supabase/config.toml's `[db.migrations] enabled = false` ("If disabled, migrations will be skipped during a db push
 * or reset": the CLI's config template, supabase/cli pkg/config): the team's `supabase db reset` makes a database with
 * none of the migrations, while pgdrift replayed them all and said nothing. Left open by the Supabase sweep (seen in
 * generated configs). Now a notice: check is not clean unless the assumption is accepted.
 */
const project = tempProjects();

const files = (enabled: boolean) => ({
  'supabase/config.toml': `project_id = "app"\n\n[db]\nmajor_version = 17\n\n[db.migrations]\nenabled = ${enabled}\nschema_paths = []\n`,
  'supabase/migrations/20240101000000_notes.sql': 'CREATE TABLE public.notes (id bigint PRIMARY KEY, body text);\n',
});

describe('[db.migrations] enabled = false in supabase/config.toml', () => {
  it('is a notice, and check is not clean unasked; accepted, the check passes', async () => {
    const p = project(files(false));
    const notices: string[] = [];
    const dumped = await dump({ cwd: p.root, engine: 'pglite', onNotice: (m) => notices.push(m) });
    expect(notices).toContainEqual(expect.stringContaining('[db.migrations] enabled = false: the Supabase CLI skips the migrations'));
    writeFileSync(path.join(p.root, 'supabase', 'schema.sql'), dumped.sql);
    const result = await check({ cwd: p.root, engine: 'pglite', lint: false, snapshot: 'supabase/schema.sql' });
    expect(result.notices).toEqual([expect.stringContaining('enabled = false')]);
    expect([result.drift, result.assumptionsAccepted, result.exitCode]).toEqual([[], false, 1]);
    expect((await check({ cwd: p.root, engine: 'pglite', lint: false, snapshot: 'supabase/schema.sql', acceptAssumptions: true })).exitCode).toBe(0);
  });

  it('enabled = true (the template) says nothing', async () => {
    const p = project(files(true));
    const notices: string[] = [];
    await dump({ cwd: p.root, engine: 'pglite', onNotice: (m) => notices.push(m) });
    expect(notices.join('\n')).not.toContain('enabled = false');
  });
});
