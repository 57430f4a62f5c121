--
-- PostgreSQL database dump
--

-- Dumped from database version 16.3 (PGlite 0.2.0)
-- Dumped by pg_dump version 16.4

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: citext; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;


--
-- Name: EXTENSION citext; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';


--
-- Name: set_updated_at(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;


--
-- Name: FUNCTION set_updated_at(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.set_updated_at() IS 'Trigger function: sets NEW.updated_at to now() before each UPDATE.';


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: access_group_members; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.access_group_members (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    access_group_id uuid NOT NULL,
    organization_user_id uuid NOT NULL,
    member_role text DEFAULT 'member'::text NOT NULL,
    added_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT access_group_members_member_role_check CHECK ((member_role = ANY (ARRAY['owner'::text, 'manager'::text, 'member'::text])))
);


--
-- Name: TABLE access_group_members; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.access_group_members IS 'Portal users who are members of an access group.';


--
-- Name: COLUMN access_group_members.member_role; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.access_group_members.member_role IS 'Role in the group at the provider: owner, manager or member.';


--
-- Name: access_groups; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.access_groups (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    module_id uuid NOT NULL,
    gw_group_id uuid,
    provider text NOT NULL,
    external_group_id text,
    email public.citext,
    name text NOT NULL,
    description text,
    sync_enabled boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT access_groups_provider_check CHECK ((provider = ANY (ARRAY['google_workspace'::text, 'microsoft_365'::text])))
);


--
-- Name: TABLE access_groups; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.access_groups IS 'Google Workspace / Microsoft 365 groups managed through the portal.';


--
-- Name: COLUMN access_groups.external_group_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.access_groups.external_group_id IS 'Group id at the provider; NULL until the group is created there.';


--
-- Name: departments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.departments (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    name text NOT NULL,
    description text,
    parent_department_id uuid,
    manager_user_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: TABLE departments; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.departments IS 'Organizational structure: departments, possibly nested.';


--
-- Name: COLUMN departments.parent_department_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.departments.parent_department_id IS 'Enclosing department; NULL for a top-level department.';


--
-- Name: COLUMN departments.manager_user_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.departments.manager_user_id IS 'User who manages the department.';


--
-- Name: organization_users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organization_users (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    email public.citext NOT NULL,
    first_name text,
    last_name text,
    password_hash text,
    last_login_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    mfa_enabled boolean DEFAULT false NOT NULL,
    mfa_secret_encrypted bytea,
    failed_login_count integer DEFAULT 0 NOT NULL,
    locked_until timestamp with time zone,
    job_title text,
    phone text,
    avatar_url text,
    preferences jsonb DEFAULT '{}'::jsonb NOT NULL,
    user_status text DEFAULT 'staged'::text NOT NULL,
    department_id uuid,
    user_type text DEFAULT 'staff'::text NOT NULL,
    invited_by_user_id uuid,
    invited_at timestamp with time zone,
    invitation_token_hash text,
    invitation_expires_at timestamp with time zone,
    CONSTRAINT organization_users_user_status_check CHECK ((user_status = ANY (ARRAY['staged'::text, 'active'::text, 'suspended'::text, 'deleted'::text]))),
    CONSTRAINT organization_users_user_type_check CHECK ((user_type = ANY (ARRAY['staff'::text, 'guest'::text, 'contact'::text])))
);


--
-- Name: TABLE organization_users; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.organization_users IS 'Users within the organization: staff, guests and contacts who can sign in to the portal.';


--
-- Name: COLUMN organization_users.email; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organization_users.email IS 'Sign-in email, case-insensitive (citext).';


--
-- Name: COLUMN organization_users.password_hash; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organization_users.password_hash IS 'bcrypt hash; NULL for users who only sign in through Google Workspace.';


--
-- Name: COLUMN organization_users.deleted_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organization_users.deleted_at IS 'Soft-delete marker; the row is kept for audit.';


--
-- Name: COLUMN organization_users.mfa_secret_encrypted; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organization_users.mfa_secret_encrypted IS 'TOTP secret, encrypted with pgp_sym_encrypt (pgcrypto).';


--
-- Name: COLUMN organization_users.failed_login_count; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organization_users.failed_login_count IS 'Consecutive failed sign-ins; reset on success.';


--
-- Name: COLUMN organization_users.locked_until; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organization_users.locked_until IS 'Sign-in is refused until this time after too many failures.';


--
-- Name: COLUMN organization_users.phone; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organization_users.phone IS 'Phone number in E.164 format.';


--
-- Name: COLUMN organization_users.preferences; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organization_users.preferences IS 'UI preferences (theme, language, dashboard layout).';


--
-- Name: COLUMN organization_users.user_status; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organization_users.user_status IS 'Lifecycle state: staged (created or invited, never signed in), active, suspended, deleted. The only source of truth for user status.';


--
-- Name: COLUMN organization_users.department_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organization_users.department_id IS 'Department the user belongs to; NULL if unassigned.';


--
-- Name: COLUMN organization_users.user_type; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organization_users.user_type IS 'staff: member of the organization; guest: external with limited access; contact: directory entry, cannot sign in.';


--
-- Name: COLUMN organization_users.invited_by_user_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organization_users.invited_by_user_id IS 'Administrator who sent the invitation.';


--
-- Name: COLUMN organization_users.invitation_token_hash; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organization_users.invitation_token_hash IS 'SHA-256 of the pending invitation token; cleared once accepted.';


--
-- Name: active_organization_users; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.active_organization_users AS
 SELECT u.id,
    u.organization_id,
    u.email,
    u.first_name,
    u.last_name,
    u.user_type,
    u.department_id,
    d.name AS department_name,
    u.last_login_at,
    u.created_at
   FROM (public.organization_users u
     LEFT JOIN public.departments d ON ((d.id = u.department_id)))
  WHERE ((u.user_status = 'active'::text) AND (u.deleted_at IS NULL));


--
-- Name: VIEW active_organization_users; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.active_organization_users IS 'Users with user_status = active that are not soft-deleted, with their department name.';


--
-- Name: gw_credentials; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.gw_credentials (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    domain text NOT NULL,
    customer_id text,
    admin_email public.citext NOT NULL,
    service_account_email text NOT NULL,
    service_account_key bytea NOT NULL,
    scopes text[] DEFAULT '{}'::text[] NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    last_sync_started_at timestamp with time zone,
    last_sync_completed_at timestamp with time zone,
    last_sync_error text,
    sync_interval_minutes integer DEFAULT 60 NOT NULL
);


--
-- Name: TABLE gw_credentials; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.gw_credentials IS 'Google Workspace service account credentials (one set per organization).';


--
-- Name: COLUMN gw_credentials.admin_email; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.gw_credentials.admin_email IS 'Super administrator the service account impersonates (domain-wide delegation).';


--
-- Name: COLUMN gw_credentials.service_account_key; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.gw_credentials.service_account_key IS 'Service account JSON key, encrypted with pgp_sym_encrypt (pgcrypto).';


--
-- Name: COLUMN gw_credentials.last_sync_error; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.gw_credentials.last_sync_error IS 'Error message of the last failed sync; NULL after a successful one.';


--
-- Name: COLUMN gw_credentials.sync_interval_minutes; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.gw_credentials.sync_interval_minutes IS 'Minutes between two automatic syncs.';


--
-- Name: gw_groups; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.gw_groups (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    google_group_id text NOT NULL,
    email public.citext NOT NULL,
    name text NOT NULL,
    description text,
    direct_members_count integer DEFAULT 0 NOT NULL,
    raw_data jsonb DEFAULT '{}'::jsonb NOT NULL,
    last_synced_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: TABLE gw_groups; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.gw_groups IS 'Cached Google Workspace groups.';


--
-- Name: gw_org_units; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.gw_org_units (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    google_org_unit_id text NOT NULL,
    name text NOT NULL,
    org_unit_path text NOT NULL,
    parent_org_unit_id uuid,
    description text,
    last_synced_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: TABLE gw_org_units; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.gw_org_units IS 'Cached Google Workspace organizational units.';


--
-- Name: COLUMN gw_org_units.org_unit_path; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.gw_org_units.org_unit_path IS 'Full path as Google reports it, e.g. /Staff/Teachers.';


--
-- Name: gw_synced_users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.gw_synced_users (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    organization_user_id uuid,
    google_user_id text NOT NULL,
    primary_email public.citext NOT NULL,
    given_name text,
    family_name text,
    org_unit_path text,
    is_admin boolean DEFAULT false NOT NULL,
    is_suspended boolean DEFAULT false NOT NULL,
    raw_data jsonb DEFAULT '{}'::jsonb NOT NULL,
    last_synced_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: TABLE gw_synced_users; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.gw_synced_users IS 'Cached Google Workspace users, linked to portal users when the emails match.';


--
-- Name: COLUMN gw_synced_users.is_suspended; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.gw_synced_users.is_suspended IS 'Suspension flag as reported by Google (not the portal user_status).';


--
-- Name: COLUMN gw_synced_users.raw_data; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.gw_synced_users.raw_data IS 'Last Directory API payload for the user.';


--
-- Name: modules; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.modules (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    module_key text NOT NULL,
    name text NOT NULL,
    description text,
    category text DEFAULT 'integration'::text NOT NULL,
    is_available boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT modules_category_check CHECK ((category = ANY (ARRAY['integration'::text, 'identity'::text, 'security'::text, 'collaboration'::text])))
);


--
-- Name: TABLE modules; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.modules IS 'Catalog of the integration modules the portal offers.';


--
-- Name: COLUMN modules.module_key; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.modules.module_key IS 'Stable identifier referenced by organization_modules.module_key.';


--
-- Name: organization_modules; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organization_modules (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    module_key text NOT NULL,
    is_enabled boolean DEFAULT false NOT NULL,
    config jsonb DEFAULT '{}'::jsonb NOT NULL,
    enabled_at timestamp with time zone,
    enabled_by_user_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: TABLE organization_modules; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.organization_modules IS 'Modules enabled for the organization, with per-module configuration.';


--
-- Name: COLUMN organization_modules.module_key; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organization_modules.module_key IS 'Stable module identifier, e.g. google_workspace.';


--
-- Name: COLUMN organization_modules.config; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organization_modules.config IS 'Module-specific settings as JSON.';


--
-- Name: organization_settings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organization_settings (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    setting_key text NOT NULL,
    setting_value jsonb DEFAULT '{}'::jsonb NOT NULL,
    updated_by_user_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: TABLE organization_settings; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.organization_settings IS 'Organization configuration, one row per setting key.';


--
-- Name: COLUMN organization_settings.setting_key; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organization_settings.setting_key IS 'Dotted key, e.g. branding.primary_color or auth.session_hours.';


--
-- Name: COLUMN organization_settings.setting_value; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organization_settings.setting_value IS 'Setting value as JSON (scalar, array or object).';


--
-- Name: organizations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organizations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    slug text NOT NULL,
    primary_domain text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    logo_url text,
    timezone text DEFAULT 'UTC'::text NOT NULL,
    locale text DEFAULT 'en'::text NOT NULL,
    support_email public.citext,
    setup_completed_at timestamp with time zone,
    setup_progress jsonb DEFAULT '{}'::jsonb NOT NULL
);


--
-- Name: TABLE organizations; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.organizations IS 'The organization served by this installation (single organization per installation).';


--
-- Name: COLUMN organizations.slug; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organizations.slug IS 'URL-safe short name, used in portal links.';


--
-- Name: COLUMN organizations.primary_domain; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organizations.primary_domain IS 'Main email domain of the organization, e.g. example.org.';


--
-- Name: COLUMN organizations.timezone; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organizations.timezone IS 'IANA time zone name used to display dates, e.g. Europe/Paris.';


--
-- Name: COLUMN organizations.locale; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organizations.locale IS 'Default UI language (BCP 47 tag).';


--
-- Name: COLUMN organizations.setup_completed_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organizations.setup_completed_at IS 'When the setup wizard was finished; NULL while setup is in progress.';


--
-- Name: COLUMN organizations.setup_progress; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organizations.setup_progress IS 'Completed wizard steps, e.g. {"branding": true, "admins": true}.';


--
-- Name: user_group_memberships; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.user_group_memberships (
    user_group_id uuid NOT NULL,
    organization_user_id uuid NOT NULL,
    membership_role text DEFAULT 'member'::text NOT NULL,
    joined_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT user_group_memberships_membership_role_check CHECK ((membership_role = ANY (ARRAY['member'::text, 'lead'::text])))
);


--
-- Name: TABLE user_group_memberships; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.user_group_memberships IS 'Which users belong to which user group.';


--
-- Name: COLUMN user_group_memberships.membership_role; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.user_group_memberships.membership_role IS 'lead can manage the group membership.';


--
-- Name: user_groups; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.user_groups (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    name text NOT NULL,
    description text,
    group_type text DEFAULT 'team'::text NOT NULL,
    created_by_user_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT user_groups_group_type_check CHECK ((group_type = ANY (ARRAY['team'::text, 'project'::text, 'committee'::text])))
);


--
-- Name: TABLE user_groups; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.user_groups IS 'Groups and teams defined in the portal.';


--
-- Name: user_sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.user_sessions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    user_id uuid NOT NULL,
    token_hash text NOT NULL,
    ip_address inet,
    user_agent text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_seen_at timestamp with time zone,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    mfa_verified_at timestamp with time zone,
    device_label text
);


--
-- Name: TABLE user_sessions; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.user_sessions IS 'Authentication sessions; the token itself is never stored, only its SHA-256 hash.';


--
-- Name: COLUMN user_sessions.token_hash; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.user_sessions.token_hash IS 'Hex SHA-256 of the session token.';


--
-- Name: COLUMN user_sessions.revoked_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.user_sessions.revoked_at IS 'Set when the user signs out or an administrator revokes the session.';


--
-- Name: COLUMN user_sessions.mfa_verified_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.user_sessions.mfa_verified_at IS 'When the second factor was verified for this session; NULL if not yet.';


--
-- Name: COLUMN user_sessions.device_label; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.user_sessions.device_label IS 'Readable device name derived from the user agent, e.g. Firefox on macOS.';


--
-- Name: access_group_members access_group_members_access_group_id_organization_user_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.access_group_members
    ADD CONSTRAINT access_group_members_access_group_id_organization_user_id_key UNIQUE (access_group_id, organization_user_id);


--
-- Name: access_group_members access_group_members_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.access_group_members
    ADD CONSTRAINT access_group_members_pkey PRIMARY KEY (id);


--
-- Name: access_groups access_groups_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.access_groups
    ADD CONSTRAINT access_groups_pkey PRIMARY KEY (id);


--
-- Name: departments departments_organization_id_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.departments
    ADD CONSTRAINT departments_organization_id_name_key UNIQUE (organization_id, name);


--
-- Name: departments departments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.departments
    ADD CONSTRAINT departments_pkey PRIMARY KEY (id);


--
-- Name: gw_credentials gw_credentials_organization_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gw_credentials
    ADD CONSTRAINT gw_credentials_organization_id_key UNIQUE (organization_id);


--
-- Name: gw_credentials gw_credentials_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gw_credentials
    ADD CONSTRAINT gw_credentials_pkey PRIMARY KEY (id);


--
-- Name: gw_groups gw_groups_organization_id_google_group_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gw_groups
    ADD CONSTRAINT gw_groups_organization_id_google_group_id_key UNIQUE (organization_id, google_group_id);


--
-- Name: gw_groups gw_groups_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gw_groups
    ADD CONSTRAINT gw_groups_pkey PRIMARY KEY (id);


--
-- Name: gw_org_units gw_org_units_organization_id_google_org_unit_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gw_org_units
    ADD CONSTRAINT gw_org_units_organization_id_google_org_unit_id_key UNIQUE (organization_id, google_org_unit_id);


--
-- Name: gw_org_units gw_org_units_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gw_org_units
    ADD CONSTRAINT gw_org_units_pkey PRIMARY KEY (id);


--
-- Name: gw_synced_users gw_synced_users_organization_id_google_user_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gw_synced_users
    ADD CONSTRAINT gw_synced_users_organization_id_google_user_id_key UNIQUE (organization_id, google_user_id);


--
-- Name: gw_synced_users gw_synced_users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gw_synced_users
    ADD CONSTRAINT gw_synced_users_pkey PRIMARY KEY (id);


--
-- Name: modules modules_module_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.modules
    ADD CONSTRAINT modules_module_key_key UNIQUE (module_key);


--
-- Name: modules modules_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.modules
    ADD CONSTRAINT modules_pkey PRIMARY KEY (id);


--
-- Name: organization_modules organization_modules_organization_id_module_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_modules
    ADD CONSTRAINT organization_modules_organization_id_module_key_key UNIQUE (organization_id, module_key);


--
-- Name: organization_modules organization_modules_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_modules
    ADD CONSTRAINT organization_modules_pkey PRIMARY KEY (id);


--
-- Name: organization_settings organization_settings_organization_id_setting_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_settings
    ADD CONSTRAINT organization_settings_organization_id_setting_key_key UNIQUE (organization_id, setting_key);


--
-- Name: organization_settings organization_settings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_settings
    ADD CONSTRAINT organization_settings_pkey PRIMARY KEY (id);


--
-- Name: organization_users organization_users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_users
    ADD CONSTRAINT organization_users_pkey PRIMARY KEY (id);


--
-- Name: organizations organizations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organizations
    ADD CONSTRAINT organizations_pkey PRIMARY KEY (id);


--
-- Name: organizations organizations_slug_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organizations
    ADD CONSTRAINT organizations_slug_key UNIQUE (slug);


--
-- Name: user_group_memberships user_group_memberships_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_group_memberships
    ADD CONSTRAINT user_group_memberships_pkey PRIMARY KEY (user_group_id, organization_user_id);


--
-- Name: user_groups user_groups_organization_id_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_groups
    ADD CONSTRAINT user_groups_organization_id_name_key UNIQUE (organization_id, name);


--
-- Name: user_groups user_groups_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_groups
    ADD CONSTRAINT user_groups_pkey PRIMARY KEY (id);


--
-- Name: user_sessions user_sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_sessions
    ADD CONSTRAINT user_sessions_pkey PRIMARY KEY (id);


--
-- Name: idx_access_group_members_organization_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_access_group_members_organization_user_id ON public.access_group_members USING btree (organization_user_id);


--
-- Name: idx_access_groups_gw_group_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_access_groups_gw_group_id ON public.access_groups USING btree (gw_group_id);


--
-- Name: idx_access_groups_module_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_access_groups_module_id ON public.access_groups USING btree (module_id);


--
-- Name: idx_access_groups_organization_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_access_groups_organization_id ON public.access_groups USING btree (organization_id);


--
-- Name: idx_departments_manager_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_departments_manager_user_id ON public.departments USING btree (manager_user_id);


--
-- Name: idx_departments_parent_department_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_departments_parent_department_id ON public.departments USING btree (parent_department_id);


--
-- Name: idx_gw_org_units_org_unit_path; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_gw_org_units_org_unit_path ON public.gw_org_units USING btree (organization_id, org_unit_path);


--
-- Name: idx_gw_org_units_parent_org_unit_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_gw_org_units_parent_org_unit_id ON public.gw_org_units USING btree (parent_org_unit_id);


--
-- Name: idx_gw_synced_users_last_synced_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_gw_synced_users_last_synced_at ON public.gw_synced_users USING btree (organization_id, last_synced_at);


--
-- Name: idx_gw_synced_users_organization_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_gw_synced_users_organization_user_id ON public.gw_synced_users USING btree (organization_user_id);


--
-- Name: idx_gw_synced_users_primary_email; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_gw_synced_users_primary_email ON public.gw_synced_users USING btree (organization_id, primary_email);


--
-- Name: idx_organization_modules_enabled_by_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_organization_modules_enabled_by_user_id ON public.organization_modules USING btree (enabled_by_user_id);


--
-- Name: idx_organization_modules_module_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_organization_modules_module_key ON public.organization_modules USING btree (module_key);


--
-- Name: idx_organization_settings_updated_by_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_organization_settings_updated_by_user_id ON public.organization_settings USING btree (updated_by_user_id);


--
-- Name: idx_organization_users_department_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_organization_users_department_id ON public.organization_users USING btree (department_id);


--
-- Name: idx_organization_users_invited_by_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_organization_users_invited_by_user_id ON public.organization_users USING btree (invited_by_user_id);


--
-- Name: idx_organization_users_org_type_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_organization_users_org_type_status ON public.organization_users USING btree (organization_id, user_type, user_status);


--
-- Name: idx_organization_users_organization_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_organization_users_organization_id ON public.organization_users USING btree (organization_id);


--
-- Name: idx_user_group_memberships_organization_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_user_group_memberships_organization_user_id ON public.user_group_memberships USING btree (organization_user_id);


--
-- Name: idx_user_groups_created_by_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_user_groups_created_by_user_id ON public.user_groups USING btree (created_by_user_id);


--
-- Name: idx_user_sessions_live; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_user_sessions_live ON public.user_sessions USING btree (user_id, last_seen_at) WHERE (revoked_at IS NULL);


--
-- Name: idx_user_sessions_organization_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_user_sessions_organization_id ON public.user_sessions USING btree (organization_id);


--
-- Name: idx_user_sessions_user_id_expires_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_user_sessions_user_id_expires_at ON public.user_sessions USING btree (user_id, expires_at DESC);


--
-- Name: uq_access_groups_provider_external_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX uq_access_groups_provider_external_id ON public.access_groups USING btree (organization_id, provider, external_group_id) WHERE (external_group_id IS NOT NULL);


--
-- Name: uq_organization_users_email_live; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX uq_organization_users_email_live ON public.organization_users USING btree (organization_id, email) WHERE (deleted_at IS NULL);


--
-- Name: uq_organization_users_invitation_token_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX uq_organization_users_invitation_token_hash ON public.organization_users USING btree (invitation_token_hash) WHERE (invitation_token_hash IS NOT NULL);


--
-- Name: uq_user_sessions_token_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX uq_user_sessions_token_hash ON public.user_sessions USING btree (token_hash);


--
-- Name: access_groups trg_access_groups_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_access_groups_updated_at BEFORE UPDATE ON public.access_groups FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();


--
-- Name: departments trg_departments_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_departments_updated_at BEFORE UPDATE ON public.departments FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();


--
-- Name: gw_credentials trg_gw_credentials_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_gw_credentials_updated_at BEFORE UPDATE ON public.gw_credentials FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();


--
-- Name: organization_modules trg_organization_modules_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_organization_modules_updated_at BEFORE UPDATE ON public.organization_modules FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();


--
-- Name: organization_settings trg_organization_settings_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_organization_settings_updated_at BEFORE UPDATE ON public.organization_settings FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();


--
-- Name: organization_users trg_organization_users_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_organization_users_updated_at BEFORE UPDATE ON public.organization_users FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();


--
-- Name: organizations trg_organizations_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_organizations_updated_at BEFORE UPDATE ON public.organizations FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();


--
-- Name: user_groups trg_user_groups_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_user_groups_updated_at BEFORE UPDATE ON public.user_groups FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();


--
-- Name: access_group_members access_group_members_access_group_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.access_group_members
    ADD CONSTRAINT access_group_members_access_group_id_fkey FOREIGN KEY (access_group_id) REFERENCES public.access_groups(id) ON DELETE CASCADE;


--
-- Name: access_group_members access_group_members_organization_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.access_group_members
    ADD CONSTRAINT access_group_members_organization_user_id_fkey FOREIGN KEY (organization_user_id) REFERENCES public.organization_users(id) ON DELETE CASCADE;


--
-- Name: access_groups access_groups_gw_group_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.access_groups
    ADD CONSTRAINT access_groups_gw_group_id_fkey FOREIGN KEY (gw_group_id) REFERENCES public.gw_groups(id) ON DELETE SET NULL;


--
-- Name: access_groups access_groups_module_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.access_groups
    ADD CONSTRAINT access_groups_module_id_fkey FOREIGN KEY (module_id) REFERENCES public.modules(id);


--
-- Name: access_groups access_groups_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.access_groups
    ADD CONSTRAINT access_groups_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id) ON DELETE CASCADE;


--
-- Name: departments departments_manager_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.departments
    ADD CONSTRAINT departments_manager_user_id_fkey FOREIGN KEY (manager_user_id) REFERENCES public.organization_users(id) ON DELETE SET NULL;


--
-- Name: departments departments_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.departments
    ADD CONSTRAINT departments_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id) ON DELETE CASCADE;


--
-- Name: departments departments_parent_department_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.departments
    ADD CONSTRAINT departments_parent_department_id_fkey FOREIGN KEY (parent_department_id) REFERENCES public.departments(id) ON DELETE SET NULL;


--
-- Name: gw_credentials gw_credentials_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gw_credentials
    ADD CONSTRAINT gw_credentials_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id) ON DELETE CASCADE;


--
-- Name: gw_groups gw_groups_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gw_groups
    ADD CONSTRAINT gw_groups_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id) ON DELETE CASCADE;


--
-- Name: gw_org_units gw_org_units_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gw_org_units
    ADD CONSTRAINT gw_org_units_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id) ON DELETE CASCADE;


--
-- Name: gw_org_units gw_org_units_parent_org_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gw_org_units
    ADD CONSTRAINT gw_org_units_parent_org_unit_id_fkey FOREIGN KEY (parent_org_unit_id) REFERENCES public.gw_org_units(id) ON DELETE SET NULL;


--
-- Name: gw_synced_users gw_synced_users_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gw_synced_users
    ADD CONSTRAINT gw_synced_users_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id) ON DELETE CASCADE;


