-- pgdrift stand-in for plpgsql_check 2.7 (tag v2.7.11): the functions of okbob/plpgsql_check@7e23f9d
-- plpgsql_check--2.7.sql, with the same names, argument lists (defaults included), result types and columns, in the
-- extension's schema. The C functions are PL/pgSQL stubs: plpgsql_check_function() checks nothing and reports no
-- problem, the profiler and tracer record nothing (the two SQL wrappers are upstream's). Only for replaying migrations.
CREATE FUNCTION plpgsql_check_function_tb(funcoid regprocedure,
                                       relid regclass DEFAULT 0,
                                       fatal_errors boolean DEFAULT true,
                                       other_warnings boolean DEFAULT true,
                                       performance_warnings boolean DEFAULT false,
                                       extra_warnings boolean DEFAULT true,
                                       security_warnings boolean DEFAULT false,
                                       compatibility_warnings boolean DEFAULT false,
                                       oldtable name DEFAULT null,
                                       newtable name DEFAULT null,
                                       anyelememttype regtype DEFAULT 'int',
                                       anyenumtype regtype DEFAULT '-',
                                       anyrangetype regtype DEFAULT 'int4range',
                                       anycompatibletype regtype DEFAULT 'int',
                                       anycompatiblerangetype regtype DEFAULT 'int4range',
                                       without_warnings boolean DEFAULT false,
                                       all_warnings boolean DEFAULT false,
                                       use_incomment_options boolean DEFAULT true,
                                       incomment_options_usage_warning boolean DEFAULT false,
                                       constant_tracing boolean DEFAULT true)
RETURNS TABLE(functionid regproc,
              lineno int,
              statement text,
              sqlstate text,
              message text,
              detail text,
              hint text,
              level text,
              "position" int,
              query text,
              context text)
LANGUAGE plpgsql AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION plpgsql_check_function(funcoid regprocedure,
                                       relid regclass DEFAULT 0,
                                       format text DEFAULT 'text',
                                       fatal_errors boolean DEFAULT true,
                                       other_warnings boolean DEFAULT true,
                                       performance_warnings boolean DEFAULT false,
                                       extra_warnings boolean DEFAULT true,
                                       security_warnings boolean DEFAULT false,
                                       compatibility_warnings boolean DEFAULT false,
                                       oldtable name DEFAULT null,
                                       newtable name DEFAULT null,
                                       anyelememttype regtype DEFAULT 'int',
                                       anyenumtype regtype DEFAULT '-',
                                       anyrangetype regtype DEFAULT 'int4range',
                                       anycompatibletype regtype DEFAULT 'int',
                                       anycompatiblerangetype regtype DEFAULT 'int4range',
                                       without_warnings boolean DEFAULT false,
                                       all_warnings boolean DEFAULT false,
                                       use_incomment_options boolean DEFAULT true,
                                       incomment_options_usage_warning boolean DEFAULT false,
                                       constant_tracing boolean DEFAULT true)
RETURNS SETOF text
LANGUAGE plpgsql AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION plpgsql_check_function_tb(name text,
                                       relid regclass DEFAULT 0,
                                       fatal_errors boolean DEFAULT true,
                                       other_warnings boolean DEFAULT true,
                                       performance_warnings boolean DEFAULT false,
                                       extra_warnings boolean DEFAULT true,
                                       security_warnings boolean DEFAULT false,
                                       compatibility_warnings boolean DEFAULT false,
                                       oldtable name DEFAULT null,
                                       newtable name DEFAULT null,
                                       anyelememttype regtype DEFAULT 'int',
                                       anyenumtype regtype DEFAULT '-',
                                       anyrangetype regtype DEFAULT 'int4range',
                                       anycompatibletype regtype DEFAULT 'int',
                                       anycompatiblerangetype regtype DEFAULT 'int4range',
                                       without_warnings boolean DEFAULT false,
                                       all_warnings boolean DEFAULT false,
                                       use_incomment_options boolean DEFAULT true,
                                       incomment_options_usage_warning boolean DEFAULT false,
                                       constant_tracing boolean DEFAULT true)
RETURNS TABLE(functionid regproc,
              lineno int,
              statement text,
              sqlstate text,
              message text,
              detail text,
              hint text,
              level text,
              "position" int,
              query text,
              context text)
LANGUAGE plpgsql AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION plpgsql_check_function(name text,
                                       relid regclass DEFAULT 0,
                                       format text DEFAULT 'text',
                                       fatal_errors boolean DEFAULT true,
                                       other_warnings boolean DEFAULT true,
                                       performance_warnings boolean DEFAULT false,
                                       extra_warnings boolean DEFAULT true,
                                       security_warnings boolean DEFAULT false,
                                       compatibility_warnings boolean DEFAULT false,
                                       oldtable name DEFAULT null,
                                       newtable name DEFAULT null,
                                       anyelememttype regtype DEFAULT 'int',
                                       anyenumtype regtype DEFAULT '-',
                                       anyrangetype regtype DEFAULT 'int4range',
                                       anycompatibletype regtype DEFAULT 'int',
                                       anycompatiblerangetype regtype DEFAULT 'int4range',
                                       without_warnings boolean DEFAULT false,
                                       all_warnings boolean DEFAULT false,
                                       use_incomment_options boolean DEFAULT true,
                                       incomment_options_usage_warning boolean DEFAULT false,
                                       constant_tracing boolean DEFAULT true)
RETURNS SETOF text
LANGUAGE plpgsql AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION __plpgsql_show_dependency_tb(funcoid regprocedure,
                                             relid regclass DEFAULT 0,
                                             anyelememttype regtype DEFAULT 'int',
                                             anyenumtype regtype DEFAULT '-',
                                             anyrangetype regtype DEFAULT 'int4range',
                                             anycompatibletype regtype DEFAULT 'int',
                                             anycompatiblerangetype regtype DEFAULT 'int4range')
RETURNS TABLE(type text,
              oid oid,
              schema text,
              name text,
              params text)
LANGUAGE plpgsql AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION __plpgsql_show_dependency_tb(name text,
                                             relid regclass DEFAULT 0,
                                             anyelememttype regtype DEFAULT 'int',
                                             anyenumtype regtype DEFAULT '-',
                                             anyrangetype regtype DEFAULT 'int4range',
                                             anycompatibletype regtype DEFAULT 'int',
                                             anycompatiblerangetype regtype DEFAULT 'int4range')
RETURNS TABLE(type text,
              oid oid,
              schema text,
              name text,
              params text)
LANGUAGE plpgsql AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION plpgsql_show_dependency_tb(funcoid regprocedure,
                                           relid regclass DEFAULT 0,
                                           anyelememttype regtype DEFAULT 'int',
                                           anyenumtype regtype DEFAULT '-',
                                           anyrangetype regtype DEFAULT 'int4range',
                                           anycompatibletype regtype DEFAULT 'int',
                                           anycompatiblerangetype regtype DEFAULT 'int4range')
RETURNS TABLE(type text,
              oid oid,
              schema text,
              name text,
              params text)
AS $$
  SELECT *
    FROM @extschema@.__plpgsql_show_dependency_tb($1, $2, $3, $4, $5, $6, $7)
   ORDER BY 1, 3, 4;
$$ LANGUAGE sql;

CREATE FUNCTION plpgsql_show_dependency_tb(fnname text,
                                           relid regclass DEFAULT 0,
                                           anyelememttype regtype DEFAULT 'int',
                                           anyenumtype regtype DEFAULT '-',
                                           anyrangetype regtype DEFAULT 'int4range',
                                           anycompatibletype regtype DEFAULT 'int',
                                           anycompatiblerangetype regtype DEFAULT 'int4range')
RETURNS TABLE(type text,
              oid oid,
              schema text,
              name text,
              params text)
AS $$
  SELECT *
    FROM @extschema@.__plpgsql_show_dependency_tb($1, $2, $3, $4, $5, $6, $7)
   ORDER BY 1, 3, 4;
$$ LANGUAGE sql;

CREATE FUNCTION plpgsql_profiler_function_tb(funcoid regprocedure)
RETURNS TABLE(lineno int,
              stmt_lineno int,
              queryids int8[],
              cmds_on_row int,
              exec_stmts int8,
              exec_stmts_err int8,
              total_time double precision,
              avg_time double precision,
              max_time double precision[],
              processed_rows int8[],
              source text)
LANGUAGE plpgsql STRICT AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION plpgsql_profiler_function_tb(name text)
RETURNS TABLE(lineno int,
              stmt_lineno int,
              queryids int8[],
              cmds_on_row int,
              exec_stmts int8,
              exec_stmts_err int8,
              total_time double precision,
              avg_time double precision,
              max_time double precision[],
              processed_rows int8[],
              source text)
LANGUAGE plpgsql STRICT AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION plpgsql_profiler_function_statements_tb(funcoid regprocedure)
RETURNS TABLE(stmtid int,
              parent_stmtid int,
              parent_note text,
              block_num int,
              lineno int,
              queryid int8,
              exec_stmts int8,
              exec_stmts_err int8,
              total_time double precision,
              avg_time double precision,
              max_time double precision,
              processed_rows int8,
              stmtname text)
LANGUAGE plpgsql STRICT AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION plpgsql_profiler_function_statements_tb(name text)
RETURNS TABLE(stmtid int,
              parent_stmtid int,
              parent_note text,
              block_num int,
              lineno int,
              queryid int8,
              exec_stmts int8,
              exec_stmts_err int8,
              total_time double precision,
              avg_time double precision,
              max_time double precision,
              processed_rows int8,
              stmtname text)
LANGUAGE plpgsql STRICT AS $$ BEGIN RETURN; END $$;

CREATE FUNCTION plpgsql_profiler_install_fake_queryid_hook()
RETURNS void LANGUAGE plpgsql STRICT AS $$ BEGIN END $$;

CREATE FUNCTION plpgsql_profiler_remove_fake_queryid_hook()
RETURNS void LANGUAGE plpgsql STRICT AS $$ BEGIN END $$;

CREATE FUNCTION plpgsql_profiler_reset_all()
RETURNS void LANGUAGE plpgsql STRICT AS $$ BEGIN END $$;

CREATE FUNCTION plpgsql_profiler_reset(funcoid regprocedure)
RETURNS void LANGUAGE plpgsql STRICT AS $$ BEGIN END $$;

CREATE OR REPLACE FUNCTION plpgsql_coverage_statements(funcoid regprocedure)
RETURNS double precision LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;

CREATE OR REPLACE FUNCTION plpgsql_coverage_statements(name text)
RETURNS double precision LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;

CREATE OR REPLACE FUNCTION plpgsql_coverage_branches(funcoid regprocedure)
RETURNS double precision LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;

CREATE OR REPLACE FUNCTION plpgsql_coverage_branches(name text)
RETURNS double precision LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;

CREATE OR REPLACE FUNCTION plpgsql_check_pragma(VARIADIC name text[])
RETURNS integer LANGUAGE plpgsql VOLATILE AS $$ BEGIN RETURN NULL; END $$;

CREATE OR REPLACE FUNCTION plpgsql_profiler_functions_all()
RETURNS TABLE(funcoid regprocedure,
              exec_count int8,
              exec_stmts_err int8,
              total_time double precision,
              avg_time double precision,
              stddev_time double precision,
              min_time double precision,
              max_time double precision)
LANGUAGE plpgsql STRICT AS $$ BEGIN RETURN; END $$;

CREATE OR REPLACE FUNCTION plpgsql_check_profiler(enable boolean DEFAULT NULL)
RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$ BEGIN RETURN NULL; END $$;

CREATE OR REPLACE FUNCTION plpgsql_check_tracer(enable boolean DEFAULT NULL, verbosity text DEFAULT NULL)
RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$ BEGIN RETURN NULL; END $$;