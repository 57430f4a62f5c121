-- Migration 011: Departments
-- Purpose: Create departments to describe the organizational structure
-- Created: 2025-03-04

CREATE TABLE IF NOT EXISTS departments (
    id                    uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id       uuid        NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name                  text        NOT NULL,
    description           text,
    parent_department_id  uuid        REFERENCES departments(id) ON DELETE SET NULL,
    manager_user_id       uuid        REFERENCES organization_users(id) ON DELETE SET NULL,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT departments_organization_id_name_key UNIQUE (organization_id, name)
);

CREATE INDEX IF NOT EXISTS idx_departments_parent_department_id
    ON departments (parent_department_id);

CREATE INDEX IF NOT EXISTS idx_departments_manager_user_id
    ON departments (manager_user_id);

DROP TRIGGER IF EXISTS trg_departments_updated_at ON departments;
CREATE TRIGGER trg_departments_updated_at
    BEFORE UPDATE ON departments
    FOR EACH ROW
    EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE departments IS 'Organizational structure: departments, possibly nested.';
COMMENT ON COLUMN departments.parent_department_id IS 'Enclosing department; NULL for a top-level department.';
COMMENT ON COLUMN departments.manager_user_id IS 'User who manages the department.';