--
-- Name: gw_synced_users gw_synced_users_organization_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gw_synced_users
    ADD CONSTRAINT gw_synced_users_organization_user_id_fkey FOREIGN KEY (organization_user_id) REFERENCES public.organization_users(id) ON DELETE SET NULL;


--
-- Name: organization_modules organization_modules_enabled_by_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_modules
    ADD CONSTRAINT organization_modules_enabled_by_user_id_fkey FOREIGN KEY (enabled_by_user_id) REFERENCES public.organization_users(id) ON DELETE SET NULL;


--
-- Name: organization_modules organization_modules_module_key_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_modules
    ADD CONSTRAINT organization_modules_module_key_fkey FOREIGN KEY (module_key) REFERENCES public.modules(module_key) ON UPDATE CASCADE;


--
-- Name: organization_modules organization_modules_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_modules
    ADD CONSTRAINT organization_modules_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id) ON DELETE CASCADE;


--
-- Name: organization_settings organization_settings_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_settings
    ADD CONSTRAINT organization_settings_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id) ON DELETE CASCADE;


--
-- Name: organization_settings organization_settings_updated_by_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_settings
    ADD CONSTRAINT organization_settings_updated_by_user_id_fkey FOREIGN KEY (updated_by_user_id) REFERENCES public.organization_users(id) ON DELETE SET NULL;


