#!/bin/sh
# The second command of README.md, and exactly what CI runs (.ci/run):
# the whole test suite, in a Release build and again under AddressSanitizer
# and UndefinedBehaviorSanitizer, plus the source checks.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=$(nproc)

sh server/tools/deps.sh --test

echo "== source checks"
sh tests/check_sources.sh

echo "== browser client and end-to-end test dependencies (npm)"
sh server/tools/client.sh
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)

echo "== build (Release)"
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-test -j"$jobs"
echo "== tests (Release)"
(cd build-test && ctest --output-on-failure -j"$jobs" --timeout 600)

echo "== fuzz targets (libFuzzer, a short run each)"
sh tests/fuzz/run.sh 5

echo "== build (ASan + UBSan)"
# The benchmarks' tools and smoke runs are left out here: they run in the
# Release pass, and the server code they load is what the suites check.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DRENKEI_SANITIZE=ON -DRENKEI_E2E=OFF \
  -DRENKEI_TEST_LAYERS="domain;protocol;net;store;app;integration" >/dev/null
cmake --build build-asan -j"$jobs"
echo "== tests (ASan + UBSan)"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure -j"$jobs" --timeout 900)
