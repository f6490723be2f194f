"""Articles per second of ``saidwhat batch`` on 1, 2, ... Dask workers, and the scaling
efficiency (rate with k workers / (k x rate with 1 worker)).

Corpus: ``../shared/corpus/bbc`` (BBC news, 2,225 articles) when present, else generated
wire articles (invented names and quotes). Each worker count analyses the same articles
into a fresh output folder; the workers load the spaCy pipeline before the clock starts,
so the figure is steady-state throughput (analysis + Parquet), not start-up.

    .venv/bin/python bench/batch_scaling.py                    # local: 1 and 2 workers
    .venv/bin/python bench/batch_scaling.py --limit 600 --json bench-batch.json

A multi-machine cluster: start a scheduler on one machine and workers on every machine
(each with saidwhat and the spaCy model installed; no shared filesystem is needed: the
client reads the inputs and writes the Parquet, workers only analyse)::

    dask scheduler --port 8786                                        # on host A
    dask worker tcp://A:8786 --nworkers 8 --nthreads 1 --memory-limit 2GB   # on each host
    .venv/bin/python bench/batch_scaling.py --scheduler tcp://A:8786 --workers 1,8,16,32

With ``--scheduler`` each count k runs on the first k workers of the cluster (tasks are
pinned to them), so one cluster gives the whole curve. ``saidwhat batch --scheduler
tcp://A:8786`` runs a real corpus the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from saidwhat.batch import dask_client, run_batch, warm_up  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
BBC = REPO / ".." / "shared" / "corpus" / "bbc"

FIRST = [
    "Anna",
    "Boris",
    "Clara",
    "Dmitri",
    "Elena",
    "Farid",
    "Greta",
    "Hugo",
    "Irina",
    "Jonas",
    "Karin",
    "Lev",
    "Maria",
]
LAST = [
    "Abramov",
    "Berg",
    "Castell",
    "Dragan",
    "Eklund",
    "Fedorov",
    "Galan",
    "Hallberg",
    "Ivanko",
    "Jansen",
    "Kovac",
]
ROLES = ["foreign minister", "energy minister", "government spokeswoman", "union leader"]
PLACES = ["Oslo", "Geneva", "Vienna", "Warsaw", "Riga", "Tallinn"]
TOPICS = ["the grid", "grain exports", "the pipeline", "the new budget", "rail tariffs"]
CUES = ["said", "told reporters", "warned", "insisted", "added"]


def generated_corpus(folder: Path, n: int, seed: int = 7) -> Path:
    """``n`` invented wire stories (about 250 words each) as one JSONL file."""
    rng = random.Random(seed)
    path = folder / "generated.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            people = [(rng.choice(FIRST), rng.choice(LAST), rng.choice(ROLES)) for _ in range(3)]
            place, topic = rng.choice(PLACES), rng.choice(TOPICS)
            paras = [f"{place.upper()} (Reuters) - Talks on {topic} resumed on Tuesday."]
            for first, last, role in people:
                paras.append(
                    f'"We will not accept a deal on {topic} that hurts our people," {role} '
                    f"{first} {last} {rng.choice(CUES)} on the sidelines of meeting {i}. "
                    f"{last} said the next round would take place in {rng.choice(PLACES)} "
                    "and that experts had prepared the technical documents in advance."
                )
            paras.append(f"Officials in {place} did not comment on the timing of the next round.")
            day = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            fh.write(json.dumps({"text": "\n\n".join(paras), "date": day}) + "\n")
    return path


def corpus_files(args: argparse.Namespace, tmp: Path) -> tuple[list[str], str]:
    if BBC.is_dir() and not args.generate:
        files = sorted(str(p) for p in BBC.rglob("*.txt") if p.name != "README.TXT")
        files = files[: args.limit] if args.limit else files
        return files, f"{BBC.resolve()} ({len(files)} articles)"
    n = args.limit or 600
    return [str(generated_corpus(tmp, n))], f"{n} generated articles"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", default="1,2", help="worker counts to measure (default 1,2)")
    ap.add_argument("--scheduler", default=None, help="existing cluster, tcp://host:port")
    ap.add_argument("--limit", type=int, default=0, help="first N articles (0: all)")
    ap.add_argument("--partition-size", type=int, default=16)
    ap.add_argument("--generate", action="store_true", help="generated articles even with BBC")
    ap.add_argument("--json", dest="json_path", default=None, help="write the results here")
    args = ap.parse_args()
    counts = sorted({int(k) for k in args.workers.split(",")})
    tmp = Path(tempfile.mkdtemp(prefix="saidwhat-bench-"))
    try:
        files, described = corpus_files(args, tmp)
        print(f"corpus: {described}; partition size {args.partition_size}", flush=True)
        results = []
        with dask_client(args.scheduler, workers=None if args.scheduler else max(counts)) as c:
            addresses = sorted(c.nthreads())
            if max(counts) > len(addresses):
                sys.exit(f"the cluster has {len(addresses)} workers, fewer than {max(counts)}")
            c.run(warm_up)  # every worker loads the pipeline before timing
            for k in counts:
                out = tmp / f"out-{k}"
                t0, cpu0 = time.perf_counter(), time.process_time()
                report = run_batch(
                    files, out, c, partition_size=args.partition_size, workers=addresses[:k]
                )
                seconds = time.perf_counter() - t0
                client_cpu = (time.process_time() - cpu0) / seconds  # reading, writing, scheduler
                rate = report.articles / seconds
                # share of the k workers' wall time spent on CPU: < 100% when the
                # workers wait (client, scheduler) or other processes take the CPUs
                busy = report.task_cpu_seconds / (seconds * k)
                # CPU cost per article: flat across k means the work splits without overhead
                cpu_per_article = report.task_cpu_seconds / max(report.articles, 1)
                results.append({"workers": k, "articles": report.articles, "seconds": seconds,
                                "articles_per_second": rate, "worker_cpu_share": busy,
                                "client_cpu_share": client_cpu,
                                "cpu_seconds_per_article": cpu_per_article,
                                "failed": report.failed,
                                "load_average": os.getloadavg()[0]})  # fmt: skip
                print(f"{k:>3} workers: {report.articles} articles in {seconds:6.1f}s = "
                      f"{rate:6.2f} articles/s (workers on CPU {busy:.0%} of the time, "
                      f"client {client_cpu:.0%}, {cpu_per_article:.3f} CPU s/article, "
                      f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)",
                      flush=True)  # fmt: skip
                shutil.rmtree(out, ignore_errors=True)
        base = results[0]["articles_per_second"] / results[0]["workers"]
        for r in results:
            r["efficiency"] = r["articles_per_second"] / (base * r["workers"])
        print("\nworkers  articles/s  speed-up  efficiency")
        for r in results:
            speedup = r["articles_per_second"] / results[0]["articles_per_second"]
            print(f"{r['workers']:>7}  {r['articles_per_second']:>10.2f}  {speedup:>8.2f}  "
                  f"{r['efficiency']:>9.0%}")  # fmt: skip
        if args.json_path:
            doc = {"corpus": described, "partition_size": args.partition_size,
                   "scheduler": args.scheduler or "local", "cpus": os.cpu_count(),
                   "results": results}  # fmt: skip
            Path(args.json_path).write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
