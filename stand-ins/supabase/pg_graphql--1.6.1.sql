-- pgdrift stand-in for pg_graphql: the objects of supabase/pg_graphql@a4bebe1, src/lib.rs (`_internal_resolve`, a
-- #[pg_extern] with pgrx's argument names and defaults) and the files it loads with extension_sql_file!:
-- sql/schema_version.sql, sql/directives.sql, sql/raise_exception.sql, sql/resolve.sql. Same names, argument lists and
-- result types; resolve() answers every query with an error. Only for replaying migrations.
create sequence if not exists graphql.seq_schema_version as int cycle;

create function graphql.increment_schema_version() returns event_trigger security definer language plpgsql as $$
begin
    perform pg_catalog.nextval('graphql.seq_schema_version');
end;
$$;

create function graphql.get_schema_version() returns int security definer language sql as $$
    select last_value from graphql.seq_schema_version;
$$;

create event trigger graphql_watch_ddl on ddl_command_end execute procedure graphql.increment_schema_version();
create event trigger graphql_watch_drop on sql_drop execute procedure graphql.increment_schema_version();

create function graphql.comment_directive(comment_ text) returns jsonb language sql immutable as $$
    select coalesce((regexp_match(comment_, '@graphql\((.+)\)'))[1]::jsonb, jsonb_build_object())
$$;

create function graphql.exception(message text) returns text language plpgsql as $$
begin
    raise exception using errcode='22000', message=message;
end;
$$;

create function graphql._internal_resolve("query" text, "variables" jsonb default '{}', "operationName" text default null, "extensions" jsonb default null)
    returns jsonb language sql as $$
    select jsonb_build_object('data', null, 'errors', jsonb_build_array(jsonb_build_object('message', 'pg_graphql is a stand-in here: no query is answered')))
$$;

create function graphql.resolve("query" text, "variables" jsonb default '{}', "operationName" text default null, "extensions" jsonb default null)
    returns jsonb language sql as $$
    select graphql._internal_resolve("query", "variables", "operationName", "extensions")
$$;
