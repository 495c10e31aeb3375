#!/bin/sh
# Builds the browser client into client-web/dist (chart.js bundled by
# esbuild, both from the npm registry, pinned by package-lock.json).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root/client-web"
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
