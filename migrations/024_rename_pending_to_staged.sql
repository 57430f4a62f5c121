-- Migration 024: Rename Pending To Staged
-- Purpose: Rename the user_status value 'pending' to 'staged'
-- Created: 2025-10-14

-- The old constraint rejects 'staged', so it goes first.
ALTER TABLE organization_users
    DROP CONSTRAINT IF EXISTS organization_users_user_status_check;

UPDATE organization_users
   SET user_status = 'staged'
 WHERE user_status = 'pending';

ALTER TABLE organization_users
    ALTER COLUMN user_status SET DEFAULT 'staged';

ALTER TABLE organization_users
    ADD CONSTRAINT organization_users_user_status_check
    CHECK (user_status IN ('staged', 'active', 'suspended', 'deleted'))
    NOT VALID;

ALTER TABLE organization_users
    VALIDATE CONSTRAINT organization_users_user_status_check;

COMMENT ON COLUMN organization_users.user_status IS 'Lifecycle state: staged (created or invited, never signed in), active, suspended, deleted. The only source of truth for user status.';
