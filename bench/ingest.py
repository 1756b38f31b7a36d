"""Ingest benchmark: a folder of reports into a fresh index, then a re-sync of the unchanged folder.

    .venv/bin/python bench/ingest.py [../shared/corpus] [--workers 1] [--keep DIR]

Prints files, pages, chunks, wall time, pages/s, chunks/s, peak memory (this process and its
parser workers), the re-sync time, and the files that were rejected with their reasons.
"""

from __future__ import annotations

import argparse
import logging
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import SHARED, dir_mb


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default=str(SHARED / "corpus"))
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--keep", help="build the index here and keep it (default: a temporary folder)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)

    from index.api import open_index
    from index.embed import SentenceTransformerEmbedder
    from ingest.sync import sync

    target = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="inspectbot-bench-"))
    if target.exists() and any(target.iterdir()):
        sys.exit(f"{target} is not empty: the benchmark needs a fresh index")
    embedder = SentenceTransformerEmbedder()
    embedder.embed_query("warm up")  # model load is not ingest time
    index = open_index(target, embedder)
    t0 = time.perf_counter()
    summary = sync(index, [args.folder], workers=args.workers, progress=True)
    wall = time.perf_counter() - t0
    t1 = time.perf_counter()
    again = sync(index, [args.folder], workers=args.workers, progress=False)
    resync = time.perf_counter() - t1
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size = dir_mb(target)

    print(f"folder            {args.folder}")
    print(f"files             {len(summary.results)} ({summary.count('added')} stored, {summary.count('failed')} rejected)")
    print(f"pages             {summary.pages}")
    print(f"chunks            {summary.chunks} ({summary.reused} reused a stored vector)")
    print(f"embedder          {embedder.name}, {'bf16' if embedder.bf16 else 'fp32'} matrix products")
    print(f"wall              {wall:.1f} s")
    print(f"pages/s           {summary.pages / wall:.1f}")
    print(f"chunks/s          {summary.chunks / wall:.1f}")
    print(f"peak memory       {peak_self:.0f} MB (main), {peak_kids:.0f} MB (largest parser worker)")
    print(f"index size        {size:.0f} MB")
    print(f"re-sync unchanged {resync:.2f} s ({again.count('unchanged')} unchanged)")
    for r in summary.failed:
        print(f"rejected          {r.reason}")
    if not args.keep:
        shutil.rmtree(target, ignore_errors=True)


if __name__ == "__main__":
    main()
