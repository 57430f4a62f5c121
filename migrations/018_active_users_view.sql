-- Migration 018: Active Users View
-- Purpose: Provide active_organization_users for the directory and reports
-- Created: 2025-06-03

CREATE OR REPLACE VIEW active_organization_users AS
SELECT
    u.id,
    u.organization_id,
    u.email,
    u.first_name,
    u.last_name,
    u.user_type,
    u.department_id,
    d.name AS department_name,
    u.last_login_at,
    u.created_at
FROM organization_users AS u
LEFT JOIN departments AS d ON d.id = u.department_id
WHERE u.user_status = 'active'
  AND u.deleted_at IS NULL;

COMMENT ON VIEW active_organization_users IS 'Users with user_status = active that are not soft-deleted, with their department name.';
