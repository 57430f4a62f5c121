-- Migration 010: Organization Setup Tracking
-- Purpose: Track completion of the first-run setup wizard
-- Created: 2025-02-25

ALTER TABLE organizations
    ADD COLUMN IF NOT EXISTS setup_completed_at timestamptz;

ALTER TABLE organizations
    ADD COLUMN IF NOT EXISTS setup_progress jsonb NOT NULL DEFAULT '{}'::jsonb;

COMMENT ON COLUMN organizations.setup_completed_at IS 'When the setup wizard was finished; NULL while setup is in progress.';
COMMENT ON COLUMN organizations.setup_progress IS 'Completed wizard steps, e.g. {"branding": true, "admins": true}.';
