"""Questions asked the way people ask them, through the real answerer on real reports: names
with typos, facilities the index does not hold, SEND routing, clarifying, every follow-up form,
passages from the body of a report, and the ``understood`` object that says what was taken."""

from __future__ import annotations

import re

import pytest

from test_answer import assert_quotes_verbatim

pytestmark = pytest.mark.corpus

SALFORD = "80548_salford/"
WIGAN = "80579_wigan/"
NN_SEND = "ofsted-send/2637539_north northamptonshire/"


def ask(answerer, *turns, **kw):
    history = []
    for text in turns[:-1]:
        a = answerer.ask(text, history=history, **kw)
        history += [{"role": "user", "content": text}, {"role": "assistant", "content": a.text}]
    return answerer.ask(turns[-1], history=history, **kw)


def cited(answer) -> list[str]:
    return [c.source for c in answer.citations]


@pytest.mark.parametrize("question,source,grade", [
    ("salfrod social services for children - are they any good?", "12 january 2024", "good"),
    ("wigun, how did the last inspection go", "26 november 2025", "good"),
    ("salford city council's children's social care rating 2018", "12 november 2018", "good"),
    ("WIGAN OFSTED 2022", "05 july 2022", "requires improvement"),
])
def test_names_with_typos_and_no_year(corpus_answerer, question, source, grade):
    a = corpus_answerer.ask(question)
    assert not a.abstained, a.text
    assert any(source in s for s in cited(a)), cited(a)
    assert grade in a.text.lower()
    assert a.understood.kind == "grade" and a.understood.report.source.endswith(f"{source}.pdf")
    assert_quotes_verbatim(corpus_answerer, a)


@pytest.mark.parametrize("question", [
    "how did the cqc rate Salford Royal Hospital?",
    "is Wigan Girls' High School rated well?",
    "latest ofsted grade of the little acorns nursery, salford",
    "which care homes in wigan got a good rating?",
])
def test_named_facilities_not_held_are_said_so(corpus_answerer, question):
    a = corpus_answerer.ask(question)
    assert a.abstained and "don't hold" in a.text, a.text
    assert not a.citations


def test_a_held_school_is_answered(corpus_answerer):
    a = corpus_answerer.ask("Is Rough Hay Primary School any good?")
    assert not a.abstained and any("rough hay" in s for s in cited(a)), a.text


@pytest.mark.parametrize("question", [
    "north northamptonshire SEND - outcome?",
    "what did the area SEND inspection of North Northamptonshire find?",
    "how well does north northants support children with special educational needs?",
])
def test_send_questions_go_to_the_area_send_report(corpus_answerer, question):
    a = corpus_answerer.ask(question)
    assert not a.abstained, a.text
    assert cited(a) and all(s.startswith(NN_SEND) for s in cited(a)), cited(a)
    assert a.understood.report.report_type == "area_send"


@pytest.mark.parametrize("question", [
    "is my council any good at children's services?",
    "what was our grade?",
    "who was the lead inspector on our last inspection?",
    "how long did the inspection take?",
])
def test_no_council_named_asks_which(corpus_answerer, question):
    a = corpus_answerer.ask(question)
    assert a.abstained and re.search(r"which council", a.text, re.I), a.text
    assert a.understood.kind == "clarify" and not a.citations


def test_a_caller_filter_counts_as_naming_the_council(corpus_answerer):
    a = corpus_answerer.ask("is my council any good at children's services?", filters={"provider": "Wigan"})
    assert not a.abstained and a.understood.provider.lower().startswith("wigan")
    assert any(WIGAN in s for s in cited(a))


def test_unknown_council_and_missing_year_are_refused_with_what_is_held(corpus_answerer):
    a = corpus_answerer.ask("trowbury council - ofsted result for children's services")
    assert a.abstained and "trowbury" in a.text.lower()
    a = corpus_answerer.ask("salford ofsted 2020 result?")
    assert a.abstained and "2015" in a.text and "2023" in a.text, a.text


def test_follow_ups(corpus_answerer):
    a = ask(corpus_answerer, "what did salford get in 2018?", "what about 2015?")
    assert any("22 june 2015" in s for s in cited(a)) and "good" in a.text.lower()
    a = ask(corpus_answerer, "what grade did salford get in 2022?", "what grade did wigan get in 2022?")
    assert any("05 july 2022" in s for s in cited(a))
    a = ask(corpus_answerer, "what grade did wigan get in 2022?", "and salford?")
    # the same question of Salford: no 2022 report, said first, then its latest
    assert a.text.startswith("I have no 2022 inspection report for Salford") and "Here is its latest." in a.text, a.text
    assert any("12 january 2024" in s for s in cited(a)), a.text
    a = ask(corpus_answerer, "what grade did wigan get in 2022?", "and salford in 2022?")
    assert a.abstained and "2022" in a.text  # a year asked for again: that year's report or none
    a = ask(corpus_answerer, "wigan children's social care rating", "and the time before that?")
    assert any("05 july 2022" in s for s in cited(a)), a.text
    a = ask(corpus_answerer, "what did ofsted give wigan in 2017?", "and now?")
    assert any("26 november 2025" in s for s in cited(a)), a.text
    a = ask(corpus_answerer, "salford children's services 2018", "who led that one?")
    assert "Lorna Schlechte" in a.text
    a = ask(corpus_answerer, "salford latest ofsted", "when was that?")
    assert "6 November 2023" in a.text or "November 2023" in a.text, a.text
    a = ask(corpus_answerer, "wigan children's services", "when was the inspection before that?", "what did it get?")
    assert any("05 july 2022" in s for s in cited(a)) and "requires improvement" in a.text.lower(), a.text
    a = ask(corpus_answerer, "salford latest grade", "compare that with wigan")
    assert {s.split("/")[1] for s in cited(a)} == {"80548_salford", "80579_wigan"}
    assert len(a.understood.providers) == 2


