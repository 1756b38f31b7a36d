"""When a question asks about: years, a span of years, a month, a publication date, the last N
inspections. A closed vocabulary read by patterns; ``when_asked`` reads it all in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.vocabulary import EXCEPT_YEAR, LAST_AND_BEFORE, MONTHS, TIMELINE


# a part of a year ('at the end of 2018', 'early 2019', 'in the spring'): when, not what the question is about
PART_OF_YEAR = re.compile(r"\b(?:at|in|by|towards?|near) the (?:very )?(?:end|start|beginning|middle|close) of\b(?= (?:the year|\d{4}|"
                          r"last year|this year))|\b(?:early|late|mid)[- ]?(?=\d{4}\b)|\bin the (?:spring|summer|autumn|fall|winter)"
                          r"(?: of)?\b", re.I)


# two years set against each other ('better in 2018 or in 2024?', '2019 vs 2022'): the span between them
_SET_AGAINST = re.compile(r"\b(better|worse|higher|lower|stronger|weaker|compar\w*|vs\.?|versus|against|differ\w*|"
                          r"up,? (?:or )?down|(?:stay|stayed|remain|remained) the same|chang\w*|between the two)\b", re.I)


@dataclass(frozen=True)
class When:
    year: int | None = None  # the one year asked about
    since: int | None = None  # a span's first year ('since 2019', 'between 2018 and 2023')
    until: int | None = None  # a span's last year ('before 2020': 2019)
    published: tuple[int, int] | None = None  # (year, month or 0) of 'the report published jan 2015'
    month: int = 0  # the month of the year an inspection ended ('inspected in march 2024')
    last_n: int = 0  # 'the last three inspections'


ILACS_BEGAN = 2018  # Ofsted's framework for inspecting local authority children's services (ILACS) began in January 2018
# a framework of inspections named for the inspections over it: ILACS (2018 on), the single inspection
# framework before it (SIF, its last ones ending in 2018)
_ILACS_ERA = re.compile(r"\b(?:under|during|across|throughout|since) (?:the )?(?:current |whole )?ilacs\b|"
                        r"\bilacs (?:framework|era|regime)\b|\b(?:every|all|any) (?:of the )?ilacs (?:inspections|reports)\b", re.I)
_SIF_ERA = re.compile(r"\bsingle inspection framework\b|\b(?:under|during|in|across|throughout) (?:the )?(?:old )?sif\b|"
                      r"\bsif (?:framework|era|regime|inspections|reports)\b", re.I)


def framework(q: str) -> str:
    """The report type of the framework a question over many reports names ('' where none)."""
    return "ilacs" if _ILACS_ERA.search(q) else "children_services_older" if _SIF_ERA.search(q) else ""


def when_asked(q: str) -> When:
    """The years, span, month and count of inspections the question ``q`` asks about."""
    qy = EXCEPT_YEAR.sub(" ", q)  # the years asked about, not those set aside ('apart from 2025')
    qy = _RELATIVE_YEAR.sub(lambda r: r.group(1) + str(date.today().year - _years_back(r.group(2))), qy)
    years = [int(y) for y in re.findall(r"\b(20\d{2}|19\d{2})\b", qy)]
    since = until = None
    m = re.search(r"\bbetween (\d{4}) and (\d{4})\b|\bfrom (?:the |its |their )?(\d{4})\b[^?.]{0,30}?\bto (?:the |its |their )?(\d{4})\b|\b(\d{4}) ?(?:and|&|or|\+) ?(\d{4})\b(?= combined| together|"
                  r" between them| put together| in total| altogether)", qy, re.I)
    if m:
        since, until = sorted(int(g) for g in m.groups() if g)
    m = None if since else re.search(r"\b(?:since|(?<!one )(?<!report )(?<!inspection )(?<!visit )(?<!rating )(?<!grade )from) "
                                     r"(?:the (?:start|beginning) of |early )?(\d{4})\b|\b(\d{4}) (?:or|and) (?:later|after|since)\b|"
                                     r"\b(\d{4})[- ]on(?:wards?)?\b(?! (?:the|a|an|its|their|his|her)\b)|\bafter (\d{4})\b|"
                                     r"\bsince\b[^?.,;]{0,50}?\b(?:start\w*|began|begun|came in|introduc\w*|launch\w*) "
                                     r"(?:in )?(\d{4})\b", qy, re.I)  # 'since the new inspections started in 2018'
    if m:
        since = int(next(g for g in m.groups() if g)) + (1 if m.group(4) else 0)  # 'after 2018': 2019 on
    if not since and not years and _ILACS_ERA.search(q):  # 'under the ILACS framework': every inspection since it began
        since = ILACS_BEGAN
    if not until and not years and _SIF_ERA.search(q):  # 'under the old single inspection framework': every one of it
        until = ILACS_BEGAN
    m = None if since or years else _RECENT_YEARS.search(q)
    if m:  # 'over the last few years', 'in the past three years': the years up to this one
        since = date.today().year - _NUMBER.get((m.group(1) or "few").lower(), 0) if not (m.group(1) or "").isdigit() \
            else date.today().year - int(m.group(1))
    m = None if until else re.search(r"\b(\d{4}) (?:or|and) (?:earlier|before)\b|\b(?:up to|until|till) (\d{4})\b|"
                                     r"\b(?:before (?:the )?|pre[- ]?)(\d{4})\b(?! (?:ofsted )?(?:inspection|report|visit|one)\b)", qy, re.I)
    if m:
        until = int(next(g for g in m.groups() if g)) - (1 if m.group(3) else 0)  # 'before 2020': 2019 at the latest
    published = None
    m = re.search(r"\bpublished (?:in )?(?:(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* )?(\d{4})", q, re.I)
    if m:
        published = (int(m.group(2)), MONTHS.get((m.group(1) or "").lower()[:3], 0))
    m = None if published else re.search(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* (\d{4})\b", q, re.I)
    month = MONTHS[m.group(1).lower()] if m else 0
    if not since and len(set(years)) > 1 and (TIMELINE.search(q) or _SET_AGAINST.search(q)):  # 'hull 2019 vs 2022, better or worse?'
        since, until = min(years), max(years)
    year = None if since or until else (years[0] if years else None)
    if published and year == published[0]:
        year = None
    m = re.search(r"\b(?:last|past|previous) (two|three|four|five|\d)\b(?! years)", q, re.I)
    last_n = {"two": 2, "three": 3, "four": 4, "five": 5}.get(m.group(1).lower(), 0) if m else 0
    if m and not last_n and m.group(1).isdigit():
        last_n = int(m.group(1))
    if not last_n and LAST_AND_BEFORE.search(q):
        last_n = 2
    return When(year, since, until, published, month, last_n)


# a span of recent years ('over the last few years', 'in recent years', 'the past 3 years'): how many
_RECENT_YEARS = re.compile(r"\b(?:(?:last|past|previous)\s+(few|several|couple of|two|three|four|five|\d)\s+years|"
                           r"recent years|(?:last|past) (few|couple of) years)\b", re.I)
_NUMBER = {"few": 4, "several": 5, "couple of": 2, "two": 2, "three": 3, "four": 4, "five": 5}
# a year said relative to today, of an inspection or a grade ('rated last year', 'slipped to RI last
# year'), not of the asker's own life ('my lad left care last year')
_RELATIVE_YEAR = re.compile(r"\b((?:inspect\w*|rated|judged|graded|ofsted|report\w*|visit\w*|get|got|given|slipped|dropped|"
                            r"fell|improved|went|gone|moved|outstanding|good|inadequate|improvement|ri)\b[^.?!,;]{0,30}?\b)"
                            r"(last year|this year|the year before last|(?:a|one|two|three|four|five|six|\d) years? ago)\b", re.I)
_YEARS_BACK = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _years_back(said: str) -> int:
    """How many years before this one 'last year', 'the year before last', 'two years ago' are."""
    said = said.lower()
    if said == "this year":
        return 0
    if said == "last year":
        return 1
    if said == "the year before last":
        return 2
    n = said.split()[0]
    return int(n) if n.isdigit() else _YEARS_BACK[n]
