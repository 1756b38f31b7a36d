"""A subject of a few words that the reports hold as a phrase ('young carers', 'lifelong links'):
a report that never says it does not discuss it, whatever it says about carers; a theme is read
in the reports that hold it and counted by it. Our own wording, of the councils in conftest's
corpus subset, through the real answerer and its real index."""

from __future__ import annotations

import pytest

from bot.compounds import Phrase, holds, rare_word, subject_phrase, subject_phrases


class _Counts:
    """What ``subject_phrase`` asks of a catalog: passages holding a phrase, and a word."""

    def __init__(self, counts: dict[str, int]):
        self.counts = counts

    def phrase_passages(self, phrase: str, exact: bool = False) -> int:
        return self.counts.get(phrase, 0) if not exact else self.counts.get(f"{phrase} exact", 0)

    def frequencies(self, words):
        return {w: self.counts.get(w, 5000) for w in words}, 40000


def test_the_longest_run_of_subject_words_the_reports_hold_is_the_phrase():
    counts = _Counts({"partners in practice": 17, "practice programme": 27, "dfe": 800})
    got = subject_phrase("what do reports say about the DfE's partners in practice programme?", counts)
    assert got == Phrase("partners in practice", 17)
    # another of its words nearly as rare as the phrase is the subject itself
    counts = _Counts({"fostering model": 3, "mockingbird": 20})
    assert subject_phrase("what do reports say about the mockingbird fostering model?", counts) is None
    # asking words and verbs are never its edges, and a run no report holds is no phrase
    assert subject_phrase("are councils using unregistered homes?", _Counts({"using unregistered": 40})) is None
    assert subject_phrase("what about staff use?", _Counts({})) is None
    # two words the reports hold near each other but seldom as a phrase are no phrase
    fixed = _Counts({"young carers": 262, "young carers exact": 250, "homeless 16": 151, "homeless 16 exact": 20})
    assert subject_phrase("what about young carers?", fixed) == Phrase("young carers", 262)
    assert subject_phrase("what about homeless 16 year olds?", fixed) is None


def test_every_subject_phrase_said_is_offered_rarest_first():
    # a theme whose rarest phrase few latest reports hold is read by the next one said
    counts = _Counts({"knife crime": 17, "knife crime exact": 17, "youth violence": 30, "youth violence exact": 30,
                      "serious youth violence": 28})
    got = list(subject_phrases("what do reports say about serious youth violence and knife crime?", counts))
    assert [p.text for p in got][:2] == ["knife crime", "serious youth violence"], got
    assert subject_phrase("what do reports say about serious youth violence and knife crime?", counts) == got[0]


def test_a_phrase_as_the_reports_write_it_and_the_words_said_next_to_it():
    # 'co-operatives' as the reports write it; three subject words held as most passages of their last two write them
    counts = _Counts({"regional care cooperatives": 3, "care cooperatives": 4, "co operatives": 6, "co operatives exact": 6})
    got = subject_phrase("what are inspectors saying about the new regional care co-operatives?", counts)
    assert got == Phrase("regional care cooperatives", 3)
    # only a word said next to it can be the subject instead; the rarest phrase that passes is taken
    counts = _Counts({"police cells": 12, "police cells exact": 12, "overnight in police": 7, "cells": 12,
                      "overnight": 71, "kids": 10, "kept": 255})
    got = subject_phrase("kids being kept overnight in police cells because there is nowhere to put them", counts)
    assert got == Phrase("police cells", 12)
    # three words that are a rare use of a far commoner fixed phrase of two: the two are the subject
    counts = _Counts({"section 20 voluntary": 3, "20 voluntary": 4, "section 20": 183, "section 20 exact": 183,
                      "voluntary accommodation": 7, "voluntary accommodation exact": 5})
    got = subject_phrase("what are inspectors saying about the use of section 20 voluntary accommodation?", counts)
    assert got == Phrase("section 20", 183)


def test_one_word_far_rarer_than_the_rest_names_a_theme():
    counts = _Counts({"christmas": 20, "leavers": 8121, "leaver": 900})
    assert rare_word("care leaver, on my own this christmas. do councils do anything for care leavers over christmas?",
                     counts) == Phrase("christmas", 20)
    # no word far rarer than the others, or none that few passages hold: no subject of one word
    assert rare_word("what about caseloads and supervision?", _Counts({"caseloads": 900, "supervision": 1500})) is None
    assert rare_word("what about christmas and birthdays?", _Counts({"christmas": 20, "birthdays": 30})) is None
    assert holds("The council holds a Christmas party for care leavers.", Phrase("christmas", 20))


def test_a_sentence_holds_a_phrase_of_two_words_near_each_other_and_of_more_in_order():
    assert holds("Unregistered children’s homes are rarely used.", Phrase("unregistered homes", 9))
    assert holds("Young carers receive a highly effective service.", Phrase("young carers", 9))
    assert not holds("Foster carers told inspectors about the young people.", Phrase("young carers", 9))
    assert holds("Its involvement in Partners in Practice helps.", Phrase("partners in practice", 9))
    assert not holds("Practice with partners in the area is strong.", Phrase("partners in practice", 9))


@pytest.mark.corpus
def test_a_report_that_never_says_the_phrase_does_not_discuss_it(corpus_answerer):
    a = corpus_answerer.ask("what does the latest birmingham report say about young carers?")
    assert a.abstained and "doesn't discuss that" in a.text, a.text
    assert not any("foster carer" in c.quote.lower() for c in a.citations), a.text
    # where an earlier report of the council does, that one answers, and says it is the earlier one
    a = corpus_answerer.ask("what does the latest salford report say about young carers?")
    assert not a.abstained and "doesn't discuss that, but an earlier report does" in a.text, a.text
    assert all("young carer" in c.quote.lower() for c in a.citations), a.text
    a = corpus_answerer.ask("what did ofsted say about young carers in wigan?")
    assert not a.abstained and any("young carer" in c.quote.lower() for c in a.citations), a.text


@pytest.mark.corpus
def test_a_theme_is_read_in_the_reports_that_hold_its_phrase(corpus_answerer):
    a = corpus_answerer.ask("what do the reports say about lifelong links?")
    assert "mention “lifelong links”" in a.text.split("\n")[0], a.text
    assert a.citations and all("lifelong links" in c.quote.lower() for c in a.citations), a.text
    assert all("80579_wigan" in c.source for c in a.citations), a.text
