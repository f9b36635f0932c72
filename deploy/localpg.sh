#!/usr/bin/env bash
# Finds a PostgreSQL for tests and the demo, or starts a private one, and
# prints the connection string on stdout.
#
#   OKIT_DATABASE_URL set          -> that one
#   a server on 127.0.0.1:5432     -> postgres://postgres@127.0.0.1:5432/postgres
#   otherwise (or OKIT_PG_PRIVATE=1) -> a throwaway cluster in $OKIT_PG_DIR (default
#                                     /tmp/okit-pg) on port 55432, installing
#                                     Debian's postgresql first if it is missing
#
# `deploy/localpg.sh stop` stops the throwaway cluster if this script started one.
set -euo pipefail

dir=${OKIT_PG_DIR:-/tmp/okit-pg}
port=${OKIT_PG_PORT:-55432}

bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && echo "$d"
}

# as_pg runs a command as the postgres user when we are root: initdb refuses root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = stop ]; then
  if [ -f "$dir/data/postmaster.pid" ]; then as_pg "$(bin)/pg_ctl" -D "$dir/data" -m fast stop >&2; fi
  exit 0
fi

if [ -n "${OKIT_DATABASE_URL:-}" ]; then
  echo "$OKIT_DATABASE_URL"
  exit 0
fi

ready() { command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p "$1" -t 2; }

if [ -z "${OKIT_PG_PRIVATE:-}" ] && ready 5432 && psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  echo "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
  exit 0
fi

if [ -z "$(bin)" ]; then
  echo "localpg: installing Debian's postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
pgbin=$(bin)
if ! ready "$port"; then
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_pg "$pgbin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >&2
  fi
  as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on" start >&2
fi
echo "postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
