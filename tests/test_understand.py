"""Reading questions: providers in any spelling, years, topics, refusals, follow-ups."""

from __future__ import annotations

import pytest

from bot.names import ProviderIndex
from bot.conversation import understand
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
        doc("s1", "Council of the Isles of Scilly", "isles of scilly"),
    ])


def test_one_provider_across_names_and_urn(providers):
    assert providers.by_doc["b1"] == providers.by_doc["b2"]
    assert providers.by_doc["h1"] == providers.by_doc["h2"]
    assert providers.find("How is Kingston upon Hull doing?") == [providers.by_doc["h1"]]
    assert providers.find("and Hull?") == [providers.by_doc["h1"]]


def test_a_provider_is_shown_by_its_full_name_not_a_short_form():
    """The folder's name, spelt as the reports spell it without the council words: a report's
    own 'Hull' or 'East Riding' is a short form, and 'Borough Council' is not the name."""
    pi = ProviderIndex.build([
        doc("h1", "Hull", "hull", "80477", alias="kingston upon hull"),
        doc("h2", "Kingston Upon Hull City Council", "kingston upon hull", "80477", alias="kingston upon hull"),
        doc("s1", "Southend-on-Sea Borough Council", "southend on sea", "80550", alias="southend on sea"),
        doc("b1", "Metropolitan Borough of Barnsley Council", "barnsley", "80426", alias="barnsley"),
        doc("b2", "Barnsley", "barnsley", "80426", alias="barnsley"),
        doc("r1", "Rough Hay Primary School", "rough hay primary school", "104000"),
    ])
    shown = {pi.names[pi.by_doc[d]] for d in ("h1", "s1", "b1", "r1")}
    assert shown == {"Kingston upon Hull", "Southend-on-Sea", "Barnsley", "Rough Hay Primary School"}
    # one report on its own shows the same name, as answers of one report say it
    assert doc("h1", "Hull", "hull", "80477", alias="kingston upon hull").name == "Kingston upon Hull"
    assert doc("l1", "London Borough of Lambeth", "lambeth", "80506", alias="lambeth").name == "Lambeth"
    assert doc("r1", "Rough Hay Primary School", "rough hay primary school").name == "Rough Hay Primary School"
    # a name of the reports' own, not a short form of the folder's, is theirs
    assert doc("c1", "City of London", "london", "80450", alias="london corporation").name == "City of London"


@pytest.mark.parametrize("question,key", [
    ("Is BCP council any good?", "bournemouth christchurch and poole"),
    ("How did Telford & Wrekin do?", "telford and wrekin"),
    ("What about North Northamptonshire's SEND services?", "north northamptonshire"),
    ("barnsley's grade", "barnsley"),
    ("scilly isles childrens services 2019", "isles of scilly"),  # the words the other way round
])
def test_spellings(providers, question, key):
    assert providers.find(question) == [key]


def test_topics_years_and_latest(providers):
    q = understand("In 2018, what was Barnsley's grade for children who need help and protection?", providers)
    assert (q.kind, q.year, q.area) == ("grade", 2018, "judgement_help_protection")
    q = understand("What is the latest Ofsted rating for children's services in Hull?", providers)
    assert q.latest and q.kind == "grade"
    assert understand("Who was the lead inspector for Barnsley in 2023?", providers).kind == "inspector"
    assert understand("When did Ofsted inspectors visit Barnsley in 2023?", providers).kind == "dates"
    assert understand("What weaknesses did Ofsted find in Barnsley?", providers).kind == "improve"
    assert understand("How has Barnsley's rating changed since 2015?", providers).kind == "timeline"
    assert understand("When will the next full area SEND inspection of Hull take place?", providers).kind == "next"


@pytest.mark.parametrize("question,reason", [
    ("Give me the home address of the lead inspector for Barnsley.", "personal"),
    ("Which football club does the director of children's services in Barnsley support?", "personal"),
    ("what's the name of barnsley's director of children's services?", "personal"),
    ("What will Ofsted rate Barnsley in 2031?", "future"),
    ("what grade do you reckon barnsley will get next time round", "future"),
    ("my social worker in barnsley won't call back, should i get a solicitor?", "advice"),
    ("What did Estyn say about Swansea?", "other_inspectorate"),
    ("glasgow childrens social work - latest care inspectorate grading?", "other_inspectorate"),
    ("What did HM Inspectorate of Prisons say about HMP Hull?", "other_inspectorate"),
    ("is there a report for wales", "other_inspectorate"),  # Ofsted inspects England's councils
    ("how are scottish councils doing?", "other_inspectorate"),
    ("what's the phone number for barnsley's duty team", "contact"),
    ("can you give me the email of the social worker in hull", "contact"),
    ("how do i contact barnsley childrens services", "contact"),
])
def test_refusals(providers, question, reason):
    assert understand(question, providers, max_year=2026).refuse == reason


