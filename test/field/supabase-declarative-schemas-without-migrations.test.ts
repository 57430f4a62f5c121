import { describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { init } from '../../src/commands/init.js';
import { tempProjects } from '../helpers/project.js';

/**
 * Field (AOSSIE-Org/NeuroTrack): a Supabase project that declares its schema in supabase/schemas/*.sql and has not
 * written a migration yet. The Supabase CLI applies migrations only (`supabase db reset`, `db push`); the declared
 * files become migrations through `supabase db diff -f`. pgdrift said only "no migrations folder found (looked for
 * ...)", which names neither what it did find nor the step the project is missing.
 */
const project = tempProjects();

describe('a Supabase project with declarative schemas and no migrations', () => {
  it('says the schema is declared but no migration applies it, and how to write them', async () => {
    const { root } = project({
      'supabase/config.toml': '[db]\nport = 54322\n',
      'supabase/schemas/01_patients.sql': 'CREATE TABLE patients (id bigint PRIMARY KEY, name text NOT NULL);\n',
      'supabase/schemas/02_visits.sql': 'CREATE TABLE visits (id bigint PRIMARY KEY, patient_id bigint REFERENCES patients (id));\n',
    });
    for (const run of [() => check({ cwd: root }), () => init({ cwd: root })]) {
      const error = await run().then(
        () => undefined,
        (e: Error & { hint?: string }) => e,
      );
      expect(error?.message).toContain('supabase/schemas/ (every .sql file below it, sorted by path) declares the schema (2 files), but supabase/migrations does not exist');
      expect(error?.hint).toContain('supabase db diff -f <name>');
    }
  });

  it('an empty migrations folder beside the schemas is not this case', async () => {
    const { root } = project({
      'supabase/migrations/.gitkeep': '',
      'supabase/schemas/01_patients.sql': 'CREATE TABLE patients (id bigint PRIMARY KEY);\n',
    });
    const error = await check({ cwd: root }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message ?? '').not.toContain('declares the schema');
  });
});
