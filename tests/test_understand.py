"""Reading questions: providers in any spelling, years, topics, refusals, follow-ups."""

from __future__ import annotations

import pytest

from bot.understand import ProviderIndex, understand
from index.types import Document


def doc(doc_id, provider, key, urn=None, alias=None):
    facts = {"provider": provider, "provider_key": key}
    if urn:
        facts["urn"] = urn
    if alias:
        facts["provider_alias"] = alias
    return Document(doc_id, f"{doc_id}.pdf", "h", provider, (), facts)


@pytest.fixture(scope="module")
def providers():
    return ProviderIndex.build([
        doc("b1", "Metropolitan Borough of Barnsley Council", "barnsley", "80426"),
        doc("b2", "Barnsley", "barnsley", "80426"),
        doc("h1", "Hull City Council", "hull", "80477", alias="kingston upon hull"),
        doc("h2", "Kingston upon Hull", "kingston upon hull", "80477"),
        doc("p1", "Bournemouth, Christchurch and Poole", "bournemouth christchurch and poole"),
        doc("n1", "North Northamptonshire", "north northamptonshire"),
        doc("w1", "Telford and Wrekin", "telford and wrekin"),
    ])


def test_one_provider_across_names_and_urn(providers):
    assert providers.by_doc["b1"] == providers.by_doc["b2"]
    assert providers.by_doc["h1"] == providers.by_doc["h2"]
    assert providers.find("How is Kingston upon Hull doing?") == [providers.by_doc["h1"]]
    assert providers.find("and Hull?") == [providers.by_doc["h1"]]


@pytest.mark.parametrize("question,key", [
    ("Is BCP council any good?", "bournemouth christchurch and poole"),
    ("How did Telford & Wrekin do?", "telford and wrekin"),
    ("What about North Northamptonshire's SEND services?", "north northamptonshire"),
    ("barnsley's grade", "barnsley"),
])
def test_spellings(providers, question, key):
    assert providers.find(question) == [key]


def test_topics_years_and_latest(providers):
    q = understand("In 2018, what was Barnsley's grade for children who need help and protection?", providers)
    assert (q.topic, q.year, q.area) == ("grade", 2018, "judgement_help_protection")
    q = understand("What is the latest Ofsted rating for children's services in Hull?", providers)
    assert q.latest and q.topic == "grade"
    assert understand("Who was the lead inspector for Barnsley in 2023?", providers).topic == "inspector"
    assert understand("When did Ofsted inspectors visit Barnsley in 2023?", providers).topic == "dates"
    assert understand("What weaknesses did Ofsted find in Barnsley?", providers).topic == "improve"
    assert understand("How has Barnsley's rating changed since 2015?", providers).topic == "timeline"
    assert understand("When will the next full area SEND inspection of Hull take place?", providers).topic == "next"


@pytest.mark.parametrize("question,reason", [
    ("Give me the home address of the lead inspector for Barnsley.", "personal"),
    ("Which football club does the director of children's services in Barnsley support?", "personal"),
    ("What will Ofsted rate Barnsley in 2031?", "future"),
    ("What did Estyn say about Swansea?", "other_inspectorate"),
    ("What did HM Inspectorate of Prisons say about HMP Hull?", "other_inspectorate"),
])
def test_refusals(providers, question, reason):
    assert understand(question, providers, max_year=2026).refuse == reason


def test_unknown_provider_is_named(providers):
    assert understand("What is the Ofsted grade for Gotham City children's services?", providers).unknown_provider == "Gotham City"


def test_follow_up_takes_the_provider_and_year_from_history(providers):
    history = [{"role": "user", "content": "How did Barnsley do in 2018?"}, {"role": "assistant", "content": "Good."}]
    q = understand("What about care leavers?", providers, history)
    assert q.providers == ("barnsley",) and q.year == 2018 and q.topic == "grade"
    assert q.area == "judgement_care_leavers"
