#!/usr/bin/env bash
# Trunk's post_build hook, every profile: bundles the embed's JS glue with the
# `preload.js` snippet it imports into one threeds-web.js that also exports
# `preload`, so a page loads one file and `preload()` and the wasm share the
# started frame (esbuild). Release builds are minified too, the host app's glue
# (trunk's own JS minifier cannot parse wasm-bindgen's output) and the SDK
# origin's own scripts as well; their sizes are budgeted by scripts/sizes.sh.
set -euo pipefail
cd "$TRUNK_STAGING_DIR"
minify=()
[ "${TRUNK_PROFILE:-}" = release ] && minify=(--minify)

entry=threeds-web.entry.js
trap 'rm -f "$entry" threeds-web.js.out threeds-host.js.out host-boot.js.out relay.js.out return.js.out' EXIT
# The snippet the glue imports, as it names it.
snippet=$(grep -o "from ['\"]\./snippets/[^'\"]*/src/embed/preload\.js['\"]" threeds-web.js | sed "s/^from ['\"]//; s/['\"]$//" | sort -u)
[ "$(printf '%s\n' "$snippet" | grep -c .)" = 1 ] || { echo "bundle-js: threeds-web.js does not import exactly one preload.js snippet" >&2; exit 1; }
printf 'export * from "./threeds-web.js";\nexport { default } from "./threeds-web.js";\nexport { preload } from "%s";\n' "$snippet" >"$entry"
esbuild "$entry" --bundle --format=esm "${minify[@]}" --log-level=warning --outfile=threeds-web.js.out
mv threeds-web.js.out threeds-web.js
# Bundled: no page loads the snippets on their own (nor preloads them, as trunk
# wrote into the demo page).
rm -rf snippets
if [ -f index.html ]; then
  sed -i 's|<link rel="modulepreload" href="[^"]*/snippets/[^"]*"[^>]*>||g' index.html
  if grep -q '/snippets/' index.html; then echo "bundle-js: index.html still names a snippet" >&2; exit 1; fi
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
