-- Migration 023: Remove Duplicate Status Column
-- Purpose: Drop the legacy is_active flag, which duplicated user_status
-- Created: 2025-09-09

-- The application reads only user_status since release 2.4; is_active was kept in sync for rollback only.
-- pgdrift-ignore drop-column: is_active duplicated user_status and no code reads it any more
ALTER TABLE organization_users
    DROP COLUMN IF EXISTS is_active;

COMMENT ON COLUMN organization_users.user_status IS 'Lifecycle state: pending (invited, never signed in), active, suspended, deleted. The only source of truth for user status.';
