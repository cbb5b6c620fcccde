#!/usr/bin/env bash
# Installs, idempotently, everything Agora needs to build and test on a fresh Debian machine with rustup:
# the wasm32 target, cargo-leptos, wasm-bindgen-cli (at the Cargo.lock version), Debian's chromium and
# postgresql, and the npm packages (tailwind CLI, binaryen's wasm-opt, Playwright).
# Every step is skipped when its tool is already there. Only package registries are used.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[install]\033[0m %s\n' "$*" >&2; }

CARGO_LEPTOS_VERSION=0.3.11

# Debian's packages: chromium for Playwright, postgresql for the PostgreSQL test suite.
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -x "$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)/initdb" ] || need_apt+=(postgresql)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
# brotli: scripts/run.sh pre-compresses the WASM, JS and CSS once at build time.
command -v brotli >/dev/null 2>&1 || need_apt+=(brotli)
# fonts-noto-cjk: the Chinese pages in Chromium screenshots (E2E_SCREENSHOTS) show glyphs, not boxes.
[ -d /usr/share/fonts/opentype/noto ] || need_apt+=(fonts-noto-cjk)
if [ "${#need_apt[@]}" -gt 0 ] && [ "${AGORA_SKIP_APT:-0}" != 1 ]; then
  log "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

rustup target list --installed | grep -qx wasm32-unknown-unknown || {
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
}

# cargo-leptos 0.3.11 does not build with --locked on current rustc: build it from its unpacked crate
# with cargo-util-schemas pinned back, and without its own binary downloads (no_downloads).
if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  log "building cargo-leptos $CARGO_LEPTOS_VERSION (takes several minutes, once)"
  work=$(mktemp -d)
  (
    cd "$work"
    cargo new --bin -q fetch-cargo-leptos
    cd fetch-cargo-leptos
    cargo add -q "cargo-leptos@=$CARGO_LEPTOS_VERSION"
    cargo fetch -q
  )
  src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/cargo-leptos-$CARGO_LEPTOS_VERSION | head -n1)
  cp -r "$src" "$work/cargo-leptos"
  (
    cd "$work/cargo-leptos"
    cargo update -q -p cargo-util-schemas --precise 0.14.1
    cargo install -q --locked --path . --features no_downloads
  )
  rm -rf "$work"
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
wb_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb_version\$"; then
  log "cargo install wasm-bindgen-cli $wb_version"
  cargo install -q --force wasm-bindgen-cli --version "=$wb_version"
fi

# npm: tailwind v4 CLI, binaryen 132 (wasm-opt; Debian's 108 breaks hydration), Playwright.
if [ ! -x node_modules/.bin/tailwindcss ] || [ ! -x node_modules/.bin/wasm-opt ] || [ package.json -nt node_modules/.package-lock.json ]; then
  log "npm install"
  npm install --no-audit --no-fund --loglevel=error
fi
