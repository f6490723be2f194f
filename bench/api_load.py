"""Load test of the REST API: many concurrent clients on localhost for a bounded time.

    .venv/bin/python bench/api_load.py                      # example corpus, 32 clients, 20 s
    .venv/bin/python bench/api_load.py --db corpus.db --clients 64 --seconds 30 --workers 2
    .venv/bin/python bench/api_load.py --url http://127.0.0.1:8000   # a server already running

Without ``--url`` it starts ``saidwhat serve`` in a subprocess on a free loopback port
(over ``--db``, or over a fresh store ingested from ``examples/articles``), waits for it,
drives it with ``--clients`` async httpx clients for ``--seconds`` (and at most
``--max-requests``), then stops it. The request mix is what a reader does: statement
searches with random filters and pages, speaker lists and profiles, articles, chains,
stats. Prints requests per second and latency percentiles per endpoint; exits 1 if any
request failed (a non-2xx answer or a transport error). Only loopback targets are
accepted: this never sends traffic off the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import httpx

REPO = Path(__file__).resolve().parents[1]
WORDS = ["moratorium", "truce", "talks", "energy", "sanctions", "strike", "Geneva", "monitors"]
ACTS = ["assert", "deny", "reject", "propose", "warn", "appeal", "accuse", "praise"]


def loopback_only(url: str) -> str:
    host = urlparse(url).hostname or ""
    try:
        ok = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok:
        raise SystemExit(f"--url {url}: only loopback servers (127.0.0.0/8, ::1, localhost)")
    return url.rstrip("/")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def example_store(folder: Path) -> Path:
    """A store ingested from examples/articles (the project's own fictional corpus)."""
    from saidwhat.ingest import ingest
    from saidwhat.store import open_store

    db = folder / "bench.db"
    with open_store(db) as store:
        report = ingest([str(REPO / "examples" / "articles")], store, progress=False)
    print(f"ingested {report.stored} example articles into {db}", file=sys.stderr)
    return db


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    exe = Path(sys.executable).with_name("saidwhat")
    cmd = [str(exe), "serve", "--db", str(db), "--port", str(port), "--workers", str(workers)]
    env = {k: v for k, v in os.environ.items() if k != "SAIDWHAT_TOKEN"}  # read-only
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_ready(base: str, proc: subprocess.Popen[bytes] | None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"server exited: {err.strip()}")
        try:
            if httpx.get(base + "/api/stats", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"server at {base} not ready after {timeout:.0f}s")


def request_mix(base: str) -> list[tuple[str, float, Callable[[random.Random], str]]]:
    """(endpoint name, weight, make a path) built from ids the server itself reports."""
    speakers = httpx.get(base + "/api/speakers", params={"limit": 100}).json()["items"]
    speaker_ids = [s["id"] for s in speakers] or [1]
    names = [s["name"] for s in speakers] or ["x"]
    page = httpx.get(base + "/api/statements", params={"limit": 200}).json()
    article_ids = sorted({s["article"]["id"] for s in page["items"]}) or ["0" * 16]
    outlets = [o["name"] for o in httpx.get(base + "/api/outlets").json()["items"]] or ["x"]

    def search(r: random.Random) -> str:
        params = [f"q={r.choice(WORDS)}"] if r.random() < 0.6 else []
        if r.random() < 0.3:
            params.append(f"act={r.choice(ACTS)}")
        if r.random() < 0.3:
            params.append(f"outlet={r.choice(outlets)}")
        if r.random() < 0.2:
            params.append(f"since=2026-03-{r.randint(1, 15):02d}")
        params.append(f"limit={r.choice([10, 20, 50])}&offset={r.choice([0, 0, 10, 20])}")
        return "/api/statements?" + "&".join(params)

    return [
        ("statements", 0.40, search),
        ("statements?speaker", 0.10, lambda r: f"/api/statements?speaker={r.choice(names)}"),
        ("speakers", 0.08, lambda r: f"/api/speakers?limit={r.choice([20, 50])}"),
        ("speaker", 0.14, lambda r: f"/api/speakers/{r.choice(speaker_ids)}"),
        ("article", 0.18, lambda r: f"/api/articles/{r.choice(article_ids)}"),
        ("chains", 0.05, lambda r: "/api/chains?limit=50"),
        ("stats", 0.05, lambda r: "/api/stats"),
    ]


async def drive(
    base: str, clients: int, seconds: float, max_requests: int, seed: int
) -> dict[str, list[float]]:
    mix = request_mix(base)
    names = [m[0] for m in mix]
    weights = [m[1] for m in mix]
    makers = {m[0]: m[2] for m in mix}
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    sent = 0
    stop_at = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(i: int, http: httpx.AsyncClient) -> None:
        nonlocal sent
        r = random.Random(seed + i)
        while time.perf_counter() < stop_at and sent < max_requests:
            sent += 1
            name = r.choices(names, weights)[0]
            path = makers[name](r)
            t0 = time.perf_counter()
            try:
                resp = await http.get(path)
                ok = resp.status_code == 200
                if ok:
                    resp.json()
                else:
                    errors.append(f"{resp.status_code} {path}")
            except (httpx.HTTPError, ValueError) as exc:
                ok = False
                errors.append(f"{type(exc).__name__} {path}")
            if ok:
                latencies[name].append(time.perf_counter() - t0)

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        await asyncio.gather(*(client(i, http) for i in range(clients)))
    latencies["_errors"] = [float(len(errors))]
    for e in errors[:10]:
        print("error:", e, file=sys.stderr)
    return latencies


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def report(lat: dict[str, list[float]], elapsed: float, clients: int) -> dict[str, object]:
    errors = int(lat.pop("_errors", [0])[0])
    everything = [x for v in lat.values() for x in v]
    rows = {}
    for name, values in sorted(lat.items()):
        rows[name] = {
            "requests": len(values),
            "p50_ms": 1000 * percentile(values, 50),
            "p95_ms": 1000 * percentile(values, 95),
            "p99_ms": 1000 * percentile(values, 99),
        }
    summary = {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(everything),
        "errors": errors,
        "rps": round(len(everything) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(1000 * percentile(everything, 50), 1),
        "p90_ms": round(1000 * percentile(everything, 90), 1),
        "p99_ms": round(1000 * percentile(everything, 99), 1),
        "max_ms": round(1000 * max(everything), 1) if everything else None,
        "mean_ms": round(1000 * statistics.fmean(everything), 1) if everything else None,
        "endpoints": rows,
    }
    print(f"{'endpoint':<22}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name, row in rows.items():
        print(
            f"{name:<22}{row['requests']:>9}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}{row['p99_ms']:>9.1f}"
        )
    print(
        f"\n{summary['requests']} requests in {summary['seconds']} s from {clients} clients: "
        f"{summary['rps']} req/s; latency p50 {summary['p50_ms']} ms, p90 {summary['p90_ms']} ms, "
        f"p99 {summary['p99_ms']} ms, max {summary['max_ms']} ms; errors {errors}"
    )
    return summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="A running server (loopback only); default: start one")
    ap.add_argument("--db", help="Store to serve (default: ingest examples/articles)")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--max-requests", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=1, help="Server worker processes")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", help="Also write the figures as JSON here")
    args = ap.parse_args()
    if not (1 <= args.clients <= 1000 and 0 < args.seconds <= 600):
        raise SystemExit("--clients must be 1..1000 and --seconds 0..600")

    proc = None
    with tempfile.TemporaryDirectory(prefix="saidwhat-load-") as tmp:
        if args.url:
            base = loopback_only(args.url)
        else:
            db = Path(args.db) if args.db else example_store(Path(tmp))
            base = f"http://127.0.0.1:{free_port()}"
            proc = start_server(db, int(base.rsplit(":", 1)[1]), args.workers)
        try:
            wait_ready(base, proc)
            t0 = time.perf_counter()
            lat = asyncio.run(drive(base, args.clients, args.seconds, args.max_requests, args.seed))
            summary = report(lat, time.perf_counter() - t0, args.clients)
        finally:
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
    summary["workers"] = args.workers if proc is not None else None
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
