"""Scoring answers against a labelled question file (see shared/eval/README.md).

Pure functions over the API's JSON, so the same scores come from an in-process Answerer or a
running server.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

_GOOD_TRAP = "requires improvement to be good"


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w]+", " ", text.lower())).strip()


def answer_matches(answer: str, answer_any: list[list[str]]) -> bool:
    text = f" {fold(answer)} "
    for group in answer_any:
        ok = True
        for term in group:
            t = fold(term)
            hay = text.replace(f" {_GOOD_TRAP} ", " ") if t == "good" else text
            if not re.search(rf"(?<!\w){re.escape(t)}", hay):
                ok = False
                break
        if ok:
            return True
    return False


def quote_on_page(quote: str, page_text: str) -> bool:
    squash = lambda s: re.sub(r"[\W_]+", "", s.lower())
    return bool(quote.strip()) and squash(quote) in squash(page_text)


@dataclass
class Scores:
    n: int = 0
    answer_ok: int = 0
    answer_n: int = 0
    source_ok: int = 0
    source_n: int = 0
    abstain_ok: int = 0
    abstain_n: int = 0
    false_abstain: int = 0
    answerable_n: int = 0
    quotes_ok: int = 0
    quotes_n: int = 0
    latencies: list[float] = field(default_factory=list)

    def row(self, kind: str) -> str:
        rate = lambda a, b: f"{a / b:.3f}" if b else "  -  "
        lat = sorted(self.latencies)
        p50 = statistics.median(lat) if lat else 0
        p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))] if lat else 0
        return (f"{kind:<10}{self.n:>5}  {rate(self.answer_ok, self.answer_n):>7}  "
                f"{rate(self.source_ok, self.source_n):>7}  {rate(self.abstain_ok, self.abstain_n):>7}  "
                f"{rate(self.false_abstain, self.answerable_n):>7}  {rate(self.quotes_ok, self.quotes_n):>7}  "
                f"{p50:>7.0f}  {p95:>7.0f}")


HEADER = (f"{'kind':<10}{'n':>5}  {'answer':>7}  {'report':>7}  {'refused':>7}  {'false-r':>7}  "
          f"{'verbatim':>7}  {'p50 ms':>7}  {'p95 ms':>7}")


def score(questions: Iterable[dict], ask: Callable[[str], tuple[dict, float]],
          page_text: Callable[[str, int | None], str | None],
          on_miss: Callable[[dict, dict, str], None] | None = None) -> dict[str, Scores]:
    """``ask(question) -> (api_json, seconds)``; ``page_text(source, page)`` -> text or None."""
    by_kind: dict[str, Scores] = defaultdict(Scores)
    for q in questions:
        data, seconds = ask(q["question"])
        exp = q.get("expect", {})
        for s in (by_kind[q["kind"]], by_kind["ALL"]):
            s.n += 1
            s.latencies.append(seconds * 1000)
            if exp.get("abstain"):
                s.abstain_n += 1
                s.abstain_ok += bool(data["abstained"])
            else:
                s.answerable_n += 1
                s.false_abstain += bool(data["abstained"])
            if "answer_any" in exp:
                s.answer_n += 1
                s.answer_ok += (not data["abstained"]) and answer_matches(data["answer"], exp["answer_any"])
            if "source_any" in exp:
                s.source_n += 1
                s.source_ok += any(any(x in c["source"] for x in exp["source_any"]) for c in data["citations"])
            for c in data["citations"]:
                text = page_text(c["source"], c.get("page"))
                if text is not None:
                    s.quotes_n += 1
                    s.quotes_ok += quote_on_page(c["quote"], text)
        if on_miss:
            missed = []
            if exp.get("abstain") != bool(data["abstained"]) and (exp.get("abstain") or data["abstained"]):
                missed.append("abstain")
            if "answer_any" in exp and not answer_matches(data["answer"], exp["answer_any"]):
                missed.append("answer")
            if "source_any" in exp and not any(any(x in c["source"] for x in exp["source_any"]) for c in data["citations"]):
                missed.append("report")
            if missed:
                on_miss(q, data, ",".join(missed))
    return dict(by_kind)


def table(scores: dict[str, Scores]) -> str:
    kinds = sorted(k for k in scores if k != "ALL") + (["ALL"] if "ALL" in scores else [])
    return "\n".join([HEADER] + [scores[k].row(k) for k in kinds])
