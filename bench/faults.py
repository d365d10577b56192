#!/usr/bin/env python3
"""Fault injection: keyed writes while the server is killed and PostgreSQL restarts.

Writers post evidence records, each with its own Idempotency-Key, and retry a request
with the same key and body until it is acknowledged (201) -- as a careful client does.
Meanwhile the harness kills the server with SIGKILL (and starts it again), restarts
PostgreSQL with `pg_ctl restart -m immediate` (a crash of the database server) and
terminates the server's PostgreSQL backends. Afterwards it compares the acknowledged
keys with the stored rows and prints:

  acknowledged  keys answered 201
  lost          acknowledged keys without a row
  duplicated    keys with more than one row
  stuck         keys still answering 409 (in progress) once the system is back
  outage        the longest time without an acknowledged write, and the longest time
                from PostgreSQL accepting connections again (or the server listening
                again) to the next acknowledged write

It runs its own PostgreSQL cluster (initdb in a temporary directory, its own port;
run as the `postgres` account when started by root) and never touches another one.
Exit status: 0 when nothing was lost, duplicated or stuck (and, with --max-recovery,
every recovery was fast enough), else 1.

  python3 bench/faults.py [--bin target/debug/gongkai] [--kills 5] [--restarts 5]
                          [--backend-kills 3] [--writers 4] [--calm 3]
"""

import argparse
import glob
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

SECRET = "faults-jwt-secret-" + "f" * 40
DATA_KEY = "faults-data-key-" + "d" * 40


def log(msg):
    print(f"faults: {msg}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin_dir():
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit() else 0,
    )
    if os.environ.get("GONGKAI_PG_BIN_DIR"):
        return os.environ["GONGKAI_PG_BIN_DIR"]
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    if initdb:
        return os.path.dirname(initdb)
    sys.exit("faults: PostgreSQL's programs (initdb, pg_ctl) are not installed")


class Cluster:
    """A PostgreSQL cluster of the harness's own, on its own port."""

    def __init__(self, root):
        self.bin = pg_bin_dir()
        self.root = root
        self.data = os.path.join(root, "data")
        self.run_dir = os.path.join(root, "run")
        self.logfile = os.path.join(root, "postgresql.log")
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        os.makedirs(self.run_dir)
        if self.as_root:
            # initdb refuses root: the cluster belongs to the postgres account.
            os.chmod(root, 0o755)
            shutil.chown(root, "postgres", "postgres")
            shutil.chown(self.run_dir, "postgres", "postgres")

    def cmd(self, program, *args, check=True, quiet=True):
        argv = [os.path.join(self.bin, program), *args]
        if self.as_root:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        out = subprocess.run(argv, capture_output=True, text=True)
        if check and out.returncode != 0:
            raise RuntimeError(f"{program} failed: {out.stdout}{out.stderr}")
        return out

    def init(self):
        self.cmd("initdb", "-D", self.data, "-U", "postgres", "--auth", "trust",
                 "--encoding", "UTF8", "--locale", "C")
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write(
                f"listen_addresses = '127.0.0.1'\nport = {self.port}\n"
                f"unix_socket_directories = '{self.run_dir}'\n"
                "max_connections = 100\nfsync = off\n"
            )

    def start(self):
        self.cmd("pg_ctl", "start", "-D", self.data, "-l", self.logfile, "-w", "-t", "60")

    def restart_immediate(self):
        """Stops PostgreSQL as a crash would (no checkpoint, every backend gone), then
        starts it; returns the time at which it accepts connections again."""
        self.cmd("pg_ctl", "stop", "-D", self.data, "-m", "immediate", "-w", "-t", "60")
        self.start()
        while not self.ready():
            time.sleep(0.05)
        return time.monotonic()

    def ready(self):
        out = self.cmd("pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port),
                       check=False)
        return out.returncode == 0

    def stop(self):
        self.cmd("pg_ctl", "stop", "-D", self.data, "-m", "immediate", "-w", check=False)

    def sql(self, query):
        out = self.cmd("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                       "-d", "gongkai", "-At", "-F", "\t", "-c", query)
        return [line.split("\t") for line in out.stdout.splitlines() if line]

    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/gongkai"


class Server:
    """`gongkai serve` on the harness's cluster."""

    def __init__(self, binary, cluster, workdir):
        self.binary = binary
        self.port = free_port()
        self.base = f"127.0.0.1:{self.port}"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DATABASE_URL": cluster.url(),
            "GONGKAI_JWT_SECRET": SECRET,
            "GONGKAI_DATA_KEY": DATA_KEY,
            "RUST_LOG": "warn",
        }
        self.workdir = workdir
        self.log = open(os.path.join(workdir, "gongkai.log"), "ab")
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--addr", self.base],
            env=self.env, cwd=self.workdir, stdout=self.log, stderr=self.log,
        )

    def wait_listening(self, timeout=60):
        """Waits until the server answers /healthz; returns that moment."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("gongkai serve exited; see gongkai.log")
            try:
                status, _, _ = request("GET", self.base, "/healthz", timeout=1)
                if status == 200:
                    return time.monotonic()
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("gongkai serve did not start within 60 s")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def token(self):
        out = subprocess.run(
            [self.binary, "issue-token", "--role", "admin", "--sub", "faults", "--ttl", "36000"],
            env=self.env, cwd=self.workdir, capture_output=True, text=True, check=True,
        )
        return out.stdout.strip()


def request(method, base, path, body=None, headers=None, timeout=10):
    host, port = base.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        data = json.dumps(body).encode() if body is not None else None
        hdrs = dict(headers or {})
        if data is not None:
            hdrs["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=hdrs)
        res = conn.getresponse()
        payload = res.read()
        return res.status, {k.lower(): v for k, v in res.getheaders()}, payload
    finally:
        conn.close()


class Ledger:
    """What the writers saw, shared between their threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acked = {}  # key -> the evidence id of the first 201
        self.attempted = {}  # key -> body
        self.replays = 0
        self.statuses = {}
        self.ack_times = []  # monotonic times of fresh (not replayed) acknowledgements

    def note(self, status):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1


