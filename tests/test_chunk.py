"""Chunks are exact slices of their page, know their section, and have stable ids."""

from __future__ import annotations

from conftest import SALFORD_2018, corpus_path
from ingest.chunk import MAX_CHARS, chunk_document
from ingest.load import load


def test_chunks_are_verbatim_slices_with_sections():
    loaded = load(corpus_path(SALFORD_2018))
    chunks = chunk_document("doc", "s.pdf", loaded.pages, True, {"provider": "Salford"})
    assert len(chunks) > 20
    for c in chunks:
        assert loaded.pages[c.page - 1][c.start:c.end] == c.text
        assert len(c.text) <= MAX_CHARS + 200
    improve = [c for c in chunks if c.section == "What needs to improve"]
    assert improve and "plans to measure progress" in improve[0].text
    # a numbered paragraph is not cut in two
    para = next(c for c in chunks if c.text.startswith("2. The early response team"))
    assert "strengthened." in para.text


def test_chunk_ids_are_stable():
    loaded = load(corpus_path(SALFORD_2018))
    a = chunk_document("doc", "s.pdf", loaded.pages, True, {})
    b = chunk_document("doc", "s.pdf", loaded.pages, True, {})
    assert [c.id for c in a] == [c.id for c in b]
    assert len({c.id for c in a}) == len(a)


def test_running_headers_are_not_chunked():
    header = "Inspection of Testshire local authority children’s services 1 to 5 May 2025"
    words = ["early help", "fostering", "adoption", "care leavers", "the front door", "audits"]
    pages = tuple(f"{header} {n}\n{n}. Inspectors looked closely at {w} and found it effective.\n"
                  for n, w in enumerate(words, 1))
    chunks = chunk_document("doc", "s.pdf", pages, True, {})
    assert len(chunks) == 6
    assert all("Inspection of Testshire" not in c.text for c in chunks)
    assert all(pages[c.page - 1][c.start:c.end] == c.text for c in chunks)
