-- pgdrift stand-in for pgmq 1.5.1: the table, types, privileges and functions of tembo-io/pgmq@a589028
-- pgmq-extension/sql/pgmq.sql, with the same names, argument lists (defaults included) and result types, and the
-- queues create() makes (pgmq.q_<name> and pgmq.a_<name>, with its columns, indexes and pgmq.meta row, added to the
-- extension as the real create_non_partitioned() does). The other functions are stubs: no message is ever sent or
-- read. Only for replaying migrations.
CREATE TABLE pgmq.meta (
    queue_name VARCHAR UNIQUE NOT NULL,
    is_partitioned BOOLEAN NOT NULL,
    is_unlogged BOOLEAN NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL
);

GRANT USAGE ON SCHEMA pgmq TO pg_monitor;
GRANT SELECT ON ALL TABLES IN SCHEMA pgmq TO pg_monitor;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA pgmq TO pg_monitor;
ALTER DEFAULT PRIVILEGES IN SCHEMA pgmq GRANT SELECT ON TABLES TO pg_monitor;
ALTER DEFAULT PRIVILEGES IN SCHEMA pgmq GRANT SELECT ON SEQUENCES TO pg_monitor;

CREATE TYPE pgmq.message_record AS (
    msg_id BIGINT,
    read_ct INTEGER,
    enqueued_at TIMESTAMP WITH TIME ZONE,
    vt TIMESTAMP WITH TIME ZONE,
    message JSONB,
    headers JSONB
);

CREATE TYPE pgmq.queue_record AS (
    queue_name VARCHAR,
    is_partitioned BOOLEAN,
    is_unlogged BOOLEAN,
    created_at TIMESTAMP WITH TIME ZONE
);

CREATE TYPE pgmq.metrics_result AS (
    queue_name text,
    queue_length bigint,
    newest_msg_age_sec int,
    oldest_msg_age_sec int,
    total_messages bigint,
    scrape_time timestamp with time zone,
    queue_visible_length bigint
);

-- not in the real pgmq: what its create_non_partitioned() and create_unlogged() leave behind
CREATE FUNCTION pgmq._pgdrift_create_queue(queue_name text, unlogged boolean) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  qtable text := pgmq.format_table_name(queue_name, 'q');
  atable text := pgmq.format_table_name(queue_name, 'a');
BEGIN
  PERFORM pgmq.validate_queue_name(queue_name);
  IF to_regclass(format('pgmq.%I', qtable)) IS NOT NULL THEN RETURN; END IF;
  EXECUTE format('CREATE %s TABLE pgmq.%I (msg_id BIGINT PRIMARY KEY GENERATED ALWAYS AS IDENTITY, read_ct INT DEFAULT 0 NOT NULL, '
    'enqueued_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, vt TIMESTAMP WITH TIME ZONE NOT NULL, message JSONB, headers JSONB)',
    CASE WHEN unlogged THEN 'UNLOGGED' ELSE '' END, qtable);
  EXECUTE format('CREATE TABLE IF NOT EXISTS pgmq.%I (msg_id BIGINT PRIMARY KEY, read_ct INT DEFAULT 0 NOT NULL, '
    'enqueued_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, archived_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, '
    'vt TIMESTAMP WITH TIME ZONE NOT NULL, message JSONB, headers JSONB)', atable);
  EXECUTE format('ALTER EXTENSION pgmq ADD TABLE pgmq.%I', qtable);
  EXECUTE format('ALTER EXTENSION pgmq ADD SEQUENCE pgmq.%I', qtable || '_msg_id_seq');
  EXECUTE format('ALTER EXTENSION pgmq ADD TABLE pgmq.%I', atable);
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON pgmq.%I (vt ASC)', qtable || '_vt_idx', qtable);
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON pgmq.%I (archived_at)', 'archived_at_idx_' || queue_name, atable);
  INSERT INTO pgmq.meta (queue_name, is_partitioned, is_unlogged) VALUES (queue_name, false, unlogged) ON CONFLICT DO NOTHING;
END
$$;

