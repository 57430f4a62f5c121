-- Migration 014: User Types
-- Purpose: Distinguish staff, guests and contacts in organization_users
-- Created: 2025-04-08

ALTER TABLE organization_users
    ADD COLUMN IF NOT EXISTS user_type text NOT NULL DEFAULT 'staff'
        CONSTRAINT organization_users_user_type_check
        CHECK (user_type IN ('staff', 'guest', 'contact'));

-- Composite: the user directory filters by type and status within the organization
CREATE INDEX IF NOT EXISTS idx_organization_users_org_type_status
    ON organization_users (organization_id, user_type, user_status);

COMMENT ON COLUMN organization_users.user_type IS 'staff: member of the organization; guest: external with limited access; contact: directory entry, cannot sign in.';
