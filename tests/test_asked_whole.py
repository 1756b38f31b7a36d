"""Questions that say more than they ask, and questions that ask two things, read whole: a
claim then 'is that true?', a worry then 'are they any good?', who asks ('journalist here'),
two years compared, a fact named after a dash then a second question, a school's grade and the
one before, and what a council's release admits. Our own wording, of the councils in conftest's
corpus subset, through the real answerer."""

from __future__ import annotations

import pytest

from bot.conversation import split_compound
from bot.wording import unintroduced

pytestmark = pytest.mark.corpus


def ask(answerer, question, history=()):
    return answerer.ask(question, history=list(history))


def sources(answer) -> set[str]:
    return {c.source.split("/", 1)[-1] for c in answer.citations}


def test_a_claim_then_is_that_true_is_one_question_answered_with_the_verdict(corpus_answerer):
    question = "my neighbour says birmingham got a terrible ofsted?? is that true"
    assert split_compound(question) == [question]
    a = ask(corpus_answerer, question)
    assert a.text.startswith("Birmingham") and " was judged " in a.text.split(".")[0], a.text
    assert a.text.count(" was judged ") == 1, a.text  # answered once, not once a sentence
    a = ask(corpus_answerer, "my sister fosters for wigan and keeps telling me they're brilliant now. is that actually "
                             "what ofsted said or is she just biased lol")
    assert a.text.startswith("Wigan was judged Good overall"), a.text
    a = ask(corpus_answerer, "heard salford got slated by ofsted, is that true?")
    assert not a.abstained and a.text.startswith("Salford was judged Good overall"), a.text
    # two sentences that each ask something of their own are still two
    assert len(split_compound("Did Wigan have to write a plan? Who led the inspection there?")) == 2


def test_who_asks_is_not_a_place(corpus_answerer):
    assert unintroduced("journalist here - what do reports say about mockingbird?") == "what do reports say about mockingbird?"
    assert unintroduced("hi, foster carer here: is wigan good?") == "is wigan good?"
    assert unintroduced("is it any good round here - wigan?") == "is it any good round here - wigan?"
    assert corpus_answerer.understand("wigan foster carer here - are they any good?").providers == ("wigan",)
    a = ask(corpus_answerer, "journalist here - what have recent reports said about return home interviews?")
    assert a.understood.plan.executor in ("theme", "search"), a.understood.line()


def test_two_years_compared_are_both_cited(corpus_answerer):
    a = ask(corpus_answerer, "how did birmingham's 2023 inspection compare with the 2016 one?")
    got = sources(a)
    assert "80429_birmingham/children's services inspection - 18 april 2023.pdf" in got, a.text
    assert "80429_birmingham/children's services inspection - 25 november 2016.pdf" in got, a.text
    assert "80429_birmingham/children's services inspection - 23 may 2014.pdf" not in got, a.text


def test_a_fact_named_after_a_dash_and_a_second_question_are_both_answered(corpus_answerer):
    a = ask(corpus_answerer, "salford - overall grade at the latest inspection, and how did they do for care leavers?")
    assert "Salford was judged Good overall" in a.text and "for care leavers" in a.text, a.text
    a = ask(corpus_answerer, "wigan: overall effectiveness grade at the most recent inspection, and separately what did "
                             "they get for care leavers?")
    assert "Wigan was judged Good overall" in a.text and "for care leavers" in a.text, a.text
    a = ask(corpus_answerer, "what was the outcome of north northamptonshire's area send inspection and when's the next "
                             "full one due?")
    assert "found:" in a.text and "next full" in a.text, a.text


def test_a_schools_grade_and_the_one_before_and_a_follow_up_after_a_school(corpus_answerer):
    a = ask(corpus_answerer, "rough hay primary school wednesbury - what did ofsted grade it and what was it the time before?")
    assert "judged Good overall" in a.text and "Requires improvement" in a.text, a.text
    history = [{"role": "user", "content": "what did rough hay primary school get?"},
               {"role": "assistant", "content": "Rough Hay Primary School was judged Good overall."}]
    a = ask(corpus_answerer, "and the time before?", history=history)
    assert a.understood.plan.executor != "clarify" and "Requires improvement" in a.text, a.text


