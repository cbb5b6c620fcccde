# shellcheck shell=bash
# Sourced (never executed) by every script in scripts/ and by a developer's shell, so that cargo-leptos,
# cargo test, cargo clippy and Playwright all see one and the same environment:
#
#   source scripts/env.sh            # debug builds (cargo leptos build / serve, cargo test, clippy)
#   source scripts/env.sh release    # release builds (cargo leptos build --release / serve --release)
#
# Why this matters: cargo-leptos hands cargo a set of LEPTOS_* variables, and leptos reads them at compile
# time (env!/option_env!), so cargo fingerprints them. A `cargo test` or `cargo clippy` run without exactly
# the same values recompiles leptos and everything above it, then the next `cargo leptos build` recompiles
# it all back. Exporting the same values here keeps one set of artifacts valid for every command.
# The values mirror [[workspace.metadata.leptos]] in Cargo.toml; check them against the
# "cargo build ..." line that `cargo leptos build -vv` prints whenever that metadata changes.
#
# Safe to source more than once. Sets no shell options (it runs inside the caller's shell).

_agora_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Tools: cargo-installed binaries (cargo-leptos, wasm-bindgen) and the npm ones (tailwindcss, wasm-opt,
# playwright), which cargo-leptos looks up on PATH because it is built without its own downloads.
case ":$PATH:" in *":$_agora_root/node_modules/.bin:"*) ;; *) PATH="$_agora_root/node_modules/.bin:$PATH" ;; esac
case ":$PATH:" in *":${CARGO_HOME:-$HOME/.cargo}/bin:"*) ;; *) PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH" ;; esac
export PATH

# One target dir outside the clone, shared by every clone and by CI runs on the same machine: CI starts
# from a fresh clone, and a cold build of the whole workspace takes most of the time budget. It is only a
# cache: an empty or missing directory just means a full build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/agora-target}"

# What cargo-leptos passes to cargo (see above). cargo-leptos also *reads* these from the environment and
# lets them override Cargo.toml, so they must agree with it.
export LEPTOS_OUTPUT_NAME=agora
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR=127.0.0.1:3000
export LEPTOS_RELOAD_PORT=3001
export LEPTOS_LIB_DIR=frontend
export LEPTOS_BIN_DIR=server
export LEPTOS_HASH_FILES=true
export LEPTOS_HASH_FILE_NAME=hash.txt
# cargo-leptos minifies JS only in release builds and reports LEPTOS_JS_MINIFY accordingly; since it also
# reads this variable back, a stale "false" would turn minification off in a release build.
if [ "${1:-${AGORA_PROFILE:-debug}}" = release ]; then
  export LEPTOS_JS_MINIFY=true
else
  export LEPTOS_JS_MINIFY=false
fi

# Playwright drives Debian's /usr/bin/chromium; it must never try to download a browser of its own
# (there is no network for that here).
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

unset _agora_root
