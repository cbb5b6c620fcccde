#!/usr/bin/env bash
# Writes the gzip -9 and brotli -q 11 forms of a site's hashed assets beside them (name.gz, name.br).
# The server reads them into memory at start-up with the files and sends a form as it is
# (server/src/http/assets); without them a production server computes them itself on a background
# thread after start-up, which keeps one core busy for a minute or more while it serves.
#
#   scripts/precompress.sh [SITE_ROOT]      # default target/site
#
# Used by scripts/run.sh and by the benches (bench/lib.sh stages a copy of the site). Idempotent: a
# form newer than its file is kept. brotli is optional (Debian's `brotli`); without it only gzip.
set -euo pipefail
site=${1:-target/site}
have_brotli=0
command -v brotli >/dev/null 2>&1 && have_brotli=1
for f in "$site"/pkg/*.wasm "$site"/pkg/*.js "$site"/pkg/*.css; do
  [ -e "$f" ] || continue
  [ "$f.gz" -nt "$f" ] || gzip -9 -k -f "$f"
  if [ $have_brotli = 1 ] && ! [ "$f.br" -nt "$f" ]; then brotli -q 11 -k -f "$f"; fi
done
