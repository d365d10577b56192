#!/usr/bin/env bash
# Generated clients, checked: generates a Python client (openapi-python-client) and
# TypeScript types (openapi-typescript, used through openapi-fetch) from
# openapi/openapi.json into target/clients/, type-checks each together with its smoke
# program (mypy --strict, tsc --noEmit), then starts `gongkai serve` on a fresh database
# and runs both smoke programs against it.
#
# Fails (exit 1) on any generator warning, any type error or a failing smoke program;
# every step still runs, so one run reports everything. Ends with one summary line.
#
# Needs: python3.11 (or $PYTHON), node 20 and npm, curl, PostgreSQL reachable at
# $GONGKAI_CLIENTS_PG (default postgres://postgres@127.0.0.1:5432, a role that may create
# databases) and psql. Tools come from the registries, pinned: clients/python/requirements.txt
# and clients/typescript/package-lock.json; both are installed again only when those change.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
src=$root/clients
out=$root/target/clients
pg=${GONGKAI_CLIENTS_PG:-postgres://postgres@127.0.0.1:5432}
started=$SECONDS

# The generated client needs Python 3.11 or newer (typing.Self).
python=${PYTHON:-$(command -v python3.11 || command -v python3 || true)}
if [ -z "$python" ] || ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "clients: needs Python 3.11 or newer (python3.11, or set PYTHON)" >&2
  exit 1
fi
for tool in node npm psql curl; do
  command -v "$tool" >/dev/null || { echo "clients: needs $tool on PATH" >&2; exit 1; }
done

mkdir -p "$out"
log() { printf 'clients: %s\n' "$*"; }

# Outcome of each gate; "ok" or what failed.
py_gen=ok ts_gen=ok py_types=ok ts_types=ok py_smoke="not run" ts_smoke="not run"
warnings=0

# ---------------------------------------------------------------------------------------
# Tools, pinned.
venv=$out/venv
if ! cmp -s "$src/python/requirements.txt" "$venv/requirements.txt" 2>/dev/null; then
  log "installing the Python tools (clients/python/requirements.txt)"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input \
    -r "$src/python/requirements.txt"
  cp "$src/python/requirements.txt" "$venv/requirements.txt"
fi
# The generator runs ruff (format and fixes) from PATH.
export PATH="$venv/bin:$PATH"

ts=$out/ts
mkdir -p "$ts"
if ! cmp -s "$src/typescript/package-lock.json" "$ts/package-lock.json" 2>/dev/null \
  || [ ! -d "$ts/node_modules" ]; then
  log "installing the TypeScript tools (clients/typescript/package-lock.json)"
  cp "$src/typescript/package.json" "$src/typescript/package-lock.json" "$ts/"
  (cd "$ts" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

# ---------------------------------------------------------------------------------------
# Generate. Each generator's output is kept in target/clients/*.log; anything it says
# beyond its progress lines is a warning.
log "generating the Python client"
py=$out/python
rm -rf "$py"
mkdir -p "$py"
py_rc=0
openapi-python-client generate --path "$root/openapi/openapi.json" \
  --config "$src/python/openapi-python-client.yaml" \
  --output-path "$py/gongkai_client" --meta none --overwrite \
  >"$out/python-generate.log" 2>&1 || py_rc=$?
# Each problem the generator reports starts with one of these headers.
py_headers='^(WARNING |ERROR |Skipping Integration|Unable to |Problem creating|Conflicting |Found conflicting|Enum values|Unsupported enum type|invalid data|Endpoint requires|Failed to parse|Invalid (JSON|YAML)|Could not get|[a-z]+ failed$)'
py_warn=$(sed 's/\x1b\[[0-9;]*m//g' "$out/python-generate.log" | grep -cE "$py_headers" || true)
if grep -qE 'encountered while generating' "$out/python-generate.log"; then
  [ "$py_warn" -gt 0 ] || py_warn=1
fi
if [ "$py_rc" -ne 0 ] || [ "$py_warn" -gt 0 ]; then
  py_gen="generator: $py_warn warning(s), exit $py_rc"
  sed 's/^/  openapi-python-client: /' "$out/python-generate.log" | grep -v ': *$' >&2
fi
warnings=$((warnings + py_warn))

log "generating the TypeScript types"
ts_rc=0
(cd "$ts" && npx --no-install openapi-typescript "$root/openapi/openapi.json" -o schema.ts) \
  >"$out/typescript-generate.log" 2>&1 || ts_rc=$?
# Its progress lines start with ✨ (version) and 🚀 (done); anything else is a warning.
ts_warn=$(sed 's/\x1b\[[0-9;]*m//g' "$out/typescript-generate.log" \
  | grep -v -e '^✨' -e '^🚀' -e '^[[:space:]]*$' | grep -c . || true)
if [ "$ts_rc" -ne 0 ] || [ "$ts_warn" -gt 0 ]; then
  ts_gen="generator: $ts_warn warning(s), exit $ts_rc"
  sed 's/^/  openapi-typescript: /' "$out/typescript-generate.log" >&2
fi
warnings=$((warnings + ts_warn))

# ---------------------------------------------------------------------------------------
# Type-check each client together with its smoke program.
log "mypy --strict (Python client and clients/python/smoke.py)"
cp "$src/python/smoke.py" "$py/smoke.py"
if ! (cd "$py" && MYPYPATH=$py mypy --strict --cache-dir "$out/mypy-cache" --no-error-summary \
  smoke.py gongkai_client) >"$out/mypy.log" 2>&1; then
  py_types="mypy: $(grep -c ': error:' "$out/mypy.log" || true) error(s)"
  sed 's/^/  mypy: /' "$out/mypy.log" >&2
fi

log "tsc --noEmit (TypeScript types and clients/typescript/smoke.ts)"
cp "$src/typescript/smoke.ts" "$src/typescript/tsconfig.json" "$ts/"
if ! (cd "$ts" && npx --no-install tsc --noEmit -p .) >"$out/tsc.log" 2>&1; then
  ts_types="tsc: $(grep -c 'error TS' "$out/tsc.log" || true) error(s)"
  sed 's/^/  tsc: /' "$out/tsc.log" >&2
fi
# The JavaScript node runs (emitted even when tsc found errors, so the program still runs).
rm -rf "$ts/build"
(cd "$ts" && npx --no-install tsc -p . --outDir build >/dev/null 2>&1) || true

# ---------------------------------------------------------------------------------------
# A live server on a fresh database.
# shellcheck source=../tests/serve-fresh.sh
. "$root/tests/serve-fresh.sh"
serve_fresh clients

export GONGKAI_URL=$base
GONGKAI_TOKEN=$("$bin" issue-token --role coordinator --unit 开平市人民政府 --sub clients-smoke)
GONGKAI_UNIT_TOKEN=$("$bin" issue-token --role unit --unit 公共服务中心 --sub clients-smoke-unit)
export GONGKAI_TOKEN GONGKAI_UNIT_TOKEN

log "running the Python smoke program"
# (pipefail: the program's exit status, not sed's)
if (cd "$py" && python smoke.py) 2>&1 | sed 's/^/  /'; then
  py_smoke=ok
else
  py_smoke=FAILED
fi

log "running the TypeScript smoke program"
if [ -f "$ts/build/smoke.js" ]; then
  if (cd "$ts" && node build/smoke.js) 2>&1 | sed 's/^/  /'; then
    ts_smoke=ok
  else
    ts_smoke=FAILED
  fi
else
  ts_smoke="not compiled"
fi

# ---------------------------------------------------------------------------------------
verdict() { # the outcomes of: generate, types, smoke
  local failed=()
  [ "$1" = ok ] || failed+=("$1")
  [ "$2" = ok ] || failed+=("$2")
  [ "$3" = ok ] || failed+=("smoke: $3")
  if [ ${#failed[@]} -eq 0 ]; then
    echo ok
  else
    local joined
    joined=$(printf '%s; ' "${failed[@]}")
    echo "FAILED (${joined%; })"
  fi
}
py_verdict=$(verdict "$py_gen" "$py_types" "$py_smoke")
ts_verdict=$(verdict "$ts_gen" "$ts_types" "$ts_smoke")
echo "clients: python $py_verdict, typescript $ts_verdict, warnings $warnings ($((SECONDS - started)) s)"
[ "$py_verdict" = ok ] && [ "$ts_verdict" = ok ]
