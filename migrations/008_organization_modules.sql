-- Migration 008: Organization Modules
-- Purpose: Record which portal modules the organization has enabled and their configuration
-- Created: 2025-02-11

CREATE TABLE IF NOT EXISTS organization_modules (
    id                  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id     uuid        NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    module_key          text        NOT NULL,
    is_enabled          boolean     NOT NULL DEFAULT false,
    config              jsonb       NOT NULL DEFAULT '{}'::jsonb,
    enabled_at          timestamptz,
    enabled_by_user_id  uuid        REFERENCES organization_users(id) ON DELETE SET NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT organization_modules_organization_id_module_key_key UNIQUE (organization_id, module_key)
);

CREATE INDEX IF NOT EXISTS idx_organization_modules_enabled_by_user_id
    ON organization_modules (enabled_by_user_id);

DROP TRIGGER IF EXISTS trg_organization_modules_updated_at ON organization_modules;
CREATE TRIGGER trg_organization_modules_updated_at
    BEFORE UPDATE ON organization_modules
    FOR EACH ROW
    EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE organization_modules IS 'Modules enabled for the organization, with per-module configuration.';
COMMENT ON COLUMN organization_modules.module_key IS 'Stable module identifier, e.g. google_workspace.';
COMMENT ON COLUMN organization_modules.config IS 'Module-specific settings as JSON.';
