#!/bin/sh
# The first command of README.md: install what is missing, build (Release)
# the server and the browser client, and start `renkei serve` on ./renkei.db
# with a demo council.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
sh server/tools/deps.sh
sh server/tools/client.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DRENKEI_TESTS=OFF >/dev/null
cmake --build build --target renkei -j"$(nproc)"
exec ./build/server/renkei serve --db ./renkei.db --demo "$@"
