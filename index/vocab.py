"""Vocabulary shared by ingest (which writes facts) and bot (which reads them): how provider
names are keyed, what each judgement is called, how dates are written for people."""

from __future__ import annotations

import re
from datetime import date

JUDGEMENT_LABELS = {
    "judgement_overall": "overall effectiveness",
    "judgement_leaders": "the impact of leaders",
    "judgement_help_protection": "children who need help and protection",
    "judgement_children_in_care": "children in care",
    "judgement_care_leavers": "care leavers",
    "judgement_adoption": "adoption performance",
    "judgement_teaching": "quality of teaching, learning and assessment",
    "judgement_personal_development": "personal development, behaviour and welfare",
    "judgement_outcomes": "outcomes for pupils",
    "judgement_early_years": "early years provision",
    "judgement_sixth_form": "16 to 19 study programmes",
    "judgement_previous_overall": "overall effectiveness at the previous inspection",
    "judgement_quality_of_education": "the quality of education",
    "judgement_behaviour": "behaviour and attitudes",
    "judgement_safe": "safety", "judgement_effective": "effectiveness",
    "judgement_caring": "caring", "judgement_responsive": "responsiveness",
    "judgement_well_led": "leadership (well-led)",
    "send_outcome": "the area SEND outcome",
}

_STOP = re.compile(r"\b(?:(?:royal |london |metropolitan )?borough of|city and county of|city of|county of|"
                   r"council|county council|borough|metropolitan|district|the|local area partnership|"
                   r"city|county(?= council))\b")


def provider_key(name: str) -> str:
    """A spelling-insensitive key: 'Bournemouth, Christchurch & Poole Council' and
    'bournemouth christchurch and poole' give the same key."""
    s = name.lower().replace("&", " and ").replace("’", "'")
    s = re.sub(r"[^a-z0-9' ]+", " ", s).replace("'", "")
    s = _STOP.sub(" ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"^(?:of|and) |\s(?:of|and)$", "", s).strip()


def human_date(iso: str | None) -> str:
    """'2018-10-12' -> '12 October 2018'; empty for no date."""
    if not iso:
        return ""
    d = date.fromisoformat(str(iso))
    return f"{d.day} {d:%B %Y}"


# regions a question can name ('which london boroughs are outstanding?'): a closed list of the
# councils in each, by provider key
_LONDON = """barking and dagenham, barnet, bexley, brent, bromley, camden, city of london, croydon, ealing, enfield,
greenwich, hackney, hammersmith and fulham, haringey, harrow, havering, hillingdon, hounslow, islington,
kensington and chelsea, kingston upon thames, lambeth, lewisham, merton, newham, redbridge,
richmond upon thames, southwark, sutton, tower hamlets, waltham forest, wandsworth, westminster"""
REGIONS = {"London": frozenset(provider_key(n.strip()) for n in _LONDON.replace("\n", " ").split(","))}
