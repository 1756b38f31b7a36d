"""Hybrid retrieval: dense (Chroma) and keyword (FTS5/BM25), fused by reciprocal rank.

Both retrievers see the same metadata filters; results are materialised from the catalog, so
a chunk that is not (or no longer) committed there is never returned.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any, Mapping

from index.catalog import Catalog
from index.fts import few_documents
from index.embed import Embeddings
from index.sentences import SentenceVectors
from index.store import VectorStore
from index.types import Chunk, Hit

log = logging.getLogger(__name__)


@dataclass
class Timings:
    """Where the milliseconds of one search went."""

    embed_ms: float = 0.0
    dense_ms: float = 0.0
    keyword_ms: float = 0.0
    fuse_ms: float = 0.0
    extra: dict = field(default_factory=dict)


class Retriever:
    def __init__(self, catalog: Catalog, vectors: VectorStore, embedder: Embeddings,
                 k_dense: int = 40, k_keyword: int = 40, rrf_k: int = 60,
                 sentences: SentenceVectors | None = None):
        self.catalog = catalog
        self.vectors = vectors
        self.embedder = embedder
        # the vectors of sentences ranked at answer time, embedded once (in memory if no file)
        self.sentences = sentences or SentenceVectors(embedder)
        self.k_dense = k_dense
        self.k_keyword = k_keyword
        self.rrf_k = rrf_k
        self.last_timings = Timings()

    def search(self, query: str, k: int = 8, filters: Mapping[str, Any] | None = None) -> list[Hit]:
        t = Timings()
        t0 = time.perf_counter()
        vector = self.embedder.embed_query(query)
        t1 = time.perf_counter()
        docs = few_documents(filters)
        if docs:  # within a few reports: their vectors compared here, not a filtered index query
            dense = self.vectors.rank(vector, self.catalog.chunk_ids(docs), self.k_dense)
        else:
            dense = self.vectors.query(vector, self.k_dense, filters)
        t2 = time.perf_counter()
        keyword = self.catalog.keyword_search(query, self.k_keyword, filters)
        t3 = time.perf_counter()
        hits = self.fuse(dense, keyword, k)
        t4 = time.perf_counter()
        t.embed_ms, t.dense_ms = (t1 - t0) * 1e3, (t2 - t1) * 1e3
        t.keyword_ms, t.fuse_ms = (t3 - t2) * 1e3, (t4 - t3) * 1e3
        self.last_timings = t
        return hits

    def fuse(self, dense: list[tuple[str, float]], keyword: list[tuple[str, float]],
             k: int) -> list[Hit]:
        scores: dict[str, float] = {}
        rank_d: dict[str, int] = {}
        rank_k: dict[str, int] = {}
        sims = dict(dense)
        for rank, (cid, _) in enumerate(dense, 1):
            rank_d[cid] = rank
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (self.rrf_k + rank)
        for rank, (cid, _) in enumerate(keyword, 1):
            rank_k[cid] = rank
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (self.rrf_k + rank)
        order = sorted(scores, key=scores.get, reverse=True)
        chunks: dict[str, Chunk] = self.catalog.chunks(order[: k * 3])
        hits = []
        for cid in order[: k * 3]:
            chunk = chunks.get(cid)
            if chunk is None:  # in Chroma but not committed in the catalog: skip
                continue
            hits.append(Hit(chunk, scores[cid], rank_d.get(cid), rank_k.get(cid), sims.get(cid)))
            if len(hits) == k:
                break
        return hits
