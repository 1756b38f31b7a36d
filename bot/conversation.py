"""A question within its conversation: ``follow`` applies one parsed question (``bot.understand``)
to the state of the conversation (the ``Query`` of the turn before, with the report it was
about), so "and stockton?", "what about 2026?", "the time before that?" and "who led it?" mean
what they mean after the question before, while a question complete on its own (a list, a
definition, another subject) starts afresh. The state is rebuilt from the plain-text history
every time, so any client and every server instance read a conversation the same way."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Mapping, Sequence

from bot.glossary import definition
from bot.names import FORMER, ProviderIndex
from bot.operations import PlanModel
from bot.understand import MAX_TURN, Query, bare_overview, parse
from bot.vocabulary import ASKS, CHILDRENS_SERVICES, FILLER, GOING_ON, MANY_PROVIDERS, NEXT, TAG_QUESTION
from bot.wording import HEARSAY

SAME_TIME = re.compile(r"\b(same|that) (year|time|round|period)\b|\bthen too\b", re.I)
# 'and the year before?', 'the following year' after a question of one year
_YEAR_STEP = re.compile(r"\b(?:the|a) (year|one) (before|earlier|after|later)\b|\bthe (previous|following|next) year\b|"
                        r"\byear (before|after)\b", re.I)


def year_step(question: str) -> int:
    """-1 for 'the year before', 1 for 'the year after', 0 for neither."""
    m = _YEAR_STEP.search(question)
    return 0 if not m else -1 if re.search(r"before|earlier|previous", m.group(0), re.I) else 1
# 'compare it with bury', 'vs bury': not one council's years ('2019 vs 2022')
_COMPARE_THAT = re.compile(r"\b(compare\w*|vs\.?|versus|against|which (is|was|did) better|better of the two|"
                           r"which (one|of (them|the two|those)) (is|was|has|had|did|does|got|gets)\b)\b"
                           r"(?!\W*(19|20)\d\d\b)", re.I)


# a short question that points back at what was just discussed, and the fact its answer type asks for
_POINTS_BACK = re.compile(r"\b(that|it|this|they|those|then)\b", re.I)
_FACT_OF = {"date": "dates", "person": "inspector"}
# the words of an inspection as an event: when it happened, who ran it ('bin day' is something else)
_EVENT_WORDS = set("happen happened happens take took taken place start started end ended finish finished occur "
                   "occurred visit visited charge led lead leading ran run running carry carried due".split())
# what a region's councils are called ('just the london boroughs'): no subject of their own
_PLACES = set("boroughs borough councils council ones areas authorities las places those them".split())
# the question before asked again of something else ('same question for the one after that', 'now the
# county instead'): its words are no subject
_SAME_ASKED = re.compile(r"\b(?:same (?:question|thing|again)|ditto|instead)\b", re.I)
_RESTATED = {"same", "question", "thing", "again", "ditto", "instead", "county", "city", "council", "borough", "one"}
# a list asked with no noun of its own ('did any get outstanding?', 'how many got good?'): of the list before
_ELLIPTIC = re.compile(r"\b(?:any|none|some|how many|which)(?: of (?:them|those|these))?(?= (?:get|gets|got|went|go|were|was|"
                       r"have|had|did|ended|end|managed|manage)\b)|\b(?:any|none|how many|which) of (?:them|those|these)\b", re.I)
_OF_THOSE = re.compile(r"\bof (?:those|them|these)\b", re.I)  # one list narrowed ('which of those were also good?')
# one of the inspections a list named ('the north east lincolnshire one', 'that inspection')
_ONE_OF_THEM = re.compile(r"\bone\b|\b(that|this|those|these) (inspection|report|visit)s?\b|\bof (them|those)\b", re.I)


# where one question holds a second ('how is X doing with care leavers, and who led the
# inspection?'): 'and' before a question word, after a comma, or 'and also'
_SECOND = re.compile(r"(?:,|;)\s*(?:and\s+)?(?:(?:also|separately|secondly|additionally|then|as well)\s*,?\s+)?"
                     r"(?=(?:who|when|what|which|how|is|was|were|did|does|has|had)\b)|"
                     r"\s+and\s+(?:also\s+)?(?=(?:who|when|what|how)(?:\s+(?:led|was|were|did|does|is|are|has|about|will|grade|"
                     r"rating|judgement|result|outcome|long|soon)\b|['’]s\b))|"
                     r"\s+and\s+(?=(?:is|was|has|did|does|are|were|have)\s+(?:it|that|this|they)\b)|"
                     r",?\s+(?:plus|as well as)\s+(?=(?:who|when|what|which|how|is|was|were|did|does|has|had|are)\b)", re.I)

# a fact named after the council, with no verb ('luton - overall grade at the latest inspection, and ...')
_FACT_NAMED = re.compile(r"\W*(?:the |their |its )?(?:(?:overall|latest|last|most recent|current) )*(?:effectiveness )?"
                         r"(?:grade|rating|judge?ment|result|outcome|verdict|lead inspector|inspection dates?|effectiveness|"
                         r"good (?:news )?or bad(?: news)?|good or not)\b", re.I)


def split_compound(question: str) -> list[str]:
    """A question that asks two things, as its two questions; one question, as itself. Two
    sentences that each ask ('Did X have to write a plan? what was the outcome?') are two, unless
    the first only asks to be agreed with ('X got outstanding didn't they? so what did they still
    need to improve?')."""
    asked = [p.strip() for p in re.split(r"(?<=\?)\s+", question.strip()) if p.strip()]
    if len(asked) == 2 and not TAG_QUESTION.search(asked[0]):  # 'Did X have to write a plan? what was the outcome?'
        asked[1] = re.sub(r"^(?:so|and|but|ok|okay|then|also|right)\b[\s,]*", "", asked[1], flags=re.I)
        if ASKS.match(asked[1]) and all(len(re.findall(r"\w+", p)) >= 3 for p in asked) and not HEARSAY.search(asked[1]) \
                and not re.search(r"\b(about|of|on|with) (that|it|this|those)\b|\bthat\W*$", asked[1], re.I):  # '... say about that
            return asked  # the first is a question by its mark ('... didn't they?')
    parts = [p.strip(" ,;") for p in _SECOND.split(question, maxsplit=1)]
    if len(parts) != 2 or any(len(re.findall(r"\w+", p)) < 3 for p in parts) or \
            re.match(r"\W*(and|or|but|then|so)\b", parts[1], re.I) or \
            not (ASKS.match(re.split(r"\s[-–]\s|:\s", parts[0])[-1]) or _FACT_NAMED.match(re.split(r"\s[-–]\s|:\s", parts[0])[-1]) or (
                ASKS.match(re.split(r"(?<=[.!?])\s+", parts[0])[-1]) and re.match(r"(who|when|what|how)\b", parts[1], re.I))):
        # the first part asks ('X send inspection - what was ...', 'X: what ...'), or its last sentence
        # does and the second asks a fact of the same report ('My son is in X. How did ..., and when's the next?')
        return [question]  # context first ('i'm moving to X, what's the workforce like?') is one question
    first = parts[0] if parts[0].endswith("?") else parts[0] + "?"
    return [first, parts[1]]


def _not_named(topic: str, providers: Sequence[str]) -> str:
    """A topic carried to the council now named, without the words that named a council ('how good
    is cumbria's care?' -> 'cumberland': 'cumbria' was the name, now another's, not a subject)."""
    names = {w for k in providers for w in k.split()}
    return " ".join(w for w in topic.split() if w not in FORMER and w not in names)


def follow(q: Query, state: Query | None) -> Query:
    """``q`` read as the next turn after ``state``."""
    if state is None:
        return q
    q = replace(q, seen=tuple(dict.fromkeys(state.seen + state.providers)))
    if q.refuse == "offtopic" and state.providers and NEXT.search(q.question) \
            and not set(re.findall(r"[a-z]+", q.search.lower())) - FILLER - _EVENT_WORDS:
        # 'when is the next one due?' after a council's inspection: its next, not an errand's
        q = replace(q, refuse="", kind="next", explicit=True)
    if q.refuse == "offtopic" and state.providers and _POINTS_BACK.search(q.question) and q.answer_type in _FACT_OF \
            and not set(q.topic.split()) - _EVENT_WORDS:
        # 'when did that actually happen?' after a council's inspection: its dates, not an errand
        q = replace(q, refuse="", kind=_FACT_OF[q.answer_type], explicit=True)
    if q.refuse:
        return q
    if _SAME_ASKED.search(q.question) and not set(q.topic.split()) - _RESTATED:
        q = replace(q, explicit=False, topic="", topical=False, kind=state.kind)
    if SAME_TIME.search(q.question) and state.year:
        q = replace(q, year=q.year or state.year)  # 'and bury the same year?', 'which got outstanding that year?'
    if not q.providers and q.kind == "list" and state.providers and "yesno" in q.shapes and not q.region \
            and not MANY_PROVIDERS.search(q.question):  # 'X: when were ofsted in? also did care leavers get good?'
        q = replace(q, kind="grade")  # a yes/no of the council just asked about, not a list of councils
    if state.kind == "list" and state.year and q.kind == "list" and not q.providers and _ELLIPTIC.search(q.question) \
            and not (q.year or q.since or q.until or q.latest):  # 'did any get outstanding?' after 2019's list: in 2019
        q = replace(q, year=state.year, region=q.region or state.region, from_history=True)
    if state.kind == "list" and state.grade and q.grade and not q.providers and _OF_THOSE.search(q.question):
        # 'which of those were NOT outstanding overall?': the list before, with a further condition
        also = q.also or ((q.area if q.area_named else "judgement_overall",
                           ("not " if re.search(r"\b(not|never)\b|n['’]t\b", q.question, re.I) else "") + q.grade),)
        return replace(q, kind="list", area=state.area, area_named=state.area_named, grade=state.grade,
                       grades=state.grades, year=state.year, since=state.since, until=state.until, send=state.send,
                       region=q.region or state.region, also=state.also + also, topic="", topical=False,
                       answer_type="providers", from_history=True)
    narrowed = bool(q.region) and not set(q.topic.split()) - _PLACES  # 'only london boroughs please'
    if not q.providers and q.explicit and (q.kind in ("list", "transition") or (
            definition(q.question)) or (MANY_PROVIDERS.search(q.question) and q.kind == "content")) \
            and not (state.kind == "list" and narrowed and _ELLIPTIC.search(q.question)):  # 'which of those are in london?'
        return q  # complete on its own: a list, a change across councils, a definition, a theme
    going_on = bool(GOING_ON.match(q.question))
    if state.kind == "list" and not q.providers and (not q.explicit or narrowed or (going_on and q.grade and not q.topical)):
        # 'and in 2022?', 'what about outstanding?' after a list
        return replace(q, kind="list", grade=q.grade or state.grade, grades=q.grades if q.grade else state.grades,
                       answer_type=state.answer_type,
                       area=q.area if q.area_named else state.area, send=state.send, region=q.region or state.region,
                       year=q.year or (state.year + year_step(q.question) if state.year else None), from_history=True)
    if not state.providers and state.operation == "theme" and not q.providers and (not q.explicit or going_on) \
            and not q.topical:  # 'and in 2016?' after a theme across reports
        return replace(q, kind=state.kind, operation="theme", topic=state.topic, search=state.search,
                       send=state.send or q.send, region=q.region or state.region, year=q.year or state.year,
                       from_history=True)
    if not q.providers and _COMPARE_THAT.search(q.question) and len(q.seen) >= 2:
        # 'compare them', 'compare the two': the last two councils the conversation named
        return replace(q, kind="compare", providers=q.seen[-2:], send=state.send or q.send,
                       area=q.area if q.area_named else state.area, from_history=True)
    if q.providers:
        if state.kind in ("list", "transition") and state.year and _ONE_OF_THEM.search(q.question) \
                and not (q.year or q.latest or q.since or q.until or q.before):
            return replace(q, year=state.year, from_history=True)  # 'who led the north east lincolnshire one?'
        if _COMPARE_THAT.search(q.question) and state.providers and len(q.providers) == 1:
            providers = tuple(dict.fromkeys(state.providers + q.providers))
            return replace(q, kind="compare", providers=providers, send=state.send or q.send,
                           area=q.area if q.area_named else state.area, from_history=True)
        if not q.explicit and not q.facility:  # 'and stockton?': the same question of another council
            return bare_overview(replace(q, kind=state.kind if state.kind != "list" else "grade",
                           area=state.area if not q.area_named else q.area,
                           area_named=state.area_named or q.area_named, year=q.year or (None if q.latest else state.year),
                           topic=_not_named(state.topic, q.providers),
                           send=q.send or (state.send and not CHILDRENS_SERVICES.search(q.question)),
                           evaluative=state.evaluative, shapes=q.shapes | (state.shapes & {"send_report"}),
                           published=None, from_history=True))
        return q
    if q.unknown_provider or q.facility or (state.facility and state.facility not in state.providers) or not state.providers:
        return q  # a facility not held is not its council: nothing carries over (a school held is its own provider)
    kind = q.kind if q.explicit else state.kind
    if not q.explicit and state.kind in ("dates", "inspector", "next", "published") and q.answer_type == "grade" \
            and re.match(r"\W*(?:and\s+)?(?:what|how)\s+(?:were|was|is|are|did|do|does|grade|rating)\b", q.question, re.I):
        kind = q.kind  # 'when was that?' -> 'and what were they in 2019?': a grade asked, not a date
    elif not q.explicit and state.kind == "dates" and q.year and not q.topical:
        kind = "grade"  # '... rating' -> 'when was that?' -> 'and in 2017?': its grade, whose sentence gives its dates
    if kind in ("timeline", "compare") and not q.explicit:
        kind = state.kind
    if state.kind == "inspector" and re.match(r"\W*(?:(?:ok|okay|right|and|so|then)\W+)*who\b(?! else)", q.question, re.I):
        kind = "inspector"  # 'who led X's 2023 inspection?' -> 'ok and who did it back in 2019?'

    new = replace(q, kind=kind, providers=state.providers, from_history=True,
                  send=q.send or (state.send and not CHILDRENS_SERVICES.search(q.question)),
                  area=q.area if q.area_named else (state.area if kind in ("grade", "assess") else q.area),
                  area_named=q.area_named or (state.area_named and kind in ("grade", "assess")),
                  topic=q.topic or (state.topic if not q.explicit else ""), deictic=False,
                  evaluative=q.evaluative or state.evaluative)
    new = bare_overview(new)  # 'what did they say about it?': the verdict and summary
    switched = (state.send and CHILDRENS_SERVICES.search(q.question)) or (q.send and not state.send)
    if switched and not q.explicit and not q.topical and state.evaluative:
        # 'is X's SEND partnership doing ok? -> what about their children's services?': the same
        # question of the other service, not the first one's words ('partnership') as a topic
        new = replace(new, kind="assess", topic="", topical=False, area="judgement_overall", area_named=False)
    if q.year or q.published or q.since or q.until or q.by_grade:  # 'the one that rated them inadequate'
        if q.year and q.before and re.search(r",\s*(?:in|from|of|back in)?\s*(?:19|20)\d\d\W*$", q.question, re.I):
            return replace(new, before=0)  # 'the one before that, in 2023': the year names it
        return new
    if state.kind == "timeline" and state.grade and not q.grade and not q.latest and not q.before \
            and _ONE_OF_THEM.search(q.question):  # 'has X ever been inadequate?' -> 'when was that inspection?'
        return replace(new, grade=state.grade, by_grade=True)
    if q.latest:
        return replace(new, year=None, latest=True)
    if q.before:  # 'the time before that', 'and the next one?': the same question of another report
        carry = {} if q.explicit else dict(topic=state.topic, search=state.search, overview=state.overview,
                                           topical=state.topical)
        return replace(new, anchor=state.anchor, before=q.before, year=None, **carry)
    if new.send != state.send:  # 'what about their send inspection?': another kind of report
        return replace(new, year=None)
    return replace(new, anchor=state.anchor, year=state.year, published=state.published)


def understand(question: str, providers: ProviderIndex, history: Sequence = (),
               max_year: int | None = None,
               resolve: Callable[[Query], str] | None = None, model: PlanModel | None = None) -> Query:
    """The question within its conversation. ``resolve(query) -> doc_id`` names the report an
    earlier turn was about, so 'the time before that' can step back from it."""
    state = None
    for prev in history_questions(history)[-6:]:
        prev = prev[:MAX_TURN]  # a client may send anything as history; questions are short
        state = follow(parse(prev, providers, max_year, model), state)
        if resolve is not None and state.providers:
            state = replace(state, anchor=resolve(state) or state.anchor, before=0)
    return follow(parse(question, providers, max_year, model), state)


def history_questions(history: Sequence) -> list[str]:
    """User turns of a history given as [{'role','content'}] or [[user, bot], ...]."""
    out = []
    for turn in history or ():
        if isinstance(turn, Mapping):
            if turn.get("role") == "user" and isinstance(turn.get("content"), str):
                out.append(turn["content"])
        elif isinstance(turn, (list, tuple)) and turn and isinstance(turn[0], str):
            out.append(turn[0])
    return out


