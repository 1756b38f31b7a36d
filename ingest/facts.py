"""Inspection facts from a report's text: who, what kind, when, by whom, and the judgements.

Every fact comes with the span (page, start, end) of the text it was read from, so an answer
can cite it. A fact that is not found is left out, never guessed.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePosixPath

from index.vocab import provider_key
from ingest.improve import improvements

MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
GRADE = r"(Outstanding|Good|Requires\s+improvement(?:\s+to\s+be\s+good)?|Inadequate|Adequate)"
GRADES = ("outstanding", "good", "requires improvement to be good", "inadequate", "adequate")

# ILACS (2018 on): judgement table on page 1.  (fact name, label pattern)
ILACS_JUDGEMENTS = [
    # 'on social work practice' until 2025; 'on practice' in the 2026 framework
    ("judgement_leaders", r"impact\s+of\s+leaders\s+on\s+(?:social\s+work\s+)?practice\s+with\s+children\s+and\s+families"),
    ("judgement_help_protection", r"experiences\s+and\s+progress\s+of\s+children\s+who\s+need\s+help\s+and\s+protection"),
    ("judgement_children_in_care", r"experiences\s+and\s+progress\s+of\s+children\s+in\s+care(?:\s+and\s+care\s+leavers)?"),
    ("judgement_care_leavers", r"experiences\s+and\s+progress\s+of\s+(?:children\s+in\s+care\s+and\s+|children\s+)?care\s+leavers"),
    ("judgement_overall", r"Overall\s+effectiveness"),
]
# Single inspection framework (2013-2017) and the older frameworks.
SIF_JUDGEMENTS = [
    ("judgement_help_protection", r"Children\s+who\s+need\s+help\s+and\s+protection"),
    ("judgement_children_in_care", r"Children\s+looked\s+after\s+and\s+achieving\s+permanence"),
    ("judgement_adoption", r"Adoption\s+performance"),
    ("judgement_care_leavers", r"Experiences\s+and\s+progress\s+of\s+care\s+leavers"),
    ("judgement_leaders", r"Leadership,\s+management\s+and\s+governance"),
    ("judgement_overall", r"Overall\s+effectiveness"),
]
SCHOOL_JUDGEMENTS = [
    ("judgement_overall", r"(?<!previous inspection )Overall\s+effectiveness(?!\s+at\s+previous)"),
    ("judgement_leaders", r"Effectiveness\s+of\s+leadership\s+and\s+management"),
    ("judgement_teaching", r"Quality\s+of\s+teaching,\s+learning\s+and\s+assessment"),
    ("judgement_personal_development", r"Personal\s+development,\s+behaviour\s+and\s+welfare"),
    ("judgement_outcomes", r"Outcomes\s+for\s+pupils"),
    ("judgement_early_years", r"Early\s+years\s+provision"),
    ("judgement_sixth_form", r"16\s+to\s+19\s+study\s+programmes"),
    ("judgement_previous_overall", r"Overall\s+effectiveness\s+at\s+previous\s+inspection"),
    ("judgement_quality_of_education", r"(?:The\s+)?quality\s+of\s+education"),
    ("judgement_behaviour", r"Behaviour\s+and\s+attitudes"),
    ("judgement_personal_development", r"Personal\s+development"),
    ("judgement_leaders", r"Leadership\s+and\s+management"),
]
CQC_JUDGEMENTS = [
    ("judgement_overall", r"Overall\s+rating"),
    ("judgement_safe", r"Is\s+the\s+service\s+safe\??"),
    ("judgement_effective", r"Is\s+the\s+service\s+effective\??"),
    ("judgement_caring", r"Is\s+the\s+service\s+caring\??"),
    ("judgement_responsive", r"Is\s+the\s+service\s+responsive\??"),
    ("judgement_well_led", r"Is\s+the\s+service\s+well-led\??"),
]
SEND_OUTCOMES = [
    ("positive", r"arrangements\s+typically\s+lead\s+to\s+positive\s+experiences\s+and\s+outcomes"),
    ("inconsistent", r"arrangements\s+lead\s+to\s+inconsistent\s+experiences\s+and\s+outcomes"),
    ("systemic failings", r"widespread\s+and/or\s+systemic\s+failings"),
]

def grade_of(text: str) -> str:
    g = re.sub(r"\s+", " ", text.strip()).lower()
    if g.startswith("requires improvement") or g.startswith("require improvement"):
        return "requires improvement to be good"
    return g


def parse_date(day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), MONTHS[month.lower()], int(day))
    except (KeyError, ValueError):
        return None


def parse_range(text: str) -> tuple[date | None, date | None]:
    """'8 October to 12 October 2018', '21 April 2015 - 8 May 2015', '15 – 19 July 2013'."""
    tokens = re.findall(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s*({_MON})?\s*(\d{{4}})?", text, re.I)
    tokens = [t for t in tokens if t[0]]
    if not tokens:
        return None, None
    d_end, m_end, y_end = tokens[-1] if len(tokens) > 1 else tokens[0]
    if not (m_end and y_end):
        return None, None
    end = parse_date(d_end, m_end, y_end)
    d0, m0, y0 = tokens[0]
    start = parse_date(d0, m0 or m_end, y0 or y_end) if len(tokens) > 1 else end
    if start and end and start > end and not y0:  # '29 December to 9 January 2015'
        start = parse_date(d0, m0 or m_end, str(int(y_end) - 1))
    return start, end


class _Facts:
    def __init__(self, pages):
        self.pages = pages
        self.facts: dict = {}
        self.spans: dict = {}

    def put(self, name, value, page, start, end):
        if value in (None, "") or name in self.facts:
            return
        self.facts[name] = value
        self.spans[name] = (page, start, end)

    def search(self, pattern, pages=None, flags=re.I):
        for p in pages or range(1, len(self.pages) + 1):
            m = re.search(pattern, self.pages[p - 1], flags)
            if m:
                return p, m
        return None, None


def extract_facts(pages: list[str] | tuple[str, ...], source: str = "") -> tuple[dict, dict]:
    """``(facts, spans)`` for one report. ``source`` (its path) is used only for the URN and
    the publication date that file names carry; names in text win over names in paths."""
    f = _Facts(list(pages))
    head = "\n".join(pages[:2])[:6000]
    low = head.lower()
    first = pages[0] if pages else ""

    if re.search(r"area\s+send\s+inspection|local\s+area\s+partnership", low):
        rtype = "area_send"
    elif re.search(r"school\s+report|inspection\s+of\s+[^\n]*school", low) and "pupils" in low:
        rtype = "school"
    elif re.search(r"care\s+home|adult\s+social\s+care", low) and "care quality commission" in low:
        rtype = "care_home"
    elif re.search(r"judgement\s+grade", low) or re.search(
            r"inspection\s+of\s+(?:children.s\s+social\s+care|[^\n]{0,60}local\s+authority\s+children)", low):
        rtype = "ilacs"
    elif re.search(r"children|safeguarding|looked\s+after", low) and re.search(
            r"inspection\s+dates?\s*:|reporting\s+inspector|lead\s+inspector", low):
        rtype = "children_services_older"
    else:
        rtype = "other"
    f.facts["report_type"] = rtype
    if rtype == "area_send":
        f.facts["inspectorate"] = "Ofsted and CQC"
    elif "care quality commission" in low and "ofsted" not in "\n".join(pages).lower():
        f.facts["inspectorate"] = "CQC"
    elif rtype != "other" or "ofsted" in "\n".join(pages).lower():
        f.facts["inspectorate"] = "Ofsted"

    _provider(f, first, rtype, source)
    _dates(f, source)
    if rtype in ("school", "care_home"):
        p, m = f.search(r"^[^\n]*\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b[^\n]*$", pages=[1], flags=re.M)
        if m:
            f.put("address", m.group(0).strip(), p, m.start(0), m.end(0))
    p, m = f.search(r"(?:Lead|Reporting)\s+inspectors?:?\s*([A-Z][^\n,:]{2,60})", pages=range(1, min(3, len(pages)) + 1), flags=0)
    if not m:  # older reports list their team near the end: 'The inspection team\nLead inspector: ...'
        p, m = f.search(r"(?:Lead|Reporting)\s+inspector:\s*([A-Z][^\n,:]{2,60})", flags=0)
    if m:
        name = re.sub(r"\s*(?:HMI|Her Majesty.s Inspector|His Majesty.s Inspector)\s*$", "", m.group(1).strip())
        f.put("lead_inspector", name.strip(), p, m.start(1), m.start(1) + len(name.strip()))
        # two leads: 'Lead inspectors: A, His Majesty's Inspector, and B, His Majesty's Inspector'
        joint = re.compile(r",?\s*(?:(?:Her|His) Majesty.s Inspector|HMI)?,?\s+and\s+([A-Z][\w’'-]+(?:[ -][A-Z][\w’'-]+){1,3})")
        j = joint.match(f.pages[p - 1], m.start(1) + len(name.strip())) if re.search(r"inspectors", m.group(0)) else None
        if j:
            f.put("joint_lead_inspector", j.group(1), p, j.start(1), j.end(1))
    else:  # school reports end with their team: 'Inspection team\nLorraine Lord, lead inspector'
        p, m = f.search(r"Inspection\s+team\s*\n\s*([A-Z][\w’'-]+(?:[ -][A-Z][\w’'-]+){1,3}),\s*lead\s+inspector",
                        flags=0)
        if not m and rtype == "area_send":  # the team table: 'Jo Petch HMI, Ofsted Lead inspector   <CQC's lead>'
            p, m = f.search(r"(?:^|\n)[ \t]*(?:(?:Mr|Mrs|Ms|Miss|Dr)\.? )?([A-Z][\w’'-]+(?:[ -](?!HMI\b)[A-Z][\w’'-]+){1,3})"
                            r"(?:\s+HMI)?,[ \t]*(?:(?:Ofsted|HMI),?[ \t]*){1,3}(?i:lead\s+inspector)", flags=0)
        if m:
            f.put("lead_inspector", m.group(1), p, m.start(1), m.end(1))
    if rtype == "area_send":  # the joint inspection's other lead: 'Kaye Goodfellow, CQC Lead Inspector'
        p, m = f.search(r"([A-Z][\w’'-]+(?:[ -][A-Z][\w’'-]+){1,3}),?[ \t]+CQC[ \t]+(?i:lead\s+inspector)", flags=0)
        if m:  # the Ofsted lead's title can run into it on one line ('... Lead Inspector Daniel Carrick, CQC ...')
            title = re.match(r"(?:(?:Ofsted|HMI|Lead|Inspector)\s+)+", m.group(1))
            start = m.start(1) + (title.end() if title else 0)
            f.put("cqc_lead_inspector", m.group(1)[start - m.start(1):], p, start, m.end(1))
    _judgements(f, rtype)
    improvements(f, lead_ins=rtype == "area_send")
    p, m = f.search(r"(?:(?:A|The)\s+(?:monitoring|next)[^.]{0,200}?(?:inspection|visit)[^.]*\.)"
                    r"(?:\s*The\s+next[^.]{0,200}?inspection[^.]*\.)?", pages=range(1, min(3, len(pages)) + 1))
    if m and rtype in ("area_send", "ilacs", "children_services_older"):
        f.spans["next_inspection"] = (p, m.start(), m.end())  # a citation only, not a filter
    return f.facts, f.spans


def _provider(f: _Facts, first: str, rtype: str, source: str) -> None:
    norm = first
    pats = [
        r"Inspection\s+of\s+(?!children|services|local|looked)([A-Z][\w’'&,. -]+?)\s+local\s+authority\s+children",
        r"Area\s+SEND\s+inspection\s+of\s+(?:the\s+)?([A-Z][\w’'&,. -]+?)\s+Local\s+Area\s+Partnership",
        r"School\s+report\s*\n\s*([^\n]+?)\s*\n",
        r"^\s*#\s+([^\n]+?)\s*\n",
        r"^\s*([A-Z][^\n]{2,60}?)\s*\n[^\n]*inspection report",
        r"(?:^|\n)(?:\d+\s*\n)?\s*([A-Z][^\n]{2,60}?(?:\n[A-Z][a-z]+)?)\s*\n\s*Inspection\s+of\s",
        r"\n\s*([A-Z][^\n]{2,60}?(?:Council|Borough|City of [A-Za-z]+))\s*\n",
    ]
    for pat in pats:
        m = re.search(pat, norm)
        if m:
            name = re.sub(r"\s+", " ", m.group(1)).strip(" ,.")
            prefix = norm[:m.start(1)].rstrip(" \t")
            before = prefix.rstrip("\n").rsplit("\n", 1)[-1].strip() if prefix.endswith("\n") else ""
            if re.search(r"\b(of|upon|and|on|with|&)$", before):  # the name wrapped onto two lines
                name = f"{before} {name}"
            if 2 < len(name) < 80 and not re.search(r"inspection|report|services", name, re.I):
                f.put("provider", name, 1, m.start(1), m.end(1))
                break
    parts = PurePosixPath(source).parts
    folder = parts[-2] if len(parts) >= 2 else ""
    fm = re.match(r"^(\d{5,8})_(.+)$", folder)
    sm = re.match(r"^(\d{5,8})\s+(.+?)\s+-\s", parts[-1]) if parts else None
    if fm:
        f.facts.setdefault("urn", fm.group(1))
        f.facts.setdefault("provider", fm.group(2).title().replace(" And ", " and ").replace(" Of ", " of "))
        f.facts["provider_alias"] = provider_key(fm.group(2))
    elif sm:
        f.facts.setdefault("urn", sm.group(1))
    if "urn" not in f.facts:
        p, m = f.search(r"(?:Unique reference number|URN)\s*:?\s*(\d{5,8})")
        if m:
            f.put("urn", m.group(1), p, m.start(1), m.end(1))
    if "provider" in f.facts:
        f.facts["provider_key"] = provider_key(f.facts["provider"])


def _dates(f: _Facts, source: str) -> None:
    p, m = f.search(r"Inspection\s+dates?:?\s*((?:[^\n.]|\.(?!\s))*\d{4})", pages=range(1, min(3, len(f.pages)) + 1))
    if m:
        start, end = parse_range(m.group(1))
        if end:
            f.put("inspection_end", end.isoformat(), p, m.start(0), m.end(1))
            f.put("inspection_start", (start or end).isoformat(), p, m.start(0), m.end(1))
            f.facts["year"] = end.year
    p, m = f.search(r"Dates?\s+of\s+(?:the\s+)?previous\s+inspection:?\s*((?:[^\n.]|\.(?!\s))*\d{4})",
                    pages=range(1, min(3, len(f.pages)) + 1))
    if m:  # 'Dates of previous inspection: 5 to 9 December 2016' (area SEND reports)
        start, end = parse_range(m.group(1))
        if end:
            f.put("previous_inspection_end", end.isoformat(), p, m.start(0), m.end(1))
            f.facts["previous_inspection_start"] = (start or end).isoformat()
    p, m = f.search(r"Dates?\s+of\s+(?:the\s+)?previous\s+inspection:?\s*(Not\s+previously\s+inspected)",
                    pages=range(1, min(3, len(f.pages)) + 1))
    if m:  # an area's first inspection
        f.put("previous_inspection", "none", p, m.start(0), m.end(1))
    p, m = f.search(rf"(?:Report\s+|Date\s+)?[Pp]ublished:?\s*(?:on\s+)?(?:[A-Z][a-z]+day\s+)?(\d{{1,2}})\s+({_MON})\s+(\d{{4}})",
                    pages=range(1, min(3, len(f.pages)) + 1))
    if m:
        d = parse_date(*m.groups())
        if d:
            f.put("published", d.isoformat(), p, m.start(0), m.end(0))
    name = PurePosixPath(source).name.lower()
    nm = re.search(rf"(\d{{1,2}})\s+({_MON})\s+(\d{{4}})\.\w+$", name, re.I)
    if nm and "published" not in f.facts:
        d = parse_date(*nm.groups())
        if d:
            f.facts["published"] = d.isoformat()
    if "year" not in f.facts and "published" in f.facts:
        f.facts["year"] = int(f.facts["published"][:4])


def _judgements(f: _Facts, rtype: str) -> None:
    pages = range(1, min(2, len(f.pages)) + 1)
    if rtype == "ilacs":
        table = ILACS_JUDGEMENTS
    elif rtype == "school":
        table = SCHOOL_JUDGEMENTS
    elif rtype == "care_home":
        table = CQC_JUDGEMENTS
    elif rtype == "area_send":
        for outcome, pat in SEND_OUTCOMES:
            p, m = f.search(pat, pages=pages)
            if m:
                f.put("send_outcome", outcome, p, _line_start(f.pages[p - 1], m.start()), m.end())
                break
        return
    else:
        table = SIF_JUDGEMENTS
        p, m = f.search(r"(?:overall\s+judgement\s+is(?:\s+that)?(?:\s+children.s\s+services?)?"
                        r"(?:\s+in\s+[^\n]{2,60}?)?|Children.s\s+services\s+in\s+(?:the\s+)?(?:[^\n]|\n(?!\s*\n)){2,80}?"
                        r"(?:\s+area)?(?:\s+(?:are|is))?)\s+(?:require|requires|are|is)?\s*"
                        r"(outstanding|good|inadequate|improvement(?:\s+to\s+be\s+good)?)", pages=pages)
        if m:
            grade = m.group(1).lower()
            grade = "requires improvement to be good" if grade.startswith("improvement") else grade
            f.put("judgement_overall", grade, p, m.start(0), m.end(0))
        # the 2012-13 inspections of looked after children services alone: one graded judgement
        p, m = f.search(r"Overall\s+effectiveness\s+of\s+services\s+for\s+looked\s+after\s+children(?:\s+and\s+young\s+"
                        r"people)?\s*Grade\s+\d\s+\((Outstanding|Good|Adequate|Inadequate)\)",
                        pages=range(1, min(8, len(f.pages)) + 1))
        if m:
            f.put("judgement_children_in_care", m.group(1).lower(), p, m.start(0), m.end(0))
    for name, label in table:
        p, m = f.search(rf"{label}[\s|]*[.:]?[\s|]*(?:\(\w+\)\s*)?{GRADE}\b", pages=pages)
        if m:
            value = grade_of(m.group(1)) if rtype != "care_home" else re.sub(r"\s+", " ", m.group(1)).lower()
            f.put(name, value, p, m.start(0), m.end(0))


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1
