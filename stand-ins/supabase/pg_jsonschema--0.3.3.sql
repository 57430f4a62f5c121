-- pgdrift stand-in for pg_jsonschema 0.3.3: the functions supabase/pg_jsonschema@dcbe58e (v0.3.3) src/lib.rs declares
-- with #[pg_extern(immutable, strict, parallel_safe)], in the extension's schema, with pgrx's argument names and
-- types. Stubs: every schema and instance is taken as valid (a CHECK that calls them never fails here). Only for
-- replaying migrations.
CREATE FUNCTION json_matches_schema(schema json, instance json) RETURNS bool IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$ SELECT true $$;
CREATE FUNCTION jsonb_matches_schema(schema json, instance jsonb) RETURNS bool IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$ SELECT true $$;
CREATE FUNCTION jsonschema_is_valid(schema json) RETURNS bool IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$ SELECT true $$;
CREATE FUNCTION jsonschema_validation_errors(schema json, instance json) RETURNS text[] IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$ SELECT '{}'::text[] $$;
