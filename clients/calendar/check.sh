#!/usr/bin/env bash
# Calendar feeds, checked by an independent parser: starts `gongkai serve` on a fresh
# database, registers an application and takes a look-back (so the feed has an
# application's reply due date and rectification items beside the seeded plan's quota
# deadlines), creates a feed with POST /api/v1/calendar-feeds, reads its URL without a
# token, and parses it with Python's icalendar (clients/calendar/check_feed.py): valid
# RFC 5545, all-day events with unique UIDs, the expected deadlines, no personal data.
#
# Needs: python3 (or $PYTHON), curl, psql, PostgreSQL reachable at $GONGKAI_CLIENTS_PG
# (default postgres://postgres@127.0.0.1:5432, a role that may create databases). The
# parser comes from PyPI, pinned: clients/calendar/requirements.txt, installed again only
# when that file changes. $GONGKAI_BIN names the binary (default: cargo build).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
src=$root/clients/calendar
pg=${GONGKAI_CLIENTS_PG:-postgres://postgres@127.0.0.1:5432}
python=${PYTHON:-$(command -v python3)}
log() { printf 'calendar: %s\n' "$*"; }

venv=$root/target/calendar-venv
if ! cmp -s "$src/requirements.txt" "$venv/requirements.txt" 2>/dev/null; then
  log "installing the parser (clients/calendar/requirements.txt)"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$src/requirements.txt"
  cp "$src/requirements.txt" "$venv/requirements.txt"
fi

# shellcheck source=../../tests/serve-fresh.sh
. "$root/tests/serve-fresh.sh"
serve_fresh calendar
tmp=$serve_tmp

coord=$("$bin" issue-token --role coordinator --unit 开平市人民政府 --sub calendar-check)
owner=$("$bin" issue-token --role unit --unit 公共服务中心 --sub calendar-check-unit)
json() { "$python" -c 'import json, sys; v = json.load(sys.stdin); print(eval(sys.argv[1], {"v": v}))' "$1"; }
call() { # method path token [body]: prints the answer's body, fails on a non-2xx status
  curl -fsS -X "$1" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' \
    ${4:+--data "$4"} "$base$2"
}

unit=$(call GET "/api/v1/units?name=%E5%85%AC%E5%85%B1%E6%9C%8D%E5%8A%A1%E4%B8%AD%E5%BF%83" "$coord" | json 'v["items"][0]["id"]')
request=$(call POST /api/v1/disclosure-requests "$owner" "{\"channel\": \"in_person\", \
\"received_on\": \"2021-09-30\", \"applicant\": {\"kind\": \"natural_person\", \"name\": \"张三\", \
\"id_number\": \"440781199001011234\", \"contact\": {\"phone\": \"13800138000\"}}, \
\"subject\": \"2020年度本机关财政预算执行情况\", \"unit_id\": $unit}" | json 'v["id"]')
review=$(call POST /api/v1/plans/1/reviews "$coord" '{"as_of": "2022-01-10"}' | json 'v["id"]')
items=$(call GET "/api/v1/rectifications?review_id=$review&limit=500" "$coord" | json 'len(v["items"])')
quotas=$(call GET "/api/v1/plans/1/tasks?limit=500" "$coord" \
  | json '" ".join(str(q["id"]) + ":" + q["due"] for t in v["items"] for q in t["quotas"] if q["kind"] == "deadline" and q["scope"] == "task")')

url=$(call POST /api/v1/calendar-feeds "$coord" '{"plan_id": 1}' | json 'v["url"]')
log "reading $url without a token"
curl -fsS -o "$tmp/feed.ics" "$url"

{
  printf '{"events": {"disclosure-request-%s@gongkai": "2021-11-03"' "$request"
  for q in $quotas; do printf ', "quota-%s-task@gongkai": "%s"' "${q%%:*}" "${q#*:}"; done
  printf '}, "uid_prefix_counts": {"rectification-": %s, "disclosure-request-": 1},' "$items"
  printf ' "absent": ["张三", "440781199001011234", "13800138000", "财政预算"]}\n'
} >"$tmp/expect.json"
[ -n "$quotas" ] || { echo "calendar: the seeded plan has no deadline quota" >&2; exit 1; }
"$venv/bin/python" "$src/check_feed.py" "$tmp/feed.ics" "$tmp/expect.json"
