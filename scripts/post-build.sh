#!/usr/bin/env bash
# Trunk's post_build hook (one hook, so the steps run in order). In release builds:
# shorten the names the host app's wasm and its glue share (scripts/minify-names.mjs);
# in every build: bundle the embed (www/embed/) and, in release builds, minify it,
# the host app's glue and the SDK origin's scripts (scripts/bundle-js.sh),
# then pin the host app's wasm in host-boot.js (its SHA-256); in release builds:
# write the SRI hashes (scripts/integrity.sh), then the .gz and .br variants the
# SDK origin serves (scripts/precompress.mjs).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
release=false
[ "${TRUNK_PROFILE:-}" = release ] && release=true
if $release; then node "$here/minify-names.mjs" "$TRUNK_STAGING_DIR" threeds-host; fi
"$here/bundle-js.sh"
# The host app's wasm, as built, pinned in host-boot.js: a page may hand its host
# frames the app it fetched, and only these bytes run (www/host-boot.js).
if [ -f "$TRUNK_STAGING_DIR/host-boot.js" ]; then
  digest=$(openssl dgst -sha256 -binary "$TRUNK_STAGING_DIR/threeds-host_bg.wasm" | openssl base64 -A)
  # Every place: a minifier may have copied the constant to where it is used.
  sed -i "s|{{host-app-sha256}}|$digest|g" "$TRUNK_STAGING_DIR/host-boot.js"
  grep -qF "\"$digest\"" "$TRUNK_STAGING_DIR/host-boot.js" || { echo "post-build: host-boot.js has no place for the app's digest" >&2; exit 1; }
  if grep -qF "{{host-app-sha256}}" "$TRUNK_STAGING_DIR/host-boot.js"; then echo "post-build: host-boot.js still has a digest's placeholder" >&2; exit 1; fi
fi
if $release; then
  "$here/integrity.sh" "$TRUNK_STAGING_DIR"
  node "$here/precompress.mjs" "$TRUNK_STAGING_DIR"
fi