@pytest.mark.parametrize("question", [
    "my nephew is leaving care in barnsley, will he get decent support?",
    "what did inspectors say about contact between children in care and their families in hull?",
    "are children in barnsley placed in hotels?",
    "does barnsley do anything when teenagers go missing?",
])
def test_worried_questions_are_not_refused(providers, question):
    assert understand(question, providers, max_year=2026).refuse == ""


def test_unknown_provider_is_named(providers):
    assert understand("What is the Ofsted grade for Gotham City children's services?", providers).unknown_provider == "Gotham City"
    assert understand("how did gothamshire children's services do in their ofsted", providers).unknown_provider == "gothamshire"


@pytest.mark.parametrize("question,facility", [
    ("what's the CQC rating for Barnsley Royal Hospital?", "Barnsley Royal Hospital"),
    ("Is Hull Girls' High School outstanding?", "High School"),
    ("ofsted report for the busy bees nursery in barnsley?", "busy bees nursery"),
    ("Which care homes for older people in Hull are rated outstanding?", "care homes"),
    ("what rating did the cqc give barnsley's adult social care?", "adult social care"),
    ("ofsted rating for barnsley football club", "barnsley football club"),
])
def test_named_facilities(providers, question, facility):
    assert facility in understand(question, providers).facility


@pytest.mark.parametrize("question", [
    "what did ofsted find about kids living in unregistered children's homes in barnsley?",
    "what was barnsley's virtual school team called?",
    "who is responsible for send services in hull, the council or the nhs?",
])
def test_topics_that_mention_facilities_are_not_facilities(providers, question):
    assert understand(question, providers).facility == ""


def test_follow_up_takes_the_provider_and_year_from_history(providers):
    history = [{"role": "user", "content": "How did Barnsley do in 2018?"}, {"role": "assistant", "content": "Good."}]
    q = understand("What about care leavers?", providers, history)
    assert q.providers == ("barnsley",) and q.year == 2018 and q.kind == "grade"
    assert q.area == "judgement_care_leavers"


def _turns(providers, *questions):
    history = []
    for text in questions[:-1]:
        history += [{"role": "user", "content": text}, {"role": "assistant", "content": "..."}]
    return understand(questions[-1], providers, history, max_year=2026)


def test_each_follow_up_form(providers):
    q = _turns(providers, "what grade did barnsley get in 2019?", "and hull?")
    assert (q.providers, q.kind, q.year) == (("hull",), "grade", 2019)
    q = _turns(providers, "barnsley latest ofsted", "what about 2017?")
    assert (q.providers, q.year) == (("barnsley",), 2017)
    q = _turns(providers, "what did barnsley get in 2019?", "and now?")
    assert q.latest and q.year is None and q.providers == ("barnsley",)
    q = _turns(providers, "barnsley children's services 2023", "who led that one?")
    assert (q.kind, q.year) == ("inspector", 2023)
    q = _turns(providers, "barnsley children's services 2023", "when was that?")
    assert (q.kind, q.year) == ("dates", 2023)
    q = _turns(providers, "barnsley rating", "and the time before that?")
    assert q.before == 1 and q.providers == ("barnsley",)
    q = _turns(providers, "barnsley latest grade", "compare that with hull")
    assert q.kind == "compare" and q.providers == ("barnsley", "hull")
    q = _turns(providers, "hi, i'm a foster carer", "what did the inspectors think of the fostering service here?")
    assert q.providers == () and q.deictic


def test_fuzzy_names_need_an_unknown_word():
    ids = ProviderIndex.build([doc("l", "Leeds", "leeds"), doc("w", "Wandsworth", "wandsworth"),
                               doc("c", "Cambridgeshire", "cambridgeshire"), doc("h", "Harrow", "harrow")],
                              word_counts=lambda ws: {w: (500 if w in ("needs", "narrow") else 0) for w in ws})
    assert ids.find("is wandswoth any good") == ["wandsworth"]
    assert ids.find("cambridgshire childrens services rating") == ["cambridgeshire"]
    assert ids.find("what needs to improve in a narrow sense") == []


def test_history_turns_are_read_only_as_far_as_a_question_goes(providers):
    long_turn = "word " * 1000 + "barnsley"  # the council named after 5,000 characters of filler
    q = understand("and now?", providers, [{"role": "user", "content": long_turn}, {"role": "assistant", "content": "."}])
    assert q.providers == ()
    q = understand("and now?", providers, [{"role": "user", "content": "barnsley " + "word " * 1000},
                                            {"role": "assistant", "content": "."}])
    assert q.providers == ("barnsley",)


