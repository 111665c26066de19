"""What the tests of `curvelab serve` share: labels made from real quiz items, a server
started and stopped around each test, and a throwaway PostgreSQL cluster.

Everything started here is stopped at exit, on failure too (atexit and SIGTERM/SIGINT).
Waits are on state (a line printed, a port answering), each with an upper bound.
"""
import atexit
import glob
import http.client
import json
import os
import pwd
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

LABEL_SCHEMA = "curvelab.label/2"
_cleanups = []


def _run_cleanups(*_):
    while _cleanups:
        fn = _cleanups.pop()
        try:
            fn()
        except Exception as e:  # keep cleaning up
            print(f"cleanup: {e}", file=sys.stderr)


atexit.register(_run_cleanups)
for _sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(_sig, lambda *_: (_run_cleanups(), os._exit(1)))


def scratch():
    d = tempfile.mkdtemp(prefix="curvelab-serve-")
    _cleanups.append(lambda: shutil.rmtree(d, ignore_errors=True))
    return d


class Checks:
    """Counts passed and failed checks; finish() prints the closing line ctest reads."""

    def __init__(self, name):
        self.name, self.passed, self.failed = name, 0, 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {what}", flush=True)
        return ok

    def finish(self):
        print(f"{self.name}: {self.passed} passed, {self.failed} failed", flush=True)
        _run_cleanups()
        sys.exit(0 if self.failed == 0 and self.passed > 0 else 1)


def make_labels(cli, seed, count, annotators, work):
    """Labels as the page writes them: items of `curvelab quiz`, answers of its key
    (score 1) for the first annotator and reversed rankings for the others."""
    quiz = os.path.join(work, f"quiz-{seed}.json")
    with open(quiz, "w") as f:
        subprocess.run([cli, "quiz", "--kind", "mixed", "--count", str(count), "--seed", str(seed), "--format", "json"],
                       stdout=f, check=True, timeout=120)
    key = subprocess.run([cli, "score", "--quiz", quiz, "--key"], capture_output=True, text=True, check=True,
                         timeout=120).stdout
    answers = {k["id"]: k["answer"] for k in map(json.loads, filter(None, key.split("\n")))}
    # The page's labels carry the item without its curves (they are regenerated from it).
    items = [{k: v for k, v in item.items() if k != "curves"} for item in json.load(open(quiz))["items"]]
    labels = []
    for n, who in enumerate(annotators):
        for item in items:
            answer = answers[item["id"]]
            score = {"score": 1.0}
            if n > 0 and "ranking" in answer:
                answer = {"ranking": list(reversed(answer["ranking"]))}
                score = {"score": 0.0}
            labels.append({"schema": LABEL_SCHEMA, "id": f"{who}-{seed}-{item['id']}", "annotator": who,
                           "session": "s", "created_at": "2026-12-01T12:00:00Z", "app_version": "test",
                           "quiz_kind": item["kind"], "item": item, "display": {}, "answer": answer,
                           "skipped": False, "latency_ms": 1000, "score": score})
    return labels


