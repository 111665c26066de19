"""Throughput and latency of `curvelab serve`: labels per second and the p50/p99 time of
one POST /api/labels, for SQLite and for PostgreSQL (a local cluster made here, fsync
on), with CLIENTS concurrent clients sending batches of 1 and of 20 labels.

usage: /usr/bin/python3 tests/serve/bench_serve.py build/curvelab [--clients 32] [--labels 4000]
The clients run in this Python process on the same machine, so the figures are a floor.
"""
import argparse
import http.client
import json
import threading
import time

from harness import PgCluster, Server, make_labels, scratch

parser = argparse.ArgumentParser()
parser.add_argument("cli")
parser.add_argument("--clients", type=int, default=32)
parser.add_argument("--labels", type=int, default=4000, help="labels per run")
args = parser.parse_args()
work = scratch()
templates = make_labels(args.cli, 31, 10, ["bench"], work)


def run(server, batch, tag):
    per_client = args.labels // args.clients // batch
    latencies, lock = [], threading.Lock()

    def client(c):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        mine = []
        for b in range(per_client):
            labels = [dict(templates[(c + b + i) % len(templates)], id=f"{tag}-{c}-{b}-{i}") for i in range(batch)]
            body = json.dumps(labels)
            start = time.perf_counter()
            conn.request("POST", "/api/labels", body=body, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            assert response.status == 200, response.status
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(c,)) for c in range(args.clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    n = len(latencies)
    return n * batch / elapsed, latencies[n // 2] * 1000, latencies[min(n - 1, int(n * 0.99))] * 1000


print(f"{args.clients} concurrent clients, {args.labels} labels per run\n")
print("| store | labels per request | labels/s | p50 latency | p99 latency |")
print("|---|---:|---:|---:|---:|")
cluster = PgCluster(fsync=True)
for name, db in [("SQLite (WAL, synchronous=FULL)", f"sqlite:{work}/bench.db"),
                 ("PostgreSQL 15 (local socket, fsync on)", cluster.url())]:
    server = Server(args.cli, db, work, "--rate", "0", "--threads", "16")
    for batch in (1, 20):
        rate, p50, p99 = run(server, batch, f"{name[:6]}-{batch}")
        print(f"| {name} | {batch} | {rate:,.0f} | {p50:.1f} ms | {p99:.1f} ms |", flush=True)
    server.stop()
cluster.stop()
