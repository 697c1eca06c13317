"""The service's cost over the library: /v1/check at 1, 8 and 32 concurrent clients with 1 and 2 uvicorn
workers, beside in-process `check()` (parse + check + report JSON, the same work) in the same run.

    python benchmarks/serve_bench.py                    # 2,000 requests per setting (about a minute on 2 cores)
    python benchmarks/serve_bench.py --requests 500     # a quick run

It also streams --batch-lines cases (default 20,000) through /v1/batch and prints the server's peak RSS
before and after: memory stays flat however long the body.

Loopback only: it starts `kzcompliance serve --port 0` on 127.0.0.1 (ephemeral port) and stops it with
SIGTERM. Clients are threads in this process, each on its own keep-alive connection (http.client), so at
high concurrency the client's own GIL share is in the figures. Target: at one client the service adds no
more than 1 ms at p50 over in-process check(); that is measured paired (one in-process check, then one
request, on the same case, in turn) so that both see the same load. Cases come from `mix.py`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
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
    proc = subprocess.Popen([sys.executable, "-P", "-m", "kzcompliance", "serve", "--host", "127.0.0.1", "--port", "0",
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def paired(host: str, port: int, pid: int, bodies: list[bytes], n: int) -> tuple[float, float, float, float]:
    """p50 (ms) of in-process check() and of POST /v1/check, one of each in turn on the same case, so both
    see the same machine load: the service's cost at one client is the difference. Also the CPU time per
    call (ms) of check() here and of the server process per request, which the machine's load barely moves."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    here, there = [], []
    cpu_here = 0.0
    cpu_there = cpu_seconds(pid)
    for i in range(n):
        body = bodies[i % len(bodies)]
        t, c = time.perf_counter(), time.process_time()
        check(json.loads(body)).to_json()
        here.append((time.perf_counter() - t) * 1000)
        cpu_here += time.process_time() - c
        t = time.perf_counter()
        conn.request("POST", "/v1/check", body, {"Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        there.append((time.perf_counter() - t) * 1000)
        assert r.status == 200, r.status
    conn.close()
    cpu_server = (cpu_seconds(pid) - cpu_there) / n * 1000
    return statistics.median(here), statistics.median(there), cpu_here / n * 1000, cpu_server


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def batch_rss(host: str, port: int, pid: int, bodies: list[bytes], lines: int) -> tuple[int, float, float]:
    """Stream `lines` cases through POST /v1/batch; the server's output lines and peak RSS before and after (MiB)."""
    before = peak_rss_mib(pid)

    def body() -> Iterator[bytes]:
        for i in range(0, lines, 100):
            yield b"".join(bodies[(i + j) % len(bodies)] + b"\n" for j in range(min(100, lines - i)))

    # Reports stream back while the body is sent: the client must read as it writes (as curl does), or both
    # sides' buffers fill and each waits for the other. So: a thread writes the chunked body, this one reads.
    sock = socket.create_connection((host, port), timeout=600)

    def send() -> None:
        sock.sendall(b"POST /v1/batch HTTP/1.1\r\nHost: bench\r\nContent-Type: application/x-ndjson\r\n"
                     b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        for piece in body():
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
        sock.sendall(b"0\r\n\r\n")

    writer = threading.Thread(target=send)
    writer.start()
    r = http.client.HTTPResponse(sock)
    r.begin()
    out = sum(1 for _ in r)
    writer.join()
    sock.close()
    return out, before, peak_rss_mib(pid)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=2000, help="requests per setting")
    ap.add_argument("--clients", default="1,8,32")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--batch-lines", type=int, default=20000, help="cases streamed through /v1/batch (1 worker)")
    args = ap.parse_args()
    bodies = [json.dumps(c).encode() for c in cases(500)]
    rate, p50, p99 = in_process(bodies, args.requests)
    print(f"in-process check() (parse + check + report JSON), {args.requests} cases:")
    print(f"  {rate:8.0f} cases/s   p50 {p50:.2f} ms   p99 {p99:.2f} ms")
    print(f"POST /v1/check over loopback, {args.requests} requests per setting:")
    for workers in (int(w) for w in args.workers.split(",")):
        proc, host, port = start_server(workers)
        try:
            load(host, port, bodies, 1, len(bodies) * workers)  # warm: every case once per worker
            rate, p50, p99 = load(host, port, bodies, 1, args.requests, "/healthz")
            print(f"  workers {workers}, GET /healthz, 1 client: {rate:8.0f} req/s   p50 {p50:6.2f} ms   "
                  f"p99 {p99:6.2f} ms   (floor: HTTP round trip, routing, request log)")
            for clients in (int(c) for c in args.clients.split(",")):
                rate, p50, p99 = load(host, port, bodies, clients, args.requests)
                note = ""
                if clients == 1:
                    p50_here, p50_there, cpu_here, cpu_there = paired(host, port, proc.pid, bodies, args.requests)
                    note = (f"\n    paired with in-process: check() p50 {p50_here:.2f} ms, "
                            f"/v1/check p50 {p50_there:.2f} ms, "
                            f"adds {p50_there - p50_here:+.2f} ms (target <= {TARGET_MS:g})")
                    if workers == 1:
                        note += (f"\n    CPU per call: check() {cpu_here:.2f} ms, "
                                 f"server per request {cpu_there:.2f} ms, "
                                 f"adds {cpu_there - cpu_here:+.2f} ms")
                print(f"  workers {workers}, clients {clients:>2}: {rate:8.0f} req/s   p50 {p50:6.2f} ms   "
                      f"p99 {p99:6.2f} ms{note}")
            if workers == 1 and args.batch_lines:
                n, before, after = batch_rss(host, port, proc.pid, bodies, args.batch_lines)
                print(f"  workers 1, POST /v1/batch of {n} lines (streamed): server peak RSS {before:.0f} MiB before, "
                      f"{after:.0f} MiB after")
        finally:
            proc.terminate()
            proc.wait(30)


if __name__ == "__main__":
    main()