def writer(base, auth, task_id, unit_id, ledger, stop, title_prefix):
    """Posts records until told to stop; each key is retried until acknowledged."""
    while not stop.is_set():
        key = str(uuid.uuid4())
        body = {"occurred_on": "2021-03-15", "title": f"{title_prefix}{key}", "count": 1,
                "unit_id": unit_id}
        with ledger.lock:
            ledger.attempted[key] = body
        post_until_acknowledged(base, auth, task_id, key, body, ledger, stop)


def post_until_acknowledged(base, auth, task_id, key, body, ledger, stop, deadline=None):
    headers = {"Authorization": auth, "Idempotency-Key": key}
    while True:
        try:
            status, hdrs, payload = request(
                "POST", base, f"/api/v1/tasks/{task_id}/evidence", body, headers, timeout=10)
        except OSError:
            status, hdrs, payload = "conn", {}, b""
        ledger.note(status)
        if status == 201:
            replayed = hdrs.get("idempotent-replayed") == "true"
            with ledger.lock:
                if key not in ledger.acked:
                    ledger.acked[key] = json.loads(payload)["id"]
                if replayed:
                    ledger.replays += 1
                else:
                    ledger.ack_times.append(time.monotonic())
            return True
        if status not in (409, 500, 502, 503, 504, "conn"):
            raise RuntimeError(f"unexpected answer {status}: {payload[:300]!r}")
        if stop.is_set() and deadline is None:
            return False
        if deadline is not None and time.monotonic() > deadline:
            return False
        time.sleep(0.05 if status == 409 else 0.1)


