"""Reading a question: which provider, which year, latest or not, what is asked, follow-ups.

Providers are matched against the names the index actually holds, in any usual spelling
(case, punctuation, '&' or 'and', with or without 'Council' / 'City of', initials such as
'BCP'). A name that looks like a provider but is not in the index is reported, so the bot can
say so instead of answering about another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from index.vocab import provider_key

_LATEST = re.compile(r"\b(latest|most recent(ly)?|last|current(ly)?|now|newest|these days|today)\b", re.I)
_PERSONAL = re.compile(r"\b(home address(es)?|address(es)? of|phone number|mobile number|e-?mail address|"
                       r"date of birth|where does \w+ live|personal (details|information|data)|"
                       r"names? of (the )?(children|foster carers|families)|favourite|salary|married|"
                       r"religio\w*|(support|supports)\b[^?]*\b(football|team|club)|football club[^?]*\bsupport)\b", re.I)
_FUTURE = re.compile(r"\b(will|going to|predict|forecast)\b[^?]*\b(rate|rated|find|get|be|judge|grade)\b", re.I)
# Requests aimed at the bot itself rather than at the reports: reveal its instructions, drop or
# change its rules, answer without sources, play another role. Refused whatever follows.
_RULES = re.compile(
    r"\b((ignore|disregard|forget|override|bypass)\s+((all|any|the|your|my|these|those|previous|prior|"
    r"above|earlier|following)\s+)*(instructions?|rules|prompts?|guidelines|directions)|"
    r"(ignore|disregard|forget)\s+(everything|all)\s+(above|before|else)|"
    r"(system|initial|hidden|original|developer) (prompt|instructions|message)|"
    r"your (prompt|instructions|rules|guidelines|configuration|programming)|"
    r"without (any |giving |citing )?(sources?|citations?|references?|quotes?|evidence)|"
    r"(don'?t|do not|never|stop) (cite|citing|quote|quoting|use (the )?(sources?|reports?))|"
    r"make (it|something|an answer|things) up|jailbreak|developer mode|pretend (to be|you are)|"
    r"you are now\b|from now on,? you)", re.I)
_TIMELINE = re.compile(r"\b(changed?|over time|history|trend|over the years|each inspection|"
                       r"all (the )?inspections|since \d{4}|progress(ed)? since|previous inspections)\b", re.I)
_LIST = re.compile(r"\b(which|what|list( the)?|name the|how many) (other )?(councils|local authorities|"
                   r"authorities|areas|places|providers|schools)\b", re.I)
_INSPECTOR = re.compile(r"\b(lead inspector|inspector|hmi|who led)\b", re.I)
_DATES = re.compile(r"\b(when (did|was|were)\b[^?]*\b(inspect|visit|inspection)|inspection dates?|"
                    r"dates? of (the )?inspection|when did (ofsted|inspectors))", re.I)
_IMPROVE = re.compile(r"\b(improve|improvements?|weakness(es)?|work on|areas? for|recommendations?|"
                      r"do better|needs? to change|priority actions?|shortcomings|fix)\b", re.I)
_GRADE = re.compile(r"\b(grades?|graded|rate|rated|rating|ratings|judged|judgements?|effectiveness|any good|"
                    r"how (good|well)|how did\b[^?]*\bdo|how was\b[^?]*\bdoing|outstanding|inadequate|"
                    r"requires improvement|verdict|score)\b", re.I)
_SEND = re.compile(r"\bSEND\b|special educational needs|disabilit", re.I)
_SEND_STRICT = re.compile(r"\bSEND\b|special educational needs|disabilit")
_SEND_OUTCOME = re.compile(r"\b(conclude|conclusion|find|found|outcome|result|how well|how good|any good|"
                           r"rated|judged?|work for|doing)\b", re.I)
AREAS = [
    ("judgement_safe", re.compile(r"\b(is|are)\b[^?]*\bsafe\b", re.I)),
    ("judgement_well_led", re.compile(r"\bwell[- ]led\b", re.I)),
    ("judgement_caring", re.compile(r"\b(is|are)\b[^?]*\bcaring\b", re.I)),
    ("judgement_responsive", re.compile(r"\b(is|are)\b[^?]*\bresponsive\b", re.I)),
    ("judgement_previous_overall", re.compile(r"\b(previous inspection|inspection before|before that|last time)\b", re.I)),
    ("judgement_care_leavers", re.compile(r"\bcare[- ]leavers?\b", re.I)),
    ("judgement_adoption", re.compile(r"\badoption\b", re.I)),
    ("judgement_children_in_care", re.compile(r"\b(children in care|looked[- ]after|in care\b|permanence)", re.I)),
    ("judgement_help_protection", re.compile(r"\b(help and protection|need help|protection|protecting)\b", re.I)),
    ("judgement_leaders", re.compile(r"\b(leaders|leadership|management|managers)\b", re.I)),
    ("judgement_teaching", re.compile(r"\bteaching\b", re.I)),
    ("judgement_outcomes", re.compile(r"\boutcomes for pupils\b", re.I)),
    ("judgement_early_years", re.compile(r"\bearly years\b", re.I)),
    ("judgement_personal_development", re.compile(r"\b(personal development|behaviour)\b", re.I)),
]
# a capitalised name followed by a provider word: 'Atlantis County Council', 'Hogwarts School'
_NAMED = re.compile(r"\b((?:[A-Z][\w’'-]+\s+){1,4}?)(County Council|City Council|Borough Council|Council|"
                    r"County|School|Academy|College|Primary|City)\b")
OTHER_INSPECTORATES = re.compile(
    r"\b(Estyn|Care Inspectorate|Education Scotland|HIQA|RQIA|Education and Training Inspectorate|"
    r"Care Inspectorate Wales|CIW|HM Inspectorate of Prisons|HMI Prisons|HMICFRS|HM Inspectorate of Probation)\b")


@dataclass(frozen=True)
class Query:
    question: str
    providers: tuple[str, ...] = ()
    unknown_provider: str = ""
    year: int | None = None
    since: int | None = None
    latest: bool = False
    topic: str = "general"  # grade, inspector, dates, improve, timeline, list, general
    area: str = "judgement_overall"
    area_named: bool = False
    send: bool = False
    refuse: str = ""  # rules, personal, future, other_inspectorate
    from_history: bool = False
    grade: str = ""
    news: bool = False  # asks about news / press releases rather than the reports


@dataclass
class ProviderIndex:
    """Every spelling of every indexed provider, mapped to one key per provider.

    Reports of one provider are grouped by URN as well as by name, so 'Metropolitan Borough of
    Barnsley Council' (2014) and 'Barnsley' (2023) are one council.
    """

    names: dict[str, str] = field(default_factory=dict)  # key -> display name
    spellings: dict[str, str] = field(default_factory=dict)  # spelling -> key
    by_doc: dict[str, str] = field(default_factory=dict)  # doc_id -> key

    @classmethod
    def build(cls, docs: Iterable) -> "ProviderIndex":
        """``docs``: Documents, or plain facts mappings (then keyed by position)."""
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        rows = []
        for i, d in enumerate(docs):
            facts = d.facts if hasattr(d, "facts") else d
            doc_id = getattr(d, "doc_id", str(i))
            key = facts.get("provider_key")
            if not key:
                continue
            tokens = [f"key:{key}"]
            if facts.get("provider_alias"):
                tokens.append(f"key:{facts['provider_alias']}")
            if facts.get("urn"):
                tokens.append(f"urn:{facts['urn']}")
            for t in tokens[1:]:
                parent[find(t)] = find(tokens[0])
            rows.append((doc_id, facts, tokens[0]))
        groups: dict[str, list] = {}
        for doc_id, facts, token in rows:
            groups.setdefault(find(token), []).append((doc_id, facts))
        pi = cls()
        for members in groups.values():
            names = sorted({str(f.get("provider") or f["provider_key"]) for _, f in members},
                           key=lambda n: (len(n), n))
            canonical = provider_key(names[0]) or members[0][1]["provider_key"]
            pi.names[canonical] = names[0]
            for doc_id, f in members:
                pi.by_doc[doc_id] = canonical
                for spelling in {f["provider_key"], str(f.get("provider_alias") or f["provider_key"]),
                                 provider_key(str(f.get("provider", "")))}:
                    for variant in _variants(spelling):
                        pi.spellings.setdefault(variant, canonical)
        return pi

    def find(self, text: str) -> list[str]:
        norm = f" {normalise(text)} "
        found: list[tuple[int, int, str]] = []
        for spelling, key in self.spellings.items():
            i = norm.find(f" {spelling} ")
            if i >= 0:
                found.append((i, i + len(spelling), key))
        found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
        keep: list[tuple[int, int, str]] = []
        for s, e, key in found:  # drop matches inside a longer one ('northamptonshire')
            if any(s >= ks and e <= ke for ks, ke, _ in keep):
                continue
            keep = [k for k in keep if not (k[0] >= s and k[1] <= e)]
            keep.append((s, e, key))
        return list(dict.fromkeys(k for _, _, k in sorted(keep)))


_INJECTION = re.compile(r"\b(reply only with|respond only with|developer mode|(you|assistant|ai|model|chatbot)"
                        r" (must|should|will) now|as an ai|language model)\b", re.I)


def looks_like_instructions(text: str) -> bool:
    """Text addressed to a chatbot rather than written about a service: an injection attempt
    when it turns up inside a report, a rule-changing request when it is a question."""
    return bool(_RULES.search(text) or _INJECTION.search(text))


def normalise(text: str) -> str:
    s = re.sub(r"['’]s\b", "", text)
    return provider_key(s)


def _variants(key: str) -> set[str]:
    out = {key}
    words = key.split()
    stripped = " ".join(w for w in words if w not in ("county", "city", "of", "upon"))
    if len(stripped) > 3:  # 'county durham' -> 'durham'
        out.add(" ".join(w for w in words if w not in ("county", "city")))
    initials = "".join(w[0] for w in words if w not in ("and", "of", "upon", "the"))
    if len(initials) >= 3 and len(words) >= 3:
        out.add(initials)
    return {v for v in out if v}


def _history_questions(history: Sequence) -> list[str]:
    """User turns of a history given as [{'role','content'}] or [[user, bot], ...]."""
    out = []
    for turn in history or ():
        if isinstance(turn, Mapping):
            if turn.get("role") == "user" and isinstance(turn.get("content"), str):
                out.append(turn["content"])
        elif isinstance(turn, (list, tuple)) and turn and isinstance(turn[0], str):
            out.append(turn[0])
    return out


def understand(question: str, providers: ProviderIndex, history: Sequence = (),
               max_year: int | None = None) -> Query:
    q = question.strip()
    found = providers.find(q)
    years = [int(y) for y in re.findall(r"\b(20\d{2}|19\d{2})\b", q)]
    since = None
    m = re.search(r"\bsince (\d{4})\b", q)
    if m:
        since = int(m.group(1))
    year = None if since else (years[0] if years else None)
    refuse = ""
    if _RULES.search(q):
        refuse = "rules"
    elif _PERSONAL.search(q):
        refuse = "personal"
    elif _FUTURE.search(q) or (year and max_year and year > max_year):
        refuse = "future"
    elif OTHER_INSPECTORATES.search(q):
        refuse = "other_inspectorate"
    unknown = ""
    if not found:
        for nm in _NAMED.finditer(q):
            name = (nm.group(1) + nm.group(2)).strip()
            if not re.match(r"^(What|Which|How|Is|Are|Did|Does|The|My|Our|Who|When|Where|Ofsted|"
                            r"Children|Local|This|That|A|An)\b", name):
                unknown = name
                break
    from_history = False
    if not found and history:
        for prev in reversed(_history_questions(history)):
            found = providers.find(prev)
            if found:
                from_history = True
                if year is None and not _LATEST.search(q):
                    ys = re.findall(r"\b(20\d{2})\b", prev)
                    year = int(ys[0]) if ys else None
                unknown = ""
                break
    area, named = "judgement_overall", False
    for name, pat in AREAS:
        if pat.search(q):
            area, named = name, True
            break
    if re.match(r"\s*(where is|where's|what is the address of)\b", q, re.I) and found:
        topic = "where"
    elif re.search(r"\bwhen (was|were|did)\b[^?]*\b(published|released|announced|come out)\b", q, re.I):
        topic = "published"
    elif re.search(r"\b(next|future|another|re-?inspect\w*|monitoring) (full )?(area SEND |SEND )?(inspection|visit)|"
                   r"when will\b[^?]*\b(inspect\w*|visit\w*)\b", q, re.I) and found:
        topic = "next"
    elif _TIMELINE.search(q) and found:
        topic = "timeline"
    elif _LIST.search(q) and not found:
        topic = "list"
    elif _INSPECTOR.search(q) and not re.search(r"\bwhich inspectorate|who carried out\b", q, re.I):
        topic = "inspector"
    elif _DATES.search(q):
        topic = "dates"
    elif _IMPROVE.search(q) and not re.search(r"requires improvement", q, re.I):
        topic = "improve"
    elif _GRADE.search(q) or (named and re.search(r"\bhow\b|^(is|are)\b|\bconclu|\bverdict\b", q, re.I)):
        topic = "grade"
    else:
        topic = "general"
    if from_history and topic == "general" and named:
        topic = "grade"  # 'what about care leavers?' after a question about a council
    grade = ""
    gm = re.search(r"\b(outstanding|good|inadequate|requires improvement)\b", q, re.I)
    if gm:
        grade = gm.group(1).lower()
        grade = "requires improvement to be good" if grade.startswith("requires") else grade
    return Query(question=q, providers=tuple(found), unknown_provider=unknown, year=year,
                 since=since, latest=bool(_LATEST.search(q)), topic=topic, area=area,
                 area_named=named, send=bool(_SEND_STRICT.search(q)), refuse=refuse,
                 from_history=from_history, grade=grade,
                 news=bool(re.search(r"\b(news|press release|press|announce\w*|statement)\b", q, re.I)))


def wants_send_outcome(q: Query) -> bool:
    return bool(_SEND_OUTCOME.search(q.question)) and q.topic in ("grade", "general")
