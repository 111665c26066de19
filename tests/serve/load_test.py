"""200 concurrent clients x 50 labels against `curvelab serve`, with the server killed
(SIGKILL) and restarted twice while they send. Every label the server acknowledged is
stored exactly once, every refused one is listed (and stored nowhere), and nothing that
was sent is missing once every client is done.

usage: /usr/bin/python3 load_test.py CURVELAB sqlite|postgresql [CLIENTS] [LABELS]
"""
import collections
import http.client
import json
import sys
import threading
import time

from harness import Checks, Server, make_labels, scratch, store_url

cli, kind = sys.argv[1], sys.argv[2]
clients = int(sys.argv[3]) if len(sys.argv) > 3 else 200
per_client = int(sys.argv[4]) if len(sys.argv) > 4 else 50
batch = 5
t = Checks(f"serve.load.{kind}")
work = scratch()
db, cluster = store_url(kind, work)
templates = make_labels(cli, 21, 10, ["template"], work)
server = Server(cli, db, work, "--rate", "0", "--threads", "16")
deadline = time.monotonic() + 600  # a bound on the whole run, never a wait for timing

lock = threading.Lock()
acknowledged = collections.Counter()  # id -> acknowledgements (a retried batch acknowledges twice)
refused = {}                          # id -> the core's message
failures = collections.Counter()      # what made a client send a batch again
batches_done = 0
total_batches = clients * (per_client // batch)


def labels_of(client):
    out = []
    for n in range(per_client):
        label = dict(templates[(client + n) % len(templates)], id=f"c{client}-{n}", annotator=f"student-{client}")
        if n % 10 == 9:  # one in ten is broken: its answer does not fit its item
            label["answer"] = {"ranking": ["Z"]} if "ranking" in label["answer"] else {"stop": "nobody"}
        out.append(label)
    return out


def send(client):
    global batches_done
    labels = labels_of(client)
    for start in range(0, per_client, batch):
        body = json.dumps(labels[start:start + batch])
        attempt = 0
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
                conn.request("POST", "/api/labels", body=body, headers={"Content-Type": "application/json"})
                response = conn.getresponse()
                status, data = response.status, response.read()
                conn.close()
            except (OSError, http.client.HTTPException, ValueError) as e:
                with lock:
                    failures[type(e).__name__] += 1
                attempt += 1
                time.sleep(min(1.0, 0.02 * attempt))  # back-off before sending the batch again
                continue
            if status != 200:
                with lock:
                    failures[f"HTTP {status}"] += 1
                attempt += 1
                time.sleep(min(1.0, 0.02 * attempt))
                continue
            try:
                results = json.loads(data)["results"]
            except (ValueError, KeyError) as e:
                with lock:
                    failures[type(e).__name__] += 1
                continue
            with lock:
                for result in results:
                    if result["result"] in ("stored", "duplicate"):
                        acknowledged[result["id"]] += 1
                    else:
                        refused[result["id"]] = result["message"]
                batches_done += 1
            break


def killer():
    """Kills the server when a third, then two thirds of the batches are in."""
    for share in (1 / 3, 2 / 3):
        while time.monotonic() < deadline and any(th.is_alive() for th in threads):
            with lock:
                if batches_done >= share * total_batches:
                    break
            time.sleep(0.01)
        server.restart()
        kills.append(batches_done)


kills = []
started = time.monotonic()
threads = [threading.Thread(target=send, args=(c,)) for c in range(clients)]
k = threading.Thread(target=killer)
for th in threads:
    th.start()
k.start()
for th in threads:
    th.join()
k.join()
elapsed = time.monotonic() - started

expected_ids = {f"c{c}-{n}" for c in range(clients) for n in range(per_client) if n % 10 != 9}
expected_refused = {f"c{c}-{n}" for c in range(clients) for n in range(per_client) if n % 10 == 9}
stored = collections.Counter(server.exported_ids())
print(f"{clients} clients x {per_client} labels in {elapsed:.1f} s; killed after {kills} of {total_batches} batches; "
      f"batches sent again: {dict(failures)}")
t.check(batches_done == total_batches, f"every client got every batch answered: {batches_done}/{total_batches}")
t.check(len(kills) == 2 and sum(failures.values()) > 0, f"the server was killed twice while clients sent: {kills}")
t.check(set(acknowledged) == expected_ids, f"every valid label was acknowledged: {len(acknowledged)}")
t.check(all(stored[i] == 1 for i in acknowledged), "every acknowledged label is stored exactly once")
t.check(max(stored.values()) == 1 and sum(stored.values()) == len(expected_ids), "no duplicates, nothing else")
t.check(set(refused) == expected_refused and not (set(refused) & set(stored)),
        f"every refused label is listed and none is stored: {len(refused)} of {len(expected_refused)}")
t.check(all(m.startswith("answer: ") for m in refused.values()), "each refusal carries the core's reason")
t.finish()
