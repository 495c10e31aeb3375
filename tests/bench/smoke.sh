#!/bin/sh
# bench.smoke (CTest): the load generator against the real server for about
# three seconds: 2 councils x 5 members, 200 events/s, open loop. Passes when
# every command was acknowledged with no error and no gap in any client's
# events (renkei_load exits 0 only then).
#   sh smoke.sh RENKEI_BINARY RENKEI_LOAD_BINARY
set -eu
renkei=$1
load=$2
dir=$(mktemp -d /tmp/renkei-bench-smoke-XXXXXX)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  server=
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

for i in 1 2; do
  "$renkei" council create --db "$dir/renkei.db" --name "smoke $i" \
    --facilitator-name "ベンチ" --facilitator-org "保健所" >"$dir/council-$i.json"
  # {"council":"c1","participant":"p1","token":"..."} -> "c1 TOKEN"
  sed -e 's/.*"council":"\([^"]*\)".*"token":"\([^"]*\)".*/\1 \2/' "$dir/council-$i.json" >>"$dir/creds.txt"
done

"$renkei" serve --db "$dir/renkei.db" --port 0 --web "$dir" --rate 10000 --burst 10000 \
  >"$dir/server.out" 2>"$dir/server.log" &
server=$!
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's/^renkei: listening on http:\/\/127\.0\.0\.1:\([0-9]*\)$/\1/p' "$dir/server.out")
  [ -n "$port" ] && break
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "bench.smoke: the server did not start" >&2
  cat "$dir/server.log" >&2
  exit 1
fi

status=0
"$load" --port "$port" --creds "$dir/creds.txt" --server-pid "$server" --scenario rate \
  --rooms 2 --members 5 --writers 1 --rate 200 --warmup 0.5 --duration 2.5 \
  --connect-timeout 20 >"$dir/result.json" ||
  status=$?
cat "$dir/result.json"
if [ "$status" -ne 0 ]; then
  echo "bench.smoke: renkei_load exited $status" >&2
  cat "$dir/server.log" >&2
  exit 1
fi
grep -q '"errors":0,' "$dir/result.json"
grep -q '"seq_errors":0,' "$dir/result.json"
echo "bench.smoke: ok"
