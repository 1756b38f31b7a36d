"""How cost grows with the corpus: ingest 10%, 25%, 50%, 100% and query at each size.

    .venv/bin/python bench/scale.py [../shared/corpus] [--steps 10,25,50,100] [--keep DIR]

The PDFs are shuffled once (fixed seed) and the index grows step by step: each step ingests only
the files it adds, so the ingest time of a size is the sum of the steps up to it (what a fresh
ingest of that size costs, give or take the HNSW graph's growth). At each size it asks every
question of ../shared/eval/dev_questions.jsonl plus broad questions that name no council (those
search the whole index) and prints latency p50/p95, where the milliseconds go (query
embedding, vector search, keyword search, fusion, answer composition), resident memory and
index size.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from common import SHARED, dir_mb, pct, rss_mb

# Broad questions (my own wording): no council named, so they search the whole index.
BROAD = [
    "How do councils make sure care leavers have somewhere safe to live?",
    "What do inspectors say about social workers' caseloads?",
    "Are children seen alone by their social workers?",
    "How well are children missing from home or care protected?",
    "What happens when a child is at risk of exploitation?",
    "How good is the support for young carers?",
    "What did inspectors find about private fostering?",
    "How are disabled children supported in their short breaks?",
    "What do inspectors say about the quality of supervision for staff?",
    "Are education health and care plans written on time?",
    "How do councils listen to the views of children in care?",
    "What did inspectors find about the front door and referrals?",
]


def measure(answerer, questions: list[str]) -> dict:
    lat, parts = [], {"embed_ms": [], "dense_ms": [], "keyword_ms": [], "fuse_ms": [], "compose_ms": []}
    searched = 0
    for q in questions:
        t = time.perf_counter()
        answer = answerer.ask(q)
        lat.append((time.perf_counter() - t) * 1e3)
        tm = answer.timings
        if "embed_ms" in tm:
            searched += 1
            search = sum(tm[k] for k in ("embed_ms", "dense_ms", "keyword_ms", "fuse_ms"))
            for k in ("embed_ms", "dense_ms", "keyword_ms", "fuse_ms"):
                parts[k].append(tm[k])
            parts["compose_ms"].append(max(0.0, tm.get("total_ms", lat[-1]) - search))
    return {"p50": statistics.median(lat), "p95": pct(lat, 0.95), "n": len(lat), "searched": searched,
            "parts": {k: (statistics.mean(v) if v else 0.0, pct(v, 0.95)) for k, v in parts.items()}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default=str(SHARED / "corpus"))
    ap.add_argument("--questions", default=str(SHARED / "eval" / "dev_questions.jsonl"))
    ap.add_argument("--steps", default="10,25,50,100")
    ap.add_argument("--keep", help="build the index here and keep it")
    ap.add_argument("--query-only", metavar="INDEX_DIR",
                    help="no ingest: measure the query side of an index built before (e.g. by --keep)")
    args = ap.parse_args()
    import logging

    logging.basicConfig(level=logging.ERROR)
    from bot.answer import Answerer
    from index.api import open_index
    from index.embed import SentenceTransformerEmbedder
    from ingest.sync import sync

    eval_qs = [json.loads(x)["question"] for x in Path(args.questions).read_text().splitlines() if x.strip()]
    if args.query_only:
        index = open_index(args.query_only, SentenceTransformerEmbedder())
        answerer = Answerer(index.catalog, index.retriever())
        answerer.ask("warm-up question about Ofsted")
        docs, chunks = index.catalog.counts()
        print(f"{args.query_only}: {docs} reports, {chunks} chunks")
        for name, qs in (("eval", eval_qs), ("broad", BROAD * 3)):
            m = measure(answerer, qs)
            print(f"{name:<6} p50 {m['p50']:.1f} ms, p95 {m['p95']:.1f} ms over {m['n']} ({m['searched']} searched); "
                  "mean/p95 ms: " + ", ".join(f"{k[:-3]} {a:.1f}/{b:.1f}" for k, (a, b) in m["parts"].items()))
        print(f"resident memory {rss_mb():.0f} MB")
        return
    folder = Path(args.folder).resolve()
    files = sorted(folder.rglob("*.pdf"))
    random.Random(7).shuffle(files)
    steps = [int(s) for s in args.steps.split(",")]
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="inspectbot-scale-"))
    src, target = base / "src", base / "index"
    for p in (src, target):
        shutil.rmtree(p, ignore_errors=True)
    src.mkdir(parents=True)

    embedder = SentenceTransformerEmbedder()
    embedder.embed_query("warm up")
    index = open_index(target, embedder)
    rows, ingest_total, linked = [], 0.0, 0
    for pct_ in steps:
        upto = max(1, round(len(files) * pct_ / 100))
        for f in files[linked:upto]:
            link = src / f.relative_to(folder)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(f)
        linked = upto
        t = time.perf_counter()
        summary = sync(index, [src], progress=True)
        step_s = time.perf_counter() - t
        ingest_total += step_s
        docs, chunks = index.catalog.counts()
        answerer = Answerer(index.catalog, index.retriever())  # sees the new providers
        answerer.ask("warm-up question about Ofsted")
        ev = measure(answerer, eval_qs)
        broad = measure(answerer, BROAD * 3)
        rows.append({"pct": pct_, "files": upto, "docs": docs, "chunks": chunks,
                     "pages": sum(len(d.pages) for d in index.catalog.documents()) if pct_ == steps[-1] else None,
                     "step_s": step_s, "ingest_s": ingest_total, "added_chunks": summary.chunks,
                     "eval": ev, "broad": broad, "rss": rss_mb(), "size": dir_mb(target)})
        print(json.dumps({k: v for k, v in rows[-1].items() if k not in ("eval", "broad")}), flush=True)

    print()
    print(f"{'size':>5} {'files':>6} {'chunks':>7} {'ingest s':>9} {'chunks/s':>9} {'index MB':>9} "
          f"{'RSS MB':>7} {'eval p50':>9} {'eval p95':>9} {'broad p50':>10} {'broad p95':>10}")
    for r in rows:
        print(f"{r['pct']:>4}% {r['files']:>6} {r['chunks']:>7} {r['ingest_s']:>9.0f} "
              f"{r['added_chunks'] / r['step_s']:>9.1f} {r['size']:>9.0f} {r['rss']:>7.0f} "
              f"{r['eval']['p50']:>9.1f} {r['eval']['p95']:>9.1f} {r['broad']['p50']:>10.1f} {r['broad']['p95']:>10.1f}")
    print("(ms; eval = the 685 dev questions, most answered from stored facts; broad = questions that "
          "name no council and search every passage; chunks/s = the step's own rate)")
    print()
    print("where the milliseconds go, mean / p95 over the questions that searched:")
    print(f"{'size':>5} {'searched':>9} {'query embed':>13} {'vector':>13} {'keyword':>13} {'fusion':>13} {'compose':>13}")
    for r in rows:
        for name in ("eval", "broad"):
            m = r[name]
            cells = " ".join(f"{m['parts'][k][0]:>6.1f}/{m['parts'][k][1]:<6.1f}" for k in
                             ("embed_ms", "dense_ms", "keyword_ms", "fuse_ms", "compose_ms"))
            print(f"{r['pct']:>4}% {name + ' ' + str(m['searched']):>9} {cells}")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
