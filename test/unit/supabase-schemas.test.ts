import { describe, expect, it } from 'vitest';
import { declaredSchemaFiles, schemaFilesFromPatterns, schemaFilesInFolder } from '../../src/runners/supabase-schemas.js';
import path from 'node:path';
import { tempProjects } from '../helpers/project.js';

/** The order the Supabase CLI loads declarative schema files in (supabase/cli internal/db/diff/diff.go, pkg/config/config.go Glob.Files). */
const project = tempProjects();

describe('declared schema files, in the CLI order', () => {
  it('schema_paths: pattern by pattern, each one sorted, a file once (where it first came), relative to supabase/', () => {
    const p = project({
      'supabase/config.toml': '[db.migrations]\nschema_paths = ["./schemas/types.sql", "./schemas/*.sql", "./schemas/types.sql", "./schemas/nothing/*.sql"]\n',
      'supabase/schemas/tables.sql': '',
      'supabase/schemas/types.sql': '',
      'supabase/schemas/a.sql': '',
    });
    const set = declaredSchemaFiles(p.root, path.join(p.root, 'supabase'));
    expect(set?.files).toEqual(['supabase/schemas/types.sql', 'supabase/schemas/a.sql', 'supabase/schemas/tables.sql']);
    // db diff ignores a pattern that matches nothing (loadDeclaredSchemas drops Glob.Files's error when files matched)
    expect(set?.unmatched).toEqual(['supabase/schemas/nothing/*.sql']);
    expect(set?.supabaseCli).toBe(true);
  });

  it('a schema_paths pattern out of the project is kept as the reason to refuse the snapshot when it is read (not when lint resolves the project)', () => {
    const p = project({ 'supabase/config.toml': '[db.migrations]\nschema_paths = ["../../elsewhere/*.sql", "./schemas/*.sql"]\n', 'supabase/schemas/a.sql': '' });
    const set = declaredSchemaFiles(p.root, path.join(p.root, 'supabase'));
    expect(set?.files).toEqual(['supabase/schemas/a.sql']);
    expect(set?.refused?.message).toMatch(/schema_paths \(\.\.\/elsewhere\/\*\.sql\) leaves the project folder/);
  });

  it('without schema_paths: every .sql file below supabase/schemas, sorted by path; none: undefined', () => {
    const p = project({ 'supabase/schemas/b.sql': '', 'supabase/schemas/a/z.sql': '', 'supabase/schemas/notes.md': '', 'supabase/schemas/B.sql': '' });
    expect(declaredSchemaFiles(p.root, path.join(p.root, 'supabase'))?.files).toEqual(['supabase/schemas/B.sql', 'supabase/schemas/a/z.sql', 'supabase/schemas/b.sql']);
    expect(declaredSchemaFiles(project({ 'supabase/config.toml': '' }).root, path.join(p.root, 'nothing'))).toBeUndefined();
  });

  it("Go's fs.Glob: ** is one folder level like *, * matches dot files, no braces", () => {
    const p = project({ 's/x.sql': '', 's/d/y.sql': '', 's/d/.h.sql': '', 's/{a,b}.sql': '' });
    expect(schemaFilesFromPatterns(p.root, ['s/**/*.sql'], 'test').files).toEqual(['s/d/.h.sql', 's/d/y.sql']);
    expect(schemaFilesFromPatterns(p.root, ['s/*.sql'], 'test').files).toEqual(['s/x.sql', 's/{a,b}.sql']);
    expect(schemaFilesInFolder(p.root, 's', 'test').files).toEqual(['s/d/.h.sql', 's/d/y.sql', 's/x.sql', 's/{a,b}.sql']);
  });
});
