"""The staff chat's words for reports (issue 20, points 7 and 9): one council filter entry per
council, which filters applied, the Reports tab sorted with types and judgements in words, and
source cards that tell the inspection dates from the publication date."""

from __future__ import annotations

import pytest

from bot.types import Answer, Citation, Understood
from index.types import Document
from ui.chat import about, card_dates, filters_note, report_rows, source_cards


def doc(source, **facts):
    return Document(source, source, "", facts.pop("title", source), (), facts)


def test_source_cards_say_inspected_and_published():
    f = {"inspection_start": "2018-10-01", "inspection_end": "2018-10-12", "published": "2018-12-14"}
    assert card_dates(f) == "inspected 1-12 October 2018 · published 14 December 2018"
    assert card_dates({"published": "2018-12-14"}) == "published 14 December 2018"  # a press release


def test_long_source_lists_are_folded():
    cites = tuple(Citation(i, "a.pdf", "A report", 1, f"quote {i}") for i in range(1, 47))
    cards = source_cards(Answer("x", False, cites), {}, lambda s, p, q: f"/view/{s}")
    assert "<summary>Show all 46 sources</summary>" in cards
    assert cards.index("quote 3") < cards.index("Show all 46") < cards.index("quote 4")
    few = source_cards(Answer("x", False, cites[:3]), {}, lambda s, p, q: f"/view/{s}")
    assert "Show all" not in few


def test_the_about_line_says_which_filters_applied():
    birmingham = Answer("x", False, understood=Understood(kind="grade", provider="Birmingham",
                                                          providers=("Birmingham",), year=2018))
    note = filters_note(birmingham, {"provider": "Salford", "year": 2018})
    assert note == ("Filters used: year 2018. The council filter (Salford) was not used: the question "
                    "names Birmingham.")
    salford = Answer("x", False, understood=Understood(kind="grade", provider="Salford", providers=("Salford",)))
    assert filters_note(salford, {"provider": "Salford", "report_type": "ilacs"}) == \
        "Filters used: Salford, children's services (ILACS) reports."
    assert filters_note(salford, {}) == ""
    assert about(birmingham, {"year": 2018}) == "*About: Birmingham · 2018. Filters used: year 2018.*\n\n"


def test_reports_tab_is_sorted_in_words_with_every_judgement_where_there_is_no_overall():
    rows = report_rows([
        doc("w1.pdf", provider="Wigan", report_type="ilacs", inspection_end="2022-05-20", published="2022-07-05",
            judgement_overall="good"),
        doc("n1.pdf", provider="North Northamptonshire", report_type="ilacs", inspection_start="2026-05-11",
            inspection_end="2026-05-22", published="2026-07-07", judgement_leaders="outstanding",
            judgement_help_protection="good", judgement_children_in_care="good", judgement_care_leavers="good"),
        doc("w2.pdf", provider="Wigan", report_type="ilacs", inspection_end="2025-10-10", published="2025-11-26",
            judgement_overall="requires improvement to be good"),
        doc("p.html", report_type="news", published="2024-01-15", title="Council press release"),
    ])
    assert [r[0] for r in rows] == ["North Northamptonshire", "Wigan", "Wigan", ""]
    assert rows[1][3] == "26 November 2025" and rows[2][3] == "5 July 2022"  # newest first
    assert rows[0][1] == "Children's services (ILACS)" and rows[3][1] == "Press release"
    assert rows[0][2] == "11-22 May 2026"
    assert rows[0][4] == ("Impact of leaders: Outstanding; Children who need help and protection: Good; "
                          "Children in care: Good; Care leavers: Good")
    assert rows[1][4] == "Requires improvement to be good"


@pytest.mark.corpus
def test_one_council_filter_entry_per_council(corpus_answerer):
    from ui.scope import Scopes

    names = list(Scopes(corpus_answerer).providers())
    assert len([n for n in names if "birmingham" in n.lower()]) == 1, names
    spellings = {str(d.facts["provider"]) for d in corpus_answerer.documents() if d.facts.get("provider")}
    assert len(names) < len(spellings)  # the subset spells some councils more than one way
