#!/usr/bin/env bash
# Builds Agora in release mode and serves it: the one command to run the app on a fresh machine.
#
#   scripts/run.sh                 # then open http://127.0.0.1:3000
#
# Installs what is missing first (scripts/install-tools.sh; quick when everything is there), then builds with
# `cargo leptos build --release --split` (server, the WASM split into the main module and one chunk per
# lazily loaded section, CSS), pre-compresses the assets and starts the
# server from the repository root. Data lives in ./data (SQLite) unless AGORA_DATABASE_URL says
# otherwise; any other AGORA_* setting (see README) is passed through. Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-tools.sh
# shellcheck source=scripts/env.sh
source scripts/env.sh release

# A relative sqlite URL resolves against the server's working dir, which cargo-leptos leaves as this one.
export AGORA_DATABASE_URL="${AGORA_DATABASE_URL:-sqlite://data/agora.db}"
export AGORA_SITE_ADDR="${AGORA_SITE_ADDR:-127.0.0.1:3000}"
mkdir -p data

url="http://$AGORA_SITE_ADDR"
printf '\033[1m[run]\033[0m building (release; the first build takes several minutes), then serving at %s\n' "$url" >&2

# The address is the useful line, but it would scroll by above the build output. So a small watcher
# announces it again once /healthz answers. It polls only while this process (exec'd into cargo-leptos
# below, same pid) lives, and gives up after an hour.
script_pid=$$
(
  for _ in $(seq 3600); do
    kill -0 "$script_pid" 2>/dev/null || exit 0
    if curl -fsS -o /dev/null --max-time 2 "$url/healthz" 2>/dev/null; then
      printf '\n\033[1m[run]\033[0m Agora is up: %s  (data: %s; Ctrl-C stops it)\n\n' "$url" "$AGORA_DATABASE_URL" >&2
      exit 0
    fi
    sleep 1
  done
) &

# --split is required: the lazy sections' chunks (app/src/frame/sections.rs) are cut out by wasm-split.
cargo leptos build --release --split
# The storefront's browsing pages' own WASM (app/src/frame/islands.rs).
scripts/build-islands.sh release
# Compress the hashed assets once, at their best level, next to the originals: the server reads them
# into memory with the files at start-up and sends the .br or .gz form as it is (http/assets) instead
# of compressing the WASM after every start.
scripts/precompress.sh target/site
exec "$CARGO_TARGET_DIR/release/agora-server" serve
