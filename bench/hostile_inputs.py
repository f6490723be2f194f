"""Hostile inputs mixed with good articles, through `extract`, `ingest` and the API.

    .venv/bin/python bench/hostile_inputs.py                # everything, budget 10 s an article
    .venv/bin/python bench/hostile_inputs.py --skip-api --keep /tmp/hostile

Builds a folder of the inputs a hostile QA run used (nested quotes up to 64 KB, 5,000
quoted paragraphs, 200,000 quote marks, a 1-million-character article, a lone surrogate
escape in JSONL, 100,000-deep JSON, a FIFO, a link to a device file, CRLF and
trailing-newline twins of a good article) beside the bundled example articles, then:

1. runs ``saidwhat extract`` on each hostile input alone, timing it against a tiny good
   article (the difference is the input's own cost, which must stay within the budget);
2. runs ``saidwhat extract`` and ``saidwhat ingest`` over the whole mixed folder;
3. starts ``saidwhat serve`` on a loopback port and POSTs every input to
   ``/api/articles``, with a small article sent while each hostile one is in flight.

It passes (exit 0) when no output holds a Python traceback, no answer is a 5xx, every
good article is stored once (the CRLF and newline twins count as the same article), every
hostile input is analysed within its budget or refused with one line, and the small
article sent alongside is never held up past the budget. Prints a table and the total time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "articles"
SAIDWHAT = [str(Path(sys.executable).with_name("saidwhat"))]  # the console script of this venv
TOKEN = "hostile-bench-token"
SENTENCE = "The minister said the talks would resume next week, officials confirmed. "


@dataclass
class Outcome:
    name: str
    mode: str
    seconds: float
    status: str  # analysed | refused | FAILED: ...


def nested_quotes(size: int) -> str:
    """Quotes inside quotes inside quotes, alternating the marks, about ``size`` chars."""
    marks = ['"', "“", "«", "'"]
    opening, closing = [], []
    i = 0
    while sum(map(len, opening)) * 2 < size:
        mark = marks[i % len(marks)]
        opening.append(f"Speaker {i} said {mark}on day {i} ")
        closing.append({"“": "”", "«": "»"}.get(mark, mark) + " ")
        i += 1
    return "".join(opening) + "".join(reversed(closing)) + "\n"


def build_inputs(folder: Path) -> tuple[list[Path], list[Path]]:
    """(good files, hostile inputs) written under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    good = []
    for src in sorted(EXAMPLES.glob("*.txt")):
        dst = folder / f"good_{src.name}"
        shutil.copyfile(src, dst)
        good.append(dst)
    twin_text = good[0].read_text(encoding="utf-8")
    hostile: list[Path] = []

    def write(name: str, text: str) -> None:
        path = folder / name
        path.write_text(text, encoding="utf-8", newline="")
        hostile.append(path)

    for kb in (8, 16, 32, 64):
        write(f"nested_quotes_{kb}k.txt", nested_quotes(kb * 1024))
    write(
        "quoted_paragraphs_5000.txt",
        "".join(f'"We will not give in on point {i}," she said.\n\n' for i in range(5000)),
    )
    write("quote_marks_200000.txt", '" ' * 100_000)
    write("million_chars.txt", (SENTENCE * (1_000_000 // len(SENTENCE) + 1))[:999_000])
    good_line = json.dumps({"text": twin_text, "title": "fine"})
    (folder / "surrogate.jsonl").write_text(
        good_line + "\n" + '{"text": "bad \\ud800 text said the minister"}\n' + good_line + "\n",
        encoding="utf-8",
    )
    hostile.append(folder / "surrogate.jsonl")
    depth = 100_000
    write("deep.json", "[" * depth + "]" * depth)
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)
    hostile.append(fifo)
    device = folder / "zero.txt"
    device.symlink_to("/dev/zero")
    hostile.append(device)
    write("twin_crlf.txt", twin_text.replace("\n", "\r\n"))
    write("twin_newline.txt", twin_text + "\n\n")
    return good, hostile


def run(cmd: list[str], timeout: float, env: dict[str, str]) -> tuple[int, str, str, float]:
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL
        )
        code, out, err = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        code = -9
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        err = (exc.stderr.decode() if isinstance(exc.stderr, bytes) else exc.stderr or "") + (
            f"\nTIMEOUT after {timeout:.0f} s"
        )
    return code, out, err, time.perf_counter() - started


def traceback_in(*texts: str) -> bool:
    return any("Traceback (most recent call last)" in t for t in texts)


def extract_each(
    hostile: list[Path], tiny: Path, budget: float, env: dict[str, str]
) -> list[Outcome]:
    """Each hostile input alone; its cost is its time less a tiny article's."""
    _, _, _, base = run([*SAIDWHAT, "extract", str(tiny), "--format", "json"], 120, env)
    outcomes = []
    for path in hostile:
        code, out, err, secs = run(
            [*SAIDWHAT, "extract", str(path), "--format", "json"], base + budget * 3 + 30, env
        )
        own = max(0.0, secs - base)
        lines = [ln for ln in err.splitlines() if ln.strip() and path.name in ln]
        if traceback_in(out, err) or code == -9:
            status = "FAILED: traceback" if code != -9 else "FAILED: did not finish"
        elif own > budget * 1.5:
            status = f"FAILED: {own:.1f} s over the {budget:.0f} s budget"
        elif code == 0:
            status = "analysed"
        elif lines:
            status = "refused"
        else:
            status = f"FAILED: exit {code} without a line naming the file"
        outcomes.append(Outcome(path.name, "extract", own, status))
    return outcomes


def stored_paths(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT path FROM articles")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def api_round(
    folder: Path, good: list[Path], hostile: list[Path], budget: float, env: dict[str, str]
) -> list[Outcome]:
    """POST every input as text; a small article goes alongside each hostile one."""
    db = folder.parent / "api.db"
    port = free_port()
    log = folder.parent / "serve.log"  # a file, not a pipe: the access log must not block
    with log.open("w", encoding="utf-8") as log_file:
        server = subprocess.Popen(
            [*SAIDWHAT, "serve", "--db", str(db), "--port", str(port)],
            env={**env, "SAIDWHAT_TOKEN": TOKEN},
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {TOKEN}"}
    outcomes: list[Outcome] = []
    try:
        for _ in range(120):
            try:
                if httpx.get(f"{base}/api/stats", timeout=2).status_code < 500:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        small = {"text": good[1].read_text(encoding="utf-8")}

        def post(payload: dict[str, object], timeout: float) -> tuple[int, float]:
            started = time.perf_counter()
            try:
                answer = httpx.post(
                    f"{base}/api/articles", json=payload, headers=headers, timeout=timeout
                )
                code = answer.status_code
            except httpx.HTTPError:
                code = 0
            return code, time.perf_counter() - started

        for path in good + hostile:
            try:
                text = path.read_text(encoding="utf-8") if path.is_file() else None
            except (OSError, UnicodeDecodeError):
                text = None
            if text is None:
                continue  # FIFOs and devices cannot be sent as a body
            side: dict[str, float] = {}

            def alongside(result: dict[str, float]) -> None:
                time.sleep(0.5)
                result["code"], result["secs"] = post(small, budget * 4)

            helper = threading.Thread(target=alongside, args=(side,))
            helper.start()
            code, secs = post({"text": text}, budget * 4 + 30)
            helper.join()
            if code >= 500 or code == 0:
                status = f"FAILED: HTTP {code}"
            elif side.get("code", 0) >= 500 or side.get("secs", 0) > budget * 1.5:
                status = f"FAILED: a small article waited {side.get('secs', 0):.1f} s"
            elif secs > budget * 1.5 + 2:
                status = f"FAILED: {secs:.1f} s"
            else:
                status = "analysed" if code < 300 else "refused"
            outcomes.append(Outcome(path.name, "api", secs, status))
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    if traceback_in(log.read_text(encoding="utf-8", errors="replace")):
        outcomes.append(Outcome("(server log)", "api", 0.0, "FAILED: traceback in the server log"))
    return outcomes


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--budget", type=float, default=10.0, help="seconds an article may take")
    parser.add_argument("--keep", type=Path, help="build the inputs here and keep them")
    parser.add_argument("--skip-api", action="store_true", help="only extract and ingest")
    args = parser.parse_args()
    started = time.perf_counter()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="saidwhat-hostile-"))
    folder = workdir / "inputs"
    if folder.exists():
        shutil.rmtree(folder)
    good, hostile = build_inputs(folder)
    env = {**os.environ, "SAIDWHAT_TIME_BUDGET": str(args.budget)}
    outcomes = extract_each(hostile, good[0], args.budget, env)

    code, out, err, secs = run([*SAIDWHAT, "extract", str(folder), "--format", "json"], 1800, env)
    names = {
        json.loads(line)["article"].get("path", "")
        for line in out.splitlines()
        if line.startswith("{")
    }
    missing = [p.name for p in good if not any(n.endswith(p.name) for n in names)]
    status = (
        "FAILED: traceback"
        if traceback_in(out, err)
        else (f"FAILED: good articles missing: {missing[:3]}" if missing else "ok")
    )
    outcomes.append(Outcome("(whole folder)", "extract", secs, status))

    db = workdir / "ingest.db"
    if db.exists():
        db.unlink()
    code, out, err, secs = run([*SAIDWHAT, "ingest", str(folder), "--db", str(db)], 1800, env)
    paths = stored_paths(db) if db.exists() else []
    missing = [p.name for p in good if not any(s.endswith(p.name) for s in paths)]
    twins = [s for s in paths if "twin_" in s]
    if traceback_in(out, err):
        status = "FAILED: traceback"
    elif missing:
        status = f"FAILED: good articles not stored: {missing[:3]}"
    elif twins:
        status = f"FAILED: whitespace twins stored again: {twins}"
    else:
        status = "ok"
    outcomes.append(Outcome("(whole folder)", "ingest", secs, status))

    if not args.skip_api:
        outcomes += api_round(folder, good, hostile, args.budget, env)

    width = max(len(o.name) for o in outcomes)
    for o in outcomes:
        print(f"{o.mode:8} {o.name:{width}}  {o.seconds:7.1f} s  {o.status}")
    failed = [o for o in outcomes if o.status.startswith("FAILED")]
    print(
        f"{len(outcomes)} checks, {len(failed)} failed, {time.perf_counter() - started:.0f} s in all"
    )
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