CREATE FUNCTION pgmq._belongs_to_pgmq(table_name text) RETURNS boolean LANGUAGE sql AS $$ SELECT NULL::boolean $$;
CREATE FUNCTION pgmq._ensure_pg_partman_installed() RETURNS void LANGUAGE plpgsql AS $$ BEGIN IF NOT pgmq._extension_exists('pg_partman') THEN RAISE EXCEPTION 'pg_partman is required for partitioned queues'; END IF; END $$;
CREATE FUNCTION pgmq._extension_exists(extension_name text) RETURNS boolean LANGUAGE sql AS $$ SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = extension_name) $$;
CREATE FUNCTION pgmq._get_partition_col(partition_interval text) RETURNS text LANGUAGE sql AS $$ SELECT NULL::text $$;
CREATE FUNCTION pgmq._get_pg_partman_major_version() RETURNS integer LANGUAGE sql AS $$ SELECT NULL::integer $$;
CREATE FUNCTION pgmq._get_pg_partman_schema() RETURNS text LANGUAGE sql AS $$ SELECT NULL::text $$;
CREATE FUNCTION pgmq.acquire_queue_lock(queue_name text) RETURNS void LANGUAGE sql AS $$ SELECT $$;
CREATE FUNCTION pgmq.archive(queue_name text, msg_id bigint) RETURNS boolean LANGUAGE sql AS $$ SELECT NULL::boolean $$;
CREATE FUNCTION pgmq.archive(queue_name text, msg_ids bigint[]) RETURNS SETOF bigint LANGUAGE sql AS $$ SELECT NULL::bigint WHERE false $$;
CREATE FUNCTION pgmq.convert_archive_partitioned(table_name text, partition_interval text DEFAULT '10000'::text, retention_interval text DEFAULT '100000'::text, leading_partition integer DEFAULT 10) RETURNS void LANGUAGE sql AS $$ SELECT $$;
CREATE FUNCTION pgmq.create(queue_name text) RETURNS void LANGUAGE sql AS $$ SELECT pgmq._pgdrift_create_queue(queue_name, false) $$;
CREATE FUNCTION pgmq.create_non_partitioned(queue_name text) RETURNS void LANGUAGE sql AS $$ SELECT pgmq._pgdrift_create_queue(queue_name, false) $$;
CREATE FUNCTION pgmq.create_partitioned(queue_name text, partition_interval text DEFAULT '10000'::text, retention_interval text DEFAULT '100000'::text) RETURNS void LANGUAGE sql AS $$ SELECT pgmq._ensure_pg_partman_installed() $$;
CREATE FUNCTION pgmq.create_unlogged(queue_name text) RETURNS void LANGUAGE sql AS $$ SELECT pgmq._pgdrift_create_queue(queue_name, true) $$;
CREATE FUNCTION pgmq.delete(queue_name text, msg_id bigint) RETURNS boolean LANGUAGE sql AS $$ SELECT NULL::boolean $$;
CREATE FUNCTION pgmq.delete(queue_name text, msg_ids bigint[]) RETURNS SETOF bigint LANGUAGE sql AS $$ SELECT NULL::bigint WHERE false $$;
CREATE FUNCTION pgmq.detach_archive(queue_name text) RETURNS void LANGUAGE sql AS $$ SELECT $$;
CREATE FUNCTION pgmq.drop_queue(queue_name text) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN EXECUTE format('DROP TABLE IF EXISTS pgmq.%I, pgmq.%I', pgmq.format_table_name(queue_name, 'q'), pgmq.format_table_name(queue_name, 'a')); DELETE FROM pgmq.meta WHERE meta.queue_name = drop_queue.queue_name; RETURN FOUND; END $$;
CREATE FUNCTION pgmq.drop_queue(queue_name text, partitioned boolean) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN EXECUTE format('DROP TABLE IF EXISTS pgmq.%I, pgmq.%I', pgmq.format_table_name(queue_name, 'q'), pgmq.format_table_name(queue_name, 'a')); DELETE FROM pgmq.meta WHERE meta.queue_name = drop_queue.queue_name; RETURN FOUND; END $$;
CREATE FUNCTION pgmq.format_table_name(queue_name text, prefix text) RETURNS text LANGUAGE sql AS $$ SELECT lower(prefix || '_' || queue_name) $$;
CREATE FUNCTION pgmq.list_queues() RETURNS SETOF pgmq.queue_record LANGUAGE sql AS $$ SELECT NULL::pgmq.queue_record WHERE false $$;
CREATE FUNCTION pgmq.metrics(queue_name text) RETURNS pgmq.metrics_result LANGUAGE sql AS $$ SELECT NULL::pgmq.metrics_result $$;
CREATE FUNCTION pgmq.metrics_all() RETURNS SETOF pgmq.metrics_result LANGUAGE sql AS $$ SELECT NULL::pgmq.metrics_result WHERE false $$;
CREATE FUNCTION pgmq.pop(queue_name text) RETURNS SETOF pgmq.message_record LANGUAGE sql AS $$ SELECT NULL::pgmq.message_record WHERE false $$;
CREATE FUNCTION pgmq.purge_queue(queue_name text) RETURNS bigint LANGUAGE sql AS $$ SELECT NULL::bigint $$;
CREATE FUNCTION pgmq.read(queue_name text, vt integer, qty integer, conditional jsonb DEFAULT '{}'::jsonb) RETURNS SETOF pgmq.message_record LANGUAGE sql AS $$ SELECT NULL::pgmq.message_record WHERE false $$;
CREATE FUNCTION pgmq.read_with_poll(queue_name text, vt integer, qty integer, max_poll_seconds integer DEFAULT 5, poll_interval_ms integer DEFAULT 100, conditional jsonb DEFAULT '{}'::jsonb) RETURNS SETOF pgmq.message_record LANGUAGE sql AS $$ SELECT NULL::pgmq.message_record WHERE false $$;
CREATE FUNCTION pgmq.send(queue_name text, msg jsonb) RETURNS SETOF bigint LANGUAGE sql AS $$ SELECT NULL::bigint WHERE false $$;
CREATE FUNCTION pgmq.send(queue_name text, msg jsonb, delay integer) RETURNS SETOF bigint LANGUAGE sql AS $$ SELECT NULL::bigint WHERE false $$;
CREATE FUNCTION pgmq.send(queue_name text, msg jsonb, delay timestamp with time zone) RETURNS SETOF bigint LANGUAGE sql AS $$ SELECT NULL::bigint WHERE false $$;
CREATE FUNCTION pgmq.send(queue_name text, msg jsonb, headers jsonb) RETURNS SETOF bigint LANGUAGE sql AS $$ SELECT NULL::bigint WHERE false $$;
CREATE FUNCTION pgmq.send(queue_name text, msg jsonb, headers jsonb, delay integer) RETURNS SETOF bigint LANGUAGE sql AS $$ SELECT NULL::bigint WHERE false $$;
CREATE FUNCTION pgmq.send(queue_name text, msg jsonb, headers jsonb, delay timestamp with time zone) RETURNS SETOF bigint LANGUAGE sql AS $$ SELECT NULL::bigint WHERE false $$;
CREATE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[]) RETURNS SETOF bigint LANGUAGE sql AS $$ SELECT NULL::bigint WHERE false $$;
CREATE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], delay integer) RETURNS SETOF bigint LANGUAGE sql AS $$ SELECT NULL::bigint WHERE false $$;
CREATE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], delay timestamp with time zone) RETURNS SETOF bigint LANGUAGE sql AS $$ SELECT NULL::bigint WHERE false $$;
CREATE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[]) RETURNS SETOF bigint LANGUAGE sql AS $$ SELECT NULL::bigint WHERE false $$;
CREATE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[], delay integer) RETURNS SETOF bigint LANGUAGE sql AS $$ SELECT NULL::bigint WHERE false $$;
CREATE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[], delay timestamp with time zone) RETURNS SETOF bigint LANGUAGE sql AS $$ SELECT NULL::bigint WHERE false $$;
CREATE FUNCTION pgmq.set_vt(queue_name text, msg_id bigint, vt integer) RETURNS SETOF pgmq.message_record LANGUAGE sql AS $$ SELECT NULL::pgmq.message_record WHERE false $$;
CREATE FUNCTION pgmq.validate_queue_name(queue_name text) RETURNS void LANGUAGE plpgsql AS $$ BEGIN IF length(queue_name) > 47 THEN RAISE EXCEPTION 'queue name is too long, maximum length is 47 characters'; END IF; END $$;
