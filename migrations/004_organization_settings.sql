-- Migration 004: Organization Settings
-- Purpose: Store organization configuration as key/value pairs with jsonb values
-- Created: 2025-01-15

CREATE TABLE IF NOT EXISTS organization_settings (
    id                  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id     uuid        NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    setting_key         text        NOT NULL,
    setting_value       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    updated_by_user_id  uuid        REFERENCES organization_users(id) ON DELETE SET NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT organization_settings_organization_id_setting_key_key UNIQUE (organization_id, setting_key)
);

-- organization_id is covered by the unique constraint above
CREATE INDEX IF NOT EXISTS idx_organization_settings_updated_by_user_id
    ON organization_settings (updated_by_user_id);

DROP TRIGGER IF EXISTS trg_organization_settings_updated_at ON organization_settings;
CREATE TRIGGER trg_organization_settings_updated_at
    BEFORE UPDATE ON organization_settings
    FOR EACH ROW
    EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE organization_settings IS 'Organization configuration, one row per setting key.';
COMMENT ON COLUMN organization_settings.setting_key IS 'Dotted key, e.g. branding.primary_color or auth.session_hours.';
COMMENT ON COLUMN organization_settings.setting_value IS 'Setting value as JSON (scalar, array or object).';
