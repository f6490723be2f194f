"""Load test of the REST API: many concurrent clients on loopback, against one or more
code trees serving the same store, in one run.

    .venv/bin/python bench/api_load.py                      # example corpus, this tree
    .venv/bin/python bench/api_load.py --db corpus.db --clients 50,200 --seconds 20
    .venv/bin/python bench/api_load.py --db new.db --tree new=src \\
        --tree old=/tmp/old/src:old.db                     # this tree against another one
    .venv/bin/python bench/api_load.py --url http://127.0.0.1:8000   # a server already running

Each ``--tree NAME=SRC[:DB]`` is a checkout's ``src`` folder: its ``saidwhat serve`` is
started in a subprocess with this interpreter and ``PYTHONPATH=SRC`` on a free loopback
port, over ``DB`` (default ``--db``; an older tree may need the store at its own
revision, so give it a copy migrated no further). Without ``--tree`` this tree is
served; without ``--db`` a fresh store is ingested from ``examples/articles``.

All servers are started first; then for every ``--clients`` count and every ``--mode``
each tree in turn gets ``--warmup`` seconds of that load and then ``--seconds``
measured (taking turns, so that a machine busier at one moment slows every tree alike). ``cold`` clients send every
request in full; ``revalidate`` clients behave as browsers do with ``Cache-Control:
no-cache``: they keep each answer's ETag and send it back in ``If-None-Match`` (a 304 is
a success). The request mix is what a reader does: statement searches with random
filters and pages, speaker lists and profiles, articles, chains, stats. The clients
speak HTTP/1.1 over keep-alive connections with a small asyncio client of their own
(httpx would cost the machine more than the server under test). Prints req/s, latency
percentiles and errors per run; exits 1 if any request failed (a status other than 200
or 304, or a transport error). Only loopback targets are accepted.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import random
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlparse

import httpx

REPO = Path(__file__).resolve().parents[1]
WORDS = ["minister", "election", "tax", "government", "labour", "growth", "said", "plans"]
ACTS = ["assert", "deny", "reject", "propose", "warn", "appeal", "accuse", "praise"]
MODES = ("cold", "revalidate")


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


@dataclass
class Tree:
    name: str
    src: Path
    db: Path
    serve_args: list[str] = field(default_factory=list)


def parse_tree(spec: str, default_db: Path | None) -> Tree:
    name, _, rest = spec.partition("=")
    src, _, db = rest.partition(":")
    if not name or not src:
        raise SystemExit(f"--tree {spec}: expected NAME=SRC[:DB]")
    store = Path(db) if db else default_db
    if store is None:
        raise SystemExit(f"--tree {spec}: no DB and no --db")
    return Tree(name, Path(src).resolve(), store)


def start_server(tree: Tree, port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "saidwhat.cli", "serve", "--db", str(tree.db)]
    cmd += ["--port", str(port), "--workers", str(workers), *tree.serve_args]
    env = {k: v for k, v in os.environ.items() if k != "SAIDWHAT_TOKEN"}  # read-only
    env["PYTHONPATH"] = str(tree.src)
    with log.open("wb") as out:  # the server's own log (access lines: rate-limited)
        return subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_ready(base: str, proc: subprocess.Popen[bytes] | None, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"server exited with status {proc.returncode}")
        try:
            if httpx.get(base + "/api/stats", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"server at {base} not ready after {timeout:.0f}s")


Mix = list[tuple[str, float, Callable[[random.Random], str]]]


def request_mix(client: httpx.Client) -> Mix:
    """(endpoint name, weight, make a path) built from ids the server itself reports
    (``client`` has the server as its base URL; bench/api_profile.py hands in a
    TestClient)."""
    speakers = client.get("/api/speakers", params={"limit": 100}).json()["items"]
    speaker_ids = [s["id"] for s in speakers] or [1]
    names = [s["name"] for s in speakers] or ["x"]
    page = client.get("/api/statements", params={"limit": 200}).json()
    article_ids = sorted({s["article"]["id"] for s in page["items"]}) or ["0" * 16]
    outlets = [o["name"] for o in client.get("/api/outlets").json()["items"]] or ["x"]

    def search(r: random.Random) -> str:
        params = [f"q={r.choice(WORDS)}"] if r.random() < 0.6 else []
        if r.random() < 0.3:
            params.append(f"act={r.choice(ACTS)}")
        if r.random() < 0.3:
            params.append(f"outlet={quote(r.choice(outlets))}")
        if r.random() < 0.2:
            params.append(f"since=2005-{r.randint(1, 12):02d}")
        params.append(f"limit={r.choice([10, 20, 50])}&offset={r.choice([0, 0, 10, 20])}")
        return "/api/statements?" + "&".join(params)

    return [
        ("statements", 0.40, search),
        ("statements?speaker", 0.10, lambda r: f"/api/statements?speaker={quote(r.choice(names))}"),
        ("speakers", 0.08, lambda r: f"/api/speakers?limit={r.choice([20, 50])}"),
        ("speaker", 0.14, lambda r: f"/api/speakers/{r.choice(speaker_ids)}"),
        ("article", 0.18, lambda r: f"/api/articles/{r.choice(article_ids)}"),
        ("chains", 0.05, lambda r: "/api/chains?limit=50"),
        ("stats", 0.05, lambda r: "/api/stats"),
    ]


class Connection:
    """One keep-alive HTTP/1.1 connection: GET, read the answer (Content-Length or
    chunked), reconnect when the server closes."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, etag: str | None) -> tuple[int, str | None]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        extra = f"If-None-Match: {etag}\r\n" if etag else ""
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n{extra}\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, _, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
        if status not in (204, 304) and "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readuntil(b"\r\n")
        if headers.get("connection") == "close":
            self.close()
        return status, headers.get("etag")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


