"""Scoring rules of the eval command, and the command itself on the samples."""

from __future__ import annotations


from bot.evaluate import answer_matches, checks, quote_on_page, score


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
    s = score(questions, lambda q, h: (sample_answerer.ask(q, history=h).to_json(), 0.01), page_text,
              lambda q, d, why: misses.append(why))
    assert (s["grade"].ok, s["grade"].n) == (1, 2)
    assert (s["grade"].source_ok, s["abstain"].refuse_ok) == (1, 1)
    assert s["ALL"].quotes_ok == s["ALL"].quotes_n > 0
    assert misses == ["answer,report"]


def test_every_key_of_the_scoring_rules():
    data = {"answer": "Salford was judged Good; Wigan was judged Outstanding.", "abstained": False,
            "citations": [{"source": "a/salford 2018.pdf", "quote": "Overall effectiveness Good"},
                          {"source": "a/wigan 2025.pdf", "quote": "the caseloads are manageable"}]}
    got = checks({"sources_all": [["salford"], ["wigan"]], "answer_all": ["good", "outstanding"],
                  "quote_any": ["caseload"]}, data)
    assert got == {"answered": True, "answer_all": True, "quote": True, "reports_all": True}
    assert not checks({"sources_all": [["salford"], ["bury"]]}, data)["reports_all"]
    assert not checks({"answer_all": ["good", "inadequate"]}, data)["answer_all"]
    assert not checks({"quote_any": ["turnover"]}, data)["quote"]
    asked = {"answer": "Which council do you mean?", "abstained": False, "citations": []}
    assert checks({"clarify": True}, asked) == {"clarify": True}
    assert checks({"clarify": True}, {**asked, "answer": "Salford is good."}) == {"clarify": False}
    assert checks({"abstain": True}, {**asked, "abstained": True}) == {"abstain": True}


def test_conversations_are_asked_turn_by_turn_and_strict_needs_the_report():
    seen = []

    def ask(question, history):
        seen.append((question, [m["content"] for m in history]))
        return {"answer": "Good", "abstained": False, "citations": [{"source": "x/wigan.pdf", "quote": "q"}]}, 0.01

    q = {"kind": "followup", "turns": ["salford 2018?", "and wigan?"],
         "expect": {"source_any": ["salford"], "answer_any": [["good"]]}}
    loose = score([q], ask, lambda s, p: None)
    assert seen == [("salford 2018?", []), ("and wigan?", ["salford 2018?", "Good"])]
    strict = score([q], ask, lambda s, p: None, strict=True)
    assert (loose["followup"].ok, strict["followup"].ok) == (1, 0)
    assert strict["followup"].source_ok == 0
