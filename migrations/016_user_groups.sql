-- Migration 016: User Groups
-- Purpose: Create portal groups/teams and their memberships
-- Created: 2025-05-06

CREATE TABLE IF NOT EXISTS user_groups (
    id                  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id     uuid        NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name                text        NOT NULL,
    description         text,
    group_type          text        NOT NULL DEFAULT 'team',
    created_by_user_id  uuid        REFERENCES organization_users(id) ON DELETE SET NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT user_groups_group_type_check CHECK (group_type IN ('team', 'project', 'committee')),
    CONSTRAINT user_groups_organization_id_name_key UNIQUE (organization_id, name)
);

CREATE INDEX IF NOT EXISTS idx_user_groups_created_by_user_id
    ON user_groups (created_by_user_id);

DROP TRIGGER IF EXISTS trg_user_groups_updated_at ON user_groups;
CREATE TRIGGER trg_user_groups_updated_at
    BEFORE UPDATE ON user_groups
    FOR EACH ROW
    EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE user_groups IS 'Groups and teams defined in the portal.';

-- The primary key covers the user_group_id foreign key
CREATE TABLE IF NOT EXISTS user_group_memberships (
    user_group_id         uuid        NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
    organization_user_id  uuid        NOT NULL REFERENCES organization_users(id) ON DELETE CASCADE,
    membership_role       text        NOT NULL DEFAULT 'member',
    joined_at             timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT user_group_memberships_pkey PRIMARY KEY (user_group_id, organization_user_id),
    CONSTRAINT user_group_memberships_membership_role_check CHECK (membership_role IN ('member', 'lead'))
);

CREATE INDEX IF NOT EXISTS idx_user_group_memberships_organization_user_id
    ON user_group_memberships (organization_user_id);

COMMENT ON TABLE user_group_memberships IS 'Which users belong to which user group.';
COMMENT ON COLUMN user_group_memberships.membership_role IS 'lead can manage the group membership.';
