"""Inspection facts from real reports of each type and era, and from the samples."""

from __future__ import annotations

from conftest import SALFORD_2015, SALFORD_2018, SAMPLES, SCHOOL, SEND_NN, corpus_path
from index.vocab import provider_key
from ingest.facts import extract_facts, parse_range
from ingest.load import load


def facts_of(rel: str) -> tuple[dict, dict, tuple]:
    loaded = load(corpus_path(rel))
    facts, spans = extract_facts(loaded.pages, rel)
    return facts, spans, loaded.pages


def test_ilacs_2018():
    f, spans, pages = facts_of(SALFORD_2018)
    assert f["report_type"] == "ilacs" and f["inspectorate"] == "Ofsted"
    assert f["provider_key"] == "salford" and f["urn"] == "80548"
    assert (f["inspection_start"], f["inspection_end"], f["year"]) == ("2018-10-08", "2018-10-12", 2018)
    assert f["published"] == "2018-11-12"  # from the file name
    assert f["lead_inspector"] == "Lorna Schlechte"
    for area in ("judgement_overall", "judgement_leaders", "judgement_help_protection",
                 "judgement_children_in_care", "judgement_care_leavers"):
        assert f[area] == "good", area
    page, start, end = spans["judgement_overall"]
    assert pages[page - 1][start:end].startswith("Overall effectiveness")


def test_single_inspection_framework_2015():
    f, _, _ = facts_of(SALFORD_2015)
    assert f["report_type"] == "children_services_older"
    assert f["published"] == "2015-06-22" and f["year"] == 2015
    assert f["judgement_overall"] == "good"
    assert f["judgement_adoption"] == "requires improvement to be good"
    assert f["lead_inspector"] == "Shirley Bailey"  # not on the cover of this framework: in its team list


def test_area_send():
    f, spans, pages = facts_of(SEND_NN)
    assert f["report_type"] == "area_send" and f["inspectorate"] == "Ofsted and CQC"
    assert f["provider_key"] == "north northamptonshire"
    assert f["send_outcome"] == "systemic failings"
    assert f["inspection_end"] == "2024-01-26"


def test_school_two_column():
    f, _, _ = facts_of(SCHOOL)
    assert f["report_type"] == "school" and f["provider"] == "Rough Hay Primary School"
    assert f["judgement_overall"] == "good"
    assert f["judgement_previous_overall"] == "requires improvement to be good"
    assert f["inspection_end"] == "2016-11-09"
    assert f["lead_inspector"] == "Bogusia Matusiak-Varley"  # from the team listed at the end


def test_samples_of_each_type():
    kinds = {}
    for path in sorted(SAMPLES.iterdir()):
        loaded = load(path)
        facts, _ = extract_facts(loaded.pages, path.name)
        kinds[facts["report_type"]] = facts
    assert set(kinds) == {"ilacs", "school", "care_home"}
    assert kinds["care_home"]["inspectorate"] == "CQC"
    assert kinds["care_home"]["judgement_safe"] == "requires improvement"
    assert kinds["school"]["judgement_behaviour"] == "outstanding"
    assert kinds["ilacs"]["provider"] == "Brackenford"  # from 'Inspection of Brackenford local authority ...'


def test_a_name_wrapped_onto_two_lines_is_joined():
    import glob

    path = glob.glob(str(corpus_path("ofsted-ilacs", "80545_kingston upon thames") / "*03 august 2015.pdf"))[0]
    facts, _ = extract_facts(load(path).pages, path)
    assert facts["provider"].startswith("Royal Borough of Kingston upon Thames")
    assert facts["judgement_overall"] == "good"  # 'Children's services in the Royal Borough of Kingston upon / Thames are good'


def test_overall_grade_sentences_of_older_reports():
    import glob

    for folder, day, grade in (("80544_kensington and chelsea", "29 march 2016", "outstanding"),
                               ("80511_newham", "08 august 2014", "requires improvement to be good")):  # "children's service requires improvement"
        path = glob.glob(str(corpus_path("ofsted-ilacs", folder) / f"*{day}.pdf"))[0]
        facts, _ = extract_facts(load(path).pages, path)
        assert facts["judgement_overall"] == grade, folder


def test_date_ranges():
    assert [d.isoformat() for d in parse_range("8 October to 12 October 2018")] == ["2018-10-08", "2018-10-12"]
    assert [d.isoformat() for d in parse_range("15 – 19 July 2013")] == ["2013-07-15", "2013-07-19"]
    assert [d.isoformat() for d in parse_range("21 April 2015 - 8 May 2015")] == ["2015-04-21", "2015-05-08"]
    assert parse_range("no dates here") == (None, None)


def test_provider_keys_ignore_spelling():
    assert provider_key("Bournemouth, Christchurch & Poole Council") == provider_key("bournemouth christchurch and poole")
    assert provider_key("Salford City Council") == "salford"
    assert provider_key("London Borough of Hackney") == "hackney"


def spans_text(spans, pages, prefix):
    keys = sorted((k for k in spans if k.startswith(prefix)), key=lambda k: int(k.rsplit("_", 1)[1]))
    return [pages[spans[k][0] - 1][spans[k][1]:spans[k][2]] for k in keys]


def test_what_needs_to_improve_items_are_spans():
    f, spans, pages = facts_of(SALFORD_2018)
    items = spans_text(spans, pages, "improve_")
    assert f["improve_count"] == 4 == len(items)
    assert items[0].strip() == "The quality and clarity of plans to measure progress."
    assert items[2].startswith("Challenge of avoidable delay")


def test_older_framework_recommendations_are_numbered_items():
    f, spans, pages = facts_of(SALFORD_2015)
    items = spans_text(spans, pages, "improve_")
    assert len(items) >= 3 and all(len(i) > 20 for i in items)


