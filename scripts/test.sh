#!/usr/bin/env bash
# `npm test`: set up what is missing, then typecheck, lint, build, package the VSIX, and run every
# test file (unit, webview, conformance, e2e in code-server, in-host integration) in ONE `node --test`
# run, so the closing lines are node's own summary. Artifacts: .test-output/ (report, screenshots, logs).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

bash scripts/setup.sh

# The project's Node (24, from the `node` devDependency) and tools come first, whoever called us.
export PATH="$ROOT/node_modules/.bin:$PATH"
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 22 ]; then
  echo "[test] node_modules/.bin/node is $(node -v); the tests need Node >= 22 (run: npm ci)" >&2
  exit 1
fi

step() {
  local name=$1 start
  shift
  start=$(date +%s)
  echo "[test] $name"
  "$@"
  echo "[test] $name: ok in $(( $(date +%s) - start )) s"
}

step typecheck npm run --silent typecheck
step lint npm run --silent lint
step build npm run --silent build
step package npm run --silent package

mkdir -p .test-output
# Every *.test.ts under test/, wherever a suite adds its folder; fixtures and helpers are not tests.
mapfile -t files < <(find test -name '*.test.ts' -not -path 'test/fixtures/*' -not -path '*/support/*' -not -path '*/node_modules/*' | sort)
if [ "${#files[@]}" = 0 ]; then
  echo "[test] no test files found under test/" >&2
  exit 1
fi
echo "[test] running ${#files[@]} test files (node $(node -v))"

report=.test-output/test-report.txt
rc=0
node --test --test-concurrency=1 --test-timeout=600000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=spec --test-reporter-destination="$report" \
  "${files[@]}" || rc=$?

# On failure node lists the failing tests after its summary; repeat the summary so it stays last.
if [ "$rc" != 0 ]; then
  echo
  grep -E '^ℹ (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ' "$report" | tail -n 8 || true
fi
exit "$rc"