async def drive(base: str, mix: Mix, clients: int, mode: str, seconds: float, seed: int) -> Run:
    names = [m[0] for m in mix]
    weights = [m[1] for m in mix]
    makers = {m[0]: m[2] for m in mix}
    url = urlparse(base)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    run = Run()
    stop_at = time.perf_counter() + seconds

    async def client(i: int) -> None:
        r = random.Random(seed + i)
        conn = Connection(host, port)
        etags: dict[str, str] = {}  # what a browser keeps
        while time.perf_counter() < stop_at:
            path = makers[r.choices(names, weights)[0]](r)
            t0 = time.perf_counter()
            try:
                status, etag = await conn.get(path, etags.get(path))
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                conn.close()
                run.errors.append(f"{type(exc).__name__} {path}")
                continue
            run.statuses[status] = run.statuses.get(status, 0) + 1
            if status in (200, 304):
                run.latencies.append(time.perf_counter() - t0)
                if mode == "revalidate" and etag:
                    etags[path] = etag
            else:
                run.errors.append(f"{status} {path}")
        conn.close()

    await asyncio.gather(*(client(i) for i in range(clients)))
    return run


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summarise(tree: str, clients: int, mode: str, run: Run, elapsed: float) -> dict[str, object]:
    lat = run.latencies
    return {
        "tree": tree,
        "clients": clients,
        "mode": mode,
        "seconds": round(elapsed, 1),
        "requests": len(lat),
        "not_modified": run.statuses.get(304, 0),
        "errors": len(run.errors),
        "rps": round(len(lat) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(1000 * percentile(lat, 50), 1),
        "p99_ms": round(1000 * percentile(lat, 99), 1),
        "max_ms": round(1000 * max(lat), 1) if lat else None,
    }


def print_table(rows: list[dict[str, object]]) -> None:
    print(
        f"\n{'tree':<8}{'mode':<12}{'clients':>8}{'requests':>10}{'304s':>8}"
        f"{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}"
    )
    for r in rows:
        print(
            f"{r['tree']!s:<8}{r['mode']!s:<12}{r['clients']:>8}{r['requests']:>10}"
            f"{r['not_modified']:>8}{r['rps']:>9}{r['p50_ms']:>9}{r['p99_ms']:>9}"
            f"{r['max_ms']!s:>9}{r['errors']:>8}"
        )


def load(targets: dict[str, str], args: argparse.Namespace) -> list[dict[str, object]]:
    """Every client count and mode against every target, the targets taking turns in
    each (so a machine that gets busier during the run slows them alike)."""
    mixes = {}
    for name, base in targets.items():
        with httpx.Client(base_url=base, timeout=30) as client:
            mixes[name] = request_mix(client)
    rows = []
    for clients in args.clients:
        for mode in args.mode:
            for name, base in targets.items():
                if args.warmup:
                    asyncio.run(drive(base, mixes[name], clients, mode, args.warmup, args.seed + 1))
                t0 = time.perf_counter()
                run = asyncio.run(drive(base, mixes[name], clients, mode, args.seconds, args.seed))
                row = summarise(name, clients, mode, run, time.perf_counter() - t0)
                for e in run.errors[:5]:
                    print(f"error ({name}, {clients} {mode}): {e}", file=sys.stderr)
                print_table([row])
                rows.append(row)
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="A running server (loopback only); default: start them")
    ap.add_argument("--db", help="Store to serve (default: ingest examples/articles)")
    ap.add_argument("--tree", action="append", default=[], metavar="NAME=SRC[:DB]")
    ap.add_argument(
        "--serve-args",
        action="append",
        default=[],
        metavar="NAME=ARGS",
        help="More options for tree NAME's saidwhat serve (e.g. 'nocache=--answer-cache-mb 0')",
    )
    ap.add_argument("--clients", default="50,200", help="Comma-separated client counts")
    ap.add_argument("--mode", default=",".join(MODES), help="cold, revalidate or both")
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--workers", type=int, default=1, help="Server worker processes")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", help="Also write the figures as JSON here")
    args = ap.parse_args()
    args.clients = [int(c) for c in args.clients.split(",")]
    args.mode = [m for m in args.mode.split(",") if m]
    if not all(1 <= c <= 1000 for c in args.clients) or not 0 < args.seconds <= 600:
        raise SystemExit("--clients must be 1..1000 and --seconds 0..600")
    if set(args.mode) - set(MODES):
        raise SystemExit(f"--mode: {', '.join(MODES)}")

    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="saidwhat-load-") as tmp:
        if args.url:
            base = loopback_only(args.url)
            wait_ready(base, None)
            rows += load({"url": base}, args)
        else:
            db = Path(args.db) if args.db else None
            trees = [parse_tree(t, db) for t in args.tree] or [
                Tree("this", REPO / "src", db or example_store(Path(tmp)))
            ]
            for spec in args.serve_args:
                name, _, more = spec.partition("=")
                for tree in trees:
                    if tree.name == name:
                        tree.serve_args += shlex.split(more)
            servers: dict[str, tuple[str, subprocess.Popen[bytes], Path]] = {}
            try:
                for tree in trees:
                    port = free_port()
                    log = Path(tmp) / f"{tree.name}.log"
                    proc = start_server(tree, port, args.workers, log)
                    servers[tree.name] = (f"http://127.0.0.1:{port}", proc, log)
                for base, proc, _ in servers.values():
                    wait_ready(base, proc)
                rows += load({name: s[0] for name, s in servers.items()}, args)
            finally:
                for name, (_, proc, log) in servers.items():
                    proc.terminate()
                    try:
                        proc.wait(timeout=15)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                    tail = log.read_text(errors="replace").splitlines()[-2:]
                    print(f"{name} server log, last lines: {tail}", file=sys.stderr)
    print("\nall runs:")
    print_table(rows)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 1 if any(r["errors"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
