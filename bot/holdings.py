"""What the catalog holds, as the Answerer reads it: read once, and again only when an ingest
changes the catalog, so no question walks every document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot import factual
from bot.inspectors import InspectorIndex
from bot.names import ProviderIndex
from index.catalog import Catalog
from index.types import Document


@dataclass(frozen=True)
class Holdings:
    """The documents, their providers, the provider each news item is about, each provider's
    documents, the coverage sentence, the latest year, the year of the inspection each news
    item is about, the lead inspectors the reports name, and each news item's text."""
    docs: list[Document]
    providers: ProviderIndex
    mentions: dict[str, str]
    theirs: dict[str, list[Document]]
    coverage: str
    max_year: int | None
    about_year: dict[str, int] = field(default_factory=dict)
    inspectors: InspectorIndex = field(default_factory=InspectorIndex)
    news_text: dict[str, str] = field(default_factory=dict)  # each news item's text, read once


def read_holdings(catalog: Catalog) -> Holdings:
    docs = catalog.documents()
    providers = ProviderIndex.build(docs, word_counts=catalog.term_counts)
    # news and other documents without a provider of their own belong to the provider
    # their opening names ('Salford rated good across the board')
    mentions, news_text = {}, {}
    for d in docs:
        if d.doc_id not in providers.by_doc:
            full = catalog.document(d.doc_id)
            text = " ".join(full.pages) if full else d.title
            found = providers.find(d.title) or providers.find(text[:1500])
            if found:
                mentions[d.doc_id] = found[0]
                news_text[d.doc_id] = text
    theirs: dict[str, list[Document]] = {}
    for d in docs:
        if d.doc_id in providers.by_doc:
            theirs.setdefault(providers.by_doc[d.doc_id], []).append(d)
    years = sorted({int(d.facts["year"]) for d in docs if d.facts.get("year")})
    kinds = sorted({factual.kind_label(d) + "s" for d in docs})
    span = f" from {years[0]} to {years[-1]}" if years else ""
    coverage = (f"I answer from {len(docs)} published inspection reports ({', '.join(kinds)}) "
                f"covering {len(providers.names)} councils and providers{span}.") if docs else ""
    about = {doc_id: year for doc_id, key in mentions.items()
             if (year := _about_year(catalog, doc_id, theirs.get(key, [])))}
    return Holdings(docs, providers, mentions, theirs, coverage, years[-1] if years else None, about,
                    InspectorIndex.build(docs), news_text)


def _about_year(catalog: Catalog, news_id: str, reports: list[Document]) -> int | None:
    """The year of the inspection a news item is about: that of the provider's report whose
    sentences it quotes (a release quotes the inspectors), else the year it was published."""
    full = catalog.document(news_id)
    if full is None:
        return None
    flat = lambda text: re.sub(r"\W+", " ", text).lower()  # noqa: E731 - quotes and spaces aside
    said = [flat(s)[:80] for s in re.split(r"(?<=[.!?])\s+|\n+", " ".join(full.pages)) if len(s.split()) >= 10]
    best, year = 0, None
    for d in reports:
        report = catalog.document(d.doc_id)
        text = flat(" ".join(report.pages)) if report else ""
        n = sum(1 for s in said if s in text)
        if n > best and d.facts.get("year"):
            best, year = n, int(d.facts["year"])
    return year or (int(full.facts["year"]) if full.facts.get("year") else None)
