"""Conditions of a question over many reports that the plan's grade and judgement alone don't say:
a second judgement ('good overall but only requires improvement for care leavers'), any
judgement, no overall grade at all, a region set aside. Closed vocabularies read by patterns."""

from __future__ import annotations

import re

from bot.vocabulary import AREAS

# words that set a region aside ('not counting london boroughs', 'outside the north east'), just before it
SETS_ASIDE = re.compile(r"\b(not counting|not including|excluding|except( for)?|apart from|outside( of)?|other than|"
                        r"leaving out|ignoring|aside from|beyond)\s+(the\s+|any\s+)?(councils?\s+in\s+|areas?\s+in\s+)?$", re.I)

# a second judgement condition of a list ('rated good overall but only requires improvement for care
# leavers'): its grade, then the words that name the judgement
_RATING = r"(outstanding|good|inadequate|requires? improvement(?: to be good)?|ri)"
_OR_MORE = r"(?:\s+or\s+(better|above|higher|worse|below|lower))?"  # 'good or better for children in care'
ALSO_JUDGED = re.compile(rf"\b(?:but|and|yet|while|though|with)\s+(?:only\s+|still\s+|just\s+)?(?:(?:was\s+|were\s+|being\s+)?"
                         rf"(?:rated|judged|got|get|gets|getting|received|given|scored|achieved|managed)\s+)?{_RATING}{_OR_MORE}"
                         rf"\s+(?:(?:for|on|in)\s+([a-z' ]{{3,40}})|(overall)\b)", re.I)


# ... or on any judgement ('good overall but at least one judgement only requires improvement')
ANY_JUDGED = re.compile(rf"\b(?:at least one|any|an?|one or more|some)\s+(?:other\s+|separate\s+)?(?:judge?ments?|areas?)"
                        rf"[^?.]{{0,30}}?\b(?:only\s+|still\s+|just\s+)?{_RATING}\b", re.I)


# ... the judgement named first ('inadequate overall even though the impact of leaders only got RI')
_JUDGED_AFTER = re.compile(rf"\b(?:but|yet|while|though|although|whereas|with)\s+(?:the\s+|their\s+|its\s+)?([a-z' ]{{3,40}}?)"
                           rf"\s+(?:only\s+|still\s+|just\s+)?(?:was\s+|were\s+)?(?:rated|judged|got|received|given|scored|"
                           rf"achieved)\s+(?:only\s+|just\s+|an?\s+)?{_RATING}\b", re.I)
# ... or set aside ('which ones did NOT get outstanding for care leavers?'): any grade but that one
_NOT_JUDGED = re.compile(rf"\b(?:did|do|does|were|was|have|has)(?:n['’]?t|\s+not|\s+never)\s+(?:(?:get|got|receive|received|"
                         rf"achieve|achieved|manage|be|been)\s+)?(?:rated\s+|judged\s+|given\s+)?(?:an?\s+)?{_RATING}"
                         rf"\s+(?:for|on|in)\s+([a-z' ]{{3,40}})", re.I)


# ... or bounded ('while the overall effectiveness grade was still better than inadequate'): any grade above it
_BOUNDED = re.compile(rf"\b(?:but|yet|while|though|although|whereas|with)\s+(?:the\s+|their\s+|its\s+)?([a-z' ]{{3,40}}?)"
                      rf"\s+(?:was|were|is|are|stayed|remained)\s+(?:still\s+|only\s+)?(better|higher|above|worse|lower|below)"
                      rf"\s+than\s+(?:an?\s+)?{_RATING}\b", re.I)


def also_judged(q: str) -> tuple[str, str] | None:
    """(judgement, grade) of a list's second condition, where the question sets one; the judgement
    'any' where any of the report's judgements will do; the grade 'not X' where any other will."""
    a = ANY_JUDGED.search(q)
    found = [(m.group(3) or m.group(4), _or_more(m.group(1), m.group(2)), "") for m in [ALSO_JUDGED.search(q)] if m] or \
        [(m.group(1), m.group(2), "") for m in [_JUDGED_AFTER.search(q)] if m] or \
        [(m.group(2), m.group(1), "not ") for m in [_NOT_JUDGED.search(q)] if m] or \
        [(m.group(1), m.group(3), "above " if m.group(2).lower() in ("better", "higher", "above") else "below ")
         for m in [_BOUNDED.search(q)] if m]
    if a and not found:
        g = a.group(1).lower()
        return "any", "requires improvement to be good" if g.startswith("require") or g == "ri" else g
    for words, g, negated in found:
        named = [n for n, pat in AREAS if pat.search(words)] or (["judgement_overall"] if "overall" in words.lower() else [])
        for name in named:  # (the overall grade itself only as a bound: 'while overall was better than X')
            if name != "judgement_previous_overall" and (name != "judgement_overall" or negated.strip() in ("above", "below")
                                                         or words.lower() == "overall"):  # '... but only good overall'
                g = g.lower()
                return name, negated + ("requires improvement to be good" if g.startswith("require") or g == "ri" else g)
    return None


def _or_more(grade: str, way: str | None) -> str:
    """'good' as it is; 'good or better' as 'above requires improvement', 'RI or worse' as 'below good'."""
    if not way:
        return grade
    order = ["inadequate", "requires improvement to be good", "good", "outstanding"]
    g = grade.lower()
    i = order.index("requires improvement to be good" if g.startswith("require") or g == "ri" else g)
    up = way.lower() in ("better", "above", "higher")
    return f"above {order[i - 1]}" if up and i else f"below {order[i + 1]}" if not up and i < 3 else g


