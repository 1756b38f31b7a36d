"""A static (model2vec) distillation of the embedding model, for measuring against it.

    make bench-install && .venv/bin/python bench/distill.py DIR [--dims 256]

Writes a sentence-transformers folder to DIR, distilled offline from the packaged
all-MiniLM-L6-v2 (each vocabulary token passed through the model once, about two minutes on two
cores). A static model embeds by looking tokens up and averaging: measured here ~30,000 texts/s
against ~75/s: the whole-corpus ingest, sentence vectors included, took 3.5 minutes with it,
where the default model's took 15.5 minutes for the passages alone. Point the app at it to measure it, with an index of its own:

    INSPECTBOT_EMBED_MODEL=DIR INSPECTBOT_EMBED_BACKEND=torch inspectbot --index IDX ingest ../shared/corpus
    INSPECTBOT_EMBED_MODEL=DIR INSPECTBOT_EMBED_BACKEND=torch inspectbot --index IDX eval SET --strict

It is not the default: its answers score lower (the README's eleventh-round performance section).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", help="folder to write the static model to")
    ap.add_argument("--dims", type=int, default=256, help="PCA dimensions (default 256)")
    args = ap.parse_args()
    try:
        from model2vec.distill import distill
    except ImportError:
        print("model2vec is not installed: run `make bench-install`", file=sys.stderr)
        return 2
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    from index.embed import resolve_model_path

    t = time.perf_counter()
    model = distill(model_name=resolve_model_path("all-MiniLM-L6-v2"), pca_dims=args.dims)
    model.save_pretrained(args.out)
    print(f"static model written to {args.out} in {time.perf_counter() - t:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
