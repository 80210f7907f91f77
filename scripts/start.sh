#!/usr/bin/env bash
# `npm start`: set up what is missing, build and package the extension, then serve a real VS Code
# (code-server) on 127.0.0.1 with the VSIX installed and samples/workspace open. Ctrl+C stops it.
# Usage: npm start [-- /path/to/folder]        THREADWORK_PORT=8080 npm start   (fixed port)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# Chromium and the interpreter's packages are for the tests; serving needs npm packages and code-server.
bash scripts/setup.sh deps code-server
export PATH="$ROOT/node_modules/.bin:$PATH"
echo "[start] building and packaging"
npm run --silent build
npm run --silent package >/dev/null
exec node scripts/start.ts "$@"
