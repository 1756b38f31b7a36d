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