def test_topic_questions_quote_the_body_of_the_report(corpus_answerer):
    a = corpus_answerer.ask("do social workers in salford actually listen to kids?")
    assert not a.abstained, a.text
    assert all(SALFORD in s for s in cited(a))
    quotes = " ".join(c.quote for c in a.citations).lower()
    assert re.search(r"views|wishes|voice|listen", quotes), quotes
    for c in a.citations:
        assert not re.search(r"ofsted\.gov|piccadilly|inspection dates|lead inspector:|judgement grade", c.quote, re.I)
    assert_quotes_verbatim(corpus_answerer, a)
    assert a.understood.topic


def test_is_it_good_at_a_topic_puts_the_judgement_first(corpus_answerer):
    a = corpus_answerer.ask("is wigan any good at looking after care leavers?")
    assert not a.abstained
    first = a.text.split("\n")[0].lower()
    assert "care leavers" in first and re.search(r"outstanding|good|requires improvement|inadequate", first), a.text
    assert len(a.citations) >= 2  # the judgement, then passages about care leavers
    assert_quotes_verbatim(corpus_answerer, a)


def test_understood_says_what_was_taken(corpus_answerer):
    a = corpus_answerer.ask("how are care leavers getting on in salford? going by the 2018 inspection")
    u = a.understood
    assert u.provider == "Salford" and u.year == 2018 and u.topic == "care leavers"
    assert u.report.inspection_start == "2018-10-08" and u.report.inspection_end == "2018-10-12"
    assert u.line() == "About: Salford · inspection of 8-12 October 2018 · care leavers"
    data = a.to_json()["understood"]
    assert data["report"]["source"].endswith("12 november 2018.pdf") and data["kind"] in ("grade", "assess")


@pytest.mark.parametrize("question", [
    "what time is the next bus from wigan to salford?",
    "who is salford's director of children's services?",
    "do you think wigan will be rated outstanding at the next inspection?",
    "can i sue salford council over my social worker?",
])
def test_outside_what_reports_cover(corpus_answerer, question):
    a = corpus_answerer.ask(question)
    assert a.abstained and not a.citations, a.text


@pytest.mark.parametrize("question", [
    "do care leavers in salford make it to university?",
    "what support is there in wigan for children's religious and cultural needs?",
    "will the inadequate rating affect adoption in birmingham?",
    "is there a hospital social work team in salford?",
    "do children in wigan keep having to change social worker?",
])
def test_ordinary_questions_that_share_a_word_with_a_refusal_are_answered(corpus_answerer, question):
    a = corpus_answerer.ask(question)
    assert a.understood.kind not in ("refuse", "not_held", "timeline"), (a.understood, a.text)


def test_a_facility_not_held_does_not_carry_into_the_next_turn(corpus_answerer):
    a = ask(corpus_answerer, "how did the cqc rate Salford Royal Hospital?", "what did it get?")
    assert a.abstained and not a.citations, a.text


def test_send_follow_up_moves_to_the_send_report(corpus_answerer):
    a = ask(corpus_answerer, "what did north northamptonshire get in 2022?", "what about their SEND inspection?")
    assert cited(a) and all(s.startswith(NN_SEND) for s in cited(a)), a.text


def test_lists_and_timelines_over_reports(corpus_answerer):
    a = corpus_answerer.ask("which councils are currently rated good for children's services?")
    assert not a.abstained and a.understood.kind == "list"
    assert re.match(r"\d+ (of \d+ councils \(\d+%\) )?w(ere|as) judged good", a.text), a.text
    assert "Salford" in a.text and "Wigan" in a.text and "Rough Hay" not in a.text  # councils, latest reports
    assert "Birmingham" in a.text  # its latest (2023) report is good, its 2016 one inadequate
    a = corpus_answerer.ask("how has birmingham's rating changed since 2016?")
    assert a.understood.kind == "timeline" and "inadequate" in a.text and "good" in a.text
    assert {c.source.rsplit(" - ", 1)[1] for c in a.citations} >= {"25 november 2016.pdf", "18 april 2023.pdf"}
    assert_quotes_verbatim(corpus_answerer, a)


def test_compare_the_councils_of_the_conversation(corpus_answerer):
    a = ask(corpus_answerer, "salford latest ofsted", "how about wigan?", "compare them")
    assert a.understood.kind == "compare" and set(a.understood.providers) == {"Salford", "Wigan"}
    assert {s.split("/")[1] for s in cited(a)} == {"80548_salford", "80579_wigan"}


def test_partial_names_definitions_and_three_way_comparisons(corpus_answerer):
    a = corpus_answerer.ask("northamptonshire ofsted rating")  # the index holds North Northamptonshire
    assert a.abstained and "North Northamptonshire" in a.text and a.understood.kind == "clarify"
    a = corpus_answerer.ask("what does requires improvement mean?")
    assert not a.abstained and "third of Ofsted's four grades" in a.text and not a.citations
    a = corpus_answerer.ask("salford vs wigan vs birmingham")
    assert len(a.understood.providers) == 3 and len({c.source.split("/")[1] for c in a.citations}) == 3


def test_a_fact_after_two_councils_is_answered_for_each(corpus_answerer):
    a = ask(corpus_answerer, "salford vs wigan", "who led that one?")
    assert a.understood.kind == "inspector" and "Kathryn Grindrod" in a.text and "Scotland" in a.text
    assert [c.n for c in a.citations] == [1, 2] and "[1]" in a.text and "[2]" in a.text
    assert {c.source.split("/")[1] for c in a.citations} == {"80548_salford", "80579_wigan"}
