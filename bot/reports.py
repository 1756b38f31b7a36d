"""Which report a question is about, and the caller's filters over reports."""

from __future__ import annotations

import re
from dataclasses import replace

from bot import factual
from bot.factual import when_key
from bot.understand import Query
from bot.vocabulary import FILLER, GRADE_WORDS
from index.types import Document


def pick(q: Query, theirs: list[Document], name: str) -> tuple[Document | None, str]:
    """The report a question is about: by year (of the visits or of publication), the
    one before the report under discussion, or the latest."""
    if not theirs:
        return None, f"I have no reports for {name}."
    send = [d for d in theirs if d.facts.get("report_type") == "area_send"]
    other = [d for d in theirs if d.facts.get("report_type") != "area_send"]
    pool = sorted((send if q.send and send else other or send), key=when_key)
    if q.anchor and any(d.doc_id == q.anchor for d in theirs):
        anchor = next(d for d in theirs if d.doc_id == q.anchor)
        same = [d for d in theirs if (d.facts.get("report_type") == "area_send") ==
                (anchor.facts.get("report_type") == "area_send")]
        same.sort(key=when_key)
        i = same.index(anchor) - q.before
        if i < 0:
            return anchor if q.kind == "content" else None, f"I hold no earlier report for {name} than {factual.describe(anchor)}."
        if i >= len(same):
            return None, f"I hold no later report for {name} than {factual.describe(anchor)}."
        return same[i], ""
    if q.before and not q.anchor:
        base, note = pick(replace(q, before=0), theirs, name)
        i = pool.index(base) - q.before if base in pool else -1
        if 0 <= i < len(pool):
            return pool[i], ""
        return None, note or f"I hold no {'earlier' if q.before > 0 else 'later'} report for {name}."
    if q.earliest and not q.year and not q.published:
        return pool[0], ""
    if (q.since or q.until) and not q.year:  # 'what did X get before 2019?': the latest report in those years
        pool = [d for d in pool if (not q.since or int(d.facts.get("year") or 0) >= q.since)
                and (not q.until or int(d.facts.get("year") or 0) <= q.until)] or pool
    if q.why and q.grade_from and not q.year and not q.published:  # 'why did we drop from good?': the report
        after = [b for a, b in zip(pool, pool[1:]) if str(a.facts.get("judgement_overall", "")).lower() == q.grade_from
                 and str(b.facts.get("judgement_overall", "")).lower() not in ("", q.grade_from)]
        if after:  # that came after the last change from it
            return after[-1], ""
    if (q.why or q.by_grade) and q.grade and not q.year and not q.published and q.grade != q.grade_from:
        # 'why did X get RI?', 'who led the inspection that rated them inadequate?'
        graded = [d for d in pool if str(d.facts.get(q.area if q.area_named else "judgement_overall", "")).lower()
                  == q.grade]
        if graded:
            return graded[-1], ""
    if q.published:
        y, m = q.published
        hit = [d for d in pool if str(d.facts.get("published", "")).startswith(f"{y}-{m:02d}" if m else str(y))]
        if hit:
            return hit[-1], ""
    if q.year:
        for match in (lambda d: d.facts.get("year") == q.year,
                      lambda d: str(d.facts.get("inspection_start", ""))[:4] == str(q.year),
                      lambda d: str(d.facts.get("published", ""))[:4] == str(q.year)):
            same = [d for d in pool if match(d)]
            if same:
                return same[-1], ""
        years = ", ".join(sorted({str(d.facts.get("year")) for d in pool if d.facts.get("year")}))
        kind = "area SEND" if pool and pool[0].facts.get("report_type") == "area_send" else "inspection"
        return None, f"I have no {q.year} {kind} report for {name}; I have reports from {years}."
    return pool[-1], ""


def latest_each(docs: list[Document], provider_of) -> list[Document]:
    """Each provider's latest report of ``docs`` (``provider_of(doc)`` names its provider)."""
    latest: dict[str, Document] = {}
    for d in sorted(docs, key=when_key):
        latest[provider_of(d)] = d
    return list(latest.values())


