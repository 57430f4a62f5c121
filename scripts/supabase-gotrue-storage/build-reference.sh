#!/bin/bash
# Regenerates src/runners/supabase-gotrue-storage.ts's SQL: what `supabase start` leaves in auth and storage.
# Needs a throwaway Postgres 15 cluster (trust auth) on $PGPORT, and three checkouts:
#   $PG_MIGRATIONS   supabase/postgres migrations/db (init-scripts/, migrations/)
#   $STORAGE_TENANT  supabase/storage migrations/tenant at the tag the CLI's Dockerfile pins
#   $AUTH_MIGRATIONS supabase/auth migrations/ at the tag the CLI's Dockerfile pins
# then: pg_dump -h 127.0.0.1 -p $PGPORT -U postgres -d ref -s -n auth -n storage -O -x > ref.sql; python3 reduce.py
set -u
P="psql -h 127.0.0.1 -p $PGPORT -X -q"
$P -U postgres -d postgres -c "drop database if exists ref" -c "create database ref"
$P -U postgres -d postgres -c "do \$\$ begin if not exists (select from pg_roles where rolname='supabase_admin') then create role supabase_admin superuser login; end if; end \$\$"
for f in "$PG_MIGRATIONS"/init-scripts/*.sql; do $P -U postgres -d ref -f "$f" 2>&1 | grep -i error; done
for f in "$PG_MIGRATIONS"/migrations/*.sql; do $P -U supabase_admin -d ref -f "$f" >/dev/null 2>&1; done
$P -U supabase_admin -d ref -c "alter role supabase_storage_admin login; alter role supabase_auth_admin login; grant create on database ref to supabase_storage_admin, supabase_auth_admin"
# Storage: src/internal/database/migrations/migrate.ts runMigrations (settings as DB_INSTALL_ROLES=false sets them;
# one transaction a file unless it says "postgres-migrations disable-transaction"), in id order
ls "$STORAGE_TENANT" | awk -F- '{print $1+0, $0}' | sort -n | while read -r _ f; do
  { echo "SET search_path TO storage; SELECT set_config('storage.install_roles','false',false), set_config('storage.multitenant','false',false), set_config('storage.anon_role','anon',false), set_config('storage.authenticated_role','authenticated',false), set_config('storage.service_role','service_role',false), set_config('storage.super_user','postgres',false), set_config('storage.iceberg_default_shard','',false), set_config('storage.iceberg_shards','{}',false), set_config('storage.vector_bucket_provider','s3',false);"
    if grep -q 'disable-transaction' "$STORAGE_TENANT/$f"; then cat "$STORAGE_TENANT/$f"; else echo 'BEGIN;'; cat "$STORAGE_TENANT/$f"; echo ';COMMIT;'; fi
  } | $P -U supabase_storage_admin -d ref -v ON_ERROR_STOP=1 -o /dev/null 2>&1 | sed "s|^|storage $f: |"
done
# GoTrue: `gotrue migrate` runs migrations/*.up.sql with the Namespace option = auth
for f in "$AUTH_MIGRATIONS"/*.up.sql; do
  sed 's/{{ *index .Options "Namespace" *}}/auth/g' "$f" | { echo 'BEGIN;'; cat; echo ';COMMIT;'; } | $P -U supabase_auth_admin -d ref -v ON_ERROR_STOP=1 -o /dev/null 2>&1 | sed "s|^|auth $(basename "$f"): |"
done
