import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { copyOfSample } from '../helpers/project.js';

const SNAPSHOT = 'docs/architecture/schema-actual-2026-11-26.sql';

/** A production hotfix the migrations lack: a column with a default and a comment, an index, a widened CHECK. */
function handEdit(text: string): string {
  const edited = text
    .replace(
      '    invitation_expires_at timestamp with time zone,\n    CONSTRAINT organization_users_user_status_check',
      "    invitation_expires_at timestamp with time zone,\n    timezone text DEFAULT 'UTC'::text NOT NULL,\n    CONSTRAINT organization_users_user_status_check",
    )
    .replace("ARRAY['staff'::text, 'guest'::text, 'contact'::text]", "ARRAY['staff'::text, 'guest'::text, 'contact'::text, 'partner'::text]");
  expect(edited).not.toBe(text);
  return `${edited}
CREATE INDEX idx_organization_users_last_login_at ON public.organization_users USING btree (last_login_at);
COMMENT ON COLUMN public.organization_users.timezone IS 'IANA time zone name';
`;
}

describe('check --write-migration on the bundled sample with a hand-edited snapshot', () => {
  const project = copyOfSample();
  afterAll(() => project.cleanup());

  test('writes 025 with the team header and the fix; it lints clean and check then exits 0 (twice-applied too)', async () => {
    const snapshot = path.join(project.root, SNAPSHOT);
    writeFileSync(snapshot, handEdit(readFileSync(snapshot, 'utf8')));
    const before = readdirSync(path.join(project.root, 'migrations'));

    const first = await runCli(['check', '--write-migration', 'add timezone & login index', '--format', 'json'], { cwd: project.root });
    expect(first.code, first.stderr).toBe(1);
    expect(first.stderr).toContain('pgdrift: wrote migrations/025_add_timezone_login_index.sql');
    const report = JSON.parse(first.stdout);
    const column = report.drift.find((item: any) => item.name === 'public.organization_users.timezone');
    expect(column.sql).toBe("ALTER TABLE public.organization_users ADD COLUMN IF NOT EXISTS timezone text DEFAULT 'UTC'::text NOT NULL;\nCOMMENT ON COLUMN public.organization_users.timezone IS 'IANA time zone name';");

    const added = readdirSync(path.join(project.root, 'migrations')).filter((name) => !before.includes(name));
    expect(added).toEqual(['025_add_timezone_login_index.sql']);
    const text = readFileSync(path.join(project.root, 'migrations', added[0]), 'utf8');
    const today = new Date().toISOString().slice(0, 10);
    expect(text.split('\n').slice(0, 3)).toEqual(['-- Migration 025: Add Timezone Login Index', expect.stringMatching(/^-- Purpose: \S/), `-- Created: ${today}`]);
    // The helios preset asks for re-runnable DDL and NOT VALID + VALIDATE on an existing table.
    expect(text).toContain('ADD COLUMN IF NOT EXISTS timezone');
    expect(text).toContain('CREATE INDEX IF NOT EXISTS idx_organization_users_last_login_at');
    expect(text).toMatch(/DROP CONSTRAINT IF EXISTS organization_users_user_type_check;\n.*\n?ALTER TABLE public.organization_users ADD CONSTRAINT organization_users_user_type_check CHECK .* NOT VALID;/);
    expect(text).toContain('VALIDATE CONSTRAINT organization_users_user_type_check;');
    // No temporary file is left beside it (atomic write).
    expect(readdirSync(path.join(project.root, 'migrations')).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    const lint = await runCli(['lint', '--format', 'json'], { cwd: project.root });
    expect(JSON.parse(lint.stdout).findings, lint.stdout).toEqual([]);
    expect(lint.code).toBe(0);

    const again = await runCli(['check', '--idempotent'], { cwd: project.root });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain('no drift');
  }, 600_000);

  test('writes nothing when there is no drift', async () => {
    const clean = await runCli(['check', '--write-migration'], { cwd: project.root });
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    expect(readdirSync(path.join(project.root, 'migrations')).filter((name) => name.startsWith('026'))).toEqual([]);
  }, 600_000);
});
