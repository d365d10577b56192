# A live `gongkai serve` on a fresh database, for the scripts that check a running server
# (clients/check.sh, clients/calendar/check.sh, tests/schemathesis/run.sh). Source it,
# then call `serve_fresh NAME` with these set:
#   root  the repository's root;  pg  PostgreSQL's URL without a database (a role that
#   may create databases);  python  a Python 3 interpreter.
# It takes the binary from $GONGKAI_BIN (or builds target/debug/gongkai), creates the
# database gongkai_NAME_…, serves it on a free loopback port with fresh secrets (any other
# GONGKAI_* exported before the call reaches the server too) and waits until it is ready.
# It sets `bin`, `base` (the server's URL) and `serve_tmp` (a scratch directory; the
# server's log is serve_tmp/server.log), and at exit stops the server, drops the database
# and removes serve_tmp. The script's exit status is kept.

serve_fresh() {
  local name=$1
  if [ -n "${GONGKAI_BIN:-}" ]; then
    bin=$(realpath -m "$GONGKAI_BIN")
    [ -x "$bin" ] || { echo "$name: GONGKAI_BIN=$GONGKAI_BIN is not an executable" >&2; exit 1; }
  else
    cargo build --quiet --bin gongkai
    bin=$root/target/debug/gongkai
  fi
  serve_tmp=$(mktemp -d)
  serve_db="gongkai_${name}_$(date +%s)_$$"
  serve_name=$name
  serve_pid=
  serve_db_made=
  trap serve_fresh_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  psql -q -X -v ON_ERROR_STOP=1 "$pg/postgres" -c "CREATE DATABASE \"$serve_db\"" >/dev/null
  serve_db_made=1
  local port
  port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  GONGKAI_JWT_SECRET=$("$python" -c 'import secrets; print(secrets.token_hex(32))')
  GONGKAI_DATA_KEY=$("$python" -c 'import secrets; print(secrets.token_hex(32))')
  export DATABASE_URL="$pg/$serve_db" GONGKAI_JWT_SECRET GONGKAI_DATA_KEY
  export GONGKAI_ADDR="127.0.0.1:$port" GONGKAI_DATA_DIR="$serve_tmp/data"
  export RUST_LOG=${RUST_LOG:-warn}
  base="http://$GONGKAI_ADDR"

  echo "$name: starting gongkai serve on $base (database $serve_db)"
  "$bin" serve </dev/null >"$serve_tmp/server.log" 2>&1 &
  serve_pid=$!
  local ready=
  for _ in $(seq 1 120); do
    kill -0 "$serve_pid" 2>/dev/null || break
    if curl -fsS -o /dev/null "$base/readyz" 2>/dev/null; then ready=1; break; fi
    sleep 0.5
  done
  if [ -z "$ready" ]; then
    echo "$name: the server did not become ready; its log:" >&2
    tail -n 40 "$serve_tmp/server.log" >&2
    exit 1
  fi
}

serve_fresh_cleanup() {
  local rc=$?
  if [ -n "$serve_pid" ] && kill -0 "$serve_pid" 2>/dev/null; then
    kill -TERM "$serve_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$serve_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
  if [ -n "$serve_db_made" ]; then
    psql -q -X "$pg/postgres" -c "DROP DATABASE IF EXISTS \"$serve_db\" WITH (FORCE)" >/dev/null 2>&1 \
      || echo "$serve_name: could not drop database $serve_db" >&2
  fi
  rm -rf "$serve_tmp"
  exit "$rc"
}
