#!/usr/bin/env python3
"""Gongkai against the FastAPI + asyncpg peer (../shared/bench/peer) on the same URL path,
same database, same concurrency: wrk loads each in alternating rounds; the rate and the CPU
per request (the server's whole process tree, and PostgreSQL) are the medians of the rounds.

  compare.py --limit-dir ../shared/bench --gongkai URL --gongkai-pid PID --peer URL \
             --peer-pid PID --token JWT --db postgres://.../DB [--conns 32] [--secs 10] \
             [--rounds 3] [--json FILE]
"""
import argparse, json, os, statistics, sys, time


def tree(pid):
    """pid and all its descendants."""
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                kids.setdefault(ppid, []).append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit-dir", required=True)
    ap.add_argument("--gongkai", required=True); ap.add_argument("--gongkai-pid", type=int, required=True)
    ap.add_argument("--peer", required=True); ap.add_argument("--peer-pid", type=int, required=True)
    ap.add_argument("--token", required=True); ap.add_argument("--db", required=True)
    ap.add_argument("--conns", type=int, default=32); ap.add_argument("--secs", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3); ap.add_argument("--json")
    a = ap.parse_args()
    sys.path.insert(0, a.limit_dir)
    import limit  # the shared instrument: its load generator and CPU accounting

    admin = a.db.rsplit("/", 1)[0] + "/postgres"
    postmaster = limit.postmaster_pid(admin)
    hdr = {"Authorization": "Bearer " + a.token}

    def cpu(pid):
        return sum(limit.proc_cpu(p) for p in tree(pid))

    def one(url, pid):
        before = (cpu(pid), limit.postgres_cpu(postmaster) if postmaster else 0.0)
        t0 = time.time()
        r = limit.run_load(a, hdr, a.secs, url)
        n = r["rate"] * (time.time() - t0)
        r["server_us_per_req"] = (cpu(pid) - before[0]) / n * 1e6 if n else None
        r["postgres_us_per_req"] = ((limit.postgres_cpu(postmaster) - before[1]) / n * 1e6) if n and postmaster else None
        r["total_us_per_req"] = (r["server_us_per_req"] or 0) + (r["postgres_us_per_req"] or 0)
        return r

    limit.run_load(a, hdr, 2, a.gongkai)
    limit.run_load(a, hdr, 2, a.peer)
    rounds = []
    for i in range(a.rounds):
        g = one(a.gongkai, a.gongkai_pid)
        p = one(a.peer, a.peer_pid)
        rounds.append({"gongkai": g, "peer": p})
        print("round %d: gongkai %.0f rps (%.0f us/req: server %.0f + postgres %.0f); peer %.0f rps (%.0f us/req: server %.0f + postgres %.0f)" % (
            i + 1, g["rate"], g["total_us_per_req"], g["server_us_per_req"] or 0, g["postgres_us_per_req"] or 0,
            p["rate"], p["total_us_per_req"], p["server_us_per_req"] or 0, p["postgres_us_per_req"] or 0))
    med = lambda side, k: statistics.median(r[side][k] for r in rounds if r[side].get(k) is not None)
    result = {
        "conns": a.conns, "rounds": rounds,
        "throughput_ratio": statistics.median(r["gongkai"]["rate"] / r["peer"]["rate"] for r in rounds),
        "cpu_ratio": statistics.median(r["peer"]["total_us_per_req"] / r["gongkai"]["total_us_per_req"] for r in rounds),
        "gongkai": {k: med("gongkai", k) for k in ("rate", "p50_ms", "p99_ms", "total_us_per_req")},
        "peer": {k: med("peer", k) for k in ("rate", "p50_ms", "p99_ms", "total_us_per_req")},
    }
    print("gongkai / peer at %d conns: throughput %.2fx, CPU per request %.2fx (median of %d rounds)" % (
        a.conns, result["throughput_ratio"], result["cpu_ratio"], a.rounds))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
