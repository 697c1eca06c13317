"""The service's cost over the library: /v1/check at 1, 8 and 32 concurrent clients with 1 and 2 uvicorn
workers, beside in-process `check()` (parse + check + report JSON, the same work) in the same run.

    python benchmarks/serve_bench.py                    # 2,000 requests per setting (about a minute on 2 cores)
    python benchmarks/serve_bench.py --requests 500     # a quick run

Loopback only: it starts `kzcompliance serve --port 0` on 127.0.0.1 (ephemeral port) and stops it with
SIGTERM. Clients are threads in this process, each on its own keep-alive connection (http.client), so at
high concurrency the client's own GIL share is in the figures. Target: at one client the service adds no
more than 1 ms at p50 over in-process check(). Cases come from `mix.py`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import threading
import time
from itertools import count
from pathlib import Path

from mix import cases

from kzcompliance import check

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 1.0


def percentiles(samples: list[float]) -> tuple[float, float]:
    qs = statistics.quantiles(samples, n=100, method="inclusive")
    return qs[49], qs[98]


def in_process(bodies: list[bytes], n: int) -> tuple[float, float, float]:
    """Requests/s, p50 and p99 (ms) of parse + check + to_json, serially in this process."""
    for body in bodies:  # warm, as the server is warmed: every case once
        check(json.loads(body)).to_json()
    times = []
    start = time.perf_counter()
    for i in range(n):
        t = time.perf_counter()
        check(json.loads(bodies[i % len(bodies)])).to_json()
        times.append((time.perf_counter() - t) * 1000)
    wall = time.perf_counter() - start
    return n / wall, *percentiles(times)


def start_server(workers: int) -> tuple[subprocess.Popen[str], str, int]:
    proc = subprocess.Popen([sys.executable, "-m", "kzcompliance", "serve", "--host", "127.0.0.1", "--port", "0",
                             "--workers", str(workers)], stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stderr is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if "running on http://" in line.lower():
            host, port = line.split("http://")[1].split()[0].rsplit(":", 1)
            threading.Thread(target=proc.stderr.read, daemon=True).start()  # drain the request log
            wait_ready(host, int(port))
            return proc, host, int(port)
    proc.kill()
    raise RuntimeError("the server did not start")


def wait_ready(host: str, port: int) -> None:
    """Until a worker listens (with --workers the socket is bound before the workers start)."""
    for _ in range(600):
        try:
            conn = http.client.HTTPConnection(host, port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except ConnectionRefusedError:
            time.sleep(0.05)
    raise RuntimeError("no worker answered")


def load(host: str, port: int, bodies: list[bytes], clients: int, n: int,
         path: str = "/v1/check") -> tuple[float, float, float]:
    """Requests/s, p50 and p99 (ms) of n POST `path` over `clients` concurrent keep-alive connections."""
    ticket = count()
    lock = threading.Lock()
    times: list[float] = []
    failures: list[str] = []

    def client() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        mine = []
        while True:
            with lock:
                i = next(ticket)
            if i >= n:
                break
            body = bodies[i % len(bodies)]
            t = time.perf_counter()
            if path == "/v1/check":
                conn.request("POST", path, body, {"Content-Type": "application/json"})
            else:
                conn.request("GET", path)
            r = conn.getresponse()
            r.read()
            mine.append((time.perf_counter() - t) * 1000)
            if r.status != 200:
                failures.append(str(r.status))
        conn.close()
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - start
    assert not failures, failures[:5]
    return n / wall, *percentiles(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=2000, help="requests per setting")
    ap.add_argument("--clients", default="1,8,32")
    ap.add_argument("--workers", default="1,2")
    args = ap.parse_args()
    bodies = [json.dumps(c).encode() for c in cases(500)]
    rate, p50_floor, p99_floor = in_process(bodies, args.requests)
    print(f"in-process check() (parse + check + report JSON), {args.requests} cases:")
    print(f"  {rate:8.0f} cases/s   p50 {p50_floor:.2f} ms   p99 {p99_floor:.2f} ms")
    print(f"POST /v1/check over loopback, {args.requests} requests per setting:")
    for workers in (int(w) for w in args.workers.split(",")):
        proc, host, port = start_server(workers)
        try:
            load(host, port, bodies, 1, len(bodies) * workers)  # warm: every case once per worker
            rate, p50, p99 = load(host, port, bodies, 1, args.requests, "/healthz")
            print(f"  workers {workers}, GET /healthz, 1 client: {rate:8.0f} req/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms"
                  "   (floor: HTTP round trip, routing, request log)")
            for clients in (int(c) for c in args.clients.split(",")):
                rate, p50, p99 = load(host, port, bodies, clients, args.requests)
                note = (f"   adds {p50 - p50_floor:+.2f} ms at p50 (target <= {TARGET_MS:g})" if clients == 1 else "")
                print(f"  workers {workers}, clients {clients:>2}: {rate:8.0f} req/s   p50 {p50:6.2f} ms   "
                      f"p99 {p99:6.2f} ms{note}")
        finally:
            proc.terminate()
            proc.wait(30)


if __name__ == "__main__":
    main()
