#!/bin/sh
# A private PostgreSQL cluster for trying Renkei on PostgreSQL by hand
# (server/docs/POSTGRES.md): a data folder and a Unix socket in DIR, no TCP
# port, trust authentication for the role renkei. As root the server runs
# as the user postgres.
#   sh server/tools/pg_cluster.sh start DIR   # initdb when new; prints the URI of database renkei
#   sh server/tools/pg_cluster.sh stop DIR
set -eu
action=${1:?start or stop}
dir=${2:?DIR}
bin=$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)
[ -x "$bin/initdb" ] || bin=/usr/lib/postgresql/15/bin
as() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
case "$action" in
  start)
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as "$bin/initdb" -D "$dir/data" --auth=trust -U renkei --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.out"
    fi
    as "$bin/pg_ctl" -w -D "$dir/data" -l "$dir/server.log" \
      -o "-k $dir -c listen_addresses=''" start >/dev/null
    as "$bin/psql" -h "$dir" -U renkei -d postgres -Atqc \
      "SELECT 1 FROM pg_database WHERE datname = 'renkei'" | grep -q 1 ||
      as "$bin/createdb" -h "$dir" -U renkei renkei
    echo "postgresql:///renkei?host=$dir&user=renkei"
    ;;
  stop)
    as "$bin/pg_ctl" -w -D "$dir/data" -m fast stop >/dev/null
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
