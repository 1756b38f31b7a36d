"""Passages a second by embedding backend, on real passages of an ingested index.

    .venv/bin/python bench/embed_speed.py INDEX_DIR [--n 800] [--backends torch,onnx,onnx-int8] [--max-seq 128]

Takes ``n`` passages spread over the index (the texts the ingest embeds), embeds them with each
backend as the ingest does (``embed_documents``: sorted by length, batches of the embedder's
size) after a warm-up, and prints passages/s, seconds, and each backend's vectors' cosine to
torch's (mean and minimum): what a change of runtime or precision at ingest would cost in time
and in vectors.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("index")
    ap.add_argument("--n", type=int, default=800)
    ap.add_argument("--backends", default="torch,onnx,onnx-int8")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--max-seq", type=int, default=0, help="truncate passages at this many tokens (0: the model's own)")
    args = ap.parse_args()

    from index.catalog import Catalog
    from index.embed import SentenceTransformerEmbedder
    from ingest.chunk import embedding_text

    catalog = Catalog(Path(args.index) / "catalog.sqlite3")
    chunks = [c for d in catalog.documents() for c in catalog.doc_chunks(d.doc_id)]
    step = max(1, len(chunks) // args.n)
    texts = [embedding_text(c) for c in chunks[::step][: args.n]]
    print(f"{len(texts)} passages of {len(chunks)}, mean {np.mean([len(t) for t in texts]):.0f} characters")
    ref = None
    for backend in args.backends.split(","):
        e = SentenceTransformerEmbedder(backend=backend, batch_size=args.batch)
        if args.max_seq:
            e.model.max_seq_length = args.max_seq
        e.embed_documents(texts[:32])  # load, export, warm up
        t = time.perf_counter()
        v = np.asarray(e.embed_documents(texts), dtype=np.float32)
        s = time.perf_counter() - t
        if ref is None:
            ref = v
        cos = (v * ref).sum(1)
        print(f"{backend:10s} batch {args.batch}, {e.model.max_seq_length} tokens: {len(texts) / s:7.1f} passages/s  {s:6.1f} s  "
              f"cosine to {args.backends.split(',')[0]}: mean {cos.mean():.4f} min {cos.min():.4f}")


if __name__ == "__main__":
    main()
