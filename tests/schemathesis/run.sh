#!/usr/bin/env bash
# A bounded schemathesis run (pinned in requirements.txt, configured in schemathesis.toml):
# every check and phase, the stateful one included, against `gongkai serve` on a fresh
# database with an admin token, from the committed openapi/openapi.json. Exits non-zero
# on any failure. A couple of minutes on two cores.
#
# Usage: bash tests/schemathesis/run.sh [extra `st run` options, e.g. --seed 7]
# Needs: python3 (3.10 or newer), psql, PostgreSQL at $GONGKAI_FUZZ_PG (default
# postgres://postgres@127.0.0.1:5432; a role that may create databases), and the binary
# at $GONGKAI_BIN (default target/debug/gongkai, built when missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
pg=${GONGKAI_FUZZ_PG:-postgres://postgres@127.0.0.1:5432}
bin=${GONGKAI_BIN:-target/debug/gongkai}
[ -x "$bin" ] || cargo build --quiet
work=$root/target/schemathesis
mkdir -p "$work"

venv=$work/venv
if ! cmp -s "$here/requirements.txt" "$venv/requirements.txt" 2>/dev/null; then
  echo "schemathesis: installing (tests/schemathesis/requirements.txt)"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/requirements.txt"
fi

db=gongkai_schemathesis_$$
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT
psql -q "$pg/postgres" -c "CREATE DATABASE $db" >/dev/null

export DATABASE_URL=$pg/$db GONGKAI_DATA_DIR=$data GONGKAI_ADDR=127.0.0.1:$port RUST_LOG=warn
export GONGKAI_JWT_SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
export GONGKAI_DATA_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
# The generated requests come fast from one address: the public API's limit would
# answer 429 (documented, but it hides what the run is for).
export GONGKAI_PUBLIC_RATE_LIMIT=0
"$bin" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 150); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.2
done
token=$("$bin" issue-token --role admin --sub schemathesis --ttl 7200)

# Run from target/ so that schemathesis's and Hypothesis's caches stay out of the tree.
cd "$work"
"$venv/bin/st" --config-file "$here/schemathesis.toml" run "$root/openapi/openapi.json" \
  --url "http://127.0.0.1:$port" --checks all -H "Authorization: Bearer $token" \
  --no-color "$@"
