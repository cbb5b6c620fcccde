#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite: its own cluster in a fresh temp dir, trust auth,
# listening on 127.0.0.1 only, on a free port, so it never touches (or depends on) a system cluster.
#
# As a command:
#   URL=$(scripts/pg-temp.sh start)     # prints postgres://postgres@127.0.0.1:PORT/postgres on stdout
#   psql "$URL" -c 'select 1'
#   scripts/pg-temp.sh stop "$URL"      # or the port, or the data dir; stops it and deletes the dir
#
# Sourced (as scripts/test.sh does), it defines functions and leaves the shell options alone:
#   source scripts/pg-temp.sh
#   pg_temp_start                       # sets PG_TEMP_URL and PG_TEMP_DIR
#   trap pg_temp_stop EXIT              # pg_temp_stop with no argument stops $PG_TEMP_DIR
#
# postgres refuses to run as root, so as root every server command runs as the `postgres` system user
# (which Debian's postgresql package creates) and the temp dir is handed to that user.
# The dir is ${TMPDIR:-/tmp}/agora-pg-PORT.XXXXXX, holding data/ (the cluster), log, and url.
# PG_TEMP_SHARED_BUFFERS sets the cluster's shared_buffers (PostgreSQL's default 128MB unless set; the
# benchmarks give theirs a production-like share of memory).

_pg_temp_log() { printf '\033[1m[pg-temp]\033[0m %s\n' "$*" >&2; }

# PostgreSQL's server binaries are not on PATH on Debian; take the newest installed major version.
_pg_temp_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return 0
  fi
  # shellcheck disable=SC2012  # version-sorted dir names, no odd characters
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then
    echo "$d"
  elif command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  else
    _pg_temp_log "initdb not found: install PostgreSQL (scripts/install-tools.sh does)"
    return 1
  fi
}

# Runs a command as the cluster's owner: `postgres` when we are root, ourselves otherwise. It runs from
# inside the cluster's dir so the postgres user never trips over a cwd it cannot read (e.g. /root).
_pg_temp_as_owner() {
  local dir=$1
  shift
  if [ "$(id -u)" = 0 ]; then
    (cd "$dir" && runuser -u postgres -- "$@")
  else
    (cd "$dir" && "$@")
  fi
}

# A port nothing listens on right now. There is a small race until postgres binds it; pg_temp_start
# retries with another port if the start fails.
_pg_temp_free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
  else
    # No python: try random high ports until bash's /dev/tcp cannot connect to one.
    local p
    for _ in $(seq 50); do
      p=$((20000 + RANDOM % 40000))
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
        echo "$p"
        return 0
      fi
    done
    return 1
  fi
}

# pg_temp_start: creates, configures and starts a cluster; sets PG_TEMP_DIR, PG_TEMP_PORT, PG_TEMP_URL.
# On any failure it removes what it created and returns non-zero.
pg_temp_start() {
  local bindir port dir attempt
  bindir=$(_pg_temp_bindir) || return 1

  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    _pg_temp_log "creating the postgres system user (postgres cannot run as root)"
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/sh postgres
  fi

  for attempt in 1 2 3; do
    port=$(_pg_temp_free_port) || { _pg_temp_log "no free port found"; return 1; }
    dir=$(mktemp -d "${TMPDIR:-/tmp}/agora-pg-$port.XXXXXX") || return 1
    # mktemp makes it 0700 and ours; the server runs as postgres.
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi

    # --no-sync / fsync=off etc.: a test cluster is thrown away, durability only costs time.
    # Trust auth for local and host (127.0.0.1/::1) connections: the tests connect as postgres
    # without a password; nothing but this machine's loopback can reach it.
    if ! _pg_temp_as_owner "$dir" "$bindir/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C \
      --auth-local=trust --auth-host=trust --no-sync >"$dir/initdb.log" 2>&1; then
      _pg_temp_log "initdb failed:"
      cat "$dir/initdb.log" >&2
      rm -rf "$dir"
      return 1
    fi
    _pg_temp_as_owner "$dir" tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF

# --- scripts/pg-temp.sh: throwaway test cluster ---
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = ${PG_TEMP_SHARED_BUFFERS:-128MB}
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
EOF

    # -w: wait until the server accepts connections (or -t seconds pass).
    if _pg_temp_as_owner "$dir" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 start >/dev/null; then
      if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30; then
        PG_TEMP_DIR=$dir
        PG_TEMP_PORT=$port
        PG_TEMP_URL="postgres://postgres@127.0.0.1:$port/postgres"
        export PG_TEMP_DIR PG_TEMP_PORT PG_TEMP_URL
        echo "$PG_TEMP_URL" >"$dir/url"
        _pg_temp_log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') ready at $PG_TEMP_URL (dir $dir)"
        return 0
      fi
    fi
    # Most likely someone took the port in between: show why, clean up, try another.
    _pg_temp_log "start on port $port failed (attempt $attempt):"
    tail -n 20 "$dir/log" >&2 2>/dev/null || true
    _pg_temp_as_owner "$dir" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
  done
  return 1
}

# pg_temp_stop [DIR | URL | PORT]: stops that cluster (default: $PG_TEMP_DIR) and deletes its dir.
# Quiet and successful when there is nothing to stop, so it is safe in an EXIT trap.
pg_temp_stop() {
  local target=${1:-${PG_TEMP_DIR:-}} dir="" port bindir
  [ -n "$target" ] || return 0
  if [ -d "$target" ]; then
    dir=$target
  else
    port=${target##*:}      # postgres://postgres@127.0.0.1:PORT/postgres -> PORT/postgres
    port=${port%%/*}
    case $port in '' | *[!0-9]*) _pg_temp_log "not a dir, URL or port: $target"; return 1 ;; esac
    # shellcheck disable=SC2012  # our own mktemp names
    dir=$(ls -d "${TMPDIR:-/tmp}/agora-pg-$port".* 2>/dev/null | head -n1 || true)
    [ -n "$dir" ] || { _pg_temp_log "no cluster found for port $port"; return 0; }
  fi
  # Refuse anything that is not one of ours: this ends in rm -rf.
  case $(basename "$dir") in agora-pg-*) ;; *) _pg_temp_log "refusing to remove $dir"; return 1 ;; esac
  if [ -f "$dir/data/postmaster.pid" ]; then
    bindir=$(_pg_temp_bindir) || return 1
    # fast: disconnect clients and stop now; a test cluster needs no clean checkpoint.
    _pg_temp_as_owner "$dir" "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      _pg_temp_as_owner "$dir" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  _pg_temp_log "stopped and removed $dir"
  if [ "$dir" = "${PG_TEMP_DIR:-}" ]; then unset PG_TEMP_DIR PG_TEMP_PORT PG_TEMP_URL; fi
}

# Executed rather than sourced: act as a command.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    start)
      pg_temp_start
      echo "$PG_TEMP_URL"
      ;;
    stop)
      [ $# -ge 2 ] || { echo "usage: $0 stop DIR|URL|PORT" >&2; exit 2; }
      pg_temp_stop "$2"
      ;;
    *)
      echo "usage: $0 start | stop DIR|URL|PORT" >&2
      exit 2
      ;;
  esac
fi
