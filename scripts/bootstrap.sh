#!/usr/bin/env bash
# Installs what building and testing threeds-web needs, and only what is missing.
# Idempotent: a second run checks versions and returns in seconds.
#
#   wasm32 target   rustup's, or else Debian's rustc-web with a wasm32 std built once
#   wasm-bindgen    the CLI at exactly Cargo.lock's wasm-bindgen version
#   chromium        and chromedriver, for the browser and end-to-end tests
#   trunk           0.21.14, builds and serves the demo
#   wasm-opt        npm binaryen 132, pinned in Trunk.toml
#   esbuild         npm esbuild 0.25, bundles the embed and minifies release builds
#   node            20 or later (checked, not installed): esbuild, the embed's tests
#                   (`node --test`), the kit's test pages
#
# Writes .tools/env.sh, which ./x sources: the environment every build uses.
# When a piece cannot be installed it stops, naming the piece and what to do.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$root/.tools"
mkdir -p "$tools"

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132.0.0
ESBUILD_VERSION=0.25.12
WASM_TARGET=wasm32-unknown-unknown
DEBIAN_SYSROOT_LIB=/usr/lib/rustlib/$WASM_TARGET/lib

say() { printf 'bootstrap: %s\n' "$*" >&2; }
fail() {
  printf 'bootstrap: cannot install %s\n  %s\n' "$1" "$2" >&2
  exit 1
}

cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$cargo_bin:$PATH"
command -v cargo >/dev/null || fail "the Rust toolchain" "install rustup (https://rustup.rs) and run this again"

