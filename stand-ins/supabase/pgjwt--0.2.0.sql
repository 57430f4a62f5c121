-- pgdrift stand-in for pgjwt 0.2.0: the functions of michelp/pgjwt@f3d82fd pgjwt--0.2.0.sql, with the same names,
-- argument lists, defaults and result types, in the extension's schema (@extschema@, beside pgcrypto, which it
-- requires). Stubs: sign() signs nothing and verify() finds nothing valid. Only for replaying migrations.
CREATE FUNCTION url_encode(data bytea) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT NULL::text $$;
CREATE FUNCTION url_decode(data text) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$ SELECT NULL::bytea $$;
CREATE FUNCTION algorithm_sign(signables text, secret text, algorithm text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT NULL::text $$;
CREATE FUNCTION sign(payload json, secret text, algorithm text DEFAULT 'HS256') RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT NULL::text $$;
CREATE FUNCTION try_cast_double(inp text) RETURNS double precision LANGUAGE sql IMMUTABLE AS $$ SELECT NULL::double precision $$;
CREATE FUNCTION verify(token text, secret text, algorithm text DEFAULT 'HS256')
RETURNS table(header json, payload json, valid boolean) LANGUAGE sql IMMUTABLE AS $$ SELECT NULL::json, NULL::json, false WHERE false $$;
