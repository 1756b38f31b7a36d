"""Where each question's milliseconds go, over real HTTP: one client, every turn asked once.

    .venv/bin/python bench/turn_times.py INDEX_DIR QUESTIONS.jsonl [N] [--out FILE.tsv]

As ``bench/api_latency.py`` (the same sample, the same order), with every turn's latency and
what the embedder did for it: how many calls, how many texts, how many of them were query
texts (one text a call) and the milliseconds spent embedding. Prints the slowest turns and how
much of the tail is the embedder; ``--out`` keeps every row.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import threading
import time
from pathlib import Path

from common import ROOT, pct

sys.path.insert(0, str(ROOT / "tests"))  # the loopback server helper of the API tests

_calls: list[tuple[int, float]] = []  # (texts, ms) of each embedder call during a turn
_lock = threading.Lock()


def instrument() -> None:
    """Count every embedding the server makes: batches (``embed_documents``) and a question's
    own vector (``_one``, where the embedder has it)."""
    from index.embed import SentenceTransformerEmbedder

    def counting(real, size):
        def counted(self, texts):
            t = time.perf_counter()
            out = real(self, texts)
            with _lock:
                _calls.append((size(texts), (time.perf_counter() - t) * 1e3))
            return out
        return counted

    SentenceTransformerEmbedder.embed_documents = counting(SentenceTransformerEmbedder.embed_documents, len)
    if hasattr(SentenceTransformerEmbedder, "_one"):
        SentenceTransformerEmbedder._one = counting(SentenceTransformerEmbedder._one, lambda text: 1)


def main() -> None:
    import httpx

    from test_api import Server
    from ui.app import create_app
    from ui.settings import Settings

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = sys.argv[sys.argv.index("--out") + 1] if "--out" in sys.argv else ""
    if out in args:
        args.remove(out)
    index, qfile = args[0], Path(args[1])
    n = int(args[2]) if len(args) > 2 else 200
    rows = [json.loads(line) for line in qfile.read_text().splitlines() if line.strip()]
    questions = [r.get("turns") or [r["question"]] for r in rows]
    random.seed(0)
    sample = random.sample(questions, min(n, len(questions)))
    instrument()
    app = create_app(Settings(index_dir=index, rate_limit=0))
    table = []
    with Server(app) as url:
        client = httpx.Client(timeout=60)
        client.post(url + "/api/ask", json={"question": "warm up"})
        for turns in sample:
            history = []
            for q in turns:
                with _lock:
                    _calls.clear()
                t = time.perf_counter()
                r = client.post(url + "/api/ask", json={"question": q, "history": history})
                ms = (time.perf_counter() - t) * 1e3
                with _lock:
                    calls = list(_calls)
                queries = sum(1 for n_, _ in calls if n_ == 1)
                texts = sum(n_ for n_, _ in calls)
                table.append((ms, len(calls), texts, queries, sum(m for _, m in calls), len(history) // 2, q))
                history += [{"role": "user", "content": q}, {"role": "assistant", "content": r.json()["answer"]}]
    lat = [r[0] for r in table]
    p95 = pct(lat, 0.95)
    print(f"{len(lat)} turns: p50 {statistics.median(lat):.1f} ms, p95 {p95:.1f} ms, max {max(lat):.1f} ms")
    for label, part in (("no embedding", [r for r in table if not r[1]]),
                        ("embedded something", [r for r in table if r[1]])):
        if part:
            ms = [r[0] for r in part]
            print(f"  {label}: {len(part)} turns, p50 {statistics.median(ms):.1f} ms, p95 {pct(ms, 0.95):.1f} ms, "
                  f"embedder {sum(r[4] for r in part) / max(1, sum(r[0] for r in part)):.0%} of their time")
    tail = [r for r in table if r[0] >= pct(lat, 0.90)]
    print(f"slowest 10%: {len(tail)} turns, {sum(r[4] for r in tail) / sum(r[0] for r in tail):.0%} of their time "
          f"in the embedder; {sum(1 for r in tail if r[1])} embedded something")
    print("ms\tcalls\ttexts\tqueries\tembed_ms\tturn\tquestion")
    for r in sorted(table, reverse=True)[:25]:
        print(f"{r[0]:.1f}\t{r[1]}\t{r[2]}\t{r[3]}\t{r[4]:.1f}\t{r[5]}\t{r[6][:90]}")
    if out:
        with open(out, "w") as fh:
            fh.write("ms\tcalls\ttexts\tqueries\tembed_ms\tturn\tquestion\n")
            fh.writelines(f"{r[0]:.2f}\t{r[1]}\t{r[2]}\t{r[3]}\t{r[4]:.2f}\t{r[5]}\t{r[6]}\n" for r in table)


if __name__ == "__main__":
    main()
