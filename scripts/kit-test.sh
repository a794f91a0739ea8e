#!/usr/bin/env bash
# Prepares the integrator's-kit pages the end-to-end tests open (tests/e2e/tests/kit.rs),
# under the SDK host origin's directory (argument 1, e.g. target/test-host/__kit__/):
#   npm/    a scratch project that `npm install`ed the packed tarball, nothing else
#   react/  the React example (tests/kit/react-app), bundled by esbuild with React 19
#   csp/    the strict-CSP page's script (its HTML comes with its header from the test)
# and writes target/kit/deps/ts/ (the README's snippets in TypeScript, beside the
# installed package, for tsc) and target/kit/axe.min.js (npm axe-core) for the
# accessibility checks. npm installs React, axe-core and TypeScript once, at the
# versions tests/kit/deps/package-lock.json locks (target/kit/deps); later runs are offline.
set -euo pipefail
trap 'echo "kit-test.sh: line $LINENO failed: $BASH_COMMAND" >&2' ERR
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=${1:?usage: scripts/kit-test.sh <served directory>}
work=$root/target/kit
npm_flags=(--no-audit --no-fund --loglevel=error)

tarball=$(scripts/package.sh --pack)

# The npm scratch project: the tarball alone, installed offline (it has no dependencies).
rm -rf "$work/npm-app" && mkdir -p "$work/npm-app"
echo '{ "name": "kit-npm-app", "private": true }' >"$work/npm-app/package.json"
(cd "$work/npm-app" && npm install "${npm_flags[@]}" --offline "$tarball" >/dev/null)

# React, axe-core, TypeScript and React's types, at the versions tests/kit/deps locks;
# installed again only when the lock changes.
deps=$work/deps
if ! cmp -s tests/kit/deps/package-lock.json "$deps/node_modules/.kit-lock.json"; then
  rm -rf "$deps" && mkdir -p "$deps" && cp tests/kit/deps/package.json tests/kit/deps/package-lock.json "$deps/"
  (cd "$deps" && npm ci "${npm_flags[@]}" >/dev/null)
  cp tests/kit/deps/package-lock.json "$deps/node_modules/.kit-lock.json"
fi
cp "$deps/node_modules/axe-core/axe.min.js" "$work/axe.min.js"

# The React example, bundled against the installed package and React.
rm -rf "$deps/node_modules/threeds-web" && mkdir -p "$deps/node_modules/threeds-web"
tar -xzf "$tarball" -C "$deps/node_modules/threeds-web" --strip-components=1
cp tests/kit/react-app/app.jsx "$deps/app.jsx"
# The TypeScript page, checked against the installed package's declarations (kit.rs runs tsc).
rm -rf "$deps/ts" && mkdir -p "$deps/ts" && cp tests/kit/ts-app/* "$deps/ts/"

rm -rf "$out" && mkdir -p "$out/npm" "$out/react/node_modules" "$out/csp"
cp tests/kit/npm-app/* "$out/npm/" && cp -r "$work/npm-app/node_modules" "$out/npm/"
cp tests/kit/react-app/index.html "$out/react/"
cp -r "$deps/node_modules/threeds-web" "$out/react/node_modules/"
esbuild "$deps/app.jsx" --bundle --format=esm --jsx=automatic --log-level=warning \
  --define:process.env.NODE_ENV='"development"' --outfile="$out/react/app.js"
cp tests/kit/strict-csp/app.js "$out/csp/"
echo "kit: $(basename "$tarball") installed; pages in $out" >&2
