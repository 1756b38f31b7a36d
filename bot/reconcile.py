"""The trained model's reading of a question put together with what the closed vocabularies
read (``bot.understand``): its operation and expected answer type, and where the model sees what
patterns cannot (a list asked as 'was any council ...', a change between inspections, a history
asked as 'did X get worse', a theme across reports, a request to write something)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Callable

from bot.changes import from_year, path, to_grade
from bot.every_time import over_all
from bot.operations import Prediction, named_feature
from bot.vocabulary import (AMOUNT, ANY_PROVIDER, DOMAIN, GOING_ON, HOW_MANY, MANY_PROVIDERS, MONEY, TIMELINE, TIMES, WH,
                            WHO_CHANGED, asking_sentences)
from index.vocab import JUDGEMENT_LABELS

if TYPE_CHECKING:
    from bot.understand import Query

# kinds that are about one council's report(s): without a council they need one named
NEEDS_PROVIDER = {"grade", "assess", "inspector", "dates", "improve", "next", "published", "where",
                  "timeline", "compare"}
# the facts of one report ('when did the inspectors visit?'): never a theme across reports
ONE_REPORTS_FACT = ("dates", "inspector", "next", "published")
# a grade the asker remembers from an inspection some time back, and a question about since then
_WAS_ONCE = re.compile(r"\b(was|were|had been|used to be|got|been)\s+(rated\s+|judged\s+)?(inadequate|outstanding|good|"
                       r"requires improvement|ri)\b[^?]{0,40}?\b(years? (back|ago)|a while (back|ago)|before|previously|"
                       r"in the past|once|last time)\b", re.I)
# one council set against its own earlier inspection ('how does that compare with their 2014 one?',
# 'compared to last time', '2018 vs 2023')
_WITH_ITSELF = re.compile(r"\b(compare\w*|stack up|measure up|differ\w*)\b[^?]{0,30}?\b(with|to|against|from)\b[^?]{0,15}?"
                          r"\b((19|20)\d\d|previous|last|earlier|first|prior|before|older)\b|"
                          r"\b((19|20)\d\d( one| inspection| report)?|now|today|these days|currently) (vs\.?|versus|against|compared "
                          r"(to|with)) (the |its |their |in )?(19|20)\d\d\b", re.I)
_SINCE_THEN = re.compile(r"\b(now|since|got out|get out|come out|still|these days)\b", re.I)
# 'the ratings before that', 'were they always bad?': more than the one grade before
_SEVERAL_BEFORE = re.compile(r"\b(always|ratings|grades|results|judgements)\b", re.I)


def reconcile(q: Query, pred: Prediction | None) -> Query:
    """``_reconcile``; then a history keeps a subject only where the model reads one: in
    'X's track record, going back as far as you can' the words left are not a topic; and a
    question of one report's judgements is no history."""
    out = _reconcile(q, pred)
    if out.kind == "timeline" and q.every_judgement and len(q.providers) == 1 and not q.why \
            and not (q.since or q.until or TIMELINE.search(q.question) or q.direction in ("up", "down")):
        # 'got good in 2025 - was any of the four judgements still not good?': that report's judgements
        out = replace(out, kind=q.kind if q.kind in ("grade", "assess") else "grade", topic="", topical=False)
    if out.kind == "timeline" and out.topical and not out.area_named and pred is not None and pred.kinds \
            and pred.kinds.get("grade", 0.0) > max(pred.kinds.get("content", 0.0), pred.kinds.get("improve", 0.0)) + 0.2:
        out = replace(out, topical=False, topic="")
    return out


