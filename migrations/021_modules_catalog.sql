-- Migration 021: Modules Catalog
-- Purpose: Create the modules catalog and tie organization_modules to it
-- Created: 2025-07-22

CREATE TABLE IF NOT EXISTS modules (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    module_key    text        NOT NULL,
    name          text        NOT NULL,
    description   text,
    category      text        NOT NULL DEFAULT 'integration',
    is_available  boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT modules_module_key_key UNIQUE (module_key),
    CONSTRAINT modules_category_check CHECK (category IN ('integration', 'identity', 'security', 'collaboration'))
);

COMMENT ON TABLE modules IS 'Catalog of the integration modules the portal offers.';
COMMENT ON COLUMN modules.module_key IS 'Stable identifier referenced by organization_modules.module_key.';

INSERT INTO modules (module_key, name, description, category)
VALUES
    ('google_workspace', 'Google Workspace', 'Sync users, groups and org units from Google Workspace.', 'identity'),
    ('microsoft_365', 'Microsoft 365', 'Sync users and groups from Microsoft Entra ID.', 'identity'),
    ('access_groups', 'Access Groups', 'Manage mailing and security groups from the portal.', 'collaboration')
ON CONFLICT (module_key) DO NOTHING;

CREATE INDEX IF NOT EXISTS idx_organization_modules_module_key
    ON organization_modules (module_key);

ALTER TABLE organization_modules
    DROP CONSTRAINT IF EXISTS organization_modules_module_key_fkey;
ALTER TABLE organization_modules
    ADD CONSTRAINT organization_modules_module_key_fkey
    FOREIGN KEY (module_key) REFERENCES modules(module_key) ON UPDATE CASCADE
    NOT VALID;
ALTER TABLE organization_modules
    VALIDATE CONSTRAINT organization_modules_module_key_fkey;
