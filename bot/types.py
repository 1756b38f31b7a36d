"""Boundary types of the bot (frozen dataclasses). The JSON API returns these as they are."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Citation:
    n: int
    source: str
    title: str
    page: int | None
    quote: str
    url: str = ""


@dataclass(frozen=True)
class Answer:
    text: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    mode: str = "staff"
    report: str = ""  # the report the answer is about, where it is about one
    timings: dict = field(default_factory=dict, compare=False)

    def to_json(self) -> dict:
        return {
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [asdict(c) for c in self.citations],
            "mode": self.mode,
        }


MODES = ("staff", "parent")