def first_ack_after(ledger, moment):
    with ledger.lock:
        later = [t for t in ledger.ack_times if t >= moment]
    return min(later) if later else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default="target/debug/gongkai", help="the gongkai binary")
    ap.add_argument("--kills", type=int, default=5, help="kill -9s of the server")
    ap.add_argument("--restarts", type=int, default=5,
                    help="immediate restarts of PostgreSQL")
    ap.add_argument("--backend-kills", type=int, default=3,
                    help="times every backend of the server is terminated")
    ap.add_argument("--writers", type=int, default=4, help="concurrent writers")
    ap.add_argument("--calm", type=float, default=3.0,
                    help="seconds of undisturbed writing between faults")
    ap.add_argument("--max-recovery", type=float, default=None,
                    help="fail when writes take longer than this many seconds to flow "
                         "again after PostgreSQL or the server is back")
    ap.add_argument("--seed", type=int, default=None, help="random seed of the schedule")
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        sys.exit(f"faults: {binary} is not an executable: build it first (cargo build)")
    rng = random.Random(args.seed)

    root = tempfile.mkdtemp(prefix="gongkai-faults-")
    os.chmod(root, 0o711)  # the postgres account traverses it to its cluster
    cluster = Cluster(os.path.join(root, "pg"))
    server = None
    try:
        log(f"cluster in {cluster.root}, port {cluster.port}")
        cluster.init()
        cluster.start()
        workdir = os.path.join(root, "work")
        os.makedirs(workdir)
        server = Server(binary, cluster, workdir)
        server.start()
        server.wait_listening()
        while request("GET", server.base, "/readyz")[0] != 200:
            time.sleep(0.1)
        auth = "Bearer " + server.token()
        _, _, plans = request("GET", server.base, "/api/v1/plans", headers={"Authorization": auth})
        plan = json.loads(plans)["items"][0]["id"]
        _, _, tasks = request("GET", server.base, f"/api/v1/plans/{plan}/tasks?section=5",
                              headers={"Authorization": auth})
        task = json.loads(tasks)["items"][0]
        task_id, unit_id = task["id"], task["units"][0]["id"]
        prefix = f"faults {uuid.uuid4().hex[:8]} "

        faults = ["kill"] * args.kills + ["restart"] * args.restarts \
            + ["backends"] * args.backend_kills
        rng.shuffle(faults)
        log(f"{args.writers} writers; faults in this order: {' '.join(faults)}")

        ledger = Ledger()
        stop = threading.Event()
        threads = [
            threading.Thread(target=writer,
                             args=(server.base, auth, task_id, unit_id, ledger, stop, prefix),
                             daemon=True)
            for _ in range(args.writers)
        ]
        for t in threads:
            t.start()
        started = time.monotonic()
        recoveries = []  # (fault, seconds from the dependency being back to the next ack)
        for fault in faults:
            time.sleep(args.calm * (0.5 + rng.random()))
            if fault == "kill":
                server.kill()
                time.sleep(rng.uniform(0.0, 0.5))
                server.start()
                back = server.wait_listening()
            elif fault == "restart":
                back = cluster.restart_immediate()
            else:
                cluster.sql(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = 'gongkai' AND pid <> pg_backend_pid()")
                back = time.monotonic()
            recoveries.append((fault, back))
            log(f"{fault} done at {back - started:.1f} s")
        time.sleep(args.calm)
        stop.set()
        for t in threads:
            t.join(timeout=60)

        # Every key the writers started but did not see acknowledged is retried now that
        # the system is calm, then every key is asked once more: it must replay.
        with ledger.lock:
            pending = [(k, b) for k, b in ledger.attempted.items() if k not in ledger.acked]
        for key, body in pending:
            post_until_acknowledged(server.base, auth, task_id, key, body, ledger, stop,
                                    deadline=time.monotonic() + 30)
        stuck, fresh_again = [], []
        for key, body in list(ledger.attempted.items()):
            status, hdrs, _ = request("POST", server.base, f"/api/v1/tasks/{task_id}/evidence",
                                      body, {"Authorization": auth, "Idempotency-Key": key})
            if status == 409:
                stuck.append(key)
            elif status == 201 and hdrs.get("idempotent-replayed") != "true":
                fresh_again.append(key)

        rows = cluster.sql(
            "SELECT substr(title, {}), count(*) FROM evidence WHERE title LIKE '{}%' "
            "GROUP BY 1".format(len(prefix) + 1, prefix.replace("'", "''")))
        per_key = {k: int(n) for k, n in rows}
        acked = set(ledger.acked)
        lost = sorted(k for k in acked if per_key.get(k, 0) == 0)
        duplicated = sorted(k for k, n in per_key.items() if n > 1)
        unacked = [k for k in ledger.attempted if k not in acked]

        # Outages: the longest gap between fresh acknowledgements, and for each fault the
        # time from PostgreSQL accepting connections again (or the server listening
        # again) to the next acknowledged write.
        times = sorted(ledger.ack_times)
        longest_gap = max((b - a for a, b in zip(times, times[1:])), default=0.0)
        recovery = []
        for fault, back in recoveries:
            first = first_ack_after(ledger, back)
            recovery.append((fault, None if first is None else first - back))
        slowest = max((r for _, r in recovery if r is not None), default=0.0)
        never = [f for f, r in recovery if r is None]

        print(f"faults: {args.kills} server kill -9, {args.restarts} PostgreSQL immediate "
              f"restarts, {args.backend_kills} backend terminations; {args.writers} writers, "
              f"{time.monotonic() - started:.0f} s")
        print(f"answers seen: {json.dumps({str(k): v for k, v in sorted(ledger.statuses.items(), key=str)})}")
        print(f"acknowledged: {len(acked)} (replayed answers among them: {ledger.replays})")
        print(f"lost: {len(lost)}")
        print(f"duplicated: {len(duplicated)}")
        print(f"stuck: {len(stuck)}")
        print(f"never acknowledged: {len(unacked)}; acknowledged but not replayed on retry: "
              f"{len(fresh_again)}")
        print(f"longest outage: {longest_gap:.1f} s without an acknowledged write")
        for kind in ("restart", "kill", "backends"):
            spans = [r for f, r in recovery if f == kind and r is not None]
            if spans:
                what = {"restart": "PostgreSQL accepting connections",
                        "kill": "the restarted server listening",
                        "backends": "the backends' termination"}[kind]
                print(f"writes flowing again after {what}: longest {max(spans):.1f} s, "
                      f"mean {sum(spans) / len(spans):.1f} s over {len(spans)}")
        for k in (lost + duplicated + stuck + fresh_again)[:10]:
            print(f"  key {k}: rows {per_key.get(k, 0)}")

        failed = bool(lost or duplicated or stuck or fresh_again or never or unacked)
        if args.max_recovery is not None and slowest > args.max_recovery:
            print(f"recovery took {slowest:.1f} s, more than --max-recovery {args.max_recovery}")
            failed = True
        return 1 if failed else 0
    finally:
        if server:
            server.stop()
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
