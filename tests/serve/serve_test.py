"""curvelab serve against a real store (SQLite, or a PostgreSQL cluster made here): the
API, idempotence, the owner's token, limits, hostile bodies, CORS, migrations, the page.

usage: /usr/bin/python3 serve_test.py CURVELAB sqlite|postgresql
"""
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys

from harness import Checks, Server, make_labels, scratch, store_url

cli, kind = sys.argv[1], sys.argv[2]
t = Checks(f"serve.{kind}")
work = scratch()
db, cluster = store_url(kind, work)
labels = make_labels(cli, 11, 8, ["ann-1", "ann-2"], work)

dist = os.path.join(work, "dist")
os.makedirs(dist)
with open(os.path.join(dist, "quiz.html"), "w") as f:
    f.write("<!doctype html><html><head><title>quiz</title></head><body>quiz</body></html>")
server = Server(cli, db, work, "--dist", dist)
token = server.token()

# --- health, token -------------------------------------------------------------------
status, _, body = server.request("GET", "/healthz")
t.check(status == 200 and json.loads(body) == {"ok": True, "schema_version": 2}, f"healthz: {status} {body}")
t.check(re.fullmatch(r"[0-9a-f]{64}", token) is not None, "the token is 64 hex digits")
t.check(stat.S_IMODE(os.stat(server.token_file).st_mode) == 0o600, "the token file is readable by its owner only")
t.check(any("written to" in line for line in server.banner) and not any(token in l for l in server.banner),
        f"with --token-file the token is not printed: {server.banner}")

# --- append: a result per label, idempotent by id -----------------------------------
status, reply = server.post(labels[:5])
t.check(status == 200 and reply["stored"] == 5 and [r["result"] for r in reply["results"]] == ["stored"] * 5,
        f"five new labels are stored: {status} {reply}")
status, reply = server.post(labels[:6])
t.check(status == 200 and [r["result"] for r in reply["results"]] == ["duplicate"] * 5 + ["stored"],
        f"a retried batch gives duplicates and stores only the new one: {reply}")
jsonl = "\n".join(json.dumps(l) for l in labels[6:]) + "\n"
status, reply = server.post(body=jsonl, headers={"Content-Type": "application/x-ndjson"})
t.check(status == 200 and reply["stored"] == len(labels) - 6, f"JSON lines are taken too: {status} {reply}")
ids = server.exported_ids()
t.check(ids == [l["id"] for l in labels], "the export holds every label once, in the order stored")
exported = [json.loads(line) for line in server.export().splitlines()]
t.check(exported == labels, "the exported labels are the posted ones, field for field")

# --- refused labels name the core's reason; the valid ones in the batch still land ----
foreign = dict(labels[0], id="foreign-1", schema="someone-else/2")
bad_answer = dict(labels[0], id="bad-answer-1", answer={"nonsense": True})
fresh = dict(labels[1], id="fresh-1")
mixed = "\n".join([json.dumps(foreign), "{not json", json.dumps(fresh), json.dumps(bad_answer)]) + "\n"
status, reply = server.post(body=mixed)
results = reply["results"]
t.check(status == 200 and [r["result"] for r in results] == ["refused", "refused", "stored", "refused"],
        f"a mixed batch: a result per label {reply}")
one = os.path.join(work, "foreign.jsonl")
open(one, "w").write(json.dumps(foreign) + "\n")
core_message = subprocess.run([cli, "labels", "merge", one], capture_output=True, text=True).stderr.strip()
t.check(core_message == f"curvelab labels: {one}: line 1: {results[0]['message']}",
        f"the refusal is the core's, as an import gives it: {results[0]} vs {core_message}")
t.check(results[1]["message"] == "not valid JSON" and results[3]["field"] == "answer", f"reasons: {results}")
t.check(len(server.exported_ids()) == len(labels) + 1, "only the valid label of the mixed batch was stored")

