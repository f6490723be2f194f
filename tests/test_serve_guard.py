"""``saidwhat serve`` against slow and greedy clients, over raw sockets on loopback.

A real server runs in a subprocess (on a free port, over an empty store, with short
timeouts so the tests take seconds): a client that never finishes its request head
(slowloris), one that sends nothing, one that stalls in its body, and more connections
than the cap. Each must be cut off or refused on time while an ordinary request on
another connection is still answered, and the log must stay short (the rate limit)
while carrying one access line per request.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from saidwhat.store import open_store

HEADER_TIMEOUT = 1.0
BODY_TIMEOUT = 1.0
CAP = 12
BURST = 3


@dataclass
class Server:
    port: int
    log: Path
    proc: subprocess.Popen[bytes]

    def connect(self) -> socket.socket:
        s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return s

    def get(self, path: str = "/api/stats") -> bytes:
        with self.connect() as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode())
            return read_all(s)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def read_all(s: socket.socket) -> bytes:
    out = b""
    while chunk := s.recv(65536):
        out += chunk
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(folder: Path, *extra: str) -> Server:
    db = folder / "empty.db"
    if not db.exists():
        open_store(db).close()
    port = free_port()
    log = folder / f"serve-{port}.log"
    exe = Path(sys.executable).with_name("saidwhat")
    cmd = [str(exe), "serve", "--db", str(db), "--port", str(port), *extra]
    env = {k: v for k, v in os.environ.items() if k != "SAIDWHAT_TOKEN"}
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(port, log, proc)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited: {server.log_text()}")
        try:
            if server.get().startswith(b"HTTP/1.1 200"):
                return server
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"serve not ready: {server.log_text()}")


def stop(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.proc.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    s = start_server(
        tmp_path_factory.mktemp("serve"),
        f"--header-timeout={HEADER_TIMEOUT}",
        f"--body-timeout={BODY_TIMEOUT}",
        f"--max-connections={CAP}",
        f"--log-burst={BURST}",
        "--log-interval=60",  # no summary during the module: counts stay exact
    )
    yield s
    stop(s)


def closed_within(s: socket.socket, seconds: float) -> tuple[bytes, float]:
    """What the server sent before closing, and when it closed (fails if it did not)."""
    s.settimeout(seconds)
    t0 = time.monotonic()
    try:
        data = read_all(s)
    except TimeoutError:
        raise AssertionError(f"connection still open after {seconds} s") from None
    return data, time.monotonic() - t0


def test_a_trickled_request_head_is_cut_off(server: Server) -> None:
    head = b"GET /api/stats HTTP/1.1\r\nHost: t\r\nX-Pad: " + b"a" * 200
    with server.connect() as slow:
        t0 = time.monotonic()
        cut = False
        for i, byte in enumerate(head):  # one byte every 20 ms: would take 4.5 s to finish
            try:
                slow.sendall(bytes([byte]))
            except OSError:
                cut = True
                break
            if time.monotonic() - t0 > HEADER_TIMEOUT + 1.5:
                break
            time.sleep(0.02)
            if i == 20:
                # meanwhile an ordinary request on another connection is answered
                assert server.get().startswith(b"HTTP/1.1 200")
        elapsed = time.monotonic() - t0
        data = b""
        if not cut:
            data, _ = closed_within(slow, 2)
        assert elapsed < HEADER_TIMEOUT + 1.0
        assert cut or data.startswith(b"HTTP/1.1 408"), data


def test_a_silent_connection_is_closed(server: Server) -> None:
    with server.connect() as idle:
        data, after = closed_within(idle, HEADER_TIMEOUT + 2)
    assert data.startswith(b"HTTP/1.1 408")
    assert HEADER_TIMEOUT - 0.2 < after < HEADER_TIMEOUT + 1.0


def test_a_stalled_body_is_cut_off(server: Server) -> None:
    with server.connect() as s:
        s.sendall(
            b"POST /api/articles HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n" + b'{"text": "only the start'
        )
        _, after = closed_within(s, BODY_TIMEOUT + 2)
    assert after < BODY_TIMEOUT + 1.0


def test_connections_past_the_cap_are_refused_at_once(server: Server) -> None:
    held = [server.connect() for _ in range(CAP)]  # idle, each within its head timeout
    try:
        time.sleep(0.2)
        t0 = time.monotonic()
        answers = []
        for _ in range(30):
            with server.connect() as extra:
                answers.append(closed_within(extra, 2)[0])
        assert time.monotonic() - t0 < 3  # 30 refusals, each at once, not a timeout
        assert all(a.startswith(b"HTTP/1.1 503") and b"retry-after: 1" in a for a in answers)
    finally:
        for s in held:
            s.close()
    time.sleep(0.3)  # the held ones are gone: service as usual
    assert server.get().startswith(b"HTTP/1.1 200")
    refusals = server.log_text().count("refused a connection")
    assert 1 <= refusals <= BURST  # 30 refused, BURST logged, the rest counted


def test_one_access_line_per_request(server: Server) -> None:
    before = server.log_text().count("/api/speakers?limit=3")
    assert server.get("/api/speakers?limit=3").startswith(b"HTTP/1.1 200")
    assert server.get("/api/speakers/99?x=%0Aforged").startswith(b"HTTP/1.1 404")
    time.sleep(0.2)
    text = server.log_text()
    assert text.count("/api/speakers?limit=3") == before + 1
    stamp = r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} 127\.0\.0\.1 GET "
    ok = re.escape("/api/speakers?limit=3") + r" 200 \d+\.\d ms$"
    missing = re.escape("/api/speakers/99?x=%0Aforged") + r" 404 \d+\.\d ms$"
    assert re.search(stamp + ok, text, re.M)
    assert re.search(stamp + missing, text, re.M)


def test_no_access_log_turns_it_off(tmp_path: Path) -> None:
    quiet = start_server(tmp_path, "--no-access-log")
    try:
        assert quiet.get("/api/outlets").startswith(b"HTTP/1.1 200")
        time.sleep(0.2)
        assert "/api/outlets" not in quiet.log_text()
        assert "GET /api/stats" not in quiet.log_text()  # nor the readiness probes
    finally:
        stop(quiet)
