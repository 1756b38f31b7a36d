"""Where an answer's CPU goes: cProfile over ``Answerer.ask`` for each one-question line of a
JSONL question file, in process (no HTTP).

    .venv/bin/python bench/profile_ask.py INDEX_DIR [QUESTIONS.jsonl] [--top 25] [--passes 1]

Prints the CPU time per question (process time, so other users of the machine count less) and
the top of the profile by cumulative and by own time. The first pass asks every question once,
so caches of repeated questions do not flatter it; ``--passes 2`` also profiles a second pass.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import time
from pathlib import Path

from common import SHARED


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("index")
    ap.add_argument("questions", nargs="?", default=str(SHARED / "eval" / "dev_wild.jsonl"))
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--passes", type=int, default=1)
    args = ap.parse_args()
    import logging

    logging.basicConfig(level=logging.WARNING)
    from ui.settings import Settings, build

    os.environ.setdefault("INSPECTBOT_STATE_DB", "/tmp/profile-ask-state.sqlite3")
    _, answerer = build(Settings.from_env(index_dir=args.index))[:2]
    rows = [json.loads(x) for x in Path(args.questions).read_text().splitlines() if x.strip()]
    qs = [r["question"] for r in rows if r.get("question") and not r.get("turns")]
    answerer.ask("warm up: how is salford?")
    for p in range(args.passes):
        prof = cProfile.Profile()
        c0, w0 = time.process_time(), time.perf_counter()
        prof.enable()
        for q in qs:
            answerer.ask(q)
        prof.disable()
        cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        print(f"pass {p + 1}: {len(qs)} questions, {cpu / len(qs) * 1e3:.1f} ms CPU each "
              f"({wall / len(qs) * 1e3:.1f} ms wall, profiled), load {os.getloadavg()[0]:.2f}")
        for key in ("cumulative", "tottime"):
            s = io.StringIO()
            pstats.Stats(prof, stream=s).strip_dirs().sort_stats(key).print_stats(args.top)
            print("\n".join(line for line in s.getvalue().splitlines() if line.strip())[:6000])


if __name__ == "__main__":
    main()