@pytest.mark.parametrize("question,region", [
    ("which london boroughs are outstanding?", "London"),
    ("how many councils in london went from good to inadequate", "London"),
    ("what did ofsted say about the city of london?", ""),
    ("how many councils in the north west were inadequate at their last inspection", "North West"),
    ("north-east councils rated good", "North East"),
    ("which councils in yorkshire are outstanding?", "Yorkshire and the Humber"),
    ("councils across the west midlands that improved", "West Midlands"),
    ("what did north east lincolnshire get?", ""),
    ("when were ofsted last in north east lincs", ""),
    ("north yorkshire council's grade", ""),
])
def test_region_words(providers, question, region):
    q = understand(question, providers)
    assert q.region == region


@pytest.mark.parametrize("question,outcome", [
    ("what did the area send inspection find?", True),
    ("we live in leeds and my son has autism: what did inspectors find about send support there?", True),
    ("what did the send report find about ehc plans?", False),
    ("what did they find about waiting times for speech therapy", False),
    ("what was the outcome of the send inspection", True),
])
def test_a_send_report_asked_for_its_outcome_or_a_topic(question, outcome):
    from bot.understand import Query, wants_send_outcome

    assert wants_send_outcome(Query(question=question, kind="content")) is outcome


@pytest.mark.parametrize("question,grades", [
    ("what proportion of councils are rated good or outstanding?", ("good", "outstanding")),
    ("which councils are good or better", ("good", "outstanding")),
    ("councils rated requires improvement or worse", ("requires improvement to be good", "inadequate")),
    ("which london boroughs are below good?", ("requires improvement to be good", "inadequate")),
    ("which councils were judged requires improvement to be good?", ()),
    ("which councils went from inadequate to good?", ()),
])
def test_a_list_can_ask_for_several_grades(providers, question, grades):
    assert understand(question, providers).grades == grades


@pytest.mark.parametrize("question,starts", [
    ("what does good mean in an ofsted report", "Good is"),
    ("what does inadequate actually mean for my kids?", "Inadequate is"),
    ("what's the difference between requires improvement and inadequate?", "'Requires improvement to be good' is"),
    ("what does salford need to improve", ""),
    ("what does outstanding look like for a children's services department?", "Outstanding is"),
    ("what does the council look like?", ""),
])
def test_definitions_asked_in_other_words(question, starts):
    from bot.glossary import definition

    text = definition(question)
    assert text.startswith(starts) if starts else text == ""
    if "difference" in question:
        assert "Inadequate is" in text


@pytest.mark.parametrize("question,grade", [
    ("which councils have the best services for care leavers?", "outstanding"),
    ("where are childrens services worst in england", "inadequate"),
    ("which london borough is the best", "outstanding"),
])
def test_best_and_worst_over_many_councils_are_the_top_and_bottom_grades(providers, question, grade):
    q = understand(question, providers)
    assert (q.kind, q.grade) == ("list", grade)


def test_best_of_one_council_is_not_a_list(providers):
    assert understand("what is barnsley best at?", providers).kind != "list"


@pytest.mark.parametrize("question,before", [
    ("what did barnsley get two inspections ago?", 1),  # the last one is one ago
    ("barnsley's grade the one before last", 1),
    ("and the time before that?", 1),
    ("barnsley 3 reports back", 2),
])
def test_how_many_reports_back(providers, question, before):
    assert understand(question, providers).before == before


@pytest.mark.parametrize("question,left", [
    ("What did Telford and Wrekin say about care leavers and health?", "What did say about care leavers and health ?"),
    ("My family lives in Bournemouth, Christchurch & Poole. How did they do?", "My family lives in . How did they do ?"),
    ("is kingston upon hull good in 2019", "is good in"),
    ("the Isles of Scilly and leaders", "the and leaders"),
])
def test_a_names_own_words_and_punctuation_go_with_it_and_only_its(providers, question, left):
    """What the model reads and the search embeds: the whole name out ('&', ',', 'and' inside it),
    the question's own 'and' kept."""
    from bot.wording import without_names

    assert without_names(question, providers) == left


def test_a_former_council_is_asked_about_as_the_councils_that_took_it_over():
    from bot.names import former_council

    ids = ProviderIndex.build([doc("c", "Cumberland", "cumberland"),
                               doc("w", "Westmorland and Furness", "westmorland and furness"),
                               doc("l", "Leeds", "leeds")])
    assert ids.find("how is cumbria doing?") == []  # no council is named Cumbria
    assert ids.partial("cumbria") == ["cumberland", "westmorland and furness"]
    assert "April 2023" in former_council("what did ofsted say about Cumbria's care leavers?")
    assert former_council("is north northamptonshire any good?") == ""  # a council of today
    assert former_council("how is leeds doing?") == ""