def apply_filters(docs: list[Document], filters: dict) -> list[Document]:
    out = docs
    for key in ("year", "report_type", "inspectorate"):
        if key in filters and filters[key] not in (None, "", []):
            want = {str(v).lower() for v in as_list(filters[key])}
            out = [d for d in out if str(d.facts.get(key, "")).lower() in want]
    return out


def chroma_filters(filters: dict) -> dict:
    out = {}
    for key in ("year", "report_type", "inspectorate", "provider_key"):
        if key in filters and filters[key] not in (None, "", []):
            out[key] = filters[key]
    return out


def as_list(v) -> list:
    return list(v) if isinstance(v, (list, tuple, set)) else [v]


# the kinds of report about a council (a school or a care home has its own)
_COUNCIL_REPORTS = ("ilacs", "children_services_older", "area_send", "other", None)


def facility_held(q: Query, docs: list[Document], provider_of: dict[str, str]) -> bool:
    """Whether the facility a question names is one the index holds: a provider it names has a
    report of that facility's kind (a school report for a named school), or is itself a facility
    with its own report (a school, a care home: 'which academy trust runs it?' is about it)."""
    named = [d for d in docs if provider_of.get(d.doc_id) in q.providers]
    return any(q.facility_type and d.facts.get("report_type") == q.facility_type
               or d.facts.get("report_type") not in _COUNCIL_REPORTS for d in named)


def without_place(q: Query, docs: list[Document]) -> Query:
    """The question without the words of its provider's address: 'is rounds green primary in
    oldbury any good? heard something about special measures' asks about special measures, and
    Oldbury is where the school is, not a topic to look for."""
    place = {w for d in docs for w in re.findall(r"[a-z]+", str(d.facts.get("address", "")).lower()) if len(w) > 3}
    if not (place and q.topic and set(q.topic.lower().split()) & place):
        return q
    return replace(q, topic=" ".join(w for w in q.topic.split() if w.lower() not in place),
                   search=" ".join(w for w in q.search.split() if w.lower() not in place))


# a place at the end of a clause: 'care leavers in Ashcombe?', 'is it safe for kids in Port Ashby,'
_PLACE_AT_END = re.compile(r"\b(?:in|at|for|from|near|around)\s+([A-Za-z][a-z'’-]{3,}(?:\s+[A-Z][a-z'’-]{2,})?)"
                           r"\s*(?:[?.!,;:]|$|\s+(?:council|borough|area|please|now|today|then)\b)")


def unheard_place(question: str, counts) -> str:
    """A place the question asks about that no report so much as mentions ('how are care
    leavers supported in Ashcombe?'), or '': there are no reports for it, rather than a theme
    across every council's. ``counts(words) -> {word: passages holding it}``."""
    for m in _PLACE_AT_END.finditer(question):
        words = m.group(1).replace("’", "'").split()
        if len(words) == 2 and not m.group(1)[0].isupper():
            continue  # 'in laymans terms': two words are a place only written as one
        if any(w.lower() in FILLER or GRADE_WORDS.fullmatch(w) or not w.replace("'", "").replace("-", "").isalpha()
               for w in words):
            continue
        if not counts([words[-1].lower()]).get(words[-1].lower()):  # no passage of any report holds the name
            return m.group(1).title() if m.group(1).islower() else m.group(1)
    return ""


def records_before(q: Query, doc: Document | None) -> bool:
    """The report under discussion records what is asked of the inspection before it (a
    school report gives the previous grade; some reports the previous inspection's dates)."""
    return doc is not None and bool(q.kind in ("grade", "assess") and doc.facts.get("judgement_previous_overall")
                                    or q.kind == "dates" and records_previous_dates(doc))


def records_previous_dates(doc: Document) -> bool:
    """The report gives the previous inspection's dates, or says there was none."""
    return bool(doc.facts.get("previous_inspection_end") or doc.facts.get("previous_inspection"))
