#!/usr/bin/env bash
# Trunk's post_build hook (one hook, so the steps run in order). In release builds:
# shorten the names the wasm modules and their glue share (scripts/minify-names.mjs);
# in every build: bundle the embed's glue with its `preload` and, in release
# builds, minify the glue (scripts/bundle-js.sh); in release builds: write the SRI
# hashes (scripts/integrity.sh), then the .gz and .br variants the SDK origin
# serves (scripts/precompress.mjs).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
release=false
[ "${TRUNK_PROFILE:-}" = release ] && release=true
if $release; then node "$here/minify-names.mjs" "$TRUNK_STAGING_DIR" threeds-web threeds-host; fi
"$here/bundle-js.sh"
if $release; then
  "$here/integrity.sh" "$TRUNK_STAGING_DIR"
  node "$here/precompress.mjs" "$TRUNK_STAGING_DIR"
fi
