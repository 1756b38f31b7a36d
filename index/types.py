"""Boundary types of the store (frozen dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Union

from index.vocab import shown_name

MetaValue = Union[str, int, float, bool]


@dataclass(frozen=True)
class Chunk:
    """A passage of one document.

    ``start``/``end`` are character offsets into the text of page ``page`` (1-based) as stored
    for the document, so a quote can be cut from the page verbatim. A chunk never spans pages
    in this version; ``page_end`` is kept in the contract for formats without pages.
    """

    id: str
    doc_id: str
    source: str
    text: str
    page: int | None
    page_end: int | None
    start: int
    end: int
    section: str = ""
    metadata: Mapping[str, MetaValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the ranks it had in each retriever
    (``None`` where that retriever did not return it)."""

    chunk: Chunk
    score: float
    rank_dense: int | None = None
    rank_keyword: int | None = None
    similarity: float | None = None  # cosine similarity to the query, where dense found it


@dataclass(frozen=True)
class Document:
    """One ingested file: its pages of text and the inspection facts found in it.

    ``facts`` is flat (str/int/float/bool) so it can be copied into chunk metadata and
    filtered on; ``fact_pages`` maps a fact name to ``(page, start, end)`` where its evidence
    stands, for citations.
    """

    doc_id: str
    source: str
    content_hash: str
    title: str
    pages: tuple[str, ...]
    facts: Mapping[str, MetaValue] = field(default_factory=dict)
    fact_spans: Mapping[str, tuple[int, int, int]] = field(default_factory=dict)
    root: str = ""

    @property
    def name(self) -> str:
        """Its provider as shown to people: the folder's full name spelt as the report spells it,
        without the council words ('Southend-on-Sea', 'Kingston upon Hull'); the report's own name
        where no folder names it; the title where no provider is known (a press release)."""
        provider, folder = str(self.facts.get("provider") or ""), str(self.facts.get("provider_alias") or "")
        return shown_name(provider, folder) if provider and folder else provider or self.title
