-- pgdrift stand-in for pg_net: the objects of supabase/pg_net@68ef0bf sql/pg_net.sql (the 0.20.4 install script),
-- with the same names, argument lists, result types and table columns. The C functions and the public request
-- functions are stubs: no background worker, no request is ever sent. Only for replaying migrations.
create schema if not exists net;

create domain net.http_method as text
check (
  value ilike 'get'
  or value ilike 'post'
  or value ilike 'delete'
);

create unlogged table net.http_request_queue(
    id bigserial,
    method net.http_method not null,
    url text not null,
    headers jsonb,
    body bytea,
    timeout_milliseconds int not null
);

create function net.check_worker_is_up() returns void language sql as $$ select $$;
comment on function net.check_worker_is_up() is 'raises an exception if the pg_net background worker is not up, otherwise it doesn''t return anything';

create unlogged table net._http_response(
    id bigint,
    status_code integer,
    content_type text,
    headers jsonb,
    content text,
    timed_out bool,
    error_msg text,
    created timestamptz not null default now()
);

create index on net._http_response (created);

create function net._await_response(request_id bigint) returns bool language sql as $$ select true $$;
create function net._urlencode_string(string varchar) returns text language sql immutable as $$ select null::text $$;
create function net._encode_url_with_params_array(url text, params_array text[]) returns text language sql immutable as $$ select url $$;
create function net.worker_restart() returns bool language sql as $$ select true $$;
create function net.wait_until_running() returns void language sql as $$ select $$;
comment on function net.wait_until_running() is 'waits until the worker is running';
create function net.wake() returns void language sql as $$ select $$;

create function net.http_get(
    url text,
    params jsonb default '{}'::jsonb,
    headers jsonb default '{}'::jsonb,
    timeout_milliseconds int default 5000
)
    returns bigint
    language sql
as $$ select null::bigint $$;

create function net.http_post(
    url text,
    body jsonb default '{}'::jsonb,
    params jsonb default '{}'::jsonb,
    headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
    timeout_milliseconds int DEFAULT 5000
)
    returns bigint
    language sql
as $$ select null::bigint $$;

create function net.http_delete(
    url text,
    params jsonb default '{}'::jsonb,
    headers jsonb default '{}'::jsonb,
    timeout_milliseconds int default 5000,
    body jsonb default NULL
)
    returns bigint
    language sql
as $$ select null::bigint $$;

create type net.request_status as enum ('PENDING', 'SUCCESS', 'ERROR');

create type net.http_response AS (
    status_code integer,
    headers jsonb,
    body text
);

create type net.http_response_result as (
    status net.request_status,
    message text,
    response net.http_response
);

create function net._http_collect_response(
    request_id bigint,
    async bool default true
)
    returns net.http_response_result
    language sql
as $$ select ('ERROR', 'request matching request_id not found', null)::net.http_response_result $$;

create function net.http_collect_response(
    request_id bigint,
    async bool default true
)
    returns net.http_response_result
    language sql
as $$ select ('ERROR', 'request matching request_id not found', null)::net.http_response_result $$;

grant usage on schema net to PUBLIC;
grant all on all sequences in schema net to PUBLIC;
grant all on all tables in schema net to PUBLIC;
