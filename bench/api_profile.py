"""Where a read request's time goes: the API's request mix run in process under cProfile.

    .venv/bin/python bench/api_profile.py --db /tmp/bench/new.db --requests 2000

Runs the same random reader mix as ``bench/api_load.py`` (searches, speakers, articles,
chains, stats) through FastAPI's TestClient over a read-only app with the answer cache
off (so every request runs its query), profiles the thread that runs the app, and prints
the share of the time spent in each stage: the endpoints (the query layer and the
database), FastAPI's response serialisation (pydantic-core's Rust JSON writer, FastAPI's
path for a declared ``response_model``), the middleware, and the rest (routing, the test
client's own transport). It answers "does JSON serialisation show in the profile?"
before anyone adds orjson. ``--top N`` also prints the N functions with most own time.

Sync endpoints normally run in a worker thread, which cProfile does not see; here they
are run inline on the app's thread (FastAPI's ``run_in_threadpool`` replaced for the
run), so the profile holds the whole request.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_load import request_mix  # noqa: E402  (a sibling script)

# (stage, module file fragment, function name): cumulative time of the outermost call
STAGES = [
    ("endpoints (query layer + database)", "fastapi/routing.py", "run_endpoint_function"),
    ("response serialisation (pydantic-core)", "fastapi/routing.py", "serialize_response"),
    (
        "request validation (query parameters)",
        "fastapi/dependencies/utils.py",
        "solve_dependencies",
    ),
]


def stage_times(stats: pstats.Stats) -> dict[str, float]:
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    out = {}
    for stage, fragment, name in STAGES:
        out[stage] = sum(
            ct
            for (file, _, func), (_, _, _, ct, _) in raw.items()
            if fragment in file and func == name
        )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="Store to read (SQLite path or URL)")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--top", type=int, default=0, help="Also print the top N functions")
    args = ap.parse_args()

    import fastapi.dependencies.utils
    import fastapi.routing
    from fastapi.testclient import TestClient

    from saidwhat.web import create_app
    from saidwhat.web.options import WebOptions

    async def inline(func, *a, **k):  # type: ignore[no-untyped-def]
        return func(*a, **k)

    fastapi.routing.run_in_threadpool = inline  # type: ignore[assignment]
    fastapi.dependencies.utils.run_in_threadpool = inline  # type: ignore[assignment]

    app = create_app(args.db, options=WebOptions(answer_cache_mb=0, access_log=False))
    profiler = cProfile.Profile()
    with TestClient(app) as client:
        mix = request_mix(client)
        names, weights = [m[0] for m in mix], [m[1] for m in mix]
        makers = {m[0]: m[2] for m in mix}
        r = random.Random(args.seed)
        paths = [makers[r.choices(names, weights)[0]](r) for _ in range(args.requests)]
        for path in paths[:50]:  # warm: first queries, compiled statements
            client.get(path)
        client.portal.call(profiler.enable)  # the app runs on the portal's thread
        t0 = time.perf_counter()
        for path in paths:
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{response.status_code} {path}")
        wall = time.perf_counter() - t0
        client.portal.call(profiler.disable)

    stats = pstats.Stats(profiler)
    raw = stats.stats  # type: ignore[attr-defined]
    idle = sum(v[2] for (_, _, func), v in raw.items() if "epoll" in func)  # awaiting the client
    busy = sum(v[2] for v in raw.values()) - idle
    n = args.requests
    print(
        f"{n} requests in {wall:.1f} s ({1000 * wall / n:.2f} ms each under the profiler); "
        f"the app's thread busy {1000 * busy / n:.2f} ms per request:"
    )
    stages = stage_times(stats)
    stages["the rest (routing, middleware, ASGI, test transport)"] = busy - sum(stages.values())
    for stage, seconds in stages.items():
        print(f"  {stage:<54}{1000 * seconds / n:>7.2f} ms{100 * seconds / busy:>7.1f} %")
    if args.top:
        stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
