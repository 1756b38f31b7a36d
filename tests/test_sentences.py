"""Sentence vectors embedded once: in memory, in a file shared by processes, same ranking."""

from __future__ import annotations


import numpy as np
import pytest

from index.sentences import SentenceVectors

TEXTS = ["Care leavers have suitable places to live and are helped to stay in them.",
         "Social workers' caseloads are manageable, so they know children well.",
         "Leaders have not acted quickly enough on the findings of audits."]


class Counting:
    """The real embedder, counting the texts it is given."""

    def __init__(self, embedder):
        self.inner, self.name, self.calls = embedder, embedder.name, 0

    def embed_documents(self, texts):
        self.calls += len(texts)
        return self.inner.embed_documents(texts)


def test_vectors_match_the_embedder_and_are_embedded_once(embedder):
    counting = Counting(embedder)
    cache = SentenceVectors(counting)
    got = cache.vectors(TEXTS)
    want = np.asarray(embedder.embed_documents(TEXTS), dtype=np.float32)
    assert got.shape == want.shape and got.dtype == np.float32
    assert np.allclose(got, want, atol=2e-3)  # float16 storage
    assert counting.calls == 3
    again = cache.vectors([TEXTS[1], TEXTS[0], TEXTS[1]])
    assert counting.calls == 3  # nothing embedded twice
    assert np.array_equal(again[0], got[1]) and np.array_equal(again[1], got[0])


def test_a_file_is_shared_between_processes_and_restarts(embedder, tmp_path):
    path = tmp_path / "sentences.sqlite3"
    first = Counting(embedder)
    SentenceVectors(first, path).vectors(TEXTS[:2])
    second = Counting(embedder)
    later = SentenceVectors(second, path)  # another process, or the same one restarted
    got = later.vectors(TEXTS)
    assert second.calls == 1 and later.read == 2  # only the new sentence embedded
    assert np.allclose(got, np.asarray(embedder.embed_documents(TEXTS)), atol=2e-3)


def test_another_model_never_reads_these_vectors(embedder, tmp_path):
    path = tmp_path / "sentences.sqlite3"
    SentenceVectors(Counting(embedder), path).vectors(TEXTS)
    other = Counting(embedder)
    other.name = "another-model"
    SentenceVectors(other, path).vectors(TEXTS)
    assert other.calls == 3


