"""The default (no-LLM) answerer on the sample reports and on real reports."""

from __future__ import annotations

import re

import pytest

from conftest import SALFORD_2018
from index.errors import BadInputError


def norm(s: str) -> str:
    return re.sub(r"\W+", " ", s.lower()).strip()


def assert_quotes_verbatim(answerer, answer):
    """Every quote stands on its cited page (whitespace aside)."""
    docs = {d.source: d for d in answerer.documents()}
    for c in answer.citations:
        doc = answerer.catalog.document(docs[c.source].doc_id)
        text = doc.pages[(c.page or 1) - 1] if c.page else " ".join(doc.pages)
        assert re.sub(r"\s+", " ", c.quote) in re.sub(r"\s+", " ", text), c


def test_grade_from_facts_cites_the_judgement(sample_answerer):
    a = sample_answerer.ask("How did Ofsted rate Brackenford's children's services?")
    assert not a.abstained and "good" in norm(a.text)
    assert a.citations[0].source == "brackenford-childrens-services-2025.pdf"
    assert a.citations[0].page == 1 and "Overall effectiveness Good" in a.citations[0].quote
    assert_quotes_verbatim(sample_answerer, a)


def test_follow_up_uses_the_history(sample_answerer):
    history = [{"role": "user", "content": "How did Ofsted rate Brackenford's children's services?"},
               {"role": "assistant", "content": "Good."}]
    a = sample_answerer.ask("What about care leavers?", history=history)
    assert "outstanding" in norm(a.text)
    assert a.citations[0].source == "brackenford-childrens-services-2025.pdf"


def test_inspector_dates_and_improvements(sample_answerer):
    a = sample_answerer.ask("Who was the lead inspector at Millbrook Primary School?")
    assert "Daniel Pryce" in a.text
    a = sample_answerer.ask("When did inspectors visit Brackenford?")
    assert "3 March 2025" in a.text and "14 March 2025" in a.text
    a = sample_answerer.ask("What does Brackenford need to improve?")
    assert "short-break" in a.text and len(a.citations) == 3
    assert_quotes_verbatim(sample_answerer, a)


def test_passage_answer_quotes_sentences(sample_answerer):
    a = sample_answerer.ask("How are medicines managed at Ashdown House?")
    assert not a.abstained and "medicines" in a.text.lower()
    assert all(c.source == "ashdown-house-care-home-2025.txt" and c.page is None for c in a.citations)
    assert_quotes_verbatim(sample_answerer, a)


@pytest.mark.parametrize("question", [
    "What is the capital of France?",
    "What was the overall effectiveness grade for Atlantis County Council children's services?",
    "Give me the home address of the lead inspector for Brackenford.",
    "What will Ofsted rate Brackenford in 2031?",
    "What did Estyn say about Swansea's children's services?",
])
def test_refuses_what_the_reports_do_not_hold(sample_answerer, question):
    a = sample_answerer.ask(question)
    assert a.abstained and not a.citations
    assert "inspection reports" in a.text  # says what the reports do cover


def test_parent_mode_explains_jargon(sample_answerer):
    a = sample_answerer.ask("Are children in care in Brackenford doing well?", mode="parent")
    assert "requires improvement" in a.text.lower()
    assert "third of Ofsted's four grades" in a.text


def test_bad_questions_are_clear_errors(sample_answerer):
    with pytest.raises(BadInputError, match="empty"):
        sample_answerer.ask("   \x00 ")
    with pytest.raises(BadInputError, match="too long"):
        sample_answerer.ask("why " * 1000)
    with pytest.raises(BadInputError, match="mode"):
        sample_answerer.ask("hello", mode="pirate")


@pytest.mark.corpus
def test_real_reports_right_council_and_year(corpus_answerer):
    a = corpus_answerer.ask("What was the overall effectiveness grade for Salford's children's services in 2018?")
    assert not a.abstained and "good" in norm(a.text)
    assert a.citations[0].source == SALFORD_2018
    assert_quotes_verbatim(corpus_answerer, a)
    latest = corpus_answerer.ask("What is the latest Ofsted rating for Salford children's services?")
    # the newest report: inspected in November 2023, published January 2024
    assert "November 2023" in latest.text and "12 january 2024" in latest.citations[0].source
    wigan = corpus_answerer.ask("Who was the lead inspector for Wigan's children's services in 2025?")
    assert "Scotland" in wigan.text and "80579_wigan" in wigan.citations[0].source
    send = corpus_answerer.ask("What did the area SEND inspection of North Northamptonshire conclude?")
    assert "systemic failings" in send.text and "area send" in send.citations[0].source
    school = corpus_answerer.ask("What was Rough Hay Primary School's grade at the inspection before November 2016?")
    assert "requires improvement" in school.text.lower()
    timeline = corpus_answerer.ask("How has Salford's rating changed since 2015?")
    assert len(timeline.citations) >= 3 and "2015" in timeline.text


@pytest.mark.corpus
def test_real_reports_name_an_unindexed_council(corpus_answerer):
    a = corpus_answerer.ask("What was the overall grade for Gotham City children's services?")
    assert a.abstained


@pytest.mark.parametrize("question", [
    "Which football club does the director of children's services in Brackenford support?",
    "How do I report a pothole in Brackenford?",
])
def test_refuses_off_topic_questions_about_a_known_council(sample_answerer, question):
    assert sample_answerer.ask(question).abstained


@pytest.mark.corpus
def test_real_reports_improvements_send_and_news(corpus_answerer):
    a = corpus_answerer.ask("What does Salford need to improve, according to its 2018 children's services inspection?")
    assert a.citations and all(c.source == SALFORD_2018 and c.page == 2 for c in a.citations)
    assert "plans to measure progress" in a.text
    assert_quotes_verbatim(corpus_answerer, a)
    nxt = corpus_answerer.ask("When will the next full area SEND inspection of North Northamptonshire take place?")
    assert "18 months" in nxt.text and "three years" in nxt.text
    news = corpus_answerer.ask("When was the news about Salford's SEND inspection published?")
    assert "2 March 2020" in news.text and news.citations[0].source.startswith("press/")
    posts = corpus_answerer.ask("How many extra posts has Salford secured funding for to deal with high caseloads?")
    assert "five" in posts.text and not posts.abstained


def test_provider_filter_takes_any_spelling(sample_answerer):
    a = sample_answerer.ask("Who was the lead inspector?", filters={"provider": "Brackenford City Council"})
    assert "Miriam Oduya" in a.text


def test_slots_bound_how_many_questions_are_worked_on_at_once(sample_index):
    """With slots=2, six questions asked together are searched at most two at a time, and
    every one is answered."""
    import threading
    import time as _time

    from bot.answer import Answerer

    retriever = sample_index.retriever()
    busy, peak, guard = [0], [0], threading.Lock()
    search = retriever.search

    def counting_search(*a, **kw):
        with guard:
            busy[0] += 1
            peak[0] = max(peak[0], busy[0])
        _time.sleep(0.2)  # long enough for the others to pile up
        try:
            return search(*a, **kw)
        finally:
            with guard:
                busy[0] -= 1

    retriever.search = counting_search
    answerer = Answerer(sample_index.catalog, retriever, slots=2)
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(
        answerer.ask("How are medicines managed at Ashdown House?"))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(answers) == 6 and all(a.citations for a in answers)
    assert peak[0] == 2
