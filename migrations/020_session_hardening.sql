-- Migration 020: Session Hardening
-- Purpose: Record MFA verification per session and speed up live-session lookups
-- Created: 2025-07-01

ALTER TABLE user_sessions
    ADD COLUMN IF NOT EXISTS mfa_verified_at timestamptz;

ALTER TABLE user_sessions
    ADD COLUMN IF NOT EXISTS device_label text;

-- Only live sessions are looked up on each request
CREATE INDEX IF NOT EXISTS idx_user_sessions_live
    ON user_sessions (user_id, last_seen_at)
    WHERE revoked_at IS NULL;

COMMENT ON COLUMN user_sessions.mfa_verified_at IS 'When the second factor was verified for this session; NULL if not yet.';
COMMENT ON COLUMN user_sessions.device_label IS 'Readable device name derived from the user agent, e.g. Firefox on macOS.';
