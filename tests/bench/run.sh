#!/bin/sh
# The benchmark suite in one command (tests/bench/RESULTS.md):
#   sh tests/bench/run.sh [--runs 3] [--quick] [--only a,b,...] [--out DIR]
# builds Release into build-bench/ (renkei and renkei_load), installs the
# Node peers' packages (npm ci in tests/bench/node), then runs every scenario
# against Renkei and the peers in alternation (tests/bench/run.mjs) and
# prints the table (also written to OUT/table.md, default /tmp/renkei-bench).
# Needs: the packages of server/tools/deps.sh, node and npm, perf (fsync
# counts), sqlite3 (exports the prepared log for the peers). Run it as root
# on a quiet machine: it raises the open-file limit for 10k connections and
# drops the page cache for the cold resync.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DRENKEI_E2E=OFF \
  -DRENKEI_TEST_LAYERS="domain;protocol;store;app;integration;bench" >/dev/null
cmake --build build-bench -j"$(nproc)" --target renkei renkei_load
(cd tests/bench/node && npm ci --no-audit --no-fund --loglevel=error)
ulimit -n "$(ulimit -Hn)"
exec node tests/bench/run.mjs --renkei build-bench/server/renkei \
  --load build-bench/tests/bench/renkei_load "$@"
