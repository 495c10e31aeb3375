#!/bin/sh
# Installs the Debian 12 packages Renkei needs that are missing.
#   sh server/tools/deps.sh          # build and run (server and browser client)
#   sh server/tools/deps.sh --test   # also what the test suite needs
set -eu

packages="cmake g++ make pkg-config libboost1.81-dev libboost-json1.81-dev libsqlite3-dev libpq-dev libssl-dev libsodium-dev"
# Node.js builds the browser client (any node >= 18 with npm).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages="$packages nodejs npm"
fi
if [ "${1:-}" = "--test" ]; then
  packages="$packages libgtest-dev clang-format openssl oathtool python3 chromium fonts-noto-cjk"
  packages="$packages clang-14 libclang-rt-14-dev llvm-14"
  # A private PostgreSQL cluster per test run, and nginx in front of two instances.
  packages="$packages postgresql-15 nginx"
fi

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -n "$missing" ]; then
  echo "installing:$missing"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi
