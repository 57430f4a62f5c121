-- Migration 022: Access Groups
-- Purpose: Manage Google Workspace and Microsoft 365 groups and their members from the portal
-- Created: 2025-08-12

CREATE TABLE IF NOT EXISTS access_groups (
    id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id    uuid        NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    module_id          uuid        NOT NULL REFERENCES modules(id),
    gw_group_id        uuid        REFERENCES gw_groups(id) ON DELETE SET NULL,
    provider           text        NOT NULL,
    external_group_id  text,
    email              citext,
    name               text        NOT NULL,
    description        text,
    sync_enabled       boolean     NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT access_groups_provider_check CHECK (provider IN ('google_workspace', 'microsoft_365'))
);

CREATE INDEX IF NOT EXISTS idx_access_groups_organization_id
    ON access_groups (organization_id);

CREATE INDEX IF NOT EXISTS idx_access_groups_module_id
    ON access_groups (module_id);

CREATE INDEX IF NOT EXISTS idx_access_groups_gw_group_id
    ON access_groups (gw_group_id);

-- A group that exists at the provider is linked at most once
CREATE UNIQUE INDEX IF NOT EXISTS uq_access_groups_provider_external_id
    ON access_groups (organization_id, provider, external_group_id)
    WHERE external_group_id IS NOT NULL;

DROP TRIGGER IF EXISTS trg_access_groups_updated_at ON access_groups;
CREATE TRIGGER trg_access_groups_updated_at
    BEFORE UPDATE ON access_groups
    FOR EACH ROW
    EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE access_groups IS 'Google Workspace / Microsoft 365 groups managed through the portal.';
COMMENT ON COLUMN access_groups.external_group_id IS 'Group id at the provider; NULL until the group is created there.';

CREATE TABLE IF NOT EXISTS access_group_members (
    id                    uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    access_group_id       uuid        NOT NULL REFERENCES access_groups(id) ON DELETE CASCADE,
    organization_user_id  uuid        NOT NULL REFERENCES organization_users(id) ON DELETE CASCADE,
    member_role           text        NOT NULL DEFAULT 'member',
    added_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT access_group_members_member_role_check CHECK (member_role IN ('owner', 'manager', 'member')),
    CONSTRAINT access_group_members_access_group_id_organization_user_id_key UNIQUE (access_group_id, organization_user_id)
);

CREATE INDEX IF NOT EXISTS idx_access_group_members_organization_user_id
    ON access_group_members (organization_user_id);

COMMENT ON TABLE access_group_members IS 'Portal users who are members of an access group.';
COMMENT ON COLUMN access_group_members.member_role IS 'Role in the group at the provider: owner, manager or member.';
