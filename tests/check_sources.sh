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

# SQL is compile-time text: only store/statement.cpp hands text to SQLite,
# and its SqlText type cannot be built from a run-time string (probe below).
if grep -rnE 'sqlite3_(prepare|exec|mprintf|snprintf)' server/src |
   grep -vE '^server/src/store/statement.cpp:|sqlite3_exec\(db, "ROLLBACK"'; then
  echo "SQL must go through store/statement.hpp (prepared, bound parameters)" >&2
  status=1
fi
probe=$(mktemp --suffix=.cpp)
cat > "$probe" <<'CPP'
#include "store/statement.hpp"
#include <string>
void probe(sqlite3* db, const std::string& value) {
  renkei::store::Statement s(db, ("SELECT * FROM events WHERE council = '" + value + "'").c_str());
}
CPP
if g++ -std=c++20 -fsyntax-only -Iserver/src "$probe" 2>/dev/null; then
  echo "store/statement.hpp accepts SQL built at run time" >&2
  status=1
fi
rm -f "$probe"

files=$(find server tests -name '*.cpp' -o -name '*.hpp' | grep -v node_modules)
if ! clang-format --dry-run --Werror $files; then
  echo "run: clang-format -i \$(find server tests -name '*.cpp' -o -name '*.hpp')" >&2
  status=1
fi
exit $status
