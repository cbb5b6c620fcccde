#!/usr/bin/env bash
# Builds the islands bundle: the WASM of the storefront's browsing pages (crate `agora-islands`, see
# app/src/frame/islands.rs), beside the bundle cargo-leptos builds for every other page.
#
#   scripts/build-islands.sh            # debug, after `cargo leptos build --split` (scripts/test.sh)
#   scripts/build-islands.sh release    # release, after `cargo leptos build --release --split`
#
# Writes target/site/pkg/agora-islands.<hash>.{js,wasm} (removing older ones) and, beside the server
# binary, hash-islands.txt ("js: <hash>", "wasm: <hash>"), which the browsing pages read as the others
# read cargo-leptos's hash.txt. It builds in cargo-leptos's front target dir with the same RUSTFLAGS,
# so most crates both bundles share are compiled once.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-debug}
# shellcheck source=scripts/env.sh
source scripts/env.sh "$profile"

front="$CARGO_TARGET_DIR/front"
if [ "$profile" = release ]; then
  cargo_profile=(--profile wasm-release)
  wasm_in="$front/wasm32-unknown-unknown/wasm-release/agora_islands.wasm"
  bin_dir="$CARGO_TARGET_DIR/release"
else
  cargo_profile=()
  wasm_in="$front/wasm32-unknown-unknown/debug/agora_islands.wasm"
  bin_dir="$CARGO_TARGET_DIR/debug"
fi
# The RUSTFLAGS cargo-leptos gives the front build with --split: any other value would recompile
# every shared crate here and again in the next `cargo leptos build`.
RUSTFLAGS="-Clink-args=--emit-relocs" cargo build -p agora-islands --lib --target wasm32-unknown-unknown \
  --target-dir "$front" "${cargo_profile[@]}"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name agora-islands "$wasm_in"
# The relocations the shared RUSTFLAGS leave in: twice the code's size, and no browser reads them.
python3 scripts/wasm-strip-relocs.py "$out/agora-islands_bg.wasm" "$out/agora-islands_bg.wasm"
if [ "$profile" = release ]; then
  # Size first, as for the main bundle (Cargo.toml's wasm-release profile).
  wasm-opt -Oz --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$out/agora-islands_bg.wasm" -o "$out/agora-islands_bg.wasm"
fi

hash=$(cat "$out/agora-islands.js" "$out/agora-islands_bg.wasm" | sha256sum | cut -c1-20)
pkg="$LEPTOS_SITE_ROOT/pkg"
mkdir -p "$pkg" "$bin_dir"
rm -f "$pkg"/agora-islands.*
cp "$out/agora-islands.js" "$pkg/agora-islands.$hash.js"
cp "$out/agora-islands_bg.wasm" "$pkg/agora-islands.$hash.wasm"
# With the app's split loader and manifest lines: leptos reads those once per process from whichever
# hash file the first page names, and every page of the app needs them.
[ -f "$bin_dir/hash.txt" ] || { echo "no $bin_dir/hash.txt: run cargo leptos build --split first" >&2; exit 1; }
{
  printf 'js: %s\nwasm: %s\n' "$hash" "$hash"
  grep -E '^(split|manifest):' "$bin_dir/hash.txt" || true
} >"$bin_dir/hash-islands.txt"
printf '\033[1m[islands]\033[0m %s: %s bytes of WASM, %s gzip\n' "$pkg/agora-islands.$hash.wasm" \
  "$(stat -c %s "$pkg/agora-islands.$hash.wasm")" "$(gzip -9 -c "$pkg/agora-islands.$hash.wasm" | wc -c)"
