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
ALSO_JUDGED = re.compile(rf"\b(?:but|and|yet|while|though|with)\s+(?:only\s+|still\s+|just\s+)?(?:(?:was\s+|were\s+|being\s+)?"
                         rf"(?:rated|judged|got|get|gets|getting|received|given|scored|achieved|managed)\s+)?{_RATING}"
                         rf"\s+(?:for|on|in)\s+([a-z' ]{{3,40}})", re.I)


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
    found = [(m.group(2), m.group(1), "") for m in [ALSO_JUDGED.search(q)] if m] or \
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
            if name != "judgement_previous_overall" and (name != "judgement_overall" or negated.strip() in ("above", "below")):
                g = g.lower()
                return name, negated + ("requires improvement to be good" if g.startswith("require") or g == "ri" else g)
    return None


def also_at(q: str) -> int:
    """Where a list's second condition starts: what is before it is the first ('outstanding for care
    leavers but ...')."""
    found = [m.start() for p in (ALSO_JUDGED, _JUDGED_AFTER, _NOT_JUDGED, _BOUNDED, ANY_JUDGED) for m in [p.search(q)] if m]
    return min(found) if found else len(q)


# reports that give no overall grade ('which councils ended up with no overall grade?'): the 2026 framework's
NO_GRADE = re.compile(r"\b(no|without( an?)?|not (given|awarded) an?|didn'?t (get|receive) an?|never (got|given) an?)\s+"
                      r"(single\s+)?(overall\s+)?(effectiveness\s+)?(grade|rating|judge?ment)\b", re.I)
