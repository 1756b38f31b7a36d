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


def also_judged(q: str) -> tuple[str, str] | None:
    """(judgement, grade) of a list's second condition, where the question sets one; the judgement
    'any' where any of the report's judgements will do."""
    m = ALSO_JUDGED.search(q)
    a = ANY_JUDGED.search(q) if not m else None
    if a:
        g = a.group(1).lower()
        return "any", "requires improvement to be good" if g.startswith("require") or g == "ri" else g
    if not m:
        return None
    for name, pat in AREAS:
        if pat.search(m.group(2)) and name not in ("judgement_previous_overall", "judgement_overall"):
            g = m.group(1).lower()
            return name, "requires improvement to be good" if g.startswith("require") or g == "ri" else g
    return None


# reports that give no overall grade ('which councils ended up with no overall grade?'): the 2026 framework's
NO_GRADE = re.compile(r"\b(no|without( an?)?|not (given|awarded) an?|didn'?t (get|receive) an?|never (got|given) an?)\s+"
                      r"(single\s+)?(overall\s+)?(effectiveness\s+)?(grade|rating|judge?ment)\b", re.I)
