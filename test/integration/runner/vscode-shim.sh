#!/usr/bin/env bash
# Stands in for the VS Code executable that @vscode/test-electron launches (no Electron VS Code can
# be downloaded here): it takes the same arguments and runs the tests in code-server instead.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec "$here/../../../node_modules/.bin/node" "$here/vscodeShim.ts" "$@"
