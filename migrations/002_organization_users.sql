-- Migration 002: Organization Users
-- Purpose: Create organization_users, the people who can sign in to the portal
-- Created: 2025-01-08

CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE IF NOT EXISTS organization_users (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid        NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    email           citext      NOT NULL,
    first_name      text,
    last_name       text,
    password_hash   text,
    is_active       boolean     NOT NULL DEFAULT true,
    last_login_at   timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    deleted_at      timestamptz
);

-- Always add index for foreign keys
CREATE INDEX IF NOT EXISTS idx_organization_users_organization_id
    ON organization_users (organization_id);

-- An email can be reused once the previous account has been soft-deleted
CREATE UNIQUE INDEX IF NOT EXISTS uq_organization_users_email_live
    ON organization_users (organization_id, email)
    WHERE deleted_at IS NULL;

COMMENT ON TABLE organization_users IS 'Users within the organization: staff, guests and contacts who can sign in to the portal.';
COMMENT ON COLUMN organization_users.email IS 'Sign-in email, case-insensitive (citext).';
COMMENT ON COLUMN organization_users.password_hash IS 'bcrypt hash; NULL for users who only sign in through Google Workspace.';
COMMENT ON COLUMN organization_users.deleted_at IS 'Soft-delete marker; the row is kept for audit.';
