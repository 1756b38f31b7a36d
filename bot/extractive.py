"""Sentences of stored passages, and the words they are compared by; quotes verbatim.

Every quote is a slice of a stored chunk (itself a slice of the page text), never retyped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.types import Chunk

STOPWORDS = set("""a an the and or of to in on for at by with from about as is are was were be been
being do does did has have had what which who whom whose when where why how this that these those it
its their there they them he she his her our your my we you i me can could should would will shall may
might must not no yes any all some most more much many very than then so such into over under after
before since during per up out if also just only other ofsted inspection inspections inspected inspector
inspectors report reports council councils services service children child childrens social care
local authority say said tell according""".split())

# a sentence ends at its stop, at a bullet, and at a blank line before a capital (a title over
# the first sentence of a press release: 'Salford rated good by Ofsted\n\nThe quality ...')
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"'“‘(]?[A-Z0-9•])|\n(?=\s*(?:•|\d{1,3}\.(?:\s|(?=[A-Z“‘]))|[-–]\s))|"
                       r"\n[ \t]*\n\s*(?=[\"“‘]?[A-Z])")


@dataclass(frozen=True)
class Sentence:
    chunk: Chunk
    start: int  # offsets in chunk.text
    end: int
    rank: int

    @property
    def text(self) -> str:
        return self.chunk.text[self.start:self.end]


def terms(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text.lower().replace("’", "'"))
    return {_stem(w) for w in words if w not in STOPWORDS and len(w) > 1}


def _stem(word: str) -> str:
    for suffix in ("ing", "ies", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def split_sentences(chunk: Chunk, rank: int = 0) -> list[Sentence]:
    out = []
    pos = 0
    text = chunk.text
    for m in _SENT_END.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    sentences = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e - s >= 25:
            sentences.append(Sentence(chunk, s, e, rank))
    return sentences


def clean_quote(text: str) -> str:
    """Collapse the PDF's line breaks; the words and punctuation stay exactly as on the page."""
    return re.sub(r"\s+", " ", text).strip()
