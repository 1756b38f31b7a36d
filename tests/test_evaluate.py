"""Scoring rules of the eval command, and the command itself on the samples."""

from __future__ import annotations


from bot.evaluate import answer_matches, quote_on_page, score


def test_answer_matching_follows_the_readme():
    assert answer_matches("Judged Good overall.", [["good"]])
    assert not answer_matches("Requires improvement to be good.", [["good"]])
    assert answer_matches("Requires improvement to be good.", [["requires improvement"]])
    assert answer_matches("From 29 October to 9 November", [["29", "October"]])
    assert not answer_matches("From 29 November", [["29", "October"]])
    assert answer_matches("x", [["y"], ["x"]])


def test_quotes_compare_without_whitespace_and_punctuation():
    assert quote_on_page("Overall effectiveness Good", "…\nOverall effectiveness   Good\n")
    assert quote_on_page("children’s services, are good", "childrens services are good")
    assert not quote_on_page("Overall effectiveness Inadequate", "Overall effectiveness Good")
    assert not quote_on_page("", "anything")


def test_score_counts_by_kind(sample_answerer):
    questions = [
        {"kind": "grade", "question": "How did Ofsted rate Brackenford?",
         "expect": {"source_any": ["brackenford"], "answer_any": [["good"]]}},
        {"kind": "abstain", "question": "What is the capital of France?", "expect": {"abstain": True}},
        {"kind": "grade", "question": "How did Ofsted rate Millbrook Primary School?",
         "expect": {"source_any": ["brackenford"], "answer_any": [["inadequate"]]}},
    ]
    docs = {d.source: d.doc_id for d in sample_answerer.documents()}

    def page_text(source, page):
        doc = sample_answerer.catalog.document(docs[source])
        return doc.pages[page - 1] if page else "\n".join(doc.pages)

    misses = []
    s = score(questions, lambda q: (sample_answerer.ask(q).to_json(), 0.01), page_text,
              lambda q, d, why: misses.append(why))
    assert (s["grade"].answer_ok, s["grade"].answer_n) == (1, 2)
    assert (s["grade"].source_ok, s["abstain"].abstain_ok) == (1, 1)
    assert s["ALL"].quotes_ok == s["ALL"].quotes_n > 0
    assert misses == ["answer,report"]
