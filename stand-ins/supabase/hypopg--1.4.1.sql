-- pgdrift stand-in for hypopg 1.4.1: the functions and views of HypoPG/hypopg@b83f50d hypopg--1.4.0.sql (1.4.1 and
-- 1.4.2 add no SQL object; hypopg--1.4.2--1.4.3.sql adds only hypopg_analyze), with the same names, argument lists,
-- OUT columns and result types, in the extension's schema. The C functions are stubs: no hypothetical index is ever
-- made, hypopg_create_index() returns no row and the views list nothing. Only for replaying migrations.
CREATE FUNCTION hypopg_reset_index() RETURNS void LANGUAGE sql VOLATILE AS $$ SELECT $$;
CREATE FUNCTION hypopg_reset() RETURNS void LANGUAGE sql VOLATILE AS $$ SELECT $$;

CREATE FUNCTION
hypopg_create_index(IN sql_order text, OUT indexrelid oid, OUT indexname text)
    RETURNS SETOF record
    LANGUAGE sql STRICT VOLATILE
AS $$ SELECT NULL::oid, NULL::text WHERE false $$;

CREATE FUNCTION hypopg_drop_index(IN indexid oid) RETURNS bool LANGUAGE sql STRICT VOLATILE AS $$ SELECT false $$;

CREATE FUNCTION hypopg(OUT indexname text, OUT indexrelid oid,
                       OUT indrelid oid, OUT innatts integer,
                       OUT indisunique boolean, OUT indkey int2vector,
                       OUT indcollation oidvector, OUT indclass oidvector,
                       OUT indoption oidvector, OUT indexprs pg_node_tree,
                       OUT indpred pg_node_tree, OUT amid oid)
    RETURNS SETOF record
    LANGUAGE sql
AS $$
    SELECT NULL::text, NULL::oid, NULL::oid, NULL::integer, NULL::boolean, NULL::int2vector, NULL::oidvector,
           NULL::oidvector, NULL::oidvector, NULL::pg_node_tree, NULL::pg_node_tree, NULL::oid
    WHERE false
$$;

CREATE VIEW hypopg_list_indexes
AS
    SELECT h.indexrelid, h.indexname AS index_name, n.nspname AS schema_name,
    coalesce(c.relname, '<dropped>') AS table_name, am.amname AS am_name
    FROM hypopg() h
    LEFT JOIN pg_catalog.pg_class c ON c.oid = h.indrelid
    LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_catalog.pg_am am ON am.oid = h.amid;

CREATE FUNCTION hypopg_relation_size(IN indexid oid) RETURNS bigint LANGUAGE sql STRICT VOLATILE AS $$ SELECT NULL::bigint $$;
CREATE FUNCTION hypopg_get_indexdef(IN indexid oid) RETURNS text LANGUAGE sql STRICT VOLATILE AS $$ SELECT NULL::text $$;
CREATE FUNCTION hypopg_hide_index(IN indexid oid) RETURNS bool LANGUAGE sql STRICT VOLATILE AS $$ SELECT false $$;
CREATE FUNCTION hypopg_unhide_index(IN indexid oid) RETURNS bool LANGUAGE sql STRICT VOLATILE AS $$ SELECT false $$;
CREATE FUNCTION hypopg_unhide_all_indexes() RETURNS void LANGUAGE sql VOLATILE AS $$ SELECT $$;
CREATE FUNCTION hypopg_hidden_indexes() RETURNS TABLE (indexid oid) LANGUAGE sql STRICT VOLATILE AS $$ SELECT NULL::oid WHERE false $$;

CREATE VIEW hypopg_hidden_indexes
AS
    SELECT h.indexid AS indexrelid,
           i.relname AS index_name,
           n.nspname AS schema_name,
           t.relname AS table_name,
           m.amname  AS am_name,
           false     AS is_hypo
    FROM hypopg_hidden_indexes() h
        JOIN pg_index x ON x.indexrelid = h.indexid
        JOIN pg_class i ON i.oid = h.indexid
        JOIN pg_namespace n ON n.oid = i.relnamespace
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_am m ON m.oid = i.relam
    UNION ALL
    SELECT hl.*, true AS is_hypo
    FROM hypopg_hidden_indexes() hi
        JOIN hypopg_list_indexes hl on hl.indexrelid = hi.indexid
    ORDER BY index_name;
