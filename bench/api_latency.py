"""/api/ask latency over real HTTP (uvicorn on loopback), stream timings, server memory.

    .venv/bin/python bench/api_latency.py INDEX_DIR [QUESTIONS.jsonl] [N]

Conversations (``turns``) are asked turn by turn with the earlier turns as history, each turn
timed, as a chat client would ask them.
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

from common import ROOT, SHARED, pct

sys.path.insert(0, str(ROOT / "tests"))  # the loopback server helper of the API tests


def main() -> None:
    import httpx

    from test_api import Server
    from ui.app import create_app
    from ui.settings import Settings

    index = sys.argv[1]
    qfile = Path(sys.argv[2]) if len(sys.argv) > 2 else SHARED / "eval" / "dev_questions.jsonl"
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    rows = [json.loads(line) for line in qfile.read_text().splitlines() if line.strip()]
    questions = [r.get("turns") or [r["question"]] for r in rows]  # a conversation: its turns
    random.seed(0)
    sample = random.sample(questions, min(n, len(questions)))
    app = create_app(Settings.from_env(index_dir=index, rate_limit=0))  # INSPECTBOT_EMBED_BACKEND etc. apply
    with Server(app) as url:
        client = httpx.Client(timeout=60)
        client.post(url + "/api/ask", json={"question": "warm up"})
        lat = []
        for turns in sample:  # every turn timed; earlier turns go as history, as a chat client sends them
            history = []
            for q in turns:
                t = time.perf_counter()
                r = client.post(url + "/api/ask", json={"question": q, "history": history})
                lat.append((time.perf_counter() - t) * 1000)
                history += [{"role": "user", "content": q}, {"role": "assistant", "content": r.json()["answer"]}]
        print(f"/api/ask, {len(lat)} questions: p50 {statistics.median(lat):.1f} ms, "
              f"p95 {pct(lat, 0.95):.1f} ms, max {max(lat):.1f} ms")
        for q in [turns[-1] for turns in sample[:5]]:
            t, first = time.perf_counter(), None
            with client.stream("POST", url + "/api/ask/stream", json={"question": q}) as r:
                for line in r.iter_lines():
                    if line.startswith("event: token") and first is None:
                        first = time.perf_counter() - t
                    if line.startswith("event: done"):
                        break
            print(f"stream: first token {first * 1000:.0f} ms, done {(time.perf_counter() - t) * 1000:.0f} ms  {q[:60]}")
    print(f"peak RSS of this process (server and client): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
