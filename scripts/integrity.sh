#!/usr/bin/env bash
# After the release build's minification (scripts/post-build.sh), in the build's
# output directory (argument 1):
#   integrity.json  the sha384 (Subresource Integrity) of each file a checkout page
#                   loads: threeds-web.js and threeds-web_bg.wasm
#   index.html      the demo page loads the embed with those hashes: an import
#                   map's "integrity", integrity on its modulepreload, and the wasm
#                   fetched with `integrity`
set -euo pipefail
out=${1:?usage: scripts/integrity.sh <build output directory>}

sri() { printf 'sha384-%s' "$(openssl dgst -sha384 -binary "$out/$1" | openssl base64 -A)"; }
js=$(sri threeds-web.js)
wasm=$(sri threeds-web_bg.wasm)
printf '{\n  "threeds-web.js": "%s",\n  "threeds-web_bg.wasm": "%s"\n}\n' "$js" "$wasm" >"$out/integrity.json"

# The demo page (Trunk's loader): exact strings, so a change in Trunk's output fails here.
page="$out/index.html"
[ -f "$page" ] || exit 0
has() { TEXT=$1 perl -0ne 'exit(index($_, $ENV{TEXT}) >= 0 ? 0 : 1)' "$page"; }
rewrite() {
  has "$2" && return 0 # already done (a second run)
  has "$1" || { echo "integrity: index.html has no '$1'" >&2; exit 1; }
  FROM=$1 TO=$2 perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/g' "$page"
}
rewrite '<script type="module">
import init, * as bindings' \
  "<script type=\"importmap\">{ \"integrity\": { \"/threeds-web.js\": \"$js\" } }</script>
<script type=\"module\">
import init, * as bindings"
rewrite '<link rel="modulepreload" href="/threeds-web.js" crossorigin="anonymous">' \
  "<link rel=\"modulepreload\" href=\"/threeds-web.js\" crossorigin=\"anonymous\" integrity=\"$js\">"
rewrite '<link rel="preload" href="/threeds-web_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm">' \
  "<link rel=\"preload\" href=\"/threeds-web_bg.wasm\" crossorigin=\"anonymous\" as=\"fetch\" type=\"application/wasm\" integrity=\"$wasm\">"
rewrite "init({ module_or_path: '/threeds-web_bg.wasm' })" \
  "init({ module_or_path: fetch('/threeds-web_bg.wasm', { integrity: '$wasm' }) })"