# The wasm a checkout page loads names no directory of the machine that built it:
# rustc flags that write a crate's panic locations as deps/<crate>-<version>/...,
# not as the path of the registry's copy under the builder's home. (A directory
# whose path has spaces or quotes is left as it is: the package test then fails.)
registry_remap() {
  local src flags=""
  for src in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
    case "$src" in *[[:space:]\"\'\$\`\\]*) continue ;; esac
    if [ -d "$src" ]; then flags="$flags --remap-path-prefix=${src%/}=deps"; fi
  done
  printf '%s' "${flags# }"
}

# apt-get, as root or through sudo; refreshed at most once per run.
apt_updated=""
apt_install() {
  local what=$1; shift
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || fail "$what" "run as root, or install these Debian packages by hand: $*"
    sudo="sudo -n"
  fi
  command -v apt-get >/dev/null || fail "$what" "no apt-get here: install the equivalent of these Debian packages: $*"
  if [ -z "$apt_updated" ]; then
    say "refreshing the Debian package lists"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null \
      || fail "$what" "apt-get update failed; check the package sources"
    apt_updated=1
  fi
  say "installing $what (Debian: $*)"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" </dev/null >/dev/null \
    || fail "$what" "apt-get install $* failed"
}

# --- the wasm32 target -------------------------------------------------------
# Prefer rustup's target; on machines where rustup cannot download, use Debian's
# rustc-web with a wasm32 std built once into its sysroot.
rustc_env=""
rustup_has_wasm() {
  local libdir
  libdir=$(rustc --print target-libdir --target "$WASM_TARGET" 2>/dev/null) || return 1
  compgen -G "$libdir/libstd-*.rlib" >/dev/null
}
debian_has_wasm() {
  [ -x /usr/bin/rustc ] && compgen -G "$DEBIAN_SYSROOT_LIB/libstd-*.rlib" >/dev/null \
    && command -v rust-lld >/dev/null
}
build_debian_wasm_std() {
  # A throwaway no_std crate builds std for wasm32 from Debian's std source.
  # Its `lto = true` makes the rlibs carry LLVM bitcode, without which every later
  # release build with lto fails ("Can't find section .llvmbc").
  local scratch
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' RETURN
  mkdir -p "$scratch/src"
  cat >"$scratch/Cargo.toml" <<'EOF'
[package]
name = "wasm-std-seed"
version = "0.0.0"
edition = "2021"

[lib]
crate-type = ["rlib"]

[profile.release]
lto = true
EOF
  printf '#![no_std]\n' >"$scratch/src/lib.rs"
  say "building the wasm32 standard library once (about a minute)"
  (cd "$scratch" && RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$(registry_remap)" cargo build -q --release \
      --target "$WASM_TARGET" -Zbuild-std=std,panic_abort,test) \
    || fail "the wasm32 standard library" "the -Zbuild-std build failed; see the cargo output above"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  $sudo mkdir -p "$DEBIAN_SYSROOT_LIB"
  find "$scratch/target/$WASM_TARGET/release/deps" -name '*.rlib' ! -name 'libwasm_std_seed-*' \
    -exec $sudo cp {} "$DEBIAN_SYSROOT_LIB/" \; \
    || fail "the wasm32 standard library" "could not copy it into $DEBIAN_SYSROOT_LIB"
}

if rustup_has_wasm; then
  :
elif debian_has_wasm; then
  rustc_env=debian
elif command -v rustup >/dev/null && {
  say "adding the $WASM_TARGET target with rustup (at most 20 s)"
  timeout 20 rustup target add "$WASM_TARGET" </dev/null >/dev/null 2>&1
} && rustup_has_wasm; then
  :
else
  say "rustup cannot add $WASM_TARGET here (offline?): using Debian's rustc-web instead"
  if [ ! -x /usr/bin/rustc ] || [ ! -e /usr/lib/rustlib/src/rust ] \
    || ! command -v rust-lld >/dev/null; then
    apt_install "rustc-web (a rustc that knows $WASM_TARGET)" rustc-web cargo-web rust-web-src lld-22
  fi
  compgen -G "$DEBIAN_SYSROOT_LIB/libstd-*.rlib" >/dev/null || build_debian_wasm_std
  debian_has_wasm || fail "the $WASM_TARGET target" "neither rustup nor Debian's rustc-web provides it; run 'rustup target add $WASM_TARGET' on a machine with internet"
  rustc_env=debian
fi

if [ "$rustc_env" = debian ]; then
  # One compiler for every build, native too, so nothing is rebuilt when it switches.
  export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
fi

# --- wasm-bindgen CLI at Cargo.lock's version --------------------------------
wbg_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")
[ -n "$wbg_version" ] || fail "wasm-bindgen-cli" "Cargo.lock names no wasm-bindgen; run 'cargo generate-lockfile'"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg_version" ] \
  || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $wbg_version (about 3 minutes)"
  # Not --locked: one of its locked dependencies is not served by the registry.
  cargo install -q wasm-bindgen-cli --version "$wbg_version" --force </dev/null \
    || fail "wasm-bindgen-cli $wbg_version" "cargo install wasm-bindgen-cli --version $wbg_version failed"
fi

# --- Chromium and ChromeDriver -----------------------------------------------
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt_install "Chromium and ChromeDriver" chromium chromium-driver
fi
chromedriver=$(command -v chromedriver) || fail "chromedriver" "install Debian's chromium-driver"

# --- trunk --------------------------------------------------------------------
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 8 minutes)"
  # --locked: without it the newest lightningcss / cssparser do not compile together.
  cargo install -q trunk --version "$TRUNK_VERSION" --locked --force </dev/null \
    || fail "trunk $TRUNK_VERSION" "cargo install trunk --version $TRUNK_VERSION --locked failed"
fi

# --- Node.js: checked, not installed --------------------------------------------------
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null \
  || fail "the embed's tests (node --test)" "install Node.js 20 or later (with npm), then run this again"

# --- wasm-opt (npm binaryen) ----------------------------------------------------
wasm_opt="$tools/node_modules/.bin/wasm-opt"
if ! "$wasm_opt" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  command -v npm >/dev/null || fail "wasm-opt (npm binaryen $BINARYEN_VERSION)" "install Node.js and npm, then run this again"
  say "installing wasm-opt (npm binaryen $BINARYEN_VERSION)"
  npm install --silent --no-audit --no-fund --prefix "$tools" "binaryen@$BINARYEN_VERSION" </dev/null >/dev/null \
    || fail "wasm-opt (npm binaryen $BINARYEN_VERSION)" "npm install binaryen@$BINARYEN_VERSION failed"
fi

# --- esbuild (npm), for scripts/bundle-js.sh ------------------------------------------
esbuild="$tools/node_modules/.bin/esbuild"
if [ "$("$esbuild" --version 2>/dev/null)" != "$ESBUILD_VERSION" ]; then
  command -v npm >/dev/null || fail "esbuild $ESBUILD_VERSION" "install Node.js and npm, then run this again"
  say "installing esbuild $ESBUILD_VERSION (npm)"
  npm install --silent --no-audit --no-fund --prefix "$tools" "esbuild@$ESBUILD_VERSION" </dev/null >/dev/null \
    || fail "esbuild $ESBUILD_VERSION" "npm install esbuild@$ESBUILD_VERSION failed"
fi

# --- crates, so the offline builds (trunk runs cargo --offline) find them ----------
cargo fetch -q --manifest-path "$root/Cargo.toml" </dev/null || fail "the crates in Cargo.lock" "cargo fetch failed; check the registry"

# --- the environment every build uses -------------------------------------------
{
  echo "# Written by scripts/bootstrap.sh; sourced by ./x."
  echo "export PATH=\"$tools/node_modules/.bin:$cargo_bin:\$PATH\""
  echo "export CHROMEDRIVER=\"$chromedriver\""
  if [ "$rustc_env" = debian ]; then
    echo "export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc"
  else
    echo "unset RUSTC RUSTDOC"
  fi
  echo "export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS=\"$(registry_remap)\""
} >"$tools/env.sh"
# A first build and test run writes about 6 GB under target/: a disk short of
# that fails late, in whichever step runs out, so it is said here first.
free_kb=$(df -Pk "$root" 2>/dev/null | awk 'NR == 2 { print $4 }' || true)
if [[ "$free_kb" =~ ^[0-9]+$ ]] && [ "$free_kb" -lt $((8 * 1024 * 1024)) ]; then
  say "warning: $((free_kb / 1024 / 1024)) GB free on this disk; a first build and test run writes about 6 GB under target/"
fi
say "ready ($( [ "$rustc_env" = debian ] && echo "Debian rustc-web for $WASM_TARGET" || echo "rustup's $WASM_TARGET target"), wasm-bindgen $wbg_version, trunk $TRUNK_VERSION, binaryen $BINARYEN_VERSION, esbuild $ESBUILD_VERSION)"
