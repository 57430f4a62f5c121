-- Migration 007: Organization Profile
-- Purpose: Add branding, time zone and locale to organizations
-- Created: 2025-02-04

ALTER TABLE organizations
    ADD COLUMN IF NOT EXISTS logo_url text;

ALTER TABLE organizations
    ADD COLUMN IF NOT EXISTS timezone text NOT NULL DEFAULT 'UTC';

ALTER TABLE organizations
    ADD COLUMN IF NOT EXISTS locale text NOT NULL DEFAULT 'en';

ALTER TABLE organizations
    ADD COLUMN IF NOT EXISTS support_email citext;

COMMENT ON COLUMN organizations.timezone IS 'IANA time zone name used to display dates, e.g. Europe/Paris.';
COMMENT ON COLUMN organizations.locale IS 'Default UI language (BCP 47 tag).';
