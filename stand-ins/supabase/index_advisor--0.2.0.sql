-- pgdrift stand-in for index_advisor 0.2.0: the function of supabase/index_advisor@d377235 (tag v0.2.0)
-- index_advisor--0.2.0.sql, with the same name, argument and result columns, in the extension's schema (beside
-- hypopg, which it requires). A stub: it advises nothing and returns no row. Only for replaying migrations.
create or replace function index_advisor(
    query text
)
    returns table  (
        startup_cost_before jsonb,
        startup_cost_after jsonb,
        total_cost_before jsonb,
        total_cost_after jsonb,
        index_statements text[],
        errors text[]
    )
    volatile
    language sql
    as $$ select null::jsonb, null::jsonb, null::jsonb, null::jsonb, null::text[], null::text[] where false $$;
