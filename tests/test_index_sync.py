"""The store and folder sync: real Chroma, real embedder, real files."""

from __future__ import annotations

import shutil

import pytest

from conftest import SAMPLES
from index.api import open_index
from index.errors import IndexMismatchError
from ingest.sync import sync


@pytest.fixture()
def reports(tmp_path):
    folder = tmp_path / "reports with spaces & 'quotes'"
    shutil.copytree(SAMPLES, folder)
    return folder


@pytest.fixture()
def index(tmp_path, embedder):
    return open_index(tmp_path / "index", embedder)


def test_collection_uses_our_embeddings_and_cosine(index):
    col = index.vectors.collection
    assert col._embedding_function is None  # never chromadb's downloading default
    assert col.metadata["embedder"] == "all-MiniLM-L6-v2"
    assert col.configuration_json["hnsw"]["space"] == "cosine"


def test_other_embedder_is_refused_with_a_clear_error(tmp_path, embedder):
    open_index(tmp_path / "ix", embedder)

    class Other:
        name = "another-model"
        dimension = 384

        def embed_query(self, text):
            return [0.0] * 384

    with pytest.raises(IndexMismatchError) as err:
        open_index(tmp_path / "ix", Other())
    assert "all-MiniLM-L6-v2" in str(err.value) and "INSPECTBOT_EMBED_MODEL" in str(err.value)


def test_sync_adds_skips_replaces_and_prunes(index, reports):
    first = sync(index, [reports], workers=0, progress=False)
    assert first.count("added") == 3 and not first.failed
    docs, chunks = index.catalog.counts()
    assert docs == 3 and index.vectors.count() == chunks

    again = sync(index, [reports], workers=0, progress=False)
    assert again.count("unchanged") == 3 and again.count("added") == 0
    assert index.catalog.counts() == (docs, chunks) and index.vectors.count() == chunks

    md = reports / "millbrook-primary-school-2024.md"
    md.write_text(md.read_text() + "\nThe school's new sports hall opened in September 2024.\n")
    embedded: list[str] = []
    real = index.embedder.embed_documents
    index.embedder.embed_documents = lambda texts: embedded.extend(texts) or real(texts)
    try:
        changed = sync(index, [reports], workers=0, progress=False)
    finally:
        del index.embedder.embed_documents
    assert changed.count("updated") == 1
    # only the passage that changed is embedded again; the others reuse their stored vectors
    assert changed.reused >= 1 and len(embedded) < changed.chunks
    assert any("sports hall" in t for t in embedded)
    assert index.vectors.count() == index.catalog.counts()[1]  # old vectors gone, no duplicates
    hits = index.retriever().search("sports hall", k=3)
    assert any("sports hall" in h.chunk.text for h in hits)

    md.unlink()
    kept = sync(index, [reports], workers=0, progress=False)
    assert index.catalog.counts()[0] == 3  # without --prune nothing is removed
    pruned = sync(index, [reports], prune=True, workers=0, progress=False)
    assert pruned.count("removed") == 1 and index.catalog.counts()[0] == 2
    assert index.vectors.count() == index.catalog.counts()[1]
    assert kept.count("unchanged") == 2


def test_bad_file_is_reported_and_nothing_stored_is_lost(index, reports):
    sync(index, [reports], workers=0, progress=False)
    before = index.catalog.counts()
    pdf = reports / "brackenford-childrens-services-2025.pdf"
    pdf.write_bytes(b"<html><title>Report not found</title><body>Not found</body></html>")
    (reports / "junk.txt").write_bytes(bytes(range(256)) * 50)
    summary = sync(index, [reports], workers=0, progress=False)
    reasons = {r.source: r.reason for r in summary.failed}
    assert "error page" in reasons["brackenford-childrens-services-2025.pdf"]
    assert "binary" in reasons["junk.txt"]
    assert index.catalog.counts() == before  # the old version of the PDF is still there


def test_parallel_parsing_gives_the_same_index(index, reports, tmp_path, embedder):
    sync(index, [reports], workers=0, progress=False)
    other = open_index(tmp_path / "parallel", embedder)
    summary = sync(other, [reports], workers=1, progress=False)
    assert not summary.failed
    ids = lambda ix: sorted(c.id for d in ix.catalog.documents() for c in ix.catalog.doc_chunks(d.doc_id))
    assert ids(index) == ids(other)


def test_half_written_document_is_finished_without_duplicates(index, reports):
    """A kill after the vectors were written but before the catalog commit."""
    from ingest.chunk import embedding_text
    from ingest.sync import SourceFile, file_hash, parse_file

    path = reports / "ashdown-house-care-home-2025.txt"
    doc, chunks = parse_file(SourceFile(path, reports, path.name), file_hash(path))
    index.catalog.mark_inflight(doc.doc_id)  # what write_documents does first
    index.vectors.upsert(chunks, index.embedder.embed_documents([embedding_text(c) for c in chunks]))
    assert index.catalog.counts() == (0, 0)
    assert index.retriever().search("medicines", k=5) == []  # not visible until committed
    sync(index, [reports], workers=0, progress=False)  # the same file: finished, no duplicates
    assert index.vectors.count() == index.catalog.counts()[1]

    doc2, chunks2 = parse_file(SourceFile(path, reports, "other-name.txt"), file_hash(path))
    index.catalog.mark_inflight(doc2.doc_id)
    index.vectors.upsert(chunks2, index.embedder.embed_documents([c.text for c in chunks2]))
    sync(index, [reports], workers=0, progress=False)  # a file that is gone: its vectors go
    assert index.vectors.count() == index.catalog.counts()[1]


def test_one_writer_at_a_time(index, reports):
    from index.errors import StoreUnavailableError

    with index.writer():
        with pytest.raises(StoreUnavailableError, match="Another ingest"):
            sync(index, [reports], workers=0, progress=False)


def test_refresh_facts_updates_catalog_and_vectors_without_reembedding(index, reports):
    from ingest.sync import refresh_facts

    sync(index, [reports], workers=0, progress=False)
    doc = next(d for d in index.catalog.documents() if d.source.endswith(".pdf"))
    index.catalog.update_facts(doc.doc_id, "stale", {"provider": "Stale"}, {})  # an older extractor's
    vectors = index.vectors.count()
    assert refresh_facts(index, progress=False) == 3
    fresh = index.catalog.document(doc.doc_id)
    assert fresh.title.startswith("Brackenford") and fresh.facts["judgement_overall"] == "good"
    got = index.vectors.collection.get(where={"doc_id": doc.doc_id}, include=["metadatas"])
    assert got["metadatas"] and all(m["provider"] == "Brackenford" for m in got["metadatas"]), {m.get("provider") for m in got["metadatas"]}
    assert index.vectors.count() == vectors


def test_bf16_vectors_match_fp32(embedder):
    from index.embed import SentenceTransformerEmbedder

    texts = ["Children in care are visited regularly by their social workers.",
             "Leaders have not yet ensured that care leavers have suitable homes."]
    fp32 = SentenceTransformerEmbedder(precision="fp32").embed_documents(texts)
    bf16 = SentenceTransformerEmbedder(precision="bf16").embed_documents(texts)
    for a, b in zip(fp32, bf16):
        assert abs(sum(x * x for x in b) - 1) < 1e-4
        assert sum(x * y for x, y in zip(a, b)) > 0.999


def test_unknown_precision_is_refused():
    from index.embed import SentenceTransformerEmbedder
    from index.errors import InspectbotError

    with pytest.raises(InspectbotError, match="INSPECTBOT_EMBED_PRECISION"):
        SentenceTransformerEmbedder(precision="int4")
