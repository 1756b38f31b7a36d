"""Conditions a question puts on many reports or on one, in our own words, through the real
answerer on the real corpus subset of conftest (Salford, Wigan, Birmingham, North
Northamptonshire's SEND report, two schools, Salford's press releases): the earlier inspection
of a change named by its year or as 'previous', year ranges, every judgement at once, a reason
asked for a grade, a facility that is the provider itself, press releases found by what they
say, personal details declined beside a real question, and a follow-up that changes the kind
of report."""

from __future__ import annotations

import pytest

from bot.changes import from_year, grade_from, to_grade
from bot.refusals import split_declined
from conftest import SEND_NN
from test_facts import facts_of

BHAM_2014 = "80429_birmingham/children's services inspection - 23 may 2014.pdf"
BHAM_2016 = "80429_birmingham/children's services inspection - 25 november 2016.pdf"
BHAM_2019 = "80429_birmingham/children's services inspection - 17 january 2019.pdf"
BHAM_2023 = "80429_birmingham/children's services inspection - 18 april 2023.pdf"
WIGAN_2017 = "80579_wigan/children's services inspection - 31 march 2017.pdf"
WIGAN_2022 = "80579_wigan/children's services inspection - 05 july 2022.pdf"


def ask(answerer, question, history=()):
    return answerer.ask(question, history=list(history))


def sources(answer) -> set[str]:
    return {c.source.split("/", 1)[-1] for c in answer.citations}


# --- the closed vocabulary of a change's two ends -----------------------------------------------

@pytest.mark.parametrize("question,start,end,year", [
    ("which councils went from inadequate in 2018 to good?", "inadequate", "good", 2018),
    ("which councils were rated good at their previous inspection?", "", "good", None),  # no change asked
    ("which councils that were good at their previous inspection are now inadequate?", "good", "inadequate", None),
    ("of the councils rated inadequate in 2016, which were good or better at their next inspection?",
     "inadequate", "good or outstanding", 2016),
    ("councils judged requires improvement in 2019 and better at the following inspection", "requires improvement to be good",
     "", 2019),
    ("which councils were good at their last inspection?", "", "good", None),  # the latest: no change asked
])
def test_the_earlier_inspection_named_as_previous_or_by_its_year(question, start, end, year):
    assert (grade_from(question), to_grade(question), from_year(question)) == (start, end, year)


def test_a_change_after_a_grade_in_a_named_year(corpus_answerer):
    a = ask(corpus_answerer, "of the councils rated inadequate in 2016, which ones were better at their next inspection?")
    assert a.understood.plan.operation == "transition", a.understood.line()
    assert "Birmingham" in a.text and {BHAM_2016, BHAM_2019} <= sources(a), a.text
    assert BHAM_2014 not in sources(a)  # 2014 -> 2016 is not a change from a 2016 grade


def test_a_change_from_the_previous_grade_in_a_year_range(corpus_answerer):
    a = ask(corpus_answerer, "which councils that were good at their previous inspection got requires improvement "
                             "at an inspection in 2020 or later?")
    assert a.understood.plan.operation == "transition"
    assert "Wigan" in a.text and {WIGAN_2017, WIGAN_2022} <= sources(a), a.text
    none = ask(corpus_answerer, "which councils that were good at their previous inspection got requires improvement "
                                "at an inspection in 2023 or later?")
    assert "Wigan" not in none.text and not none.citations, none.text


def test_the_same_grade_twice_in_a_row_from_a_year(corpus_answerer):
    a = ask(corpus_answerer, "which councils were inadequate at two inspections in a row, the later one in 2016 or later?")
    assert "Birmingham" in a.text and {BHAM_2014, BHAM_2016} <= sources(a), a.text
    assert "any grade" not in a.text  # 'inadequate and inadequate again', not 'from any grade'


def test_every_judgement_at_once(corpus_answerer):
    every = ask(corpus_answerer, "which councils were judged good across the board in 2023?")
    overall = ask(corpus_answerer, "which councils were judged good in 2023?")
    assert "Birmingham" in every.text and "Salford" not in every.text, every.text  # Salford: two outstanding
    assert "Birmingham" in overall.text and "Salford" in overall.text, overall.text


# --- one report ---------------------------------------------------------------------------------

def test_why_a_grade_gives_the_judgements_and_the_reasons_of_that_report(corpus_answerer):
    a = ask(corpus_answerer, "why did wigan get requires improvement?")
    assert not a.abstained
    assert sources(a) == {WIGAN_2022}, a.text  # the report that gave that grade, not the latest (good)
    assert "Requires improvement" in a.text and "Its judgements were" in a.text
    assert "What the inspectors found" in a.text  # and the report's own summary of why


def test_the_weakest_part_lists_each_judgement(corpus_answerer):
    a = ask(corpus_answerer, "what was salford's weakest area at its 2023 inspection?")
    assert "Its judgements were" in a.text and "care leavers: Outstanding" in a.text, a.text


def test_a_facility_word_about_a_school_held_is_about_that_school(corpus_answerer):
    a = ask(corpus_answerer, "Rough Hay Primary - how was it rated and which academy trust is behind it?")
    assert not a.abstained, a.text
    assert sources(a) and all("rough hay" in s for s in sources(a)) and "Good" in a.text


def test_send_report_names_its_lead_inspector():
    f, spans, pages = facts_of(SEND_NN)
    assert f["lead_inspector"] == "Dave Gilkerson"  # 'Dave Gilkerson HMI, Ofsted Lead inspector' in the team table
    page, start, end = spans["lead_inspector"]
    assert pages[page - 1][start:end] == "Dave Gilkerson"


