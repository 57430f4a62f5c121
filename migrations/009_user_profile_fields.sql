-- Migration 009: User Profile Fields
-- Purpose: Add job title, phone, avatar and UI preferences to organization_users
-- Created: 2025-02-18

ALTER TABLE organization_users
    ADD COLUMN IF NOT EXISTS job_title text;

ALTER TABLE organization_users
    ADD COLUMN IF NOT EXISTS phone text;

ALTER TABLE organization_users
    ADD COLUMN IF NOT EXISTS avatar_url text;

ALTER TABLE organization_users
    ADD COLUMN IF NOT EXISTS preferences jsonb NOT NULL DEFAULT '{}'::jsonb;

COMMENT ON COLUMN organization_users.phone IS 'Phone number in E.164 format.';
COMMENT ON COLUMN organization_users.preferences IS 'UI preferences (theme, language, dashboard layout).';
