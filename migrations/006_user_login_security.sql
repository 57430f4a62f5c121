-- Migration 006: User Login Security
-- Purpose: Add MFA and lockout fields to organization_users
-- Created: 2025-01-28

ALTER TABLE organization_users
    ADD COLUMN IF NOT EXISTS mfa_enabled boolean NOT NULL DEFAULT false;

ALTER TABLE organization_users
    ADD COLUMN IF NOT EXISTS mfa_secret_encrypted bytea;

ALTER TABLE organization_users
    ADD COLUMN IF NOT EXISTS failed_login_count integer NOT NULL DEFAULT 0;

ALTER TABLE organization_users
    ADD COLUMN IF NOT EXISTS locked_until timestamptz;

COMMENT ON COLUMN organization_users.mfa_secret_encrypted IS 'TOTP secret, encrypted with pgp_sym_encrypt (pgcrypto).';
COMMENT ON COLUMN organization_users.failed_login_count IS 'Consecutive failed sign-ins; reset on success.';
COMMENT ON COLUMN organization_users.locked_until IS 'Sign-in is refused until this time after too many failures.';
