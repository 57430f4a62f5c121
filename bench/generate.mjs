// Deterministic generator of realistic, Helios-style migration histories for the benchmark.
//
// generateHistory(n) returns n files `NNNN_name.sql` that create n tables in total (file 1: organizations and the
// shared updated_at trigger function; every later file one entity table), with uuid primary keys, text /
// timestamptz / jsonb columns, foreign keys to organizations and to an earlier entity (each with its index),
// CHECK constraints and comments. Every few files the history also alters the past, as real histories do:
// ALTER TABLE ... ADD COLUMN on an older table, CREATE INDEX on an older table, a view, a new trigger function and
// its trigger, an added CHECK constraint. No randomness: the same n always gives byte-identical files.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const pad = (value, width) => String(value).padStart(width, '0');

/** The entity table created by file `i` (i >= 2); file 1 creates `organizations`. */
const entity = (i, width) => `entity_${pad(i, width)}`;

/** A 32-bit integer hash (deterministic, well spread), so later changes touch tables all over the history. */
function hash(value) {
  let h = Math.imul(value ^ (value >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** An earlier entity table for file i to alter (entities 2 .. i-1 exist), deterministic. */
function earlier(i, salt) {
  if (i <= 2) return undefined;
  return 2 + (hash(i * 31 + salt) % (i - 2));
}

/**
 * @param {number} n number of migration files (= number of tables)
 * @returns {{ name: string, text: string }[]}
 */
export function generateHistory(n) {
  const width = Math.max(4, String(n).length);
  const files = [];
  for (let i = 1; i <= n; i++) {
    const number = pad(i, width);
    const day = pad(1 + (i % 28), 2);
    const month = pad(1 + (Math.floor(i / 28) % 12), 2);
    if (i === 1) {
      files.push({ name: `${number}_initial_organizations.sql`, text: firstFile(number) });
      continue;
    }
    const table = entity(i, width);
    const parent = i > 2 ? entity(i - 1 - ((i * 7) % Math.min(i - 2, 12)), width) : undefined;
    const lines = [
      `-- Migration ${number}: Entity ${number}`,
      `-- Purpose: Create ${table}, linked to its organization${parent ? ` and to ${parent}` : ''}`,
      `-- Created: 2024-${month}-${day}`,
      '',
      `CREATE TABLE IF NOT EXISTS ${table} (`,
      '    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),',
      '    organization_id   uuid        NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,',
      ...(parent ? [`    ${parent}_id  uuid        REFERENCES ${parent}(id) ON DELETE SET NULL,`] : []),
      '    name              text        NOT NULL,',
      '    description       text,',
      `    ${table}_status   text        NOT NULL DEFAULT 'active'`,
      `        CHECK (${table}_status IN ('active', 'archived', 'deleted')),`,
      '    priority          integer     NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 100),',
      "    settings          jsonb       NOT NULL DEFAULT '{}'::jsonb,",
      "    tags              text[]      NOT NULL DEFAULT '{}',",
      '    created_at        timestamptz NOT NULL DEFAULT now(),',
      '    updated_at        timestamptz NOT NULL DEFAULT now(),',
      `    UNIQUE (organization_id, name)`,
      ');',
      '',
      `CREATE INDEX IF NOT EXISTS idx_${table}_organization_id ON ${table} (organization_id, created_at);`,
      ...(parent ? [`CREATE INDEX IF NOT EXISTS idx_${table}_${parent}_id ON ${table} (${parent}_id);`] : []),
      `CREATE INDEX IF NOT EXISTS idx_${table}_active ON ${table} (organization_id) WHERE ${table}_status = 'active';`,
      '',
      `COMMENT ON TABLE ${table} IS 'Generated entity ${number}: what the organization keeps about it.';`,
      `COMMENT ON COLUMN ${table}.settings IS 'Free-form settings as JSON.';`,
      `COMMENT ON COLUMN ${table}.${table}_status IS 'Lifecycle: active, archived or deleted.';`,
      '',
      `DROP TRIGGER IF EXISTS trg_${table}_updated_at ON ${table};`,
      `CREATE TRIGGER trg_${table}_updated_at`,
      `    BEFORE UPDATE ON ${table}`,
      '    FOR EACH ROW EXECUTE FUNCTION set_updated_at();',
      '',
    ];

    // Later changes to older tables.
    const old = earlier(i, 13);
    if (i % 5 === 0 && old !== undefined) {
      const target = entity(old, width);
      lines.push(
        `ALTER TABLE ${target}`,
        `    ADD COLUMN IF NOT EXISTS extra_${number} text,`,
        `    ADD COLUMN IF NOT EXISTS extra_${number}_at timestamptz;`,
        `COMMENT ON COLUMN ${target}.extra_${number} IS 'Added by migration ${number}.';`,
        '',
      );
    }
    if (i % 7 === 0 && old !== undefined) {
      const target = entity(earlier(i, 29), width);
      lines.push(`CREATE INDEX IF NOT EXISTS idx_${target}_name_${number} ON ${target} (lower(name));`, '');
    }
    if (i % 11 === 0 && old !== undefined) {
      const target = entity(earlier(i, 17), width);
      lines.push(
        `ALTER TABLE ${target} DROP CONSTRAINT IF EXISTS ${target}_name_length_${number};`,
        `ALTER TABLE ${target} ADD CONSTRAINT ${target}_name_length_${number} CHECK (char_length(name) <= ${100 + i});`,
        '',
      );
    }
    if (i % 20 === 0) {
      lines.push(
        `CREATE OR REPLACE VIEW active_${table} AS`,
        `    SELECT e.id, e.organization_id, o.name AS organization_name, e.name, e.settings ->> 'label' AS label, e.created_at`,
        `    FROM ${table} e`,
        '    JOIN organizations o ON o.id = e.organization_id',
        `    WHERE e.${table}_status = 'active';`,
        `COMMENT ON VIEW active_${table} IS 'Active rows of ${table} with their organization.';`,
        '',
      );
    }
    if (i % 50 === 0) {
      lines.push(
        `CREATE OR REPLACE FUNCTION ${table}_touch_organization() RETURNS trigger`,
        '    LANGUAGE plpgsql',
        '    AS $$',
        'BEGIN',
        '    UPDATE organizations SET updated_at = now() WHERE id = NEW.organization_id;',
        '    RETURN NEW;',
        'END;',
        '$$;',
        '',
        `DROP TRIGGER IF EXISTS trg_${table}_touch_organization ON ${table};`,
        `CREATE TRIGGER trg_${table}_touch_organization`,
        `    AFTER INSERT OR UPDATE ON ${table}`,
        `    FOR EACH ROW EXECUTE FUNCTION ${table}_touch_organization();`,
        '',
      );
    }
    files.push({ name: `${number}_entity_${number}.sql`, text: lines.join('\n') });
  }
  return files;
}

function firstFile(number) {
  return [
    `-- Migration ${number}: Initial organizations`,
    '-- Purpose: Create the organizations table and the shared updated_at trigger function',
    '-- Created: 2024-01-01',
    '',
    'CREATE TABLE IF NOT EXISTS organizations (',
    '    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),',
    '    name        text        NOT NULL,',
    '    domain      text        UNIQUE,',
    "    settings    jsonb       NOT NULL DEFAULT '{}'::jsonb,",
    '    is_active   boolean     NOT NULL DEFAULT true,',
    '    created_at  timestamptz NOT NULL DEFAULT now(),',
    '    updated_at  timestamptz NOT NULL DEFAULT now()',
    ');',
    '',
    "COMMENT ON TABLE organizations IS 'Tenants of the platform.';",
    '',
    'CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger',
    '    LANGUAGE plpgsql',
    '    AS $$',
    'BEGIN',
    '    NEW.updated_at = now();',
    '    RETURN NEW;',
    'END;',
    '$$;',
    '',
    'DROP TRIGGER IF EXISTS trg_organizations_updated_at ON organizations;',
    'CREATE TRIGGER trg_organizations_updated_at',
    '    BEFORE UPDATE ON organizations',
    '    FOR EACH ROW EXECUTE FUNCTION set_updated_at();',
    '',
  ].join('\n');
}

/**
 * Writes a generated history as a project folder (`migrations/` + `pgdrift.config.json`) under `root`.
 * @returns {string[]} absolute paths of the migration files, in replay order
 */
export function writeHistory(root, n, config = { preset: 'helios' }) {
  const dir = path.join(root, 'migrations');
  mkdirSync(dir, { recursive: true });
  const paths = [];
  for (const file of generateHistory(n)) {
    const target = path.join(dir, file.name);
    writeFileSync(target, file.text);
    paths.push(target);
  }
  writeFileSync(path.join(root, 'pgdrift.config.json'), `${JSON.stringify(config, null, 2)}\n`);
  return paths;
}
