#!/bin/sh
# Source checks: the domain stays free of Boost and SQLite, and every C++
# file is formatted with the committed .clang-format.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
status=0

if grep -rnE '#include *[<"](boost/|sqlite3)' server/src/domain; then
  echo "server/src/domain must include no Boost or SQLite header" >&2
  status=1
fi

files=$(find server tests -name '*.cpp' -o -name '*.hpp' | grep -v node_modules)
if ! clang-format --dry-run --Werror $files; then
  echo "run: clang-format -i \$(find server tests -name '*.cpp' -o -name '*.hpp')" >&2
  status=1
fi
exit $status
