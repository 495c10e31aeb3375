#!/bin/sh
# Builds the libFuzzer targets in build-fuzz and runs each for a while on a
# temporary copy of its seed corpus (tests/fuzz/corpus/<target>). Fails if any
# target finds a crash, a sanitizer report, a leak, a timeout or a failed
# property; the inputs are kept under build-fuzz/fuzz-artifacts/<target>/.
#
#   sh tests/fuzz/run.sh [seconds per target, default 30] [target ...]
#
# Needs Clang and its libFuzzer runtime (Debian: clang-14, libclang-rt-14-dev,
# llvm-14 for symbolized reports); installs them with apt-get when missing.
set -eu
seconds=${1:-30}
[ $# -gt 0 ] && shift
targets=${*:-"client_message_fuzz event_data_fuzz agenda_fuzz http_request_fuzz ws_frame_fuzz"}
root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build-fuzz"
jobs=$(nproc)

find_clang() {
  for c in "${CXX:-}" clang++ clang++-14; do
    [ -n "$c" ] && command -v "$c" >/dev/null 2>&1 && "$c" --version 2>/dev/null | grep -q clang &&
      { echo "$c"; return; }
  done
}
cxx=$(find_clang || true)
if [ -z "$cxx" ] || [ ! -e "$("$cxx" --print-runtime-dir)/libclang_rt.fuzzer-x86_64.a" ]; then
  echo "== installing clang-14, libclang-rt-14-dev, llvm-14"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq clang-14 libclang-rt-14-dev llvm-14 >/dev/null
  cxx=$(find_clang)
fi
cc=$(echo "$cxx" | sed 's/clang++/clang/')
symbolizer=$(command -v llvm-symbolizer || command -v llvm-symbolizer-14 || true)

echo "== build ($cxx)"
CC=$cc CXX=$cxx cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DRENKEI_FUZZ=ON -DRENKEI_TESTS=OFF >/dev/null
# shellcheck disable=SC2086
cmake --build "$build" --target $targets -j"$jobs"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for target in $targets; do
  name=${target%_fuzz}
  cp -r "$root/tests/fuzz/corpus/$name" "$work/$name"
  artifacts="$build/fuzz-artifacts/$name"
  mkdir -p "$artifacts"
  extra=""
  # Long enough for a request head over the 16 KiB limit.
  [ "$name" = http_request ] && extra="-max_len=20000"
  echo "== $target: ${seconds}s"
  # shellcheck disable=SC2086
  if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1${symbolizer:+:external_symbolizer_path=$symbolizer} \
     UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
       -artifact_prefix="$artifacts/" $extra "$work/$name" >"$work/$name.log" 2>&1; then
    grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::average_exec_per_sec)' \
      "$work/$name.log" || true
  else
    status=1
    tail -n 60 "$work/$name.log"
    echo "!! $target failed; reproducer(s) in $artifacts:"
    ls -l "$artifacts"
  fi
done
exit $status
