-- Migration 012: User Status System
-- Purpose: Add user_status (pending, active, suspended, deleted) to organization_users
-- Created: 2025-03-18

-- The CHECK is part of the column definition, so a re-run (column already there) skips it entirely.
ALTER TABLE organization_users
    ADD COLUMN IF NOT EXISTS user_status text NOT NULL DEFAULT 'pending'
        CONSTRAINT organization_users_user_status_check
        CHECK (user_status IN ('pending', 'active', 'suspended', 'deleted'));

-- Backfill from the legacy is_active flag while it still exists (it is dropped by migration 023).
DO $$
BEGIN
    IF EXISTS (
        SELECT 1
          FROM information_schema.columns
         WHERE table_schema = current_schema()
           AND table_name = 'organization_users'
           AND column_name = 'is_active'
    ) THEN
        UPDATE organization_users
           SET user_status = CASE WHEN is_active THEN 'active' ELSE 'suspended' END
         WHERE user_status = 'pending'
           AND last_login_at IS NOT NULL;
    END IF;
END
$$;

COMMENT ON COLUMN organization_users.user_status IS 'Lifecycle state: pending (invited, never signed in), active, suspended, deleted.';