def grade_words(bound: str) -> str:
    """A list condition's grade as a user says it: 'above requires improvement to be good' as 'good or better'."""
    word, _, g = bound.partition(" ")
    order = ["inadequate", "requires improvement to be good", "good", "outstanding"]
    if word in ("above", "below") and g in order and 0 < order.index(g) + (1 if word == "above" else -1) < 4:
        return f"{order[order.index(g) + 1]} or better" if word == "above" else f"{order[order.index(g) - 1]} or worse"
    return bound


def also_at(q: str) -> int:
    """Where a list's second condition starts: what is before it is the first ('outstanding for care
    leavers but ...')."""
    found = [m.start() for p in (ALSO_JUDGED, _JUDGED_AFTER, _NOT_JUDGED, _BOUNDED, ANY_JUDGED) for m in [p.search(q)] if m]
    return min(found) if found else len(q)


# reports that give no overall grade ('which councils ended up with no overall grade?'): the 2026 framework's
NO_GRADE = re.compile(r"\b(no|without( an?)?|not (given|awarded) an?|didn'?t (get|receive) an?|never (got|given) an?)\s+"
                      r"(single\s+)?(overall\s+)?(effectiveness\s+)?(grade|rating|judge?ment)\b", re.I)


# two judgements of one report set against each other ('a better grade for care leavers than for
# children in care', 'help and protection got a higher grade than the overall effectiveness grade')
_MORE = re.compile(r"\b(better|higher|stronger|above|worse|lower|weaker|below)\b", re.I)
_OVERALL = re.compile(r"\boverall\b(?! (?:for|in|on)\b)", re.I)


def _areas_in(text: str) -> list[tuple[int, str]]:
    found = [(m.start(), n) for n, p in AREAS if n != "judgement_previous_overall" for m in [p.search(text)] if m]
    return sorted(found + [(m.start(), "judgement_overall") for m in [_OVERALL.search(text)] if m])


def judged_against(q: str) -> tuple[str, str] | None:
    """(judgement, 'above X' or 'below X') where a question over many reports sets one judgement
    against another of the same report, X the other judgement's name."""
    for than in re.finditer(r"\bthan\b", q, re.I):
        before, after = q[max(0, than.start() - 100):than.start()], q[than.end():than.end() + 70]
        way = list(_MORE.finditer(before))
        if not way or re.match(rf"\s+(?:an?\s+)?{_RATING}\b", after, re.I):
            continue  # 'better than inadequate' is a bound, not another judgement
        mine, theirs = _areas_in(before), _areas_in(re.split(r"[?.;]", after)[0])
        if mine and theirs and mine[-1][1] != theirs[0][1]:
            up = way[-1].group(1).lower() in ("better", "higher", "stronger", "above")
            return mine[-1][1], f"{'above' if up else 'below'} {theirs[0][1]}"
    return None


def bound_words(bound: str, labels: dict[str, str]) -> str:
    """'above judgement_overall' as 'better than for overall effectiveness'; 'above good' as it is."""
    word, _, g = bound.partition(" ")
    if g not in labels:
        return bound
    return f"{'better' if word == 'above' else 'worse'} than for {labels[g]}"


# a SEND outcome set aside: 'did NOT end up with the middle "inconsistent experiences" outcome', 'weren't found positive'
_NOT_OUTCOME = re.compile(r"(?:\b(?:not|never|other than|anything but|except)|n['’]t)\b(?:\W+\w+){0,6}?\W*$", re.I)


def outcomes_set_aside(before: str, outcome: str) -> tuple[str, ...]:
    """The other area SEND outcomes where the words ``before`` the one named set it aside; () otherwise."""
    if not _NOT_OUTCOME.search(before):
        return ()
    return tuple(g for g in ("positive", "inconsistent", "systemic failings") if g != outcome)


# a region's councils named as examples, then asked of: 'north east councils (durham, ...): which of them ...'
OF_THEM = re.compile(r"\b(which|how many|any|all|each|none) of (them|those|these|the above)\b", re.I)


# the closed vocabulary of a count ranked over councils
MOST_TIMES = re.compile(r"\b(?:the )?(most|fewest|least)(?: number of)? (?:inspections|times|visits|ofsted inspections)\b|"
                        r"\b(?:inspected|visited)(?: the)? (most|least)(?: often| times)?\b|"
                        r"\b(most|least)[- ](?:inspected|visited)\b|"
                        r"\b(?:judged|rated|graded|inspected|given|got|received)\b[^?]{0,40}?\b(most|least) (?:often|frequently)\b",
                        re.I)
_WHICH = re.compile(r"\b(?:which|what|who|any)\b[^?]{0,40}?\b(?:councils?|local authorit(?:y|ies)|authorit(?:y|ies)|las?|"
                    r"areas?|boroughs?|one|has|had|got|gets|was|were)\b|^\W*who\b", re.I)


def ranked_asked(q: str) -> str:
    """'most' or 'fewest' where ``q`` asks which councils were inspected, or judged a grade, the most
    (or fewest) times; '' otherwise."""
    m = MOST_TIMES.search(q)
    if not m or not _WHICH.search(q):
        return ""
    return "fewest" if next(g for g in m.groups() if g).lower() in ("fewest", "least") else "most"