# --- owner only ------------------------------------------------------------------------
for headers, what in [({}, "no token"), ({"Authorization": "Bearer " + "0" * 64}, "a wrong token"),
                      ({"Authorization": "Bearer " + token[:-1]}, "a truncated token"),
                      ({"Authorization": token}, "a token without Bearer")]:
    for path in ["/api/labels", "/api/labels?format=csv", "/api/summary"]:
        status, head, body = server.request("GET", path, headers=headers)
        t.check(status == 401 and b"ann-1" not in body, f"{path} with {what} is refused: {status}")
csv = server.export("csv")
export_file = os.path.join(work, "export.jsonl")
open(export_file, "w").write(server.export())
core_csv = subprocess.run([cli, "labels", "csv", export_file], capture_output=True, text=True, check=True).stdout
t.check(csv == core_csv, "the CSV export is the core's labels_to_csv of the stored labels")
status, _, body = server.request("GET", "/api/labels?format=xml", headers={"Authorization": f"Bearer {token}"})
t.check(status == 400 and b"jsonl or csv" in body, f"an unknown format is refused: {status} {body}")

status, _, body = server.request("GET", "/api/summary", headers={"Authorization": f"Bearer {token}"})
summary = json.loads(body)
core_summary = json.loads(subprocess.run([cli, "labels", "summary", export_file, "--format", "json"],
                                         capture_output=True, text=True, check=True).stdout)
standings = summary.pop("standings")
t.check(status == 200 and summary == core_summary, "the summary is the core's label_summary of the stored labels")
t.check([s["annotator"] for s in standings] == ["ann-1", "ann-2"] and standings[0]["mean_score"] == 1.0
        and standings[0]["labels"] == 9 and standings[1]["labels"] == 8 and standings[1]["mean_score"] < 1.0,
        f"standings: the annotator who gave the key first, with mean score 1: {standings}")

# --- hostile bodies: 4xx, nothing changes ----------------------------------------------
count = len(server.exported_ids())
deep = "[" * 100000 + "]" * 100000
deep_label = dict(labels[2], id="deep-1", display={"a": json.loads("[" * 80 + "]" * 80)})
hostile = [
    ("an empty body", b"", 400),
    ("whitespace", b" \n\t ", 400),
    ("a broken array", b"[{\"schema\": ", 400),
    ("an array of non-labels", b"[1, \"x\", null, [], {}]", 422),
    ("a JSON object that is no label", b"{\"hello\": 1}", 422),
    ("binary noise", bytes(range(256)) * 8, 422),
    ("100,000 nested arrays", deep.encode(), 400),
    ("a label nested 80 deep", json.dumps(deep_label).encode(), 422),
    ("2 MB of labels", ("\n".join([json.dumps(labels[0])] * 1000)).encode(), 413),
    ("501 labels", json.dumps([dict(labels[0], id=f"many-{i}") for i in range(501)]).encode(), 413),
    ("a label with HTML in every string", json.dumps([dict(labels[0], id="<script>alert(1)</script>",
                                                           schema="<img src=x onerror=alert(1)>")]).encode(), 422),
]
for what, body, expected in hostile:
    status, head, data = server.request("POST", "/api/labels", body, {"Content-Type": "application/json"})
    t.check(status == expected, f"{what}: {expected} expected, got {status} {data[:200]}")
    t.check(head.get("Content-Type", "").startswith("application/json") and head.get("X-Content-Type-Options") ==
            "nosniff", f"{what}: the reply is JSON, never sniffed as HTML: {head}")
t.check(len(server.exported_ids()) == count, "no hostile body changed what is stored")
status, head, data = server.request("POST", "/api/labels", "[]" + " " * (2 * 1024 * 1024))
t.check(status == 413 and b"at most 1048576 bytes" in data, f"a body over --max-body: {status} {data}")
status, head, data = server.request("GET", "/<script>alert(1)</script>")
t.check(status == 404 and b"<script>" not in data, f"a 404 does not echo the path: {status} {data}")

# --- the page, marked as collected; no way out of --dist --------------------------------
status, head, data = server.request("GET", "/quiz.html")
t.check(status == 200 and b'<meta name="curvelab-collector" content="api/labels">' in data,
        f"the served page learns that a collector is present: {status} {data}")
