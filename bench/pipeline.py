#!/usr/bin/env python3
"""What PostgreSQL itself spends on one request's statements, sent one round trip at a time
(as the server's driver sends them, and as limit.py replays them) and sent in one pipeline
(pgbench's \\startpipeline: every statement written before any answer is read).

  pipeline.py --limit-dir ../shared/bench --capture target/bench/tasks-8.json \
              --db postgres://.../DB [--conns 8] [--secs 10] [--rounds 3]

It reads the statements limit.py captured (its --json file) and runs them as two scripts
with pgbench -M prepared in alternating rounds. Prints, per round and as medians: transactions a second and PostgreSQL's CPU
microseconds per transaction (the postmaster's process tree).
"""
import argparse, json, os, re, statistics, subprocess, sys, tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit-dir", required=True); ap.add_argument("--capture", required=True)
    ap.add_argument("--db", required=True); ap.add_argument("--conns", type=int, default=8)
    ap.add_argument("--secs", type=int, default=10); ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    sys.path.insert(0, a.limit_dir)
    import limit  # the shared instrument: the same CPU accounting

    # limit.py's JSON keeps each statement with its parameters written in as literals: each
    # is prepared once per connection (pgbench -M prepared), in both scripts alike.
    sql = json.load(open(a.capture))["statements"]
    if any(re.search(r"(?<!:):(?!:)[A-Za-z0-9_]", s) for s in sql):
        sys.exit("a statement holds ':name', which pgbench -M prepared would take for a variable")
    scripts = {}
    for name, body in (("one at a time", sql), ("pipelined", ["\\startpipeline"] + sql + ["\\endpipeline"])):
        f = tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False)
        f.write("".join((s if s.startswith("\\") else s + ";") + "\n" for s in body))
        f.close()
        scripts[name] = f.name
    postmaster = limit.postmaster_pid(a.db.rsplit("/", 1)[0] + "/postgres")
    if postmaster is None:
        sys.exit("cannot find the PostgreSQL server's process (it must run on this machine)")
    results = {name: [] for name in scripts}
    try:
        for i in range(a.rounds):
            for name, path in scripts.items():
                before = limit.postgres_cpu(postmaster)
                out = subprocess.run(["pgbench", "-n", "-M", "prepared", "-f", path, "-c", str(a.conns),
                                      "-j", str(min(2, a.conns)), "-T", str(a.secs), a.db],
                                     capture_output=True, text=True)
                tps = re.search(r"tps = ([\d.]+)", out.stdout)
                if not tps:
                    sys.exit("pgbench failed: " + (out.stderr or out.stdout)[-300:])
                rate = float(tps.group(1))
                us = (limit.postgres_cpu(postmaster) - before) / (rate * a.secs) * 1e6
                results[name].append((rate, us))
                print("round %d: %s: %.0f tps, PostgreSQL %.0f us per request" % (i + 1, name, rate, us))
    finally:
        for path in scripts.values():
            os.unlink(path)
    med = {n: (statistics.median(r for r, _ in v), statistics.median(u for _, u in v)) for n, v in results.items()}
    one, pipe = med["one at a time"], med["pipelined"]
    print("statements per request: %d; one at a time: %.0f tps, PostgreSQL %.0f us/request; "
          "pipelined: %.0f tps, PostgreSQL %.0f us/request (%.2fx less)" % (
              len(sql), one[0], one[1], pipe[0], pipe[1], one[1] / pipe[1]))


if __name__ == "__main__":
    main()
