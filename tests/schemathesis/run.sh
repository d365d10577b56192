#!/usr/bin/env bash
# A bounded schemathesis run (pinned in requirements.txt, configured in schemathesis.toml):
# every check and phase, the stateful one included, against `gongkai serve` on a fresh
# database with an admin token, from the committed openapi/openapi.json. Exits non-zero
# on any failure. A couple of minutes on two cores.
#
# Usage: bash tests/schemathesis/run.sh [extra `st run` options, e.g. --seed 7]
# Needs: python3 (3.10 or newer), psql, PostgreSQL at $GONGKAI_FUZZ_PG (default
# postgres://postgres@127.0.0.1:5432; a role that may create databases), and the binary
# at $GONGKAI_BIN (default: cargo build, target/debug/gongkai).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
pg=${GONGKAI_FUZZ_PG:-postgres://postgres@127.0.0.1:5432}
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

# The generated requests come fast from one address: the public API's limit would
# answer 429 (documented, but it hides what the run is for).
export GONGKAI_PUBLIC_RATE_LIMIT=0
python=python3
# shellcheck source=../serve-fresh.sh
. "$root/tests/serve-fresh.sh"
serve_fresh schemathesis
token=$("$bin" issue-token --role admin --sub schemathesis --ttl 7200)

# Run from target/ so that schemathesis's and Hypothesis's caches stay out of the tree.
cd "$work"
"$venv/bin/st" --config-file "$here/schemathesis.toml" run "$root/openapi/openapi.json" \
  --url "$base" --checks all -H "Authorization: Bearer $token" \
  --no-color "$@"