for path in ["/../token", "/%2e%2e/token", "/..%2ftoken"]:
    status, _, data = server.request("GET", path)
    t.check(status >= 400 and token.encode() not in data, f"{path} stays inside --dist: {status}")

# --- CORS: the served origin only, unless configured ------------------------------------
host = f"127.0.0.1:{server.port}"
status, reply = server.post([dict(labels[0], id="evil-1")], headers={"Origin": "http://evil.example"})
t.check(status == 403 and "--allow-origin" in reply["error"], f"another origin may not append: {status} {reply}")
status, head, _ = server.request("OPTIONS", "/api/labels", headers={"Origin": "http://evil.example",
                                                                    "Access-Control-Request-Method": "POST"})
t.check(status == 403 and "Access-Control-Allow-Origin" not in head, f"nor pass a preflight: {status} {head}")
status, reply = server.post([dict(labels[0], id="same-origin-1")], headers={"Origin": f"http://{host}"})
t.check(status == 200 and reply["stored"] == 1, f"the served origin may: {status} {reply}")
t.check("evil-1" not in server.exported_ids(), "nothing from the refused origin was stored")

# --- the token is in no log; a restart keeps it, --new-token replaces it ----------------
log = server.stderr()
t.check(token not in log and "POST /api/labels" in log, "the request log has the requests and never the token")
server.stop()
server.start()
t.check(server.token() == token and any("already set" in l for l in server.banner), "a restart keeps the token")
t.check(len(server.exported_ids()) == count + 1, "a restart keeps every label")
server.stop()
plain = Server(cli, db, work, "--new-token", token_file=False)
printed = [l for l in plain.banner if l.startswith("owner token (shown this once")]
new_token = printed[0].rsplit(" ", 1)[1] if printed else ""
t.check(re.fullmatch(r"[0-9a-f]{64}", new_token) is not None, f"--new-token prints a new token once: {plain.banner}")
status, _, _ = plain.request("GET", "/api/summary", headers={"Authorization": f"Bearer {token}"})
t.check(status == 401, "the old token stops working")
status, _, _ = plain.request("GET", "/api/summary", headers={"Authorization": f"Bearer {new_token}"})
t.check(status == 200, "the new one works")
plain.request("GET", "/api/labels", headers={"Authorization": f"Bearer {new_token}"})
t.check(new_token not in plain.stderr(), "the new token is in no log either")
plain.stop()

# --- rate limit, label and body limits ---------------------------------------------------
limited = Server(cli, db, work, "--rate", "5")
statuses = [limited.post([labels[0]])[0] for _ in range(6)]
status, head, data = limited.request("POST", "/api/labels", json.dumps([labels[0]]))
t.check(statuses == [200] * 5 + [429] and status == 429 and "Retry-After" in head and b"per minute" in data,
        f"--rate 5: the sixth request is refused: {statuses} {status}")
limited.stop()
limited = Server(cli, db, work, "--max-labels", "3", "--max-body", "2000000")
status, reply = limited.post([dict(labels[0], id=f"four-{i}") for i in range(4)])
t.check(status == 413 and reply["error"] == "at most 3 labels per request, got 4", f"--max-labels: {reply}")
status, _, data = limited.request("POST", "/api/labels", "x" * 2000001)
t.check(status == 413 and b"at most 2000000 bytes" in data, f"--max-body: {status} {data}")
limited.stop()

# --- configured origins ----------------------------------------------------------------
opened = Server(cli, db, work, "--allow-origin", "https://class.example")
status, head, _ = opened.request("OPTIONS", "/api/labels", headers={"Origin": "https://class.example",
                                                                    "Access-Control-Request-Method": "POST"})
t.check(status == 204 and head.get("Access-Control-Allow-Origin") == "https://class.example"
        and "POST" in head.get("Access-Control-Allow-Methods", ""), f"a configured origin's preflight: {head}")
