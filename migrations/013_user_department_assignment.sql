-- Migration 013: User Department Assignment
-- Purpose: Link each user to a department
-- Created: 2025-03-25

ALTER TABLE organization_users
    ADD COLUMN IF NOT EXISTS department_id uuid;

CREATE INDEX IF NOT EXISTS idx_organization_users_department_id
    ON organization_users (department_id);

-- Added NOT VALID then validated, so the table is not locked against writes during the check.
ALTER TABLE organization_users
    DROP CONSTRAINT IF EXISTS organization_users_department_id_fkey;
ALTER TABLE organization_users
    ADD CONSTRAINT organization_users_department_id_fkey
    FOREIGN KEY (department_id) REFERENCES departments(id) ON DELETE SET NULL
    NOT VALID;
ALTER TABLE organization_users
    VALIDATE CONSTRAINT organization_users_department_id_fkey;

COMMENT ON COLUMN organization_users.department_id IS 'Department the user belongs to; NULL if unassigned.';
