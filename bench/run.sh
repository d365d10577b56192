#!/usr/bin/env bash
# The read-path figures of docs/benchmarks.md, on a fresh database, in one run:
#   1. GET /api/v1/plans/1/tasks?limit=54 and GET /api/v1/tasks/{id} against the bound
#      pgbench replay of the same statements (../shared/bench/limit.py), at 8 and 32
#      connections: API/limit ratio, p50/p99 of both, CPU per request;
#   2. PostgreSQL's own work for the tasks list's statements, sent one round trip at a time
#      and in one pipeline (bench/pipeline.py);
#   3. the tasks list against the FastAPI + asyncpg peer (../shared/bench/peer) at 32
#      connections: throughput and CPU per request (server + PostgreSQL) ratios;
#   4. a plan's compliance with 100,000 evidence rows at one connection, against its
#      own bound replay;
#   5. the server's peak resident memory (VmHWM) over all of the above.
# Usage: bash bench/run.sh   (BENCH_SECS=10 BENCH_ROUNDS=3 by default; BENCH_SECS=2
# BENCH_ROUNDS=1 for a quick check; BENCH_BIN=path/to/gongkai to use a binary built
# beforehand instead of a release build; BENCH_OUT=dir for the outputs instead of
# target/bench). Exits non-zero when a measurement gave no figures. Needs the machine's PostgreSQL (DATABASE_URL's server, default
# postgres://postgres@127.0.0.1:5432), pgbench and wrk (installed when missing).
set -euo pipefail
# BENCH_BIN is resolved from where the script was started, before it moves to the repo.
if [ -n "${BENCH_BIN:-}" ]; then
  [ -x "$BENCH_BIN" ] || { echo "bench: BENCH_BIN=$BENCH_BIN is not an executable"; exit 1; }
  BENCH_BIN=$(realpath "$BENCH_BIN")
