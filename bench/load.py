"""Load test on loopback: N concurrent clients asking mixed questions for a fixed time.

    .venv/bin/python bench/load.py --index DIR [--clients 20] [--seconds 60] [--slots N]

Starts the real app (uvicorn, rate limit off) on a free loopback port over the index in DIR
(build one with bench/ingest.py --keep DIR for the whole corpus), runs the clients until the
time is up (bounded: each request has a 30 s timeout, the run stops itself), and prints
requests, errors, throughput, latency p50/p95/p99 and the server's resident memory.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import threading
import time
from pathlib import Path

from common import ROOT, SHARED, pct, rss_mb

sys.path.insert(0, str(ROOT / "tests"))  # the loopback server helper of the API tests

BROAD = [
    "How do councils make sure care leavers have somewhere safe to live?",
    "What do inspectors say about social workers' caseloads?",
    "How well are children missing from home or care protected?",
    "Is my council's children's social care any good?",
    "What is the capital of France?",
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", required=True)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--questions", default=str(SHARED / "eval" / "dev_questions.jsonl"))
    ap.add_argument("--slots", type=int, default=0,
                    help="questions worked on at once (INSPECTBOT_ANSWER_SLOTS; 0: one per core)")
    args = ap.parse_args()
    import logging

    import httpx

    logging.basicConfig(level=logging.WARNING)
    from test_api import Server
    from ui.app import create_app
    from ui.settings import Settings

    qs = [json.loads(x)["question"] for x in Path(args.questions).read_text().splitlines() if x.strip()]
    qs += BROAD * 20
    random.Random(1).shuffle(qs)
    settings = Settings(index_dir=args.index, rate_limit=0, answer_slots=args.slots)
    with Server(create_app(settings, mount_chat=False)) as url:
        httpx.post(f"{url}/api/ask", json={"question": qs[0]}, timeout=60)  # warm up

        lat: list[float] = []
        errors: list[str] = []
        stop = time.time() + args.seconds

        def client(i: int) -> None:
            n = i * 37
            with httpx.Client(base_url=url, timeout=30) as c:
                while time.time() < stop:
                    q = qs[n % len(qs)]
                    n += 1
                    t = time.perf_counter()
                    try:
                        r = c.post("/api/ask", json={"question": q})
                        if r.status_code != 200:
                            errors.append(f"{r.status_code} {q[:60]}")
                    except httpx.HTTPError as exc:
                        errors.append(f"{type(exc).__name__} {q[:60]}")
                    lat.append((time.perf_counter() - t) * 1e3)

        t0 = time.perf_counter()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.seconds + 60)
        wall = time.perf_counter() - t0
        rss = rss_mb()
    v = sorted(lat)
    print(f"clients           {args.clients} (answer slots: {args.slots or 'one per core'})")
    print(f"duration          {wall:.1f} s")
    print(f"requests          {len(lat)} ({len(lat) / wall:.1f}/s)")
    print(f"errors            {len(errors)}")
    print(f"latency ms        p50 {statistics.median(v):.1f}  p95 {pct(v, 0.95):.1f}  p99 {pct(v, 0.99):.1f}  max {v[-1]:.1f}")
    print(f"memory            {rss:.0f} MB resident (server and clients, one process)")
    for e in errors[:10]:
        print(f"error             {e}")


if __name__ == "__main__":
    main()
