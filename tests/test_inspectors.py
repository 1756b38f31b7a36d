"""Questions about a lead inspector across reports ('which councils has X led?', 'who led the
most inspections?'): the names are a closed vocabulary read from the catalog, matched whole,
by a close spelling, or by a surname the question makes a person's. Units on made-up
documents, then the real answerer on the conftest corpus subset (Lorna Schlechte led Salford's
2018 inspection and Wigan's 2022 one)."""

from __future__ import annotations

import pytest

from bot.inspectors import InspectorIndex, canonical
from index.types import Document

SALFORD_2018 = "ofsted-ilacs/80548_salford/children's services inspection - 12 november 2018.pdf"
WIGAN_2022 = "ofsted-ilacs/80579_wigan/children's services inspection - 05 july 2022.pdf"


def doc(doc_id: str, **facts) -> Document:
    return Document(doc_id=doc_id, source=f"{doc_id}.pdf", content_hash=doc_id, title=doc_id, pages=(), facts=facts)


@pytest.fixture()
def index() -> InspectorIndex:
    return InspectorIndex.build([
        doc("a", lead_inspector="Fiona J Millns"), doc("b", lead_inspector="Fiona Millns"),
        doc("c", lead_inspector="Karen Wareing (HMI)"), doc("d", lead_inspector="Ian Young"),
        doc("e", lead_inspector="Jenny-ellen Scotland"), doc("f", cqc_lead_inspector="Neil Penswick"),
    ])


def test_one_person_however_the_report_prints_the_name(index):
    assert canonical("Helen Cawston HMI.") == "Helen Cawston"
    assert canonical("Marie McGuinness Senior") == "Marie McGuinness"
    assert index.led["Fiona Millns"] == ("a", "b")
    assert index.roles[("Neil Penswick", "f")] == "cqc_lead_inspector"


@pytest.mark.parametrize("question, name", [
    ("which councils has fiona millns led?", "Fiona Millns"),
    ("what did Fiona J Millns inspect", "Fiona Millns"),
    ("inspections led by karen wareing", "Karen Wareing"),
    ("what has jenny-ellen scotland led?", "Jenny-ellen Scotland"),
    ("which inspections did neil penwick lead", "Neil Penswick"),  # a close spelling
    ("what did inspector Penswick find", "Neil Penswick"),  # a surname the question makes a person's
    ("what has Millns led recently?", "Fiona Millns"),
])
def test_a_name_in_a_question(index, question, name):
    assert index.find(question) == name


@pytest.mark.parametrize("question", [
    "what do reports say about children and young people seeking asylum?",  # 'and young' is not Ian Young
    "are councils in Scotland inspected by ofsted?",  # a surname that is a place, alone
    "which councils were judged outstanding in 2019?",
])
def test_no_name_where_there_is_none(index, question):
    assert index.find(question) == ""


def test_a_named_inspectors_inspections_each_cited_where_the_report_names_them(corpus_answerer):
    a = corpus_answerer.ask("which councils has Lorna Schlechte been lead inspector for?")
    assert a.understood.plan.executor == "inspector", a.understood.line()
    assert "inspections led by Lorna Schlechte" in a.understood.line()
    assert {c.source for c in a.citations} >= {SALFORD_2018, WIGAN_2022}, a.citations
    named = [c for c in a.citations if "Schlechte" in c.quote]
    assert {c.source for c in named} == {SALFORD_2018, WIGAN_2022}
    assert "Salford" in a.text and "Wigan" in a.text and "2 inspections" in a.text, a.text


def test_a_follow_up_keeps_the_inspector_and_adds_its_condition(corpus_answerer):
    history = [{"role": "user", "content": "what inspections did lorna schlechte lead?"},
               {"role": "assistant", "content": "..."}]
    a = corpus_answerer.ask("which of those were judged good?", history=history)
    assert a.understood.plan.executor == "inspector", a.understood.line()
    assert "Salford" in a.text and "Wigan" not in a.text, a.text


def test_the_inspectors_ranked_by_inspections_led(corpus_answerer):
    a = corpus_answerer.ask("which inspector has led the most inspections?")
    first = a.text.splitlines()[1]
    assert first.startswith("- Lorna Schlechte: 2 inspections"), a.text
    assert "most recent" not in a.text


def test_a_council_named_beside_the_inspector_is_still_that_councils_report(corpus_answerer):
    a = corpus_answerer.ask("did lorna schlechte lead wigan's most recent inspection?")
    assert a.understood.plan.executor == "report", a.understood.line()
    b = corpus_answerer.ask("what's the home address of lorna schlechte, the inspector?")
    assert b.abstained and not b.citations, b.text
