-- Migration 017: Google Workspace Sync Tracking
-- Purpose: Record when the last Google Workspace sync ran and how it ended
-- Created: 2025-05-20

ALTER TABLE gw_credentials
    ADD COLUMN IF NOT EXISTS last_sync_started_at timestamptz;

ALTER TABLE gw_credentials
    ADD COLUMN IF NOT EXISTS last_sync_completed_at timestamptz;

ALTER TABLE gw_credentials
    ADD COLUMN IF NOT EXISTS last_sync_error text;

ALTER TABLE gw_credentials
    ADD COLUMN IF NOT EXISTS sync_interval_minutes integer NOT NULL DEFAULT 60;

-- Stale-cache sweeps look for rows not seen in the last sync
CREATE INDEX IF NOT EXISTS idx_gw_synced_users_last_synced_at
    ON gw_synced_users (organization_id, last_synced_at);

COMMENT ON COLUMN gw_credentials.last_sync_error IS 'Error message of the last failed sync; NULL after a successful one.';
COMMENT ON COLUMN gw_credentials.sync_interval_minutes IS 'Minutes between two automatic syncs.';