def test_a_file_that_cannot_be_opened_leaves_the_vectors_in_memory(embedder, tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache's folder should be")
    counting = Counting(embedder)
    cache = SentenceVectors(counting, blocker / "sentences.sqlite3")
    assert cache.path == "" and "in memory only" in caplog.text
    assert cache.vectors(TEXTS).shape == (3, 384)
    cache.vectors(TEXTS)
    assert counting.calls == 3


def test_the_chooser_picks_the_same_sentences_from_kept_vectors(corpus_index):
    from bot.passages import choose

    retriever = corpus_index.retriever(sentence_cache="")
    question = "do social workers listen to children?"
    hits = retriever.search(question, k=8)
    plain = choose(question, hits, corpus_index.embedder)
    kept = choose(question, hits, corpus_index.embedder, sentences=retriever.sentences)
    assert [c.sentence.text for c in kept] == [c.sentence.text for c in plain]
    before = retriever.sentences.embedded
    choose(question, hits, corpus_index.embedder, sentences=retriever.sentences)
    assert retriever.sentences.embedded == before > 0  # the second time, nothing is embedded


def test_a_question_in_another_case_is_embedded_once(monkeypatch):
    from index.embed import SentenceTransformerEmbedder

    e = SentenceTransformerEmbedder()
    calls = []
    real = e._one  # one text's vector (ONNX Runtime or torch)
    monkeypatch.setattr(e, "_one", lambda text: calls.append(text) or real(text))
    a = e.embed_query("How reliant was Sheffield on agency social workers?")
    b = e.embed_query("how reliant was sheffield on agency social workers?")
    assert len(calls) == 1  # the tokenizer lowercases: the same tokens, one embedding
    assert np.allclose(a, b) and np.allclose(b, real("how reliant was sheffield on agency social workers?"), atol=1e-6)
    e.embed_query("Café in Sheffield?")  # not ASCII: kept as written
    e.embed_query("café in sheffield?")
    assert len(calls) == 3


def test_fill_embeds_only_what_the_file_lacks(embedder, tmp_path):
    path = tmp_path / "sentences.sqlite3"
    SentenceVectors(Counting(embedder), path).vectors(TEXTS[:1])
    counting = Counting(embedder)
    cache = SentenceVectors(counting, path)
    assert cache.fill(TEXTS + TEXTS[1:], batch=1) == 2 and counting.calls == 2  # the stored one, the repeat: not again
    assert cache.fill(TEXTS) == 0 and counting.calls == 2
    later = Counting(embedder)
    got = SentenceVectors(later, path).vectors(TEXTS)  # another process reads them all
    assert later.calls == 0
    assert np.allclose(got, np.asarray(embedder.embed_documents(TEXTS)), atol=2e-3)


@pytest.fixture(scope="module")
def prefilled(corpus_index, tmp_path_factory):
    """Every sentence of the corpus subset embedded ahead into one file (done once: it is slow),
    with what the prefill returned."""
    from bot.prefill import prefill

    path = str(tmp_path_factory.mktemp("prefilled") / "sentences.sqlite3")
    return path, prefill(corpus_index.catalog, corpus_index.sentences(path))


def test_prefilled_sentences_give_the_same_answers_and_embed_none(corpus_index, prefilled):
    """Every sentence the chooser can rank, embedded ahead: topic answers then embed no
    sentence, and quote exactly what they quoted when they embedded their own."""
    from bot.answer import Answerer
    from bot.prefill import prefill, sentence_texts

    questions = ["do social workers in salford listen to children?", "how are care leavers supported in wigan?",
                 "what did inspectors say about early help in birmingham?",
                 "how well do schools in north northamptonshire support children with send?"]
    lazy = Answerer(corpus_index.catalog, corpus_index.retriever(sentence_cache=""))
    want = [lazy.ask(q).to_json() for q in questions]
    assert lazy.retriever.sentences.embedded > 0  # without prefill, answers embed sentences
    path, (total, embedded) = prefilled
    assert total == embedded == len(sentence_texts(corpus_index.catalog)) > 1000
    assert prefill(corpus_index.catalog, corpus_index.sentences(path)) == (total, 0)  # a second run embeds none
    filled = Answerer(corpus_index.catalog, corpus_index.retriever(sentence_cache=path))
    got = [filled.ask(q).to_json() for q in questions]
    assert filled.retriever.sentences.embedded == 0
    assert [(g["answer"], [c["quote"] for c in g["citations"]]) for g in got] == \
        [(w["answer"], [c["quote"] for c in w["citations"]]) for w in want]


def test_where_sentences_lie_is_kept_with_the_rules_version(corpus_index, prefilled, monkeypatch):
    """Prefill keeps where each passage's sentences lie; a later process reads those spans
    instead of working them out, gets the same spans, and never reads spans kept under other
    rules (the key holds their version)."""
    import bot.passages as passages

    path, _ = prefilled
    doc = corpus_index.catalog.documents()[0]
    texts = [c.text for c in corpus_index.catalog.doc_chunks(doc.doc_id)]
    kept = corpus_index.sentences(path)
    stored = kept.read_spans([passages.span_key(t) for t in texts])
    assert len(stored) == len(set(texts))
    assert [stored[passages.span_key(t)] for t in texts] == [passages._body_spans(t) for t in texts]
    passages._SPANS.clear()
    worked: list[str] = []
    real = passages._body_spans
    monkeypatch.setattr(passages, "_body_spans", lambda t: worked.append(t) or real(t))
    assert passages.spans_of(texts, kept) == [real(t) for t in texts] and not worked  # read, not worked out
    passages._SPANS.clear()
    monkeypatch.setattr(passages, "_RULES", b"other rules")
    assert passages.spans_of(texts[:2], kept) == [real(t) for t in texts[:2]] and len(worked) == 2
