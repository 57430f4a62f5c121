-- Migration 019: User Invitations
-- Purpose: Track who invited a user and when the invitation expires
-- Created: 2025-06-17

ALTER TABLE organization_users
    ADD COLUMN IF NOT EXISTS invited_by_user_id uuid;

ALTER TABLE organization_users
    ADD COLUMN IF NOT EXISTS invited_at timestamptz;

ALTER TABLE organization_users
    ADD COLUMN IF NOT EXISTS invitation_token_hash text;

ALTER TABLE organization_users
    ADD COLUMN IF NOT EXISTS invitation_expires_at timestamptz;

CREATE INDEX IF NOT EXISTS idx_organization_users_invited_by_user_id
    ON organization_users (invited_by_user_id);

CREATE UNIQUE INDEX IF NOT EXISTS uq_organization_users_invitation_token_hash
    ON organization_users (invitation_token_hash)
    WHERE invitation_token_hash IS NOT NULL;

ALTER TABLE organization_users
    DROP CONSTRAINT IF EXISTS organization_users_invited_by_user_id_fkey;
ALTER TABLE organization_users
    ADD CONSTRAINT organization_users_invited_by_user_id_fkey
    FOREIGN KEY (invited_by_user_id) REFERENCES organization_users(id) ON DELETE SET NULL
    NOT VALID;
ALTER TABLE organization_users
    VALIDATE CONSTRAINT organization_users_invited_by_user_id_fkey;

COMMENT ON COLUMN organization_users.invited_by_user_id IS 'Administrator who sent the invitation.';
COMMENT ON COLUMN organization_users.invitation_token_hash IS 'SHA-256 of the pending invitation token; cleared once accepted.';
