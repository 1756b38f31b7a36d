"""Questions about every one of a council's inspections: 'which councils have never been
inadequate?', 'always good?', 'inadequate at some point?', 'outstanding for the first time',
and one council's count of a grade ('how many times was X judged inadequate?')."""

from __future__ import annotations

import re

from bot.changes import BEYOND, ONLY, STEADY, RANK, grade
from bot.vocabulary import asking_sentences
from index.types import Document

_ALWAYS = re.compile(r"\b(always|every (single )?time|each time|(every|each) (single )?inspection|"
                     r"(at |in )?(every|each) (single )?one of (their|its|the) inspections|all (of )?(their|its) inspections|"
                     r"consistently|without fail|each and every)\b", re.I)
_NEVER = re.compile(r"\bnever\b", re.I)
_EVER = re.compile(r"\b(ever|at (some|any) (point|time|stage)|at least once|in the past)\b", re.I)
_FIRST = re.compile(r"\b(for the first time|first time ever|first ever time|never (been|had) \w+ before)\b", re.I)


def over_all(question: str) -> str:
    """'never', 'always', 'ever' or 'first' (the latest inspection, and none before it) where a
    question over many councils asks about every one of
    each council's inspections ('which councils have never been inadequate?'); '' otherwise."""
    asked = asking_sentences(question)
    for text in ([asked[-1]] if asked else []) + [question]:  # the sentence that asks, before its context
        text = STEADY.sub(" ", text)
        if BEYOND.search(text) or ONLY.search(text):
            return "always"  # 'never better than RI': RI or worse every time; 'never anything but good': good every time
        found = "first" if _FIRST.search(text) else "never" if _NEVER.search(text) else \
            "always" if _ALWAYS.search(text) else "ever" if _EVER.search(text) else ""
        if found:
            return found
    return ""


# a grade asked of now: 'is X rated RI?', 'is it still good?', 'are they outstanding at the moment?'
_NOW = re.compile(r"^\W*(?:so |and |but |ok )?(?:is|are)\b(?! it true\b| there\b)|\bstill\b|"
                  r"\b(?:now|currently|at the moment|right now|these days)\b", re.I)


def times_judged(seq: list[Document], grade_asked: str, name: str, yes_no: bool, question: str = "") -> str:
    """'Yes. Bradford was judged inadequate overall at 2 of its 4 graded inspections (2018, 2022).'
    The yes or no answers 'ever' by any, 'always' by all and 'never' by none of them. ``grade_asked``
    may be several, joined by 'or' ('never below good': requires improvement or inadequate)."""
    asked = {RANK.get(g) for g in grade_asked.split(" or ")}
    if yes_no and _NOW.search(question) and not over_all(question) and not re.search(r"\btimes\b|\bhow many\b", question, re.I):
        last = seq[-1]  # 'is X rated requires improvement?', 'is X still RI?': its grade now, not at any time
        return f"{'Yes' if RANK.get(grade(last)) in asked else 'No'}: {name} was judged {grade(last)} overall at its " \
               f"latest graded inspection ({last.facts.get('year')})."
    hits = [d for d in seq if RANK.get(grade(d)) in asked]
    years = ", ".join(str(d.facts.get("year")) for d in hits)
    yes = len(hits) == len(seq) if _ALWAYS.search(question) else not hits if _NEVER.search(STEADY.sub(" ", question)) \
        else bool(hits)
    verdict = ("Yes. " if yes else "No: ") if yes_no else ""
    if not hits:
        return f"{verdict}{name} was not judged {grade_asked} overall at any of its {len(seq)} " \
               f"graded inspection{'s' if len(seq) > 1 else ''} in the reports I hold."
    every = "all" if len(hits) == len(seq) and len(seq) > 1 else f"{len(hits)} of"
    times = {1: "once", 2: "twice"}.get(len(hits), f"{len(hits)} times")
    return f"{verdict}{name} was judged {grade_asked} overall at {every} its {len(seq)} " \
           f"graded inspection{'s' if len(seq) > 1 else ''} in the reports I hold ({times}: {years})."
