-- pgdrift stand-in for http 1.7: the domains, types and functions of pramsey/pgsql-http@ee52345 http--1.7.sql, with
-- the same names, argument lists and result types, in the extension's schema. Stubs: no request is ever made (every
-- request function returns NULL). Only for replaying migrations.
CREATE DOMAIN http_method AS text;
CREATE DOMAIN content_type AS text
CHECK (
    VALUE ~ '^\S+\/\S+'
);

CREATE TYPE http_header AS (
    field VARCHAR,
    value VARCHAR
);

CREATE TYPE http_response AS (
    status INTEGER,
    content_type VARCHAR,
    headers http_header[],
    content VARCHAR
);

CREATE TYPE http_request AS (
    method http_method,
    uri VARCHAR,
    headers http_header[],
    content_type VARCHAR,
    content VARCHAR
);

CREATE FUNCTION http_set_curlopt (curlopt VARCHAR, value VARCHAR) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE FUNCTION http_reset_curlopt () RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE FUNCTION http_list_curlopt () RETURNS TABLE(curlopt text, value text) LANGUAGE sql AS $$ SELECT NULL::text, NULL::text WHERE false $$;
CREATE FUNCTION http_header (field VARCHAR, value VARCHAR) RETURNS http_header LANGUAGE sql AS $$ SELECT $1, $2 $$;
CREATE FUNCTION http(request @extschema@.http_request) RETURNS http_response LANGUAGE sql AS $$ SELECT NULL::@extschema@.http_response $$;
CREATE FUNCTION http_get(uri VARCHAR) RETURNS http_response LANGUAGE sql AS $$ SELECT NULL::@extschema@.http_response $$;
CREATE FUNCTION http_post(uri VARCHAR, content VARCHAR, content_type VARCHAR) RETURNS http_response LANGUAGE sql AS $$ SELECT NULL::@extschema@.http_response $$;
CREATE FUNCTION http_put(uri VARCHAR, content VARCHAR, content_type VARCHAR) RETURNS http_response LANGUAGE sql AS $$ SELECT NULL::@extschema@.http_response $$;
CREATE FUNCTION http_patch(uri VARCHAR, content VARCHAR, content_type VARCHAR) RETURNS http_response LANGUAGE sql AS $$ SELECT NULL::@extschema@.http_response $$;
CREATE FUNCTION http_delete(uri VARCHAR) RETURNS http_response LANGUAGE sql AS $$ SELECT NULL::@extschema@.http_response $$;
CREATE FUNCTION http_delete(uri VARCHAR, content VARCHAR, content_type VARCHAR) RETURNS http_response LANGUAGE sql AS $$ SELECT NULL::@extschema@.http_response $$;
CREATE FUNCTION http_head(uri VARCHAR) RETURNS http_response LANGUAGE sql AS $$ SELECT NULL::@extschema@.http_response $$;
CREATE FUNCTION urlencode(string VARCHAR) RETURNS TEXT LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT NULL::text $$;
CREATE FUNCTION urlencode(string BYTEA) RETURNS TEXT LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT NULL::text $$;
CREATE FUNCTION urlencode(data JSONB) RETURNS TEXT LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT NULL::text $$;
CREATE FUNCTION http_get(uri VARCHAR, data JSONB) RETURNS http_response LANGUAGE sql AS $$ SELECT NULL::@extschema@.http_response $$;
CREATE FUNCTION http_post(uri VARCHAR, data JSONB) RETURNS http_response LANGUAGE sql AS $$ SELECT NULL::@extschema@.http_response $$;
CREATE FUNCTION text_to_bytea(data TEXT) RETURNS BYTEA LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT convert_to(data, 'UTF8') $$;
CREATE FUNCTION bytea_to_text(data BYTEA) RETURNS TEXT LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT convert_from(data, 'UTF8') $$;
CREATE FUNCTION http_headers(VARIADIC args text[]) RETURNS http_header[] LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT NULL::@extschema@.http_header[] $$;
