#!/usr/bin/env bash
# Writes the npm package `threeds-web` to pkg/ from a release build in dist/
# (trunk build --release): the embed (one ES module, a stable name) and its types, the
# React bindings (www/kit/react.jsx, compiled by esbuild), integrity.json, and
# the SDK host's files in host/.
#   scripts/package.sh          write pkg/
#   scripts/package.sh --pack   also `npm pack` it into target/ and print the tarball's path
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
dist=dist pkg=pkg kit=www/kit
for file in threeds-web.js threeds-web.d.ts integrity.json host.html; do
  [ -f "$dist/$file" ] || { echo "package: $dist/$file is missing; run 'trunk build --release' first" >&2; exit 1; }
done
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)

rm -rf "$pkg" && mkdir -p "$pkg/host"
cp "$dist"/{threeds-web.js,threeds-web.d.ts,integrity.json} "$pkg/"
cp "$dist"/{host.html,host-boot.js,threeds-host.js,threeds-host_bg.wasm,relay.html,relay.js,return.html,return.js} "$pkg/host/"
esbuild "$kit/react.jsx" --format=esm --jsx=automatic --target=es2020 --log-level=warning --outfile="$pkg/react.js"
cp "$kit/react.d.ts" "$kit/README.md" "$pkg/"
sed "s/@VERSION@/$version/" "$kit/package.json" >"$pkg/package.json"

if [ "${1:-}" = --pack ]; then
  mkdir -p target
  tarball=$(cd "$pkg" && npm pack --silent --pack-destination "$root/target")
  echo "$root/target/$tarball"
fi
