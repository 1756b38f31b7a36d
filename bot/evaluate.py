"""Scoring answers against a labelled question file (see shared/eval/README.md).

Pure functions over the API's JSON, so the same scores come from an in-process Answerer or a
running server. A question counts as answered right when every expectation it carries holds:
``abstain``, ``clarify``, ``answer_any``, ``answer_all``, ``quote_any`` and, with ``strict``
(or always for the 'report' column), ``source_any`` and ``sources_all``. A conversation
(``turns``) is asked turn by turn, each earlier question and answer passed as history; the last
turn is scored.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

_GOOD_TRAP = "requires improvement to be good"
_CLARIFY = re.compile(r"which (council|local authority|provider|area|school)", re.I)

# ask(question, history) -> (api_json, seconds)
Ask = Callable[[str, list], "tuple[dict, float]"]


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w]+", " ", text.lower())).strip()


def _contains(text: str, term: str) -> bool:
    t = fold(term)
    hay = text.replace(f" {_GOOD_TRAP} ", " ") if t == "good" else text
    return bool(re.search(rf"(?<!\w){re.escape(t)}", hay))


def answer_matches(answer: str, answer_any: list[list[str]]) -> bool:
    text = f" {fold(answer)} "
    return any(all(_contains(text, term) for term in group) for group in answer_any)


def answer_has_all(answer: str, terms: list[str]) -> bool:
    text = f" {fold(answer)} "
    return all(_contains(text, t) for t in terms)


def quote_on_page(quote: str, page_text: str) -> bool:
    squash = lambda s: re.sub(r"[\W_]+", "", s.lower())
    return bool(quote.strip()) and squash(quote) in squash(page_text)


def cites_any(data: dict, wanted: list[str]) -> bool:
    return any(any(x in c["source"] for x in wanted) for c in data["citations"])


def checks(exp: dict, data: dict) -> dict[str, bool]:
    """Each expectation of one question and whether the answer meets it."""
    out: dict[str, bool] = {}
    abstained = bool(data["abstained"])
    if exp.get("clarify"):
        out["clarify"] = abstained or bool(_CLARIFY.search(data["answer"]))
    elif exp.get("abstain"):
        out["abstain"] = abstained
    else:
        out["answered"] = not abstained
    if "answer_any" in exp:
        out["answer"] = not abstained and answer_matches(data["answer"], exp["answer_any"])
    if "answer_all" in exp:
        out["answer_all"] = not abstained and answer_has_all(data["answer"], exp["answer_all"])
    if "quote_any" in exp:
        quotes = f" {fold(' '.join(c['quote'] for c in data['citations']))} "
        out["quote"] = any(_contains(quotes, q) for q in exp["quote_any"])
    if "source_any" in exp:
        out["report"] = cites_any(data, exp["source_any"])
    if "sources_all" in exp:
        out["reports_all"] = all(cites_any(data, group) for group in exp["sources_all"])
    return out


_SOURCE_CHECKS = ("report", "reports_all")


@dataclass
class Scores:
    n: int = 0
    ok: int = 0
    source_ok: int = 0
    source_n: int = 0
    refuse_ok: int = 0  # unanswerable or clarify questions handled
    refuse_n: int = 0
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
        return (f"{kind:<11}{self.n:>5}  {rate(self.ok, self.n):>7}  "
                f"{rate(self.source_ok, self.source_n):>7}  {rate(self.refuse_ok, self.refuse_n):>7}  "
                f"{rate(self.false_abstain, self.answerable_n):>7}  {rate(self.quotes_ok, self.quotes_n):>8}  "
                f"{p50:>7.0f}  {p95:>7.0f}")


HEADER = (f"{'kind':<11}{'n':>5}  {'answer':>7}  {'report':>7}  {'refused':>7}  {'false-r':>7}  "
          f"{'verbatim':>8}  {'p50 ms':>7}  {'p95 ms':>7}")


def ask_conversation(q: dict, ask: Ask) -> tuple[dict, float]:
    """The answer to the question's last turn, earlier turns asked for real as history."""
    turns = q.get("turns") or [q["question"]]
    history: list[dict] = []
    data, seconds = {}, 0.0
    for turn in turns:
        data, seconds = ask(turn, list(history))
        history += [{"role": "user", "content": turn}, {"role": "assistant", "content": data["answer"]}]
    return data, seconds


def score(questions: Iterable[dict], ask: Ask, page_text: Callable[[str, int | None], str | None],
          on_miss: Callable[[dict, dict, str], None] | None = None,
          strict: bool = False) -> dict[str, Scores]:
    """``page_text(source, page)`` -> text or None. With ``strict`` an answer counts only when
    it also cites the right report(s)."""
    by_kind: dict[str, Scores] = defaultdict(Scores)
    for q in questions:
        data, seconds = ask_conversation(q, ask)
        exp = q.get("expect", {})
        result = checks(exp, data)
        counted = {k: v for k, v in result.items() if strict or k not in _SOURCE_CHECKS}
        ok = all(counted.values())
        unanswerable = bool(exp.get("abstain") or exp.get("clarify"))
        for s in (by_kind[q["kind"]], by_kind["ALL"]):
            s.n += 1
            s.ok += ok
            s.latencies.append(seconds * 1000)
            if unanswerable:
                s.refuse_n += 1
                s.refuse_ok += result.get("abstain", result.get("clarify", False))
            else:
                s.answerable_n += 1
                s.false_abstain += bool(data["abstained"])
            src = [result[k] for k in _SOURCE_CHECKS if k in result]
            if src:
                s.source_n += 1
                s.source_ok += all(src)
            for c in data["citations"]:
                text = page_text(c["source"], c.get("page"))
                if text is not None:
                    s.quotes_n += 1
                    s.quotes_ok += quote_on_page(c["quote"], text)
        missed = [k for k, v in result.items() if not v]
        if on_miss and missed:
            on_miss(q, data, ",".join(missed))
    return dict(by_kind)


def table(scores: dict[str, Scores]) -> str:
    kinds = sorted(k for k in scores if k != "ALL") + (["ALL"] if "ALL" in scores else [])
    return "\n".join([HEADER] + [scores[k].row(k) for k in kinds])
