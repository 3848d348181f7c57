#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests and `bench fleet` (docs/fleet.md), never the system service:
#   scripts/postgres.sh start        initdb in a new directory under /tmp (as the postgres user when run as root), a
#                                    free port on 127.0.0.1, trust auth on localhost only; prints the URL
#                                    postgres://postgres@127.0.0.1:PORT/solidbms on stdout
#   scripts/postgres.sh stop URL|PORT stops that cluster and removes its directory
# Several clusters may run at once (one per port), so parallel test runs on one machine do not meet.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] && [ -x "$bin/initdb" ] || { echo "postgres: no PostgreSQL server (Debian's postgresql; scripts/install-deps.sh installs it)" >&2; exit 1; }
dir_of() { echo "/tmp/solidbms-pg-$1"; }
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-}" in
  start)
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    dir=$(dir_of "$port")
    rm -rf "$dir"; mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # Loopback only, the socket in the cluster's own directory (not /var/run/postgresql, which may not exist).
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=50" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres solidbms
    echo "postgres://postgres@127.0.0.1:$port/solidbms"
    ;;
  stop)
    arg=${2:?usage: postgres.sh stop URL|PORT}
    port=$(sed -E 's#^postgres(ql)?://[^:/]*(:[^@]*)?@?[^:/]*:([0-9]+).*#\3#' <<<"$arg")
    [[ "$port" =~ ^[0-9]+$ ]] || { echo "postgres: no port in '$arg'" >&2; exit 2; }
    dir=$(dir_of "$port")
    [ -d "$dir/data" ] || { echo "postgres: no cluster of ours on port $port ($dir)" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
  *) echo "usage: scripts/postgres.sh start|stop URL" >&2; exit 2 ;;
esac
