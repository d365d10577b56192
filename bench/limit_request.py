#!/usr/bin/env python3
"""limit.py (../shared/bench), replaying only the request's own statements.

limit.py captures every statement the database logs in the second around the request it
makes. The server has background work of its own on the same database: the webhook worker
looks for due deliveries (in a transaction) at least every ten seconds, and the event feed
reads the newest event id every five seconds as a safety net for its LISTEN. When one of
these lands in the capture, limit.py would replay it as part of the request (and, as the
worker's SQL holds `:name`-like text, fall back to simple mode). This wrapper leaves those
statements out of the replay and says so; everything else is limit.py's own code. (The
sweep of deadline reminders, at start-up and when the day turns in Asia/Shanghai — 16:00
UTC — is not recognised: do not run the bench across that hour.)

  limit_request.py --limit-dir ../shared/bench [limit.py's arguments...]
"""
import re
import sys

# The statements of the server's background work, which no API request sends.
BACKGROUND = re.compile(r'webhook_deliveries|^SELECT max\("events"\."id"\) FROM "events"')


def main():
    args = sys.argv[1:]
    if len(args) < 2 or args[0] != "--limit-dir":
        sys.exit("usage: limit_request.py --limit-dir DIR [limit.py's arguments...]")
    sys.path.insert(0, args[1])
    import limit

    captured = limit.statements

    def request_statements(text, db):
        sql, skipped = captured(text, db)
        background = [s for s in sql if BACKGROUND.search(s)]
        for s in background:
            print("left out of the replay, the server's background work: " + s[:80])
        return [s for s in sql if not BACKGROUND.search(s)], skipped + background

    limit.statements = request_statements
    sys.argv = [sys.argv[0]] + args[2:]
    limit.main()


if __name__ == "__main__":
    main()