def _reconcile(q: Query, pred: Prediction | None) -> Query:
    """The closed vocabularies' reading of a question put together with the trained model's
    operation and answer type. The model decides what the rules cannot see: a list asked as
    'was any council ...', a change between inspections, a history asked as 'did X get worse',
    a theme across reports, a request to write something, an off-topic question."""
    atype = pred.answer_type if pred else "description"
    if MONEY.search(q.question) and AMOUNT.search(q.question):
        atype = "money"
    elif HOW_MANY.search(q.question) and not TIMES.search(q.question) and not MONEY.search(q.question):
        atype = "number"
    elif atype == "number" and not HOW_MANY.search(q.question):
        atype = "description"  # 'how long are children waiting?': 'too long' is the evidence, not only a figure
    elif atype == "money" and not MONEY.search(q.question):
        atype = "description"  # 'what support will she get?' asks for support, not for an amount
    out = replace(q, operation=pred.operation if pred else "", answer_type=atype)
    if q.refuse or pred is None:
        return out
    none, one = not q.providers, len(q.providers) == 1
    if pred.operation == "generate" and (pred.operation_p >= 0.5 or pred.p("generate") + pred.p("offtopic") >= 0.7):
        return replace(out, refuse="generate")
    change = pred.p("transition") + pred.p("history")
    # 'has the council improved?' points back at one; in 'who climbed out of inadequate at their
    # last inspection?' the pronoun is the asker's 'who'
    back = bool(named_feature(0, q.question)) and not WHO_CHANGED.match(q.question) and not q.region
    twice = q.direction == "same" and bool(q.grade)  # 'inadequate at two inspections in a row': consecutive, whatever the model
    # 'never seem to get out of RI ... RI at every inspection': a grade kept, not a change from it to itself
    itself = bool(q.grade_from) and to_grade(q.question) == q.grade_from and not twice and not path(q.question)
    # a grade left ('lost an outstanding rating', 'out of inadequate', 'from RI') is a change between
    # inspections, whatever else the question says ('at the following ilacs? which ones')
    left = bool(q.grade_from) and not over_all(q.question)
    if none and (q.grade_from or q.direction) and not back and not itself and (twice or left or
            pred.p("transition") >= 0.35 and pred.p("transition") + pred.p("list") >= 0.5):
        years = sorted({int(y) for y in re.findall(r"\b(20\d{2})\b", q.question)})
        if len(years) > 1 and not (q.since or q.until):  # 'inadequate in 2018 but good by 2024': within those years
            out = replace(out, since=years[0], until=years[-1], year=None)
        elif from_year(q.question):  # 'of the councils inadequate in 2022, which were good next time?'
            out = replace(out, from_year=from_year(q.question), year=None)
        return replace(out, kind="transition", grade=to_grade(q.question), topic="", explicit=True)
    if none and itself and not back and over_all(q.question):  # '... inadequate at every inspection you hold?'
        return replace(out, kind="list", topic="", explicit=True)
    last = (asking_sentences(q.question) or [q.search])[-1]
    if one and q.kind in ("content", "grade", "assess", "improve") and (q.grade_from or q.direction or "either_way" in q.shapes) \
            and change >= 0.5 \
            and not WH.match(q.search) and not WH.match(last) and not q.why:  # 'what has to get better' asks what
        return replace(out, kind="timeline", grade=to_grade(q.question), topic="")
    if one and q.kind == "content" and q.direction and not q.topical and not q.why and not WH.match(last):
        return replace(out, kind="timeline", grade=to_grade(q.question), topic="")  # 'have they gone backwards?': no subject
    if one and q.kind in ("content", "grade", "assess") and _WAS_ONCE.search(q.question) and _SINCE_THEN.search(q.question) \
            and not q.year and not WH.match(last):  # not 'X was inadequate. What did they get this time, and which area ...?'
        # 'X were inadequate a few years back - have they got out of it and where are they now?'
        return replace(out, kind="timeline", grade="", topic="", explicit=True, area="judgement_overall", area_named=False)
    judged = q.area_named and q.area in JUDGEMENT_LABELS and q.area != "judgement_previous_overall"
    if (one or none) and q.kind in ("content", "grade", "assess") and _WITH_ITSELF.search(q.question) \
            and (judged or not q.area_named) and not q.topical:
        # 'how does that compare with their 2014 inspection?', 'care leavers in X compared with 2022': one
        # council against its own earlier grade, for the judgement named, from the year named
        years = sorted({int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", q.question)})
        since, until = (years[0], years[-1]) if len(years) > 1 else (q.year or q.since, q.until)  # '2020 ... with the 2017 one'
        return replace(out, kind="timeline", grade="", topic="", explicit=True, year=None, before=0,
                       since=since, until=until, area=q.area if judged else "judgement_overall", area_named=judged)
    # 'the ratings before that', 'were they always bad?': every earlier grade, not the one before
    earlier = q.area == "judgement_previous_overall" and bool(_SEVERAL_BEFORE.search(q.question))
    if one and q.area == "judgement_previous_overall" and q.grade and re.search(r"\bnow\b", q.question, re.I) and not q.year:
        # 'X is outstanding now, but what was it rated before that?': before the grade it holds now, however
        # many inspections back that is: its history
        return replace(out, kind="timeline", topic="", explicit=True, before=0, area="judgement_overall", area_named=False)
    if (one or (none and back)) and q.kind in ("content", "assess") and pred.p("history") >= 0.6 \
            and (not q.area_named or earlier) and not q.why and not (q.before > 0 and q.year):
        # 'was it always that good or is that new?': its history ('... before the one in 2024?' asks of one report)
        return replace(out, kind="timeline", topic="" if not q.topical or none or earlier else q.topic, explicit=True,
                       before=0, area="judgement_overall", area_named=False)
    if one and q.kind in ("grade", "assess") and pred.operation == "history" and pred.operation_p >= 0.5 \
            and not q.year and not q.latest and not q.area_named and not q.before:  # 'X's inspection results, all of them'
        return replace(out, kind="timeline", topic="")
    if one and q.kind == "improve" and q.direction == "up" and change >= 0.5 and not WH.match(q.search):
        return replace(out, kind="timeline", topic="")  # 'did X improve?': its grades over time
    if none and q.grade and q.kind not in ("list", "timeline") and (ANY_PROVIDER.search(q.question) or (
            pred.p("list") + pred.p("transition") >= 0.5 and not back)):
        return replace(out, kind="list", topic="", explicit=True)
    if none and q.kind == "improve" and not q.grade and pred.operation == "list" and pred.operation_p >= 0.5 \
            and (q.region or q.outside or MANY_PROVIDERS.search(q.question)):
        # 'which councils in the south west need to improve?': those judged below good at their latest
        ri = "requires improvement to be good"
        return replace(out, kind="list", grade=ri, grades=(ri, "inadequate"), topic="", explicit=True)
    if none and q.kind in NEEDS_PROVIDER and q.kind not in ONE_REPORTS_FACT and not q.deictic and (
            pred.p("theme") >= 0.5 or pred.operation == "theme"):
        # across reports: what they say about a theme, or what their lists of points share
        return replace(out, kind="improve" if q.kind == "improve" else "content")
    return out


def off_topic(q: str, pred: Prediction | None, model, alone: Callable[[], str], named: int) -> bool:
    """An errand, not a question of the reports: the model reads one, and either no word of this
    domain is in the question or the model is sure ('how do i claim housing benefit in X?': housing
    is the domain's word). Where context follows what is asked ('does X have a breakfast club? i
    start work at 8'), what is asked, read alone (``alone()``, '' where nothing follows), must be one too."""
    def errand(p: Prediction) -> bool:
        return p.p("offtopic") >= 0.6 and not DOMAIN.search(q) or p.p("offtopic") >= 0.8
    if pred is None or GOING_ON.match(q) or not errand(pred):
        return False
    asked = alone()  # read only where the whole question reads as an errand
    return not asked or errand(model.predict(asked.lower(), named))