class Server:
    """`curvelab serve` on a free loopback port; its stdout lines are collected and its
    stderr (the request log) goes to a file."""

    def __init__(self, cli, db, work, *extra, token_file=True, port=0):
        self.cli, self.db, self.work, self.extra = cli, db, work, list(extra)
        self.token_file = os.path.join(work, "token") if token_file else None
        self.log_path = os.path.join(work, f"server-{time.monotonic_ns()}.log")
        self.port = port
        self.proc = None
        self.start()

    def start(self, expect_ok=True):
        args = [self.cli, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--db", self.db] + self.extra
        if self.token_file:
            args += ["--token-file", self.token_file]
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, text=True)
        _cleanups.append(self.kill)
        # Each process gets its own queue: the reader of a killed one must never report
        # its end to the process started after it.
        self.lines = queue.Queue()
        threading.Thread(target=self._read, args=(self.proc, self.lines), daemon=True).start()
        self.banner = []
        deadline = time.monotonic() + 60
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise RuntimeError(f"curvelab serve printed no 'listening on' line: {self.banner}")
            if line is None:
                if expect_ok:
                    raise RuntimeError(f"curvelab serve exited {self.proc.wait(30)}: {self.banner} {self.stderr()}")
                return self.proc.wait(30)
            self.banner.append(line)
            if line.startswith("listening on http://127.0.0.1:"):
                self.port = int(line.rsplit(":", 1)[1].strip("/\n"))
                return 0

    @staticmethod
    def _read(proc, lines):
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    def token(self):
        with open(self.token_file) as f:
            return f.read().strip()

    def stderr(self):
        self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def kill(self, sig=signal.SIGKILL):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=30)

    def stop(self):
        self.kill(signal.SIGTERM)

    def restart(self):
        self.kill()
        self.start()

    def request(self, method, path, body=None, headers=None, timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            data = body.encode() if isinstance(body, str) else body
            conn.request(method, path, body=data, headers=headers or {})
            r = conn.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            conn.close()

    def post(self, labels=None, body=None, headers=None):
        if body is None:
            body = json.dumps(labels)
        status, head, data = self.request("POST", "/api/labels", body, {"Content-Type": "application/json",
                                                                          **(headers or {})})
        try:
            return status, json.loads(data)
        except ValueError:
            return status, data

    def export(self, fmt="jsonl", token=None):
        status, _, data = self.request("GET", f"/api/labels?format={fmt}",
                                       headers={"Authorization": f"Bearer {token or self.token()}"})
        assert status == 200, (status, data)
        return data.decode()

    def exported_ids(self):
        return [json.loads(line)["id"] for line in self.export().splitlines() if line]


def find_pg_bindir():
    """Where initdb and pg_ctl are: pg_config's bindir, else Debian's versioned folder."""
    candidates = []
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
        candidates.append(out)
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for d in candidates:
        if os.path.exists(os.path.join(d, "initdb")) and os.path.exists(os.path.join(d, "pg_ctl")):
            return d
    return None


class PgCluster:
    """A throwaway PostgreSQL cluster (initdb, pg_ctl) listening only on a Unix socket in
    a private folder; stopped at exit. As root, it runs as the `postgres` user."""

    def __init__(self, fsync=False):
        self.bindir = find_pg_bindir()
        if not self.bindir:
            raise RuntimeError("initdb and pg_ctl not found (Debian package postgresql)")
        self.root = tempfile.mkdtemp(prefix="curvelab-pg-")
        self.data = os.path.join(self.root, "data")
        self.socket = self.root
        self.prefix = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self.user = pwd.getpwuid(os.geteuid()).pw_name if not self.prefix else "postgres"
        _cleanups.append(lambda: shutil.rmtree(self.root, ignore_errors=True))
        subprocess.run(self.prefix + [os.path.join(self.bindir, "initdb"), "-D", self.data, "-A", "trust", "-U",
                                      self.user, "--no-sync", "-E", "UTF8"], check=True, capture_output=True, timeout=120)
        options = f"-k {self.socket} -c listen_addresses='' -c max_connections=300"
        if not fsync:
            options += " -c fsync=off"
        _cleanups.append(self.stop)
        subprocess.run(self.prefix + [os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-w", "-t", "120", "-l",
                                      os.path.join(self.root, "log"), "-o", options, "start"],
                       check=True, capture_output=True, timeout=180)

    def url(self):
        return f"postgresql://{self.user}@/postgres?host={self.socket}"

    def psql(self, sql):
        return subprocess.run([os.path.join(self.bindir, "psql"), "-h", self.socket, "-U", self.user, "-d",
                               "postgres", "-At", "-c", sql], capture_output=True, text=True, timeout=60).stdout

    def stop(self):
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            subprocess.run(self.prefix + [os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-m", "immediate",
                                          "-w", "stop"], capture_output=True, timeout=120)


def store_url(kind, work):
    """A fresh store of the kind asked for: sqlite:PATH in `work`, or a new cluster."""
    if kind == "sqlite":
        return f"sqlite:{os.path.join(work, 'labels.db')}", None
    cluster = PgCluster()
    return cluster.url(), cluster
