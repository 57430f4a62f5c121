-- pgdrift stand-in for pg_cron 1.6: the objects citusdata/pg_cron@16618e6 pg_cron.sql and its upgrade scripts
-- pg_cron--1.0--1.1.sql ... pg_cron--1.5--1.6.sql leave, in the same column order. The C functions are stubs:
-- schedule() records the job in cron.job, unschedule() removes it (and fails, like the real one, on a job that is not
-- there); nothing ever runs. Only for replaying migrations. (The real script's first statement, which refuses a
-- database other than cron.database_name, is left out: the replay's database is a throwaway.)
CREATE SCHEMA cron;
CREATE SEQUENCE cron.jobid_seq;
CREATE TABLE cron.job (
	jobid bigint primary key default pg_catalog.nextval('cron.jobid_seq'),
	schedule text not null,
	command text not null,
	nodename text not null default 'localhost',
	nodeport int not null default pg_catalog.inet_server_port(),
	database text not null default pg_catalog.current_database(),
	username text not null default current_user,
	active boolean not null default 'true',
	jobname text
);
GRANT SELECT ON cron.job TO public;
ALTER TABLE cron.job ENABLE ROW LEVEL SECURITY;
CREATE POLICY cron_job_policy ON cron.job USING (username OPERATOR(pg_catalog.=) current_user);
CREATE UNIQUE INDEX jobname_username_idx ON cron.job (jobname, username);
ALTER TABLE cron.job ADD CONSTRAINT jobname_username_uniq UNIQUE USING INDEX jobname_username_idx;

CREATE SEQUENCE cron.runid_seq;
CREATE TABLE cron.job_run_details (
	jobid bigint,
	runid bigint primary key default pg_catalog.nextval('cron.runid_seq'),
	job_pid integer,
	database text,
	username text,
	command text,
	status text,
	return_message text,
	start_time timestamptz,
	end_time timestamptz
);
GRANT SELECT ON cron.job_run_details TO public;
GRANT DELETE ON cron.job_run_details TO public;
ALTER TABLE cron.job_run_details ENABLE ROW LEVEL SECURITY;
CREATE POLICY cron_job_run_details_policy ON cron.job_run_details USING (username OPERATOR(pg_catalog.=) current_user);
GRANT SELECT ON SEQUENCE cron.jobid_seq TO public;
GRANT SELECT ON SEQUENCE cron.runid_seq TO public;

SELECT pg_catalog.pg_extension_config_dump('cron.job', '');
SELECT pg_catalog.pg_extension_config_dump('cron.jobid_seq', '');
SELECT pg_catalog.pg_extension_config_dump('cron.job_run_details', '');
SELECT pg_catalog.pg_extension_config_dump('cron.runid_seq', '');

CREATE FUNCTION cron.schedule(schedule text, command text)
    RETURNS bigint
    LANGUAGE sql STRICT
    AS $$ INSERT INTO cron.job (schedule, command, nodeport) VALUES ($1, $2, coalesce(pg_catalog.inet_server_port(), 5432)) RETURNING jobid $$;
COMMENT ON FUNCTION cron.schedule(text,text)
    IS 'schedule a pg_cron job';

CREATE FUNCTION cron.unschedule(job_id bigint)
    RETURNS bool
    LANGUAGE plpgsql STRICT
    AS $$
BEGIN
  DELETE FROM cron.job WHERE jobid = job_id;
  IF NOT FOUND THEN RAISE EXCEPTION 'could not find valid entry for job %', job_id; END IF;
  RETURN true;
END
$$;
COMMENT ON FUNCTION cron.unschedule(bigint)
    IS 'unschedule a pg_cron job';

CREATE FUNCTION cron.job_cache_invalidate()
    RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RETURN NULL; END $$;
COMMENT ON FUNCTION cron.job_cache_invalidate()
    IS 'invalidate job cache';

CREATE TRIGGER cron_job_cache_invalidate
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON cron.job
    FOR STATEMENT EXECUTE PROCEDURE cron.job_cache_invalidate();

CREATE FUNCTION cron.schedule(job_name text,
                              schedule text,
                              command text)
RETURNS bigint
LANGUAGE sql
AS $$
  INSERT INTO cron.job (jobname, schedule, command, nodeport) VALUES ($1, $2, $3, coalesce(pg_catalog.inet_server_port(), 5432))
  ON CONFLICT ON CONSTRAINT jobname_username_uniq DO UPDATE SET schedule = EXCLUDED.schedule, command = EXCLUDED.command
  RETURNING jobid
$$;
COMMENT ON FUNCTION cron.schedule(text,text,text)
IS 'schedule a pg_cron job';

CREATE FUNCTION cron.unschedule(job_name text)
    RETURNS bool
    LANGUAGE plpgsql STRICT
    AS $$
BEGIN
  DELETE FROM cron.job WHERE jobname = job_name AND username = current_user;
  IF NOT FOUND THEN RAISE EXCEPTION 'could not find valid entry for job ''%''', job_name; END IF;
  RETURN true;
END
$$;
COMMENT ON FUNCTION cron.unschedule(text)
    IS 'unschedule a pg_cron job';

CREATE FUNCTION cron.alter_job(job_id bigint,
								schedule text default null,
								command text default null,
								database text default null,
								username text default null,
								active boolean default null)
RETURNS void
LANGUAGE sql
AS $$
  UPDATE cron.job SET schedule = coalesce($2, job.schedule), command = coalesce($3, job.command), database = coalesce($4, job.database),
    username = coalesce($5, job.username), active = coalesce($6, job.active)
  WHERE jobid = $1
$$;
COMMENT ON FUNCTION cron.alter_job(bigint,text,text,text,text,boolean)
IS 'Alter the job identified by job_id. Any option left as NULL will not be modified.';
REVOKE ALL ON FUNCTION cron.alter_job(bigint,text,text,text,text,boolean) FROM public;

CREATE FUNCTION cron.schedule_in_database(job_name text,
										  schedule text,
										  command text,
										  database text,
										  username text default null,
										  active boolean default 'true')
RETURNS bigint
LANGUAGE sql
AS $$
  INSERT INTO cron.job (jobname, schedule, command, database, username, active, nodeport)
  VALUES ($1, $2, $3, $4, coalesce($5, current_user), $6, coalesce(pg_catalog.inet_server_port(), 5432))
  ON CONFLICT ON CONSTRAINT jobname_username_uniq DO UPDATE SET schedule = EXCLUDED.schedule, command = EXCLUDED.command, database = EXCLUDED.database, active = EXCLUDED.active
  RETURNING jobid
$$;
COMMENT ON FUNCTION cron.schedule_in_database(text,text,text,text,text,boolean)
IS 'schedule a pg_cron job';
REVOKE ALL ON FUNCTION cron.schedule_in_database(text,text,text,text,text,boolean) FROM public;

-- pgdrift: the extension lives in pg_catalog whatever schema CREATE EXTENSION named, as supautils's
-- extensions_parameter_overrides makes it on Supabase (see pg_cron.control); pg_catalog is pinned, so the extension
-- depends on no schema.
UPDATE pg_catalog.pg_extension SET extnamespace = 'pg_catalog'::regnamespace WHERE extname = 'pg_cron';
DELETE FROM pg_catalog.pg_depend
  WHERE classid = 'pg_catalog.pg_extension'::regclass
    AND objid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'pg_cron')
    AND refclassid = 'pg_catalog.pg_namespace'::regclass;
