import { describe, expect, it } from 'vitest';
import { resolveProject } from '../../src/config/project.js';
import { loadProjectMigrations } from '../../src/migrations/project-migrations.js';
import { tempProjects } from '../helpers/project.js';

/** A Sqitch project at the root, as Target.pm reads its sqitch.conf (sqitchers/sqitch lib/App/Sqitch/Target.pm). */
const project = tempProjects();
const PLAN = '%syntax-version=1.0.0\n%project=imgames\n\nappuser 2016-10-04T20:27:31Z Jason Lamey <jasonlamey@gmail.com> # Creates an application user\n';

describe('sqitch project of another engine', () => {
  // field: JasonLamey/IMGames and DikshaTomar101/Multi-RDS (`[core] engine = mysql`, sqitch.plan and deploy/ at the
  // root): "no migrations folder found", with no word that the project is Sqitch's, for MySQL
  it('is found by its sqitch.conf and refused by name as not PostgreSQL, not met with "no migrations folder found"', () => {
    const p = project({ 'sqitch.conf': '[core]\n\tengine = mysql\n\tplan_file = sqitch.plan\n', 'sqitch.plan': PLAN, 'deploy/appuser.sql': 'CREATE USER imgames;\n' });
    const resolved = resolveProject({ cwd: p.root });
    expect(resolved.runner.name).toBe('sqitch');
    expect(() => loadProjectMigrations(resolved)).toThrow(/sqitch\.conf sets Sqitch's engine to mysql \(target db:mysql:\), not pg/);
  });
});