status, reply = opened.post([dict(labels[0], id="class-1")], headers={"Origin": "https://class.example"})
t.check(status == 200 and reply["stored"] == 1, f"a configured origin may append: {reply}")
opened.stop()

# --- bad flags and stores: exit 2, one line ---------------------------------------------
for args, expected in [(["--port", "70000"], "--port must be in [0, 65535], got 70000"),
                       (["--db", "mysql://x/y"], "--db must be sqlite:PATH or postgresql://"),
                       (["--db", "sqlite:" + os.path.join(work, "missing", "x.db")], "cannot open SQLite database"),
                       (["--db", "postgresql://nobody@/x?host=" + os.path.join(work, "nowhere")],
                        "cannot connect to postgresql://nobody@/x"),
                       (["--allow-origin", "evil"], "--allow-origin must be * or an origin"),
                       (["--max-labels", "0"], "--max-labels must be in [1, 100000], got 0")]:
    r = subprocess.run([cli, "serve"] + args, capture_output=True, text=True, timeout=60)
    t.check(r.returncode == 2 and r.stderr.count("\n") == 1 and expected in r.stderr,
            f"serve {args}: exit 2 with one line naming the problem: {r.returncode} {r.stderr!r}")

# --- migrations (SQLite: a store at version 1 is upgraded; a newer one refused) ----------
if kind == "sqlite":
    old = os.path.join(work, "old.db")
    con = sqlite3.connect(old)
    from_v1 = subprocess.run([cli, "serve", "--help"], capture_output=True, text=True)  # noqa: F841 (help works)
    con.executescript("""
      CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
      INSERT INTO schema_migrations VALUES (1, '2026-01-01T00:00:00.000Z');
      CREATE TABLE labels (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, annotator TEXT NOT NULL,
                           quiz_kind TEXT NOT NULL, received_at TEXT NOT NULL, line TEXT NOT NULL);
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);""")
    con.execute("INSERT INTO labels (id, annotator, quiz_kind, received_at, line) VALUES (?, ?, ?, ?, ?)",
                (labels[0]["id"], "ann-1", labels[0]["quiz_kind"], "2026-01-01", json.dumps(labels[0])))
    con.commit()
    con.close()
    upgraded = Server(cli, "sqlite:" + old, work)
    status, _, body = upgraded.request("GET", "/healthz")
    t.check(json.loads(body)["schema_version"] == 2 and upgraded.exported_ids() == [labels[0]["id"]],
            "a version-1 store is migrated to 2 and keeps its labels")
    upgraded.stop()
    con = sqlite3.connect(old)
    versions = [v for (v,) in con.execute("SELECT version FROM schema_migrations ORDER BY version")]
    journal = con.execute("PRAGMA journal_mode").fetchone()[0]
    con.execute("INSERT INTO schema_migrations VALUES (99, 'later')")
    con.commit()
    con.close()
    t.check(versions == [1, 2] and journal == "wal", f"each migration is recorded, WAL mode: {versions} {journal}")
    r = subprocess.run([cli, "serve", "--db", "sqlite:" + old], capture_output=True, text=True, timeout=60)
    t.check(r.returncode == 2 and "schema version 99, made by a newer curvelab" in r.stderr, f"newer store: {r.stderr}")
else:
    versions = cluster.psql("SELECT version FROM schema_migrations ORDER BY version").split()
    t.check(versions == ["1", "2"], f"each migration is recorded once: {versions}")
    indexes = cluster.psql("SELECT indexname FROM pg_indexes WHERE tablename = 'labels' ORDER BY indexname").split()
    t.check("labels_annotator" in indexes and "labels_id_key" in indexes, f"the schema's indexes: {indexes}")
    cluster.psql("INSERT INTO schema_migrations VALUES (99, 'later')")
    r = subprocess.run([cli, "serve", "--db", db], capture_output=True, text=True, timeout=60)
    t.check(r.returncode == 2 and "schema version 99, made by a newer curvelab" in r.stderr, f"newer store: {r.stderr}")

t.finish()
