"""Reads a calendar feed served by Gongkai with an independent parser (Python's
icalendar) and checks it: a valid RFC 5545 calendar in Asia/Shanghai whose events are
all-day, with unique UIDs, carrying the expected deadlines and no personal data.

Usage: check_feed.py FEED.ics EXPECTATIONS.json, where the JSON names
  "events": {uid: "YYYY-MM-DD", ...}   events that must be there, on those days
  "uid_prefix_counts": {prefix: n}     how many UIDs start with each prefix
  "absent": [text, ...]                strings that must appear nowhere (personal data)
Exits 1, naming every failure, when anything is wrong.
"""

import datetime
import json
import sys

from icalendar import Calendar


def main() -> int:
    raw = open(sys.argv[1], "rb").read()
    want = json.load(open(sys.argv[2], encoding="utf-8"))
    failures: list[str] = []

    def check(ok: bool, what: str) -> None:
        if not ok:
            failures.append(what)

    # Content lines end in CRLF and are folded at 75 octets (RFC 5545 §3.1).
    lines = raw.split(b"\r\n")
    check(lines[-1] == b"", "the calendar ends with CRLF")
    check(all(b"\n" not in line for line in lines), "every line ends with CRLF")
    check(all(len(line) <= 75 for line in lines), "no content line is longer than 75 octets")

    cal = Calendar.from_ical(raw)
    check(cal.name == "VCALENDAR", "a VCALENDAR")
    check(str(cal.get("VERSION")) == "2.0", "VERSION:2.0")
    check(bool(cal.get("PRODID")), "a PRODID")
    check(str(cal.get("X-WR-TIMEZONE")) == "Asia/Shanghai", "X-WR-TIMEZONE:Asia/Shanghai")

    events = list(cal.walk("VEVENT"))
    check(len(events) > 0, "at least one event")
    days: dict[str, datetime.date] = {}
    for e in events:
        uid = str(e.get("UID", ""))
        check(uid != "", "every event has a UID")
        check(uid not in days, f"UID {uid} is unique")
        start = e.decoded("DTSTART")
        end = e.decoded("DTEND")
        all_day = isinstance(start, datetime.date) and not isinstance(start, datetime.datetime)
        check(all_day, f"{uid}: DTSTART is a DATE (all-day)")
        check(e["DTSTART"].params.get("VALUE") == "DATE", f"{uid}: DTSTART;VALUE=DATE")
        check(end == start + datetime.timedelta(days=1), f"{uid}: DTEND is the next day")
        check(e.get("DTSTAMP") is not None, f"{uid}: a DTSTAMP")
        check(bool(str(e.get("SUMMARY", ""))), f"{uid}: a SUMMARY")
        days[uid] = start

    for uid, day in want.get("events", {}).items():
        got = days.get(uid)
        check(got == datetime.date.fromisoformat(day), f"{uid} on {day} (found {got})")
    for prefix, n in want.get("uid_prefix_counts", {}).items():
        found = sum(1 for uid in days if uid.startswith(prefix))
        check(found == n, f"{n} events {prefix}… (found {found})")
    text = raw.decode("utf-8").replace("\r\n ", "")
    for secret in want.get("absent", []):
        check(secret not in text, f"no `{secret}` in the feed")

    for f in failures:
        print(f"calendar feed: FAILED: {f}", file=sys.stderr)
    print(f"calendar feed: {len(events)} events parsed, {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