def test_a_worry_then_is_it_any_good_gets_the_verdict_first(corpus_answerer):
    for question in ("my grandson might be going into care in wigan and im really worried. are the social services "
                     "there any good?",
                     "we're moving to wigan with two kids, is their childrens social care decent or a total mess?",
                     "my daughter's social worker in wigan keeps changing. did the inspectors find problems there"):
        a = ask(corpus_answerer, question)
        assert a.text.startswith("Wigan was judged Good overall"), (question, a.text)
    a = ask(corpus_answerer, "what does wigan need to improve?")
    assert not a.text.startswith("Wigan was judged"), a.text  # the points alone where no verdict is asked


def test_the_council_unnamed_asks_which(corpus_answerer):
    a = ask(corpus_answerer, "hi my kids are on a child protection plan, is the councils childrens services any good??")
    assert a.understood.plan.executor == "clarify", a.understood.line()
    assert ask(corpus_answerer, "which councils were judged good?").understood.plan.executor == "list"


def test_what_a_release_admits_is_searched_by_the_sentence_that_asks(corpus_answerer):
    a = ask(corpus_answerer, "saw salford's press release saying they were rated good across the board. did it own up "
                             "to any problem with caseloads?")
    assert not a.abstained and "press/004" in " ".join(c.source for c in a.citations), a.text
    assert "aseloads" in a.citations[0].quote, a.citations[0].quote


def test_whats_wrong_asks_for_the_points_and_going_well_for_the_verdict(corpus_answerer):
    a = ask(corpus_answerer, "whats wrong with wigan childrens services")
    assert a.understood.plan.kind == "improve" and "need to improve" in a.text, a.text
    a = ask(corpus_answerer, "what's wrong with the way salford handles referrals?")
    assert not a.abstained and a.understood.plan.kind == "improve", a.text  # 'way', 'handles' ask, 'referrals' is the subject
    a = ask(corpus_answerer, "what is going well in salford childrens services")
    assert a.understood.plan.kind == "assess" and a.text.startswith("Salford was judged"), a.text


def test_a_release_described_by_what_it_says_is_that_release_not_its_subject(corpus_answerer):
    for question in ("the press release saying the council was rated good across the board by ofsted - what did it say "
                     "about caseloads?",
                     "In the council press release saying it was rated 'good' across the board, what did it say about caseloads?"):
        a = ask(corpus_answerer, question)
        assert not a.abstained and "aseloads" in a.citations[0].quote, (question, a.text)


def test_a_theme_few_latest_reports_discuss_is_read_in_every_report_held(corpus_answerer):
    a = ask(corpus_answerer, "journalist here - what do reports say about programmes for mothers who have had several "
                             "children removed into care?")
    assert a.understood.plan.operation == "theme", a.understood.line()
    assert "80548_salford/children's services inspection - 22 june 2015.pdf" in sources(a), a.text  # an older report
    assert "of any year" in a.text.split("\n")[0], a.text
    a = ask(corpus_answerer, "what do reports say about return home interviews?")
    assert "latest" in a.text.split("\n")[0], a.text  # the latest reports discuss it: those are read


def test_the_reports_held_for_one_council_are_each_of_its_inspections(corpus_answerer):
    for question in ("what reports have you got on wigan?", "which reports do you hold for wigan?"):
        a = ask(corpus_answerer, question)
        assert a.understood.plan.executor == "timeline" and not a.abstained, (question, a.text)
        assert len({c.source for c in a.citations}) == 3, a.text  # Wigan's three inspections
    a = ask(corpus_answerer, "which reports do you hold for north northamptonshire?")
    assert "Also held: North Northamptonshire's area SEND inspection" in a.text, a.text
    assert ask(corpus_answerer, "which reports do you hold?").understood.plan.executor == "holdings"
