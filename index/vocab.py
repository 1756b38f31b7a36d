"""Vocabulary shared by ingest (which writes facts) and bot (which reads them): how provider
names are keyed, what each judgement is called, how dates are written for people."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

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


@lru_cache(maxsize=4096)
def shown_name(provider: str, folder: str) -> str:
    """``display_name`` of one report's provider name, kept: lists show hundreds."""
    return display_name([provider], folder)


def display_name(names: list[str], folder: str) -> str:
    """The name a provider is shown by: its folder's name ('kingston upon hull'), spelt as its
    reports spell it once the council words are off ('Southend-on-Sea Borough Council' shows as
    'Southend-on-Sea'); the report's shorter 'Hull' is a short form, not the name, but a name of the
    reports' own ('City of London', where the folder says 'london corporation') is theirs."""
    cores = [re.sub(r"(?<=[\s-])(Of|Upon|And|On|With|The|In|Under|Le)\b", lambda m: m[1].lower(),
                    re.sub(r"\s+", " ", _CORE_STOP.sub(" ", n)).strip(" ,")) for n in names]
    spelt = [c for c in cores if provider_key(c) == folder]
    other = [c for c in cores if {w for w in re.findall(r"[a-z]+", c.lower()) if w not in _SMALL} - set(folder.split())]
    if not spelt and other:  # the reports call it by a name of their own ('City of London'), not a short form
        return min(other, key=len)
    titled = " ".join(w if w in _SMALL else w[:1].upper() + w[1:] for w in folder.split())
    return min(spelt + [titled], key=lambda n: (len(n), -len(re.findall(r"[^\w\s]", n)), n != titled))


_SMALL = {"of", "upon", "and", "on", "with", "the", "in", "under", "le"}
_CORE_STOP = re.compile(r"\b(?:(?:the )?(?:royal |london |metropolitan )?borough of|city and county of|"
                        r"council|unitary authority|metropolitan|borough|district|city(?! of)|county(?= council))\b", re.I)


def human_date(iso: str | None) -> str:
    """'2018-10-12' -> '12 October 2018'; empty for no date."""
    if not iso:
        return ""
    d = date.fromisoformat(str(iso))
    return f"{d.day} {d:%B %Y}"


# England's nine regions, which a question over many councils can name ('which london boroughs
# are outstanding?', 'councils in the north west'): a closed list of the councils in each, by
# provider key (with the other keys some reports' names give: 'hull', 'east riding')
_REGIONS = {
    "London": """barking and dagenham, barnet, bexley, brent, bromley, camden, city of london, croydon, ealing, enfield,
        greenwich, hackney, hammersmith and fulham, haringey, harrow, havering, hillingdon, hounslow, islington,
        kensington and chelsea, kingston upon thames, lambeth, lewisham, merton, newham, redbridge,
        richmond upon thames, southwark, sutton, tower hamlets, waltham forest, wandsworth, westminster""",
    "North East": """durham, newcastle, darlington, gateshead, hartlepool, middlesbrough, newcastle upon tyne, north tyneside,
        northumberland, redcar and cleveland, south tyneside, stockton-on-tees, sunderland""",
    "North West": """blackburn with darwen, blackpool, bolton, bury, cheshire east, cheshire east unitary authority, cheshire west and chester, cumberland,
        westmorland and furness, cumbria, halton, knowsley, lancashire, liverpool, manchester, oldham, rochdale,
        salford, sefton, st helens, stockport, tameside, trafford, warrington, wigan, wirral""",
    "Yorkshire and the Humber": """barnsley, bradford, calderdale, doncaster, east riding of yorkshire, east riding, kingston upon hull, hull,
        kirklees, leeds, north east lincolnshire, north lincolnshire, north yorkshire, rotherham, sheffield,
        wakefield, york""",
    "East Midlands": """derby, derbyshire, leicester, leicestershire, lincolnshire, north northamptonshire,
        west northamptonshire, northamptonshire, nottingham, nottinghamshire, rutland""",
    "West Midlands": """birmingham, coventry, dudley, herefordshire, sandwell, shropshire, solihull, staffordshire,
        stoke-on-trent, telford and wrekin, walsall, warwickshire, wolverhampton, worcestershire""",
    "East of England": """bedford, central bedfordshire, cambridgeshire, essex, hertfordshire, luton, norfolk,
        peterborough, southend-on-sea, suffolk, thurrock""",
    "South East": """bracknell forest, brighton and hove, buckinghamshire, east sussex, hampshire, isle of wight, kent,
        medway, milton keynes, oxfordshire, portsmouth, reading, slough, southampton, surrey, west berkshire,
        west sussex, windsor and maidenhead, wokingham""",
    "South West": """bath and north east somerset, bournemouth christchurch and poole, bristol, cornwall,
        isles of scilly, devon, dorset, gloucestershire, north somerset, plymouth, somerset,
        south gloucestershire, swindon, torbay, wiltshire""",
    # metropolitan areas people name as readily as regions (each inside one region above)
    "Greater Manchester": """bolton, bury, manchester, oldham, rochdale, salford, stockport, tameside, trafford, wigan""",
    "Merseyside": """knowsley, liverpool, sefton, st helens, wirral""",
    "Tyne and Wear": """gateshead, newcastle, newcastle upon tyne, north tyneside, south tyneside, sunderland""",
    "South Yorkshire": """barnsley, doncaster, rotherham, sheffield""",
    "West Yorkshire": """bradford, calderdale, kirklees, leeds, wakefield""",
    "Black Country": """dudley, sandwell, walsall, wolverhampton""",
}
REGIONS = {name: frozenset(provider_key(n.strip()) for n in names.replace("\n", " ").split(","))
           for name, names in _REGIONS.items()}


def region_containing(key: str) -> str:
    """The region whose councils include the provider ``key`` ('' where none does)."""
    return next((name for name, keys in REGIONS.items() if key in keys), "")


def region_name(region: str) -> str:
    """'London', 'Greater Manchester', 'the North West': a region as a sentence names it."""
    return f"the {region}" if region in _THE_REGIONS else region


_THE_REGIONS = {"North East", "North West", "East Midlands", "West Midlands", "East of England", "South East",
                "South West", "Black Country"}
