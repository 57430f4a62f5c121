-- pgdrift stand-in for pg_tle 1.4.0: the objects aws/pg_tle@27aa6ed (tag v1.4.0) pg_tle--1.1.1.sql and its upgrade
-- scripts pg_tle--1.1.1--1.2.0.sql ... pg_tle--1.3.4--1.4.0.sql leave, with the same names, argument lists (defaults
-- included), result types, columns, privileges and the pgtle_admin role the real script creates when it is missing
-- (in the embedded engine's own throwaway cluster). The functions are stubs: install_extension() and the others
-- install nothing and return true (so a later CREATE EXTENSION of a Trusted Language Extension is not replayed),
-- available_extensions() lists nothing, no type or feature is ever registered. Only for replaying migrations.
CREATE FUNCTION pgtle.install_extension
(
  name text,
  version text,
  description text,
  ext text,
  requires text[] DEFAULT NULL
)
RETURNS boolean
SET search_path TO 'pgtle'
AS $$ SELECT true $$
LANGUAGE sql;

CREATE FUNCTION pgtle.install_update_path
(
  name text,
  fromvers text,
  tovers text,
  ext text
)
RETURNS boolean
SET search_path TO 'pgtle'
AS $$ SELECT true $$
LANGUAGE sql;

CREATE FUNCTION pgtle.set_default_version
(
  name text,
  version text
)
RETURNS boolean
SET search_path TO 'pgtle'
AS $$ SELECT true $$
LANGUAGE sql;

CREATE FUNCTION pgtle.uninstall_extension(extname text)
RETURNS boolean
SET search_path TO 'pgtle'
AS $$ SELECT true $$
LANGUAGE sql STRICT;

CREATE FUNCTION pgtle.uninstall_extension_if_exists(extname text)
RETURNS boolean
SET search_path TO 'pgtle'
AS $$ SELECT true $$
LANGUAGE sql STRICT;

CREATE FUNCTION pgtle.install_extension_version_sql
(
  name text,
  version text,
  ext text
)
RETURNS boolean
SET search_path TO 'pgtle'
AS $$ SELECT true $$
LANGUAGE sql;

CREATE FUNCTION pgtle.uninstall_extension(extname text, version text)
RETURNS boolean
SET search_path TO 'pgtle'
AS $$ SELECT true $$
LANGUAGE sql STRICT;

CREATE FUNCTION pgtle.uninstall_update_path(extname text, fromvers text, tovers text)
RETURNS boolean
SET search_path TO 'pgtle'
AS $$ SELECT true $$
LANGUAGE sql STRICT;

CREATE FUNCTION pgtle.uninstall_update_path_if_exists(extname text, fromvers text, tovers text)
RETURNS boolean
SET search_path TO 'pgtle'
AS $$ SELECT true $$
LANGUAGE sql STRICT;

CREATE FUNCTION pgtle.extension_update_paths
(
  name name,
  OUT source text,
  OUT target text,
  OUT path text
)
RETURNS SETOF RECORD
AS $$ SELECT NULL::text, NULL::text, NULL::text WHERE false $$
LANGUAGE sql STABLE STRICT;

CREATE FUNCTION pgtle.available_extensions
(
  OUT name name,
  OUT default_version text,
  OUT comment text
)
RETURNS SETOF RECORD
AS $$ SELECT NULL::name, NULL::text, NULL::text WHERE false $$
LANGUAGE sql STABLE STRICT;

CREATE FUNCTION pgtle.available_extension_versions
(
  OUT name name,
  OUT version text,
  OUT superuser boolean,
  OUT trusted boolean,
  OUT relocatable boolean,
  OUT schema name,
  OUT requires name[],
  OUT comment text
)
RETURNS SETOF RECORD
AS $$ SELECT NULL::name, NULL::text, NULL::boolean, NULL::boolean, NULL::boolean, NULL::name, NULL::name[], NULL::text WHERE false $$
LANGUAGE sql STABLE STRICT;

REVOKE EXECUTE ON FUNCTION pgtle.install_extension(name text, version text, description text, ext text, requires text[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pgtle.install_extension_version_sql(name text, version text, ext text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pgtle.install_update_path(name text, fromvers text, tovers text, ext text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pgtle.set_default_version(name text, version text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pgtle.uninstall_extension(extname text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pgtle.uninstall_extension(extname text, version text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pgtle.uninstall_extension_if_exists(extname text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pgtle.uninstall_update_path(extname text, fromvers text, tovers text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pgtle.uninstall_update_path_if_exists(extname text, fromvers text, tovers text) FROM PUBLIC;

DO
$_do_$
BEGIN
   IF EXISTS (
      SELECT FROM pg_catalog.pg_roles
      WHERE  rolname = 'pgtle_admin') THEN

      RAISE NOTICE 'Role "pgtle_admin" already exists. Skipping.';
   ELSE
      CREATE ROLE pgtle_admin NOLOGIN;
   END IF;
END
$_do_$;

GRANT USAGE, CREATE ON SCHEMA pgtle TO pgtle_admin;

GRANT EXECUTE ON FUNCTION pgtle.install_extension(name text, version text, description text, ext text, requires text[]) TO pgtle_admin;
GRANT EXECUTE ON FUNCTION pgtle.install_extension_version_sql(name text, version text, ext text) TO pgtle_admin;
GRANT EXECUTE ON FUNCTION pgtle.install_update_path(name text, fromvers text, tovers text, ext text) TO pgtle_admin;
GRANT EXECUTE ON FUNCTION pgtle.set_default_version(name text, version text) TO pgtle_admin;
GRANT EXECUTE ON FUNCTION pgtle.uninstall_extension(extname text) TO pgtle_admin;
GRANT EXECUTE ON FUNCTION pgtle.uninstall_extension(extname text, version text) TO pgtle_admin;
GRANT EXECUTE ON FUNCTION pgtle.uninstall_extension_if_exists(extname text) TO pgtle_admin;
GRANT EXECUTE ON FUNCTION pgtle.uninstall_update_path(extname text, fromvers text, tovers text) TO pgtle_admin;
GRANT EXECUTE ON FUNCTION pgtle.uninstall_update_path_if_exists(extname text, fromvers text, tovers text) TO pgtle_admin;

CREATE FUNCTION pgtle.create_shell_type
(
  typenamespace regnamespace,
  typename name
)
RETURNS void
SET search_path TO 'pgtle'
STRICT
AS $$ SELECT $$
LANGUAGE sql;

CREATE FUNCTION pgtle.create_shell_type_if_not_exists
(
  typenamespace regnamespace,
  typename name
)
RETURNS boolean
SET search_path TO 'pgtle'
STRICT
AS $$ SELECT true $$
LANGUAGE sql;

-- pg_tle--1.3.4--1.4.0.sql replaces the 1.1.1 create_base_type(_if_not_exists) with these (alignment, storage)
CREATE FUNCTION pgtle.create_base_type
(
  typenamespace regnamespace,
  typename name,
  infunc regprocedure,
  outfunc regprocedure,
  internallength int4,
  alignment text default 'int4',
  storage text default 'plain'
)
RETURNS void
SET search_path TO 'pgtle'
STRICT
AS $$ SELECT $$
LANGUAGE sql;

CREATE FUNCTION pgtle.create_base_type_if_not_exists
(
  typenamespace regnamespace,
  typename name,
  infunc regprocedure,
  outfunc regprocedure,
  internallength int4,
  alignment text default 'int4',
  storage text default 'plain'
)
RETURNS boolean
SET search_path TO 'pgtle'
AS $$ SELECT true $$
LANGUAGE sql STRICT;

CREATE FUNCTION pgtle.create_operator_func
(
  typenamespace regnamespace,
  typename name,
  opfunc regprocedure
)
RETURNS void
SET search_path TO 'pgtle'
STRICT
AS $$ SELECT $$
LANGUAGE sql;

CREATE FUNCTION pgtle.create_operator_func_if_not_exists
(
  typenamespace regnamespace,
  typename name,
  opfunc regprocedure
)
RETURNS boolean
SET search_path TO 'pgtle'
AS $$ SELECT true $$
LANGUAGE sql STRICT;

REVOKE EXECUTE ON FUNCTION pgtle.create_shell_type(typenamespace regnamespace, typename name) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pgtle.create_shell_type_if_not_exists(typenamespace regnamespace, typename name) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pgtle.create_base_type(typenamespace regnamespace, typename name, infunc regprocedure, outfunc regprocedure, internallength int4, alignment text, storage text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pgtle.create_base_type_if_not_exists(typenamespace regnamespace, typename name, infunc regprocedure, outfunc regprocedure, internallength int4, alignment text, storage text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pgtle.create_operator_func(typenamespace regnamespace, typename name, opfunc regprocedure) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pgtle.create_operator_func_if_not_exists(typenamespace regnamespace, typename name, opfunc regprocedure) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION pgtle.create_shell_type(typenamespace regnamespace, typename name) TO pgtle_admin;
GRANT EXECUTE ON FUNCTION pgtle.create_shell_type_if_not_exists(typenamespace regnamespace, typename name) TO pgtle_admin;
GRANT EXECUTE ON FUNCTION pgtle.create_base_type(typenamespace regnamespace, typename name, infunc regprocedure, outfunc regprocedure, internallength int4, alignment text, storage text) TO pgtle_admin;
GRANT EXECUTE ON FUNCTION pgtle.create_base_type_if_not_exists(typenamespace regnamespace, typename name, infunc regprocedure, outfunc regprocedure, internallength int4, alignment text, storage text) TO pgtle_admin;
GRANT EXECUTE ON FUNCTION pgtle.create_operator_func(typenamespace regnamespace, typename name, opfunc regprocedure) TO pgtle_admin;
GRANT EXECUTE ON FUNCTION pgtle.create_operator_func_if_not_exists(typenamespace regnamespace, typename name, opfunc regprocedure) TO pgtle_admin;

-- 'clientauth' is the value pg_tle--1.1.1--1.2.0.sql adds
CREATE TYPE pgtle.pg_tle_features as ENUM ('passcheck', 'clientauth');
CREATE TYPE pgtle.password_types as ENUM ('PASSWORD_TYPE_PLAINTEXT', 'PASSWORD_TYPE_MD5', 'PASSWORD_TYPE_SCRAM_SHA_256');

CREATE TABLE pgtle.feature_info(
	feature pgtle.pg_tle_features,
	schema_name text,
	proname text,
	obj_identity text NOT NULL,
  PRIMARY KEY(feature, schema_name, proname));

SELECT pg_catalog.pg_extension_config_dump('pgtle.feature_info', '');

GRANT SELECT on pgtle.feature_info TO PUBLIC;

CREATE FUNCTION pgtle.register_feature(proc regproc, feature pgtle.pg_tle_features)
RETURNS VOID
LANGUAGE sql
AS $$ SELECT $$;

CREATE FUNCTION pgtle.register_feature_if_not_exists(proc regproc, feature pgtle.pg_tle_features)
RETURNS bool
LANGUAGE sql
AS $$ SELECT true $$;

CREATE FUNCTION pgtle.unregister_feature(proc regproc, feature pgtle.pg_tle_features)
RETURNS void
LANGUAGE sql
AS $$ SELECT $$;

CREATE FUNCTION pgtle.unregister_feature_if_exists(proc regproc, feature pgtle.pg_tle_features)
RETURNS bool
LANGUAGE sql
AS $$ SELECT true $$;

REVOKE EXECUTE ON FUNCTION pgtle.register_feature(proc regproc, feature pgtle.pg_tle_features) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pgtle.register_feature_if_not_exists(proc regproc, feature pgtle.pg_tle_features) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pgtle.unregister_feature(proc regproc, feature pgtle.pg_tle_features) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pgtle.unregister_feature_if_exists(proc regproc, feature pgtle.pg_tle_features) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION pgtle.register_feature(proc regproc, feature pgtle.pg_tle_features) TO pgtle_admin;
GRANT EXECUTE ON FUNCTION pgtle.register_feature_if_not_exists(proc regproc, feature pgtle.pg_tle_features) TO pgtle_admin;
GRANT EXECUTE ON FUNCTION pgtle.unregister_feature(proc regproc, feature pgtle.pg_tle_features) TO pgtle_admin;
GRANT EXECUTE ON FUNCTION pgtle.unregister_feature_if_exists(proc regproc, feature pgtle.pg_tle_features) TO pgtle_admin;

CREATE FUNCTION pgtle.pg_tle_feature_info_sql_drop()
RETURNS event_trigger
LANGUAGE plpgsql
AS $$ BEGIN END $$;

CREATE EVENT TRIGGER pg_tle_event_trigger_for_drop_function
   ON sql_drop
   EXECUTE FUNCTION pgtle.pg_tle_feature_info_sql_drop();

REVOKE ALL ON SCHEMA pgtle FROM PUBLIC;
GRANT USAGE ON SCHEMA pgtle TO PUBLIC;
GRANT INSERT,DELETE ON TABLE pgtle.feature_info TO pgtle_admin;

-- pg_tle--1.1.1--1.2.0.sql
CREATE TYPE pgtle.clientauth_port_subset AS (
    noblock                 boolean,
    remote_host             text,
    remote_hostname         text,
    remote_hostname_resolv  integer,
    remote_hostname_errcode integer,
    database_name           text,
    user_name               text
);
