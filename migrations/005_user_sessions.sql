-- Migration 005: User Sessions
-- Purpose: Track authenticated portal sessions so they can be listed and revoked
-- Created: 2025-01-21

CREATE TABLE IF NOT EXISTS user_sessions (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid        NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id         uuid        NOT NULL REFERENCES organization_users(id) ON DELETE CASCADE,
    token_hash      text        NOT NULL,
    ip_address      inet,
    user_agent      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz,
    expires_at      timestamptz NOT NULL,
    revoked_at      timestamptz
);

CREATE UNIQUE INDEX IF NOT EXISTS uq_user_sessions_token_hash
    ON user_sessions (token_hash);

CREATE INDEX IF NOT EXISTS idx_user_sessions_organization_id
    ON user_sessions (organization_id);

-- Composite: "sessions of this user, newest expiry first"; also covers the user_id foreign key
CREATE INDEX IF NOT EXISTS idx_user_sessions_user_id_expires_at
    ON user_sessions (user_id, expires_at DESC);

COMMENT ON TABLE user_sessions IS 'Authentication sessions; the token itself is never stored, only its SHA-256 hash.';
COMMENT ON COLUMN user_sessions.token_hash IS 'Hex SHA-256 of the session token.';
COMMENT ON COLUMN user_sessions.revoked_at IS 'Set when the user signs out or an administrator revokes the session.';
