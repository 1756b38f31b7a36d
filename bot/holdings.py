"""What the catalog holds, as the Answerer reads it: read once, and again only when an ingest
changes the catalog, so no question walks every document."""

from __future__ import annotations

from dataclasses import dataclass

from bot import factual
from bot.names import ProviderIndex
from index.catalog import Catalog
from index.types import Document


@dataclass(frozen=True)
class Holdings:
    """The documents, their providers, the provider each news item is about, each provider's
    documents, the coverage sentence and the latest year."""
    docs: list[Document]
    providers: ProviderIndex
    mentions: dict[str, str]
    theirs: dict[str, list[Document]]
    coverage: str
    max_year: int | None


def read_holdings(catalog: Catalog) -> Holdings:
    docs = catalog.documents()
    providers = ProviderIndex.build(docs, word_counts=catalog.term_counts)
    # news and other documents without a provider of their own belong to the provider
    # their opening names ('Salford rated good across the board')
    mentions = {}
    for d in docs:
        if d.doc_id not in providers.by_doc:
            full = catalog.document(d.doc_id)
            opening = " ".join(full.pages)[:1500] if full else d.title
            found = providers.find(d.title) or providers.find(opening)
            if found:
                mentions[d.doc_id] = found[0]
    theirs: dict[str, list[Document]] = {}
    for d in docs:
        if d.doc_id in providers.by_doc:
            theirs.setdefault(providers.by_doc[d.doc_id], []).append(d)
    years = sorted({int(d.facts["year"]) for d in docs if d.facts.get("year")})
    kinds = sorted({factual.kind_label(d) + "s" for d in docs})
    span = f" from {years[0]} to {years[-1]}" if years else ""
    coverage = (f"I answer from {len(docs)} published inspection reports ({', '.join(kinds)}) "
                f"covering {len(providers.names)} councils and providers{span}.") if docs else ""
    return Holdings(docs, providers, mentions, theirs, coverage, years[-1] if years else None)