--
-- Name: organization_users organization_users_department_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_users
    ADD CONSTRAINT organization_users_department_id_fkey FOREIGN KEY (department_id) REFERENCES public.departments(id) ON DELETE SET NULL;


--
-- Name: organization_users organization_users_invited_by_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_users
    ADD CONSTRAINT organization_users_invited_by_user_id_fkey FOREIGN KEY (invited_by_user_id) REFERENCES public.organization_users(id) ON DELETE SET NULL;


--
-- Name: organization_users organization_users_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_users
    ADD CONSTRAINT organization_users_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id) ON DELETE CASCADE;


--
-- Name: user_group_memberships user_group_memberships_organization_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_group_memberships
    ADD CONSTRAINT user_group_memberships_organization_user_id_fkey FOREIGN KEY (organization_user_id) REFERENCES public.organization_users(id) ON DELETE CASCADE;


--
-- Name: user_group_memberships user_group_memberships_user_group_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_group_memberships
    ADD CONSTRAINT user_group_memberships_user_group_id_fkey FOREIGN KEY (user_group_id) REFERENCES public.user_groups(id) ON DELETE CASCADE;


--
-- Name: user_groups user_groups_created_by_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_groups
    ADD CONSTRAINT user_groups_created_by_user_id_fkey FOREIGN KEY (created_by_user_id) REFERENCES public.organization_users(id) ON DELETE SET NULL;


--
-- Name: user_groups user_groups_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_groups
    ADD CONSTRAINT user_groups_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id) ON DELETE CASCADE;


--
-- Name: user_sessions user_sessions_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_sessions
    ADD CONSTRAINT user_sessions_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id) ON DELETE CASCADE;


--
-- Name: user_sessions user_sessions_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_sessions
    ADD CONSTRAINT user_sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.organization_users(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

