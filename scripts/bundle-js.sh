#!/usr/bin/env bash
# Trunk's post_build hook, every profile: bundles the embed (www/embed/, plain JS)
# into one ES module, threeds-web.js (esbuild). Release builds are minified: the
# embed, the host app's glue (trunk's own JS minifier cannot parse wasm-bindgen's
# output) and the SDK origin's own scripts; their sizes are budgeted by
# scripts/sizes.sh.
set -euo pipefail
source_dir=${TRUNK_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$TRUNK_STAGING_DIR"
minify=()
[ "${TRUNK_PROFILE:-}" = release ] && minify=(--minify)

trap 'rm -f threeds-host.js.out host-boot.js.out relay.js.out return.js.out' EXIT
# ES2022 as written (class fields, `??=`): Chromium 94, Firefox 93, Safari 15.4.
esbuild "$source_dir/www/embed/index.js" --bundle --format=esm --target=es2022 "${minify[@]}" --log-level=warning --outfile=threeds-web.js
# The demo page is a checkout page: the host app is host.html's to load (in the
# SDK origin's frame), not this page's. Trunk builds it as the page's app (its
# one Rust asset) and writes its loader and preloads into the page: they go.
if [ -f index.html ]; then
  perl -0pi -e 's|<script type="module">\s*import init from \x27/threeds-host\.js\x27;.*?</script>||s; s|<link rel="modulepreload" href="/threeds-host\.js"[^>]*>||; s|<link rel="preload" href="/threeds-host_bg\.wasm"[^>]*>||' index.html
  if grep -q 'threeds-host' index.html; then echo "bundle-js: index.html still names the host app" >&2; exit 1; fi
fi

if [ ${#minify[@]} -gt 0 ] && [ -f threeds-host.js ]; then
  esbuild threeds-host.js --minify --format=esm --log-level=warning --outfile=threeds-host.js.out
  mv threeds-host.js.out threeds-host.js
fi
# The SDK origin's own scripts: host-boot.js (a module, on the host frame's path
# to ready; its app's digest is written in afterwards) and the relay and return
# pages' classic scripts. Their comments are for the source, not the wire.
if [ ${#minify[@]} -gt 0 ]; then
  for script in host-boot.js relay.js return.js; do
    [ -f "$script" ] || continue
    format=()
    [ "$script" = host-boot.js ] && format=(--format=esm)
    esbuild "$script" --minify "${format[@]}" --log-level=warning --outfile="$script.out"
    mv "$script.out" "$script"
  done
fi