def test_send_next_inspection_and_press_release_date():
    f, spans, pages = facts_of(SEND_NN)
    page, start, end = spans["next_inspection"]
    text = pages[page - 1][start:end]
    assert "18 months" in text and "three years" in text
    press, pspans, _ = facts_of("press/000_de2500143abe7f33.txt")
    assert press["report_type"] == "other" and press["published"] == "2020-03-02"


def test_send_dates_of_the_previous_inspection():
    f, spans, pages = facts_of("ofsted-send/80467_east sussex/area send full inspection - 04 february 2025.pdf")
    assert (f["previous_inspection_start"], f["previous_inspection_end"]) == ("2016-12-05", "2016-12-09")
    page, start, end = spans["previous_inspection_end"]
    assert "previous inspection" in pages[page - 1][start:end]
    # a report of the first inspection of its kind gives none
    assert "previous_inspection_end" not in facts_of(SEND_NN)[0]


def test_2026_framework_judgements_without_an_overall_grade():
    """The 2026 reports give four judgements and no overall grade; their leaders' judgement is
    worded 'The impact of leaders on practice with children and families'."""
    f, spans, pages = facts_of("ofsted-ilacs/2637539_north northamptonshire/children's services inspection - 07 july 2026.pdf")
    assert "judgement_overall" not in f
    assert (f["judgement_leaders"], f["judgement_help_protection"], f["judgement_children_in_care"],
            f["judgement_care_leavers"]) == ("outstanding", "good", "good", "good")


def test_looked_after_children_inspection_of_2013():
    """The 2013 inspections of looked after children services alone grade one judgement
    ('Grade 3 (Adequate)') and name a reporting inspector on the cover."""
    f, spans, pages = facts_of("ofsted-ilacs/80476_kent/children's services inspection,  pdf - 23 august 2013.pdf")
    assert "judgement_overall" not in f
    assert f["judgement_children_in_care"] == "adequate"
    assert f["lead_inspector"] == "Helen Cawston"
    page, start, end = spans["judgement_children_in_care"]
    assert pages[page - 1][start:end].startswith("Overall effectiveness")


def test_send_points_written_as_paragraphs_and_in_a_priority_action_table():
    # North Northamptonshire: a table of priority actions (who is responsible | what they must
    # do), then 'Areas for improvement' as paragraphs; neither has a bullet
    f, spans, pages = facts_of(SEND_NN)
    items = spans_text(spans, pages, "improve_")
    assert f["improve_count"] == len(items) >= 8
    assert items[0].startswith("Leaders across the partnership need to ensure")
    assert not any(i.startswith(("North Northamptonshire", "Responsible body", "Areas for")) for i in items)
    assert any(i.startswith("Leaders across the partnership should continue to address the long waiting") for i in items)
    assert not any("Local area partnership details" in i or "Area SEND inspection report" in i for i in items)


def test_send_paragraphs_run_over_a_page_and_stop_at_the_next_section():
    f, spans, pages = facts_of("ofsted-send/80464_dudley/area send full inspection - 11 march 2025.pdf")
    items = spans_text(spans, pages, "improve_")
    assert f["improve_count"] == 4
    assert items[0].startswith("The local partnership needs to increase the pace")
    assert items[1].startswith("diagnosis and access")  # its end, over the page break
    assert items[3].startswith("To ensure an improved understanding")  # asks in its second line
    assert not any("Dudley Metropolitan Borough Council" in i for i in items)


def test_send_lead_ins_are_points_with_their_bullets_under_them():
    # Worcestershire: a table of priority actions, one of them a lead-in ('... long waiting times
    # for:') over bullets, then 'Areas for improvement' as a lead-in over 'ensuring that' bullets
    f, spans, pages = facts_of("ofsted-send/80584_worcestershire/area send full inspection - 15 july 2024.pdf")
    items = spans_text(spans, pages, "improve_")
    heads = [int(h) for h in f["improve_heads"].split(",")]
    assert items[0].rstrip().endswith("long waiting times for:") and 1 in heads
    assert items[1].strip() == "community paediatrics;" and 2 not in heads
    assert any(i.startswith("The local area partnership should urgently develop") for i in items)
    assert all(items[h - 1].rstrip().endswith(":") for h in heads)
    # an ILACS list with its '(outcome 4, national framework)' lines, after a page number
    f, spans, pages = facts_of("ofsted-ilacs/80476_kent/children's services inspection - 02 february 2026.pdf")
    assert f["improve_count"] == 3 and "improve_heads" not in f


def test_two_lead_inspectors_are_both_read_and_both_answered():
    pages = ["Ofsted\nInspection of Anytown children's services\nInspection dates: 3 to 14 October 2022\n"
             "Lead inspectors: Ann Example, His Majesty’s Inspector, and Bob Sample,\nHis Majesty’s Inspector\n"
             "Judgement Grade\nOverall effectiveness Good\n"]
    facts, spans = extract_facts(pages, "ofsted-ilacs/1_anytown/children's services inspection - 25 november 2022.pdf")
    assert facts["lead_inspector"] == "Ann Example" and facts["joint_lead_inspector"] == "Bob Sample"
    page, start, end = spans["joint_lead_inspector"]
    assert pages[page - 1][start:end] == "Bob Sample"
    from bot.factual import simple_fact
    from index.types import Document
    doc = Document("d", "a.pdf", "h", "Anytown", tuple(pages), {**facts, "provider": "Anytown"}, spans)
    text, cites = simple_fact(doc, "inspector", lambda doc_id, p: pages[p - 1])
    assert "were Ann Example [1] and Bob Sample. [2]" in text and [c.quote for c in cites] == ["Ann Example", "Bob Sample"]
