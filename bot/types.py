"""Boundary types of the bot (frozen dataclasses). The JSON API returns these as they are."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Iterator

from bot.plan import Plan
from index.errors import BadInputError
from index.vocab import human_date

MAX_QUESTION = 2000  # characters of a question


@dataclass(frozen=True)
class Citation:
    n: int
    source: str
    title: str
    page: int | None
    quote: str
    url: str = ""


@dataclass(frozen=True)
class ReportRef:
    """The report an answer is about: its source and the dates inspectors visited."""

    source: str
    title: str = ""
    inspection_start: str = ""  # ISO dates, "" where the report does not give them
    inspection_end: str = ""
    report_type: str = ""


@dataclass(frozen=True)
class Understood:
    """What the bot took the question to mean, shown above the answer so a user sees at once
    when it took the wrong council or year.

    ``kind`` is what was asked and how it was answered: grade, assess (a judgement, then the
    passages), send (an area SEND outcome), inspector, dates, improve, next, published, where,
    content, timeline, compare, list, news, clarify, refuse, not_held.
    """

    kind: str
    provider: str = ""  # display name of the council or provider, "" where none
    providers: tuple[str, ...] = ()  # every provider named (comparisons)
    report: ReportRef | None = None
    year: int | None = None
    topic: str = ""  # e.g. "care leavers", "caseloads"; "" for a plain fact question
    plan: Plan | None = None  # the plan the answer was made by (bot.plan)

    def to_json(self) -> dict:
        return {"provider": self.provider or None, "providers": list(self.providers),
                "report": asdict(self.report) if self.report else None,
                "year": self.year, "topic": self.topic or None, "kind": self.kind,
                "plan": self.plan.to_json() if self.plan else None, "line": self.line()}

    def line(self) -> str:
        """'About: Salford City Council · inspection of 6-10 November 2023 · care leavers'."""
        parts = [" & ".join(self.providers) if len(self.providers) > 1 else self.provider]
        r = self.report
        many = self.plan is not None and self.plan.operation in ("list", "transition", "theme", "history")
        if r and (r.inspection_start or r.inspection_end) and not many:
            parts.append("inspection of " + _span(r.inspection_start, r.inspection_end))
        elif self.year and not many:
            parts.append(str(self.year))
        detail = self.plan.describe() if self.plan is not None else self.topic
        if detail:
            parts.append(detail)
        parts = [p for p in parts if p]
        return "About: " + " · ".join(parts) if parts else ""


def _span(start: str, end: str) -> str:
    if not start or start == end:
        return human_date(end or start)
    s, e = human_date(start).split(" "), human_date(end).split(" ")
    if len(s) == 3 and len(e) == 3:
        if s[1:] == e[1:]:
            return f"{s[0]}-{' '.join(e)}"
        if s[2] == e[2]:
            return f"{s[0]} {s[1]} to {' '.join(e)}"
    return f"{human_date(start)} to {human_date(end)}"


@dataclass(frozen=True)
class Answer:
    text: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    mode: str = "staff"
    report: str = ""  # the report the answer is about, where it is about one
    timings: dict = field(default_factory=dict, compare=False)
    understood: Understood | None = None

    def renumbered(self, shift: int) -> "Answer":
        """The same answer with its citations numbered from ``shift + 1``, in the text as in the
        list, to follow another answer's citations."""
        text = re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + shift}]", self.text)
        return replace(self, text=text, citations=tuple(replace(c, n=c.n + shift) for c in self.citations))

    def followed_by(self, then: "Answer") -> "Answer":
        """A fact answer followed by passage quotes, the passages' citations renumbered after it."""
        then = then.renumbered(len(self.citations))
        text = re.sub(r"^From [^:]*: ", "What the inspectors found: ", then.text)
        return replace(self, text=self.text + "\n\n" + text, citations=self.citations + then.citations)

    def to_json(self) -> dict:
        return {
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [asdict(c) for c in self.citations],
            "mode": self.mode,
            "understood": self.understood.to_json() if self.understood else None,
        }


MODES = ("staff", "parent")


def noted(answer: Answer, notes: list[str]) -> Answer:
    """An answer with what it could not do said first ('I hold no area SEND report for X.');
    a note that comes after the answer's own words ('nothing more specific') goes last."""
    if not notes:
        return answer
    before = [n for n in notes if not n.startswith("The report says nothing more")]
    after = [n for n in notes if n not in before]
    return replace(answer, text=" ".join(before + [answer.text] + after).strip())


def pieces(answer: Answer) -> Iterator[str | Answer]:
    """An answer as a stream: its text sentence by sentence, then the Answer itself."""
    for piece in re.split(r"(?<=[.!?\]])\s+", answer.text):
        if piece:
            yield piece + " "
    yield answer


def validate_question(question: Any) -> str:
    if not isinstance(question, str):
        raise BadInputError("question must be a string.")
    cleaned = "".join(ch for ch in question if ch.isprintable() or ch in "\n\t").strip()
    if not cleaned:
        raise BadInputError("question is empty: type a question about the inspection reports.")
    if len(cleaned) > MAX_QUESTION:
        raise BadInputError(f"question is too long ({len(cleaned)} characters; the limit is {MAX_QUESTION}).")
    return cleaned

