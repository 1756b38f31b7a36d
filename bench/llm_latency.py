"""Local LLM mode: how soon the first words reach the user, with SmolLM2 through llama.cpp.

    .venv/bin/python bench/llm_latency.py [--index DIR] [--k 3]

Builds an index of samples/ (or, with --index, opens an index of the corpus and asks corpus
questions), wraps the extractive answerer in the LLM answerer with the SmolLM2 GGUF exactly as
`inspectbot serve` does, and for each passage question prints: the model's first token (prompt read),
the first streamed piece the user sees (only sentences that passed the grounding check are
streamed), the whole answer, and whether the LLM's answer or the extractive fallback was used.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from common import ROOT

QUESTIONS = [  # each answered from passages (fact answers never reach the LLM)
    "How are medicines managed at Ashdown House?",
    "What do inspectors say about care leavers in Brackenford?",
    "What is behaviour like at Millbrook Primary School?",
    "Are staff at Ashdown House trained well?",
]
CORPUS_QUESTIONS = [  # for an index of ../shared/corpus
    "What do inspectors say about care leavers in Dorset?",
    "How do social workers in Salford listen to children?",
    "What do inspectors say about supervision of social workers in Birmingham?",
    "How does Leeds help children who go missing from home?",
    "What is the quality of practice in the front door service in Kent?",
    "What did inspectors find about private fostering in Norfolk?",
]


class Timed:
    """Wraps a chat model to note when its first token arrives."""

    def __init__(self, model):
        self.model = model
        self.first: float | None = None

    def stream(self, messages):
        for chunk in self.model.stream(messages):
            if self.first is None and getattr(chunk, "content", ""):
                self.first = time.perf_counter()
            yield chunk


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index")
    ap.add_argument("--k", type=int, default=3, help="passages given to the model")
    args = ap.parse_args()
    import logging

    logging.basicConfig(level=logging.WARNING)
    from bot.answer import Answer
    from ingest.sync import sync
    from ui.settings import Settings, build

    # the LLM answerer exactly as `inspectbot serve` builds it (prompt size, warm-up, one at a time)
    index, llm = build(Settings(index_dir=args.index or tempfile.mkdtemp(prefix="inspectbot-llm-"),
                                llm_backend="llamacpp"))
    if not args.index:
        sync(index, [ROOT / "samples"], workers=0, progress=False)
    llm.k = args.k
    model = llm.model = Timed(llm.model)
    llm.base.ask("What do inspectors say about care leavers?")  # the first question loads caches
    print(f"{llm.k} passages, {llm.budget} characters of them in the prompt")

    rows = []
    for q in (CORPUS_QUESTIONS if args.index else QUESTIONS):
        model.first = None
        t0 = time.perf_counter()
        first_piece = None
        final = None
        for piece in llm.stream(q):
            if first_piece is None and isinstance(piece, str):
                first_piece = time.perf_counter()
            if isinstance(piece, Answer):
                final = piece
        total = time.perf_counter() - t0
        if model.first is None:
            used = "no LLM (fact answer)"
        else:
            used = "extractive fallback" if final.text.startswith(("From ", "The reports say")) else "LLM, grounded"
        rows.append(((model.first or t0) - t0, (first_piece or t0) - t0, total, used))
        print(f"model first token {rows[-1][0]:5.2f} s   first words shown {rows[-1][1]:5.2f} s   "
              f"whole answer {total:5.2f} s   {used:<10} {q}")
    for i, name in enumerate(("model first token", "first words shown", "whole answer")):
        v = [r[i] for r in rows]
        print(f"{name:<18} median {statistics.median(v):.2f} s, max {max(v):.2f} s")


if __name__ == "__main__":
    main()
