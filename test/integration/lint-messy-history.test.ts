import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/commands/lint.js';

const root = fileURLToPath(new URL('../fixtures/messy-history', import.meta.url));
const show = (findings: Array<{ file: string; line: number; column: number; rule: string; object?: string }>) =>
  findings.map((f) => `${f.file.replace('migrations/', '')}:${f.line}:${f.column} ${f.rule}${f.object ? ` ${f.object}` : ''}`);

describe('the messy history fixture (test/fixtures/messy-history/EXPECTED.md)', () => {
  it('reports exactly the intended findings under helios', async () => {
    const result = await lint({ cwd: root, preset: 'helios', today: '2025-11-25' });
    expect(show(result.findings)).toEqual([
      '002_tasks.sql:10:5 bare-status-column public.tasks.status',
      '003_labels.sql:5:1 idempotent-ddl',
      '003_labels.sql:7:5 no-tenant-id public.labels.tenant_id',
      '004_project_members.sql:5:1 require-primary-key public.project_members',
      '004_task_comments.sql:1:1 duplicate-number',
      '004_task_comments.sql:7:5 fk-needs-index public.task_comments.task_id',
      '005_task_project_index.sql:1:1 migration-header',
      '006_task_due_dates.sql:1:14 migration-header',
      '008_milestones.sql:1:1 number-gap',
      '009b_label_descriptions.sql:1:1 file-name',
      '010_project_archive.sql:7:5 organization-fk-name public.archived_projects.owner_org',
    ]);
    // the conventions are errors under helios; require-primary-key, a general safety rule, stays a warning
    expect(result.findings.filter((f) => f.severity !== 'error').map((f) => f.rule)).toEqual(['require-primary-key']);
    expect(result.exitCode).toBe(1);
    expect(result.filesLinted).toBe(11);
  });

  it('adds require-concurrent-index on 005 under recommended', async () => {
    const result = await lint({ cwd: root, preset: 'recommended', today: '2025-11-25' });
    expect(show(result.findings.filter((f) => f.rule === 'require-concurrent-index'))).toEqual(['005_task_project_index.sql:4:1 require-concurrent-index public.tasks']);
  });

  it('lints only the files asked for, with the whole history behind them', async () => {
    const result = await lint({ cwd: root, files: ['migrations/004_task_comments.sql'], today: '2025-11-25' });
    expect(show(result.findings)).toEqual(['004_task_comments.sql:1:1 duplicate-number', '004_task_comments.sql:7:5 fk-needs-index public.task_comments.task_id']);
    expect(result.filesLinted).toBe(1);
  });
});
