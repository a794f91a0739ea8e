#!/usr/bin/env bash
# Trunk's post_build hook (one hook, so the steps run in order): in release builds,
# shorten the names the wasm modules and their glue share (scripts/minify-names.mjs),
# minify the JS glue (scripts/minify-js.sh), write the SRI hashes
# (scripts/integrity.sh), then write the .gz and .br variants the
# SDK origin serves (scripts/precompress.mjs).
set -euo pipefail
[ "${TRUNK_PROFILE:-}" = release ] || exit 0
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
node "$here/minify-names.mjs" "$TRUNK_STAGING_DIR" threeds-web threeds-host
"$here/minify-js.sh"
"$here/integrity.sh" "$TRUNK_STAGING_DIR"
node "$here/precompress.mjs" "$TRUNK_STAGING_DIR"
