"""A search within named reports reads their vectors by id and ranks them here: it must find
what the vector index's own filtered query finds."""

from __future__ import annotations


def test_ranking_by_id_matches_the_filtered_query(sample_index, embedder):
    retriever = sample_index.retriever()
    doc = next(d for d in sample_index.catalog.documents() if d.source.endswith(".pdf"))
    vector = embedder.embed_query("support for care leavers and their accommodation")
    ids = sample_index.catalog.chunk_ids([doc.doc_id])
    assert ids and len(ids) == len(sample_index.catalog.doc_chunks(doc.doc_id))
    ranked = retriever.vectors.rank(vector, ids, 5)
    queried = retriever.vectors.query(vector, 5, {"doc_id": doc.doc_id})
    assert [i for i, _ in ranked] == [i for i, _ in queried]
    for (_, a), (_, b) in zip(ranked, queried):
        assert abs(a - b) < 1e-3
    assert retriever.vectors.rank(vector, [], 5) == []
    hits = retriever.search("care leavers", k=3, filters={"doc_id": doc.doc_id})
    assert hits and all(h.chunk.doc_id == doc.doc_id for h in hits)


def test_preloaded_vectors_rank_as_the_store_does(sample_index, embedder):
    """A server reads every passage vector into memory once (float16); ranking from that
    matrix gives the store's order and similarities within float16's precision, and a passage
    stored after the preload is still read from the store."""
    from index.store import VectorStore

    fresh = VectorStore(sample_index.vectors.client, sample_index.vectors.embedder_name,
                        sample_index.vectors.dimension)
    doc = next(d for d in sample_index.catalog.documents() if d.source.endswith(".pdf"))
    ids = sample_index.catalog.chunk_ids([doc.doc_id])
    vector = embedder.embed_query("how quickly are children seen when there are concerns")
    before = fresh.rank(vector, ids, 5)
    assert fresh.preload() == sample_index.vectors.count()
    fresh._recent.clear()  # the reports read before: read again, from the matrix
    after = fresh.rank(vector, ids, 5)
    assert [i for i, _ in after] == [i for i, _ in before]
    assert all(abs(a - b) < 2e-3 for (_, a), (_, b) in zip(after, before))
    rows, matrix = fresh._all
    fresh._all = ({k: v for k, v in rows.items() if k != ids[0]}, matrix)  # as if stored after the preload
    fresh._recent.clear()
    assert fresh.rank(vector, ids, 5) == before  # float32 from the store, exactly as before the preload
