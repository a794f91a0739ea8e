#!/usr/bin/env bash
# After the release build's minification (scripts/post-build.sh), in the build's
# output directory (argument 1):
#   integrity.json  the sha384 (Subresource Integrity) of the file a checkout page
#                   loads: threeds-web.js
#   index.html      the demo page loads the embed with that hash: an import map's
#                   "integrity" and a modulepreload with integrity, before its
#                   module script
set -euo pipefail
out=${1:?usage: scripts/integrity.sh <build output directory>}

sri() { printf 'sha384-%s' "$(openssl dgst -sha384 -binary "$out/$1" | openssl base64 -A)"; }
js=$(sri threeds-web.js)
printf '{\n  "threeds-web.js": "%s"\n}\n' "$js" >"$out/integrity.json"

# The demo page: exact strings, so a change in its head fails here.
page="$out/index.html"
[ -f "$page" ] || exit 0
has() { TEXT=$1 perl -0ne 'exit(index($_, $ENV{TEXT}) >= 0 ? 0 : 1)' "$page"; }
script='<script type="module" src="demo.js"></script>'
has "$js" && exit 0 # already done (a second run)
has "$script" || { echo "integrity: index.html has no '$script'" >&2; exit 1; }
FROM=$script TO="<script type=\"importmap\">{ \"integrity\": { \"/threeds-web.js\": \"$js\" } }</script>
  <link rel=\"modulepreload\" href=\"/threeds-web.js\" crossorigin=\"anonymous\" integrity=\"$js\">
  $script" perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/g' "$page"
