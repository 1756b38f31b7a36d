"""Every sentence the chooser can rank, embedded before any question needs it.

The sentence chooser (``bot.passages.choose``) compares a question with up to eight body
sentences of the passages retrieval found. A sentence no question had ranked before cost the
answer about 30 ms to embed; ``prefill`` embeds them all ahead, in batches (about 1.3 times the
work of embedding the passages themselves), into the sentence-vector file answers read
(``index.sentences.SentenceVectors``). The vectors are the same as those embedded at answer
time (the same texts, the same model), so answers do not change: only when they are computed.

The ingest (``inspectbot ingest``, the admin upload) fills the reports it stores;
``inspectbot sentences`` fills an index ingested before.
"""

from __future__ import annotations

import logging
import time
from typing import Iterable

from bot.passages import ranked_texts

log = logging.getLogger(__name__)


def sentence_texts(catalog, doc_ids: Iterable[str] | None = None, kept=None) -> list[str]:
    """The distinct texts the chooser embeds, over ``doc_ids`` (default: every report); with
    ``kept`` (the ``SentenceVectors`` answers read), where they lie in each passage is kept too."""
    ids = list(doc_ids) if doc_ids is not None else [d.doc_id for d in catalog.documents()]
    out: dict[str, None] = {}
    for doc_id in ids:
        out.update(dict.fromkeys(ranked_texts([c.text for c in catalog.doc_chunks(doc_id)], kept)))
    return list(out)


def prefill(catalog, sentences, doc_ids: Iterable[str] | None = None, progress: bool = False) -> tuple[int, int]:
    """Store the vector of every sentence of ``doc_ids`` (default: every report) not stored yet.
    ``sentences``: the ``SentenceVectors`` answers read. Returns (sentences, embedded now)."""
    t = time.perf_counter()
    texts = sentence_texts(catalog, doc_ids, kept=sentences)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(desc="sentence vectors", unit="sentence")
    try:
        done = sentences.fill(texts, progress=bar.update if bar is not None else None)
    finally:
        if bar is not None:
            bar.close()
    log.info("sentence vectors: %d sentences, %d embedded now, %.1f s", len(texts), done, time.perf_counter() - t)
    return len(texts), done


def prefill_synced(catalog, sentences, summary, progress: bool = False) -> tuple[int, int]:
    """After an ingest: fill the sentences of the reports it added or updated (``summary``:
    ``ingest.sync.SyncSummary``)."""
    sources = {r.source for r in summary.results if r.status in ("added", "updated")}
    if not sources or not sentences.path:  # kept in memory only: nothing outlives this process
        return 0, 0
    ids = [d.doc_id for d in catalog.documents() if d.source in sources]
    return prefill(catalog, sentences, ids, progress=progress)
