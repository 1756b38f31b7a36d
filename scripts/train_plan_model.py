"""Rebuild bot/data/plan_model.npz from bot/data/plan_examples.jsonl, and print how well each
head does on questions it was not trained on (5-fold cross-validation).

    .venv/bin/python scripts/train_plan_model.py [--embedder MODEL]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from bot.operations import (EXAMPLES, HEADS, WEIGHTS, example_text, features, labelled,  # noqa: E402
                            named_count, named_feature, read_examples, train)
from index.embed import DEFAULT_MODEL, SentenceTransformerEmbedder  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--embedder", default=DEFAULT_MODEL)
    ap.add_argument("--examples", type=Path, default=EXAMPLES)
    ap.add_argument("--out", type=Path, default=WEIGHTS)
    args = ap.parse_args()
    embedder = SentenceTransformerEmbedder(args.embedder)
    rows = read_examples(args.examples)
    print(f"{len(rows)} examples")
    for column, _ in HEADS:
        print(f"{column}: {dict(Counter(r[column] for r in rows if column in r))}")
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    x = np.asarray(embedder.embed_documents([example_text(r["q"]) for r in rows]), dtype=np.float32)
    x = features(x, [named_feature(named_count(r["q"]), r["q"]) for r in rows])
    for column, labels in HEADS:
        have, y = labelled(rows, column, labels)
        pred = cross_val_predict(LogisticRegression(C=8.0, max_iter=2000, class_weight="balanced"), x[have], y, cv=5)
        print(f"{column}: cross-validated accuracy {np.mean(pred == y):.3f}")
        for i, label in enumerate(labels):
            n = int(np.sum(y == i))
            if n:
                print(f"  {label:12s} n={n:4d} recall {np.mean(pred[y == i] == i):.2f}")
    arrays = train(embedder, args.examples)
    np.savez(args.out, **arrays)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
