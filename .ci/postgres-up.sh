#!/usr/bin/env bash
# Starts the machine's PostgreSQL 15 (installing it if missing) and creates the test role and databases.
# Idempotent. Needs root (or sudo) for the package and the cluster, as on the CI machine.
set -euo pipefail
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [[ $(id -u) -eq 0 ]]; then su postgres -c "$1"; else sudo -u postgres bash -c "$1"; fi; }

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [[ ! -d /etc/postgresql/15/main ]]; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql-15 >/dev/null
fi
as_root pg_ctlcluster 15 main start 2>/dev/null || true
for _ in $(seq 1 60); do
  as_postgres "pg_isready -q -h 127.0.0.1 -p 5432" && break
  sleep 0.5
done
as_postgres "pg_isready -h 127.0.0.1 -p 5432"
as_postgres "psql -q -v ON_ERROR_STOP=1 -c \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'corral') THEN CREATE ROLE corral LOGIN SUPERUSER PASSWORD 'corral'; END IF; END \\\$\\\$;\""
for db in corral_test corral_bench; do
  as_postgres "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = '$db'\" | grep -q 1 || createdb -O corral $db"
done
