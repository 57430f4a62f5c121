-- Migration 015: Google Workspace Integration
-- Purpose: Store Google Workspace credentials and cache synced users, groups and org units
-- Created: 2025-04-22

CREATE TABLE IF NOT EXISTS gw_credentials (
    id                     uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id        uuid        NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    domain                 text        NOT NULL,
    customer_id            text,
    admin_email            citext      NOT NULL,
    service_account_email  text        NOT NULL,
    service_account_key    bytea       NOT NULL,
    scopes                 text[]      NOT NULL DEFAULT '{}',
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT gw_credentials_organization_id_key UNIQUE (organization_id)
);

DROP TRIGGER IF EXISTS trg_gw_credentials_updated_at ON gw_credentials;
CREATE TRIGGER trg_gw_credentials_updated_at
    BEFORE UPDATE ON gw_credentials
    FOR EACH ROW
    EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE gw_credentials IS 'Google Workspace service account credentials (one set per organization).';
COMMENT ON COLUMN gw_credentials.admin_email IS 'Super administrator the service account impersonates (domain-wide delegation).';
COMMENT ON COLUMN gw_credentials.service_account_key IS 'Service account JSON key, encrypted with pgp_sym_encrypt (pgcrypto).';

CREATE TABLE IF NOT EXISTS gw_org_units (
    id                  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id     uuid        NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    google_org_unit_id  text        NOT NULL,
    name                text        NOT NULL,
    org_unit_path       text        NOT NULL,
    parent_org_unit_id  uuid        REFERENCES gw_org_units(id) ON DELETE SET NULL,
    description         text,
    last_synced_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT gw_org_units_organization_id_google_org_unit_id_key UNIQUE (organization_id, google_org_unit_id)
);

CREATE INDEX IF NOT EXISTS idx_gw_org_units_parent_org_unit_id
    ON gw_org_units (parent_org_unit_id);

CREATE INDEX IF NOT EXISTS idx_gw_org_units_org_unit_path
    ON gw_org_units (organization_id, org_unit_path);

COMMENT ON TABLE gw_org_units IS 'Cached Google Workspace organizational units.';
COMMENT ON COLUMN gw_org_units.org_unit_path IS 'Full path as Google reports it, e.g. /Staff/Teachers.';

CREATE TABLE IF NOT EXISTS gw_synced_users (
    id                    uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id       uuid        NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    organization_user_id  uuid        REFERENCES organization_users(id) ON DELETE SET NULL,
    google_user_id        text        NOT NULL,
    primary_email         citext      NOT NULL,
    given_name            text,
    family_name           text,
    org_unit_path         text,
    is_admin              boolean     NOT NULL DEFAULT false,
    is_suspended          boolean     NOT NULL DEFAULT false,
    raw_data              jsonb       NOT NULL DEFAULT '{}'::jsonb,
    last_synced_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT gw_synced_users_organization_id_google_user_id_key UNIQUE (organization_id, google_user_id)
);

CREATE INDEX IF NOT EXISTS idx_gw_synced_users_organization_user_id
    ON gw_synced_users (organization_user_id);

CREATE INDEX IF NOT EXISTS idx_gw_synced_users_primary_email
    ON gw_synced_users (organization_id, primary_email);

COMMENT ON TABLE gw_synced_users IS 'Cached Google Workspace users, linked to portal users when the emails match.';
COMMENT ON COLUMN gw_synced_users.is_suspended IS 'Suspension flag as reported by Google (not the portal user_status).';
COMMENT ON COLUMN gw_synced_users.raw_data IS 'Last Directory API payload for the user.';

CREATE TABLE IF NOT EXISTS gw_groups (
    id                     uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id        uuid        NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    google_group_id        text        NOT NULL,
    email                  citext      NOT NULL,
    name                   text        NOT NULL,
    description            text,
    direct_members_count   integer     NOT NULL DEFAULT 0,
    raw_data               jsonb       NOT NULL DEFAULT '{}'::jsonb,
    last_synced_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT gw_groups_organization_id_google_group_id_key UNIQUE (organization_id, google_group_id)
);

COMMENT ON TABLE gw_groups IS 'Cached Google Workspace groups.';
