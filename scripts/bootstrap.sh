#!/usr/bin/env bash
# Puts Node 24 LTS (package.json engines) and the pinned pnpm on PATH, installing them into .tools/
# from the npm registry when the machine's own are missing or too old, and an installed nats-server
# that is outside PATH (/usr/sbin). Source it (./hyrelog does):
#   . scripts/bootstrap.sh
# (Sourced: it must not change the caller's shell options, so no `set -e` here.)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node_version="24"
pnpm_version="$(sed -n 's/.*"packageManager": *"pnpm@\([0-9.]*\).*/\1/p' "$root/package.json")"

node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'process.exit(Number(process.versions.node.split(".")[0]) === 24 ? 0 : 1)'
}

if ! node_ok; then
  if [ ! -x "$root/.tools/node/node_modules/.bin/node" ]; then
    echo "bootstrap: installing Node $node_version into .tools/node (machine has $(node --version 2>/dev/null || echo none))" >&2
    npm install --silent --no-audit --no-fund --prefix "$root/.tools/node" "node@$node_version" >&2 ||
      { echo "bootstrap: could not install Node $node_version from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$root/.tools/node/node_modules/.bin:$PATH"
fi

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$pnpm_version" ]; then
  if [ ! -x "$root/.tools/pnpm/node_modules/.bin/pnpm" ]; then
    echo "bootstrap: installing pnpm $pnpm_version into .tools/pnpm" >&2
    npm install --silent --no-audit --no-fund --prefix "$root/.tools/pnpm" "pnpm@$pnpm_version" >&2 ||
      { echo "bootstrap: could not install pnpm $pnpm_version from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$root/.tools/pnpm/node_modules/.bin:$PATH"
fi

# Debian's nats-server package installs into /usr/sbin, which is not on a normal user's PATH;
# `pnpm dev` and the tests start it from PATH.
if ! command -v nats-server >/dev/null 2>&1; then
  for dir in /usr/local/sbin /usr/sbin /sbin; do
    if [ -x "$dir/nats-server" ]; then export PATH="$PATH:$dir"; break; fi
  done
fi
echo "bootstrap: node $(node --version), pnpm $(pnpm --version)" >&2