fi
cd "$(dirname "$0")/.."
root=$PWD
shared=${GONGKAI_SHARED_BENCH:-$root/../shared/bench}
secs=${BENCH_SECS:-10}
rounds=${BENCH_ROUNDS:-3}
server=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
server=${server%/*}
out=${BENCH_OUT:-$root/target/bench}
mkdir -p "$out"
rm -f "$out"/*.json "$out"/pipeline-8.txt  # a figure left from an earlier run is no figure

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v pgbench >/dev/null || { echo "bench: pgbench is missing (apt-get install postgresql-contrib)"; exit 1; }

if [ -n "${BENCH_BIN:-}" ]; then
  # A binary built beforehand (CI's smoke run uses its debug build: it proves the script
  # still runs, its figures mean nothing).
  bin=$BENCH_BIN
else
  echo "bench: building the release binary"
  cargo build --release -q
  bin=$root/target/release/gongkai
fi

db=gongkai_bench_$$
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
peer_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
secret=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
key=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
data=$(mktemp -d)
export DATABASE_URL=$server/$db GONGKAI_JWT_SECRET=$secret GONGKAI_DATA_KEY=$key GONGKAI_DATA_DIR=$data
export GONGKAI_ADDR=127.0.0.1:$port RUST_LOG=warn
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT

psql -q "$server/postgres" -c "CREATE DATABASE $db" >/dev/null
"$bin" serve >"$out/server.log" 2>&1 &
gk=$!; pids+=("$gk")
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
token=$("$bin" issue-token --role coordinator --unit 开平市人民政府 --sub bench --ttl 7200)
task=$(psql -qAt "$DATABASE_URL" -c "SELECT id FROM tasks WHERE plan_id = 1 AND number = 15")

# limit.py, through a wrapper that leaves the server's own background statements (the
# webhook worker's poll, the event feed's recheck) out of the replay when its capture
# catches one.
run_limit() { # name url conns
  python3 "$root/bench/limit_request.py" --limit-dir "$shared" --db "$DATABASE_URL" --url "$2" \
    --token "$token" --conns "$3" --secs "$secs" --rounds "$rounds" --mode bound \
    --server-pid "$gk" --json "$out/$1.json" | grep -E '^(statements|round|pgbench|left out)' || true
}
for conns in 8 32; do
  echo "bench: tasks list, $conns connections"
  run_limit "tasks-$conns" "http://127.0.0.1:$port/api/v1/plans/1/tasks?limit=54" "$conns"
  echo "bench: one task, $conns connections"
  run_limit "task-$conns" "http://127.0.0.1:$port/api/v1/tasks/$task" "$conns"
done

echo "bench: the tasks list's statements in one pipeline against one round trip each, 8 connections"
# (A failure is reported by the check at the end, after the other measurements.)
python3 "$root/bench/pipeline.py" --limit-dir "$shared" --capture "$out/tasks-8.json" --db "$DATABASE_URL" \
  --conns 8 --secs "$secs" --rounds "$rounds" > "$out/pipeline-8.txt" 2>&1 || true
tail -1 "$out/pipeline-8.txt"

echo "bench: the FastAPI + asyncpg peer"
venv=$root/target/bench-venv
if [ ! -x "$venv/bin/uvicorn" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$shared/peer/requirements.txt"
fi
(cd "$shared/peer" && PEER_PORT=$peer_port PATH="$venv/bin:$PATH" exec sh ./run.sh) >"$out/peer.log" 2>&1 &
peer=$!; pids+=("$peer")
for _ in $(seq 1 100); do
  curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$peer_port/api/v1/plans/1/tasks?limit=54" >/dev/null && break
  sleep 0.2
done
cmp <(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/plans/1/tasks?limit=54") \
    <(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$peer_port/api/v1/plans/1/tasks?limit=54") \
  && echo "bench: the peer answers the same bytes" || echo "bench: the peer's answer differs from Gongkai's"
python3 "$root/bench/compare.py" --limit-dir "$shared" --db "$DATABASE_URL" --token "$token" \
  --gongkai "http://127.0.0.1:$port/api/v1/plans/1/tasks?limit=54" --gongkai-pid "$gk" \
  --peer "http://127.0.0.1:$peer_port/api/v1/plans/1/tasks?limit=54" --peer-pid "$peer" \
  --conns 32 --secs "$secs" --rounds "$rounds" --json "$out/peer-32.json"
kill "$peer" 2>/dev/null || true

echo "bench: 100,000 evidence rows over the plan's 54 tasks"
psql -q "$DATABASE_URL" <<'SQL'
INSERT INTO evidence (task_id, unit_id, occurred_on, title, count, recorded_by)
SELECT t.id, tu.unit_id, date '2021-01-01' + (g % 365), '基准测试记录', 1, 'bench'
FROM generate_series(1, 100000) AS g
JOIN (SELECT id, row_number() OVER (ORDER BY number) - 1 AS k FROM tasks WHERE plan_id = 1) AS t
  ON t.k = g % 54
JOIN task_units AS tu ON tu.task_id = t.id AND tu.position = 0;
ANALYZE evidence;
SQL
echo "bench: compliance of the plan, one connection"
run_limit "compliance-1" "http://127.0.0.1:$port/api/v1/plans/1/compliance?as_of=2021-12-31" 1
curl -fs -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/v1/plans/1/compliance?as_of=2021-12-31" | wc -c | sed 's/^/bench: compliance answer bytes: /'

rss=$(awk '/VmHWM/ {print $2}' "/proc/$gk/status")
python3 - "$out" "$rss" <<'PY'
import json, os, sys
out, rss_kb = sys.argv[1], int(sys.argv[2])
def load(n):
    p = os.path.join(out, n + ".json")
    return json.load(open(p)) if os.path.exists(p) else None
fmt = lambda v, f="%.1f": "-" if v is None else f % v
print()
print("| read | conns | API rps | pgbench tps | API/limit | API p50/p99 ms | pgbench p50/p99 ms | CPU us/req API (server+pg) | pgbench pg us/req |")
print("|---|---|---|---|---|---|---|---|---|")
for name, label in (("tasks", "tasks list"), ("task", "one task"), ("compliance", "compliance, 100k evidence")):
    for conns in (1, 8, 32):
        r = load("%s-%d" % (name, conns))
        if not r or "median" not in r:
            continue
        m = r["median"]; api = m["api"]
        # limit.py replays in simple mode what it cannot bind (a request in a transaction).
        mode = "bound" if "bound" in m["pgbench"] else next(iter(m["pgbench"]))
        pg = m["pgbench"][mode]
        cpu = (api.get("server_us_per_req") or 0) + (api.get("postgres_us_per_req") or 0)
        print("| %s | %d | %s | %s | %s | %s / %s | %s / %s | %s (%s+%s) | %s |" % (
            label, conns, fmt(api["rate"], "%.0f"), fmt(pg["rate"], "%.0f"), fmt(m["ratio"][mode], "%.2f") + ("" if mode == "bound" else " (%s)" % mode),
            fmt(api["p50_ms"]), fmt(api["p99_ms"]), fmt(pg["p50_ms"]), fmt(pg["p99_ms"]),
            fmt(cpu, "%.0f"), fmt(api.get("server_us_per_req"), "%.0f"), fmt(api.get("postgres_us_per_req"), "%.0f"),
            fmt(pg.get("postgres_us_per_req"), "%.0f")))
p = load("peer-32")
if p:
    print()
    print("peer (FastAPI + asyncpg), tasks list, 32 conns: Gongkai %s rps vs %s rps = %.2fx; CPU per request %s vs %s us = %.2fx" % (
        fmt(p["gongkai"]["rate"], "%.0f"), fmt(p["peer"]["rate"], "%.0f"), p["throughput_ratio"],
        fmt(p["gongkai"]["total_us_per_req"], "%.0f"), fmt(p["peer"]["total_us_per_req"], "%.0f"), p["cpu_ratio"]))
pipe = os.path.join(out, "pipeline-8.txt")
piped = [l for l in (open(pipe).read().splitlines() if os.path.exists(pipe) else []) if l.startswith("statements per request")]
if piped:
    print("tasks list's PostgreSQL work (pgbench, 8 conns): " + piped[-1])
print("server peak RSS (VmHWM): %.1f MB" % (rss_kb / 1024))
# Every measurement must have given its figures.
missing = [n for n in ("tasks-8", "task-8", "tasks-32", "task-32", "compliance-1") if not (load(n) or {}).get("median")]
missing += [n for n in ("peer-32",) if not load(n)] + ([] if piped else ["pipeline-8.txt"])
if missing:
    sys.exit("bench: no figures from " + ", ".join(missing))
PY
