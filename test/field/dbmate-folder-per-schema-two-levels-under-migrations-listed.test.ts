import { describe, expect, it } from 'vitest';
import { resolveProject } from '../../src/config/project.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field (Functionals-AI/external-repos-671f2971-…, a Foodsmart monorepo): each schema keeps its dbmate history in
 * mono/common-store/migrations/<schema>/schema/, and docker-compose runs `dbmate --migrations-dir /db/schema
 * --migrations-table dbmate.<schema>_migrations up` once per schema. With no folder at the root, pgdrift said "no
 * migrations folder found" and named none of them: the .sql files are two levels below the `migrations` folder,
 * where the hint looked only one level down (one folder per database). They are now listed, with the flag to name one.
 */
const project = tempProjects();
const UP = (table: string) => `-- migrate:up\nCREATE TABLE ${table} (id int PRIMARY KEY);\n\n-- migrate:down\nDROP TABLE ${table};\n`;

describe('dbmate: a history per schema, two levels below a migrations folder', () => {
  it('the "no migrations folder found" error lists them and names one in the hint', () => {
    const p = project({
      'mono/common-store/migrations/common/schema/20220610211844_create_state.sql': UP('common.state'),
      'mono/common-store/migrations/telenutrition/schema/20220610211845_create_appointment.sql': UP('telenutrition.appointment'),
      'mono/common-store/package.json': '{"name": "common-store"}\n',
    });
    let error: (Error & { hint?: string }) | undefined;
    try {
      resolveProject({ cwd: p.root });
    } catch (e) {
      error = e as Error & { hint?: string };
    }
    expect(error?.message).toContain('below it, mono/common-store/migrations/common/schema/, mono/common-store/migrations/telenutrition/schema/ hold .sql files');
    expect(error?.hint).toContain('--migrations mono/common-store/migrations/common/schema');
  });
});
