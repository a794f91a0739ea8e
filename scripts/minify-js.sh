#!/usr/bin/env bash
# Trunk's post_build hook: in release builds, bundle and minify the JS glue
# wasm-bindgen wrote for the embed and the host app (esbuild; trunk's own JS
# minifier cannot parse it). The embed's glue imports `preload.js` (a wasm-bindgen
# snippet) and the embed also exports its `preload`: both go into threeds-web.js,
# one module, so a page loads one file and the two share the started frame.
# The embed's and the host app's sizes are budgeted by scripts/sizes.sh.
set -euo pipefail
[ "${TRUNK_PROFILE:-}" = release ] || exit 0
cd "$TRUNK_STAGING_DIR"
for file in threeds-web.js threeds-host.js; do
  [ -f "$file" ] || continue
  entry=$file
  if [ "$file" = threeds-web.js ]; then
    snippet=$(find snippets -path '*/src/embed/preload.js' 2>/dev/null | head -n 1)
    [ -n "$snippet" ] || { echo "minify-js: the embed's preload.js snippet is missing" >&2; exit 1; }
    entry=threeds-web.entry.js
    printf 'export * from "./threeds-web.js";\nexport { default } from "./threeds-web.js";\nexport { preload } from "./%s";\n' "$snippet" >"$entry"
  fi
  esbuild "$entry" --bundle --minify --format=esm --log-level=warning --outfile="$file.min"
  mv "$file.min" "$file"
  [ "$entry" = "$file" ] || rm "$entry"
done
# Bundled: no page loads the snippets on their own.
rm -rf snippets