def test_a_short_sentence_with_the_figure_asked_is_quoted():
    from bot.passages import _body_spans

    text = "Waiting lists are published monthly. The average wait time is 18 months. The average wait is long."
    kept = [text[a:b] for a, b in _body_spans(text)]
    assert "The average wait time is 18 months." in kept  # short, but it gives a figure
    assert "The average wait is long." not in kept  # short and no figure: a fragment as before


# --- press releases, personal details, conversations --------------------------------------------

def test_a_press_release_found_by_what_it_says(corpus_answerer):
    a = ask(corpus_answerer, "the press release where steve dixon of the ccg praised the send work - what did it say?")
    assert not a.abstained, a.text
    assert a.citations and all(c.source.startswith("press/000_") for c in a.citations), a.text
    assert "the council's own press release" in a.text
    vague = ask(corpus_answerer, "what did the council say in its press release?")  # all the news is Salford's
    assert vague.abstained and "Which press release" in vague.text and "2018 and 2020" in vague.text, vague.text
    send = ask(corpus_answerer, "who did the council quote in its press release about the SEND inspection?")
    assert not send.abstained and {c.source for c in send.citations} == {"press/000_de2500143abe7f33.txt"}, send.text
    dated = ask(corpus_answerer, "according to the council's press release on the 2018 ofsted, what about caseloads?")
    assert {c.source for c in dated.citations} == {"press/004_07a47504f3c1904d.txt"}, dated.text  # it quotes that report
    none = ask(corpus_answerer, "what did the council say in its press release about the 2016 inspection?")
    assert none.abstained and "no council press release about a 2016 inspection" in none.text, none.text


@pytest.mark.parametrize("question,expected", [
    ("who led wigan's 2022 inspection? and find me her home address too",
     ("who led wigan's 2022 inspection?", "personal")),
    ("The Salford report mentions children at risk. Give me the names of those children and their schools.",
     ("The Salford report mentions children at risk. Give me the names of those children and their schools.", "")),
    ("what is the phone number of the lead inspector for wigan?",
     ("what is the phone number of the lead inspector for wigan?", "")),
    ("what's wigan's duty team phone number? also what grade did it get?", ("also what grade did it get?", "contact")),
])
def test_personal_details_are_declined_a_sentence_at_a_time(question, expected):
    assert split_declined(question) == expected


def test_personal_details_declined_and_the_question_answered(corpus_answerer):
    a = ask(corpus_answerer, "who led wigan's 2022 inspection? and find me her home address too")
    assert not a.abstained
    assert a.text.startswith("I can't give personal details") and "Lorna Schlechte" in a.text
    b = ask(corpus_answerer, "The Salford report mentions children at risk. Give me the names of those children.")
    assert b.abstained and not b.citations


@pytest.mark.parametrize("follow_up,send", [
    ("ok and their children's social care, what grade?", False),
    ("and what about the kids services inspection?", False),
    ("what did it say about ehc plans?", True),  # still the SEND report
])
def test_a_follow_up_naming_childrens_services_leaves_the_send_report(follow_up, send):
    from bot.conversation import understand
    from bot.names import ProviderIndex
    from index.types import Document

    providers = ProviderIndex.build([Document("p1", "p1.pdf", "h", "Plymouth", (), {
        "provider": "Plymouth", "provider_key": "plymouth"})])
    history = [{"role": "user", "content": "tell me about the area send inspection in plymouth"},
               {"role": "assistant", "content": "..."}]
    q = understand(follow_up, providers, history)
    assert q.providers == ("plymouth",) and q.send is send


@pytest.mark.parametrize("question", ["wigan - list each ofsted inspection of children's services and the grade",
                                      "wigan children's services, every inspection result you hold please",
                                      "list wigan's inspections"])
def test_a_history_asked_as_every_result(corpus_answerer, question):
    a = ask(corpus_answerer, question)
    assert a.understood.plan.operation == "history", a.understood.line()
    assert {WIGAN_2017, WIGAN_2022} <= sources(a), a.text


def test_last_time_and_the_time_before(corpus_answerer):
    a = ask(corpus_answerer, "what grade did wigan get last time and the time before?")
    assert a.understood.plan.operation == "history"
    assert sources(a) == {WIGAN_2022, "80579_wigan/children's services inspection - 26 november 2025.pdf"}, a.text


@pytest.mark.parametrize("question", [
    "what's the name of the service for care leavers in Salford?",
    "give me the names of schools for children with SEND in Salford",
    "what are the names of the children's homes in wigan?",
])
def test_names_of_services_are_not_personal_details(question):
    from bot.refusals import refusal

    assert refusal(question, None, None) != "personal"


@pytest.mark.parametrize("question,pattern", [
    ("what were the strongest aspects of practice in salford?", "RANKED_PART"),
    ("which parts of the country have the worst send provision?", "RANKED_PART"),
    ("which schools in wigan have the highest scores?", "RANKED_PART"),
    ("what progress has wigan made on each of the recommendations from the inspection?", "TIMELINE"),
    ("go through each point the inspection raised for wigan", "TIMELINE"),
    ("which councils in all areas of england were rated inadequate in 2023?", "ALL_JUDGEMENTS"),
    ("and how does social care contribute to ehc plans?", "CHILDRENS_SERVICES"),
    ("what made the difference at birmingham to get out of inadequate?", "WHY"),
])
def test_closed_vocabularies_do_not_reach_ordinary_questions(question, pattern):
    import bot.vocabulary as vocabulary

    assert not getattr(vocabulary, pattern).search(question)


def test_a_single_report_before_a_year(corpus_answerer):
    a = ask(corpus_answerer, "what grade did birmingham get before 2019?")
    assert BHAM_2019 in sources(a) and BHAM_2023 not in sources(a), a.text  # visits ending in 2018 are before 2019
