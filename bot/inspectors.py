"""The lead inspectors the reports name: a closed vocabulary of people, read from the catalog's
``lead_inspector``, ``joint_lead_inspector`` and ``cqc_lead_inspector`` facts, so a question that names one ('which
councils has Rebecca Quested led?') is a list over the reports that person led, and not a
council the bot should ask about.

A name is matched whole ('Neil Penswick', with or without a middle initial), by a close
spelling of the whole name (rapidfuzz), or by its surname alone where no other inspector has
that surname and the question makes it a person's ('inspector Penswick', 'what has Penswick
led?'): a surname that is also a place or a word ('Scotland', 'Young') is not read alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Sequence

from rapidfuzz import fuzz, process

from bot import changes, factual
from bot.factual import when_key
from bot.types import Answer
from bot.understand import MAX_TURN, Query
from index.types import Document

FIELDS = ("lead_inspector", "joint_lead_inspector", "cqc_lead_inspector")
# words a report prints beside a name that are not the name ('Helen Cawston HMI.', 'Senior HMI')
_ROLE = re.compile(r"\(?\b(?:senior|hmi|his majesty's inspector|her majesty's inspector|regulatory|inspector)\b\)?\.?",
                   re.I)
# a surname alone where the question says it is a person's: 'inspector penswick', 'penswick led'
_SURNAME = re.compile(r"\b(?:inspector|hmi|mr|mrs|ms|miss|dr) (\w+)|\b(\w+)(?: s)? (?:led|lead|leads)\b")
# 'who led the most inspections?', 'which inspector has done the most?': the inspectors ranked
MOST = re.compile(r"\bwho\b.*\b(?:led|lead)\b.*\bmost\b(?! recent)|\bwhich (?:lead )?inspectors?\b.*\bmost\b(?! recent)|"
                  r"\bmost (?:prolific|frequent|active|common)\b.*\binspectors?\b", re.I)


# 'which councils got the same HMI leading twice?': one inspector leading two inspections of one council
TWICE = re.compile(r"\bsame (?:lead )?(?:inspector|hmi|person)\b[^?]{0,60}\b(?:twice|again|back|second|both|more than once)\b|"
                   r"\b(?:twice|again|back|second time|more than once)\b[^?]{0,60}\bsame (?:lead )?(?:inspector|hmi)\b", re.I)


def _plain(text: str) -> str:
    """Lower case, letters only: 'Jenny-ellen Scotland' is 'jenny ellen scotland'."""
    return " ".join(re.sub(r"[^a-z]+", " ", text.lower()).split())


def canonical(name: str) -> str:
    """'Fiona J Millns' and 'Fiona Millns' are one person; 'Karen Wareing (HMI)' is 'Karen Wareing'."""
    words = _ROLE.sub(" ", name).split()
    words = [w for w in words if not re.fullmatch(r"[A-Z]\.?", w)] or words
    return " ".join(words[:1] + words[-1:]) if len(words) > 1 else " ".join(words)


@dataclass(frozen=True)
class InspectorIndex:
    """Each lead inspector's name (as first and last name) and the reports they led, with what
    finds a name in a question worked out once: one pattern of every whole name, the names as
    plain text for close spellings, and the surnames no two inspectors share."""
    led: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name -> doc_ids
    roles: dict[tuple[str, str], str] = field(default_factory=dict)  # (name, doc_id) -> the fact naming them
    whole: re.Pattern | None = None  # any whole name, a middle initial allowed
    plain: dict[str, str] = field(default_factory=dict)  # 'neil penswick' -> 'Neil Penswick'
    surnames: dict[str, str] = field(default_factory=dict)  # 'penswick' -> 'Neil Penswick', where only one

    @classmethod
    def build(cls, docs: list[Document]) -> "InspectorIndex":
        led: dict[str, list[str]] = {}
        roles = {}
        for d in docs:
            for fact in FIELDS:
                if d.facts.get(fact):
                    name = canonical(str(d.facts[fact]))
                    if len(name.split()) == 2:
                        led.setdefault(name, []).append(d.doc_id)
                        roles[(name, d.doc_id)] = fact
        plain = {_plain(n): n for n in led}
        alternatives = [rf"{' '.join(p.split()[:-1])} (?:[a-z] )?{p.split()[-1]}" for p in sorted(plain, key=len, reverse=True)]
        whole = re.compile(rf"\b(?:{'|'.join(alternatives)})\b") if alternatives else None
        by_surname: dict[str, list[str]] = {}
        for p, n in plain.items():
            by_surname.setdefault(p.split()[-1], []).append(n)
        surnames = {w: ns[0] for w, ns in by_surname.items() if len(ns) == 1}
        return cls({k: tuple(v) for k, v in led.items()}, roles, whole, plain, surnames)

    def find(self, text: str) -> str:
        """The inspector ``text`` names, or ''."""
        if not self.led:
            return ""
        plain = _plain(text)
        m = self.whole.search(plain) if self.whole else None
        if m:  # 'fiona j millns' is 'fiona millns'
            return self.plain.get(m.group(0)) or self.plain.get(re.sub(r" [a-z] (?=\S+$)", " ", m.group(0)), "")
        words = plain.split()
        pairs = [" ".join(words[i:i + 2]) for i in range(len(words) - 1)]
        two = [p for p in self.plain if len(p.split()) == 2]
        if pairs and two:  # 'rebeca quested', 'neil penwick': each name close, not 'and young' for 'Ian Young'
            scores = process.cdist(pairs, two, scorer=fuzz.ratio, score_cutoff=88)
            for i, j in zip(*scores.nonzero()):
                if all(fuzz.ratio(a, b) >= 80 for a, b in zip(pairs[i].split(), two[j].split())):
                    return self.plain[two[j]]
        for m in _SURNAME.finditer(plain):  # 'inspector Penswick', 'what has Penswick led?'
            name = self.surnames.get(m.group(1) or m.group(2))
            if name:
                return name
        return ""


# a follow-up that points back at the person or the list just given ('which of those were good?')
_BACK = re.compile(r"\b(them|those|she|he|her|his)\b", re.I)


def read_inspector(q: Query, index: InspectorIndex, asked_before: Sequence[str] = ()) -> Query:
    """The question as a list of one lead inspector's inspections where it names one (or,
    pointing back, the question before named one), or as the inspectors ranked ('who led the
    most inspections?'); otherwise unchanged. A question about a council, or one refused, is
    never read this way."""
    if q.providers or q.refuse:
        return q
    person = index.find(q.question) or ("*" if MOST.search(q.question) else "=" if TWICE.search(q.question) else "")
    if not person and asked_before and _BACK.search(q.question):
        person = index.find(asked_before[-1][:MAX_TURN])
    if not person:
        return q
    return replace(q, inspector=person, kind="list", explicit=True, topic="", unknown_provider="", candidates=(),
                   deictic=False)


_EACH_CITED = 6  # lists of up to this many inspections cite each one's grade too


class InspectorRoutes:
    def _route_inspector(self, q: Query, docs, mode, filters) -> Answer:
        """The inspections one lead inspector led, oldest first, each cited where the report
        names them (and, in a short list, where it gives its grade); or, asked who led the most,
        the inspectors ranked by the reports held, each cited on their latest."""
        led = self._state.inspectors
        held = {d.doc_id: d for d in docs}
        u = self._understood(q, "list")
        if q.inspector == "=":
            return self._same_lead_twice(led, held, mode, u)
        if q.inspector == "*":
            ranked = [(n, sorted((held[i] for i in ids if i in held), key=when_key)) for n, ids in led.led.items()]
            ranked = sorted((r for r in ranked if r[1]), key=lambda r: (-len(r[1]), r[0]))[:10]
            lines, cites = [], []
            for name, theirs in ranked:
                c = factual.fact_citation(len(cites) + 1, theirs[-1], led.roles[(name, theirs[-1].doc_id)], self._page_text)
                cites += [c] if c else []
                lines.append(f"- {name}: {len(theirs)} inspections" + (f", the latest {factual.describe(theirs[-1])} [{c.n}]" if c else ""))
            if not lines:
                return self._abstain("The reports I hold name no lead inspectors.", mode, u)
            return Answer("The lead inspectors named most often in the reports I hold:\n" + "\n".join(lines),
                          False, tuple(cites), mode, understood=u)
        theirs = sorted((held[i] for i in led.led.get(q.inspector, ()) if i in held), key=when_key)
        theirs = [d for d in theirs if (not q.year or d.facts.get("year") == q.year)
                  and (not q.send or d.facts.get("report_type") == "area_send")
                  and (not q.grade or changes.grade(d) == q.grade)]
        if not theirs:
            return Answer(f"None of the reports I hold{' of ' + str(q.year) if q.year else ''} names {q.inspector} "
                          f"as lead inspector{' of an inspection judged ' + q.grade if q.grade else ''}.", False, (), mode,
                          understood=u)
        each = len(theirs) <= _EACH_CITED
        lines, cites = [], []
        for d in theirs:
            c = factual.fact_citation(len(cites) + 1, d, led.roles[(q.inspector, d.doc_id)], self._page_text)
            if c is None:
                continue
            cites.append(c)
            marks = f"[{c.n}]"
            graded = "send_outcome" if d.facts.get("report_type") == "area_send" else "judgement_overall"
            g = factual.fact_citation(len(cites) + 1, d, graded, self._page_text) if each and d.facts.get(graded) else None
            if g is not None:
                cites.append(g)
                marks += f" [{g.n}]"
            grade = f", {'outcome' if graded == 'send_outcome' else 'judged'} {str(d.facts[graded]).lower()}" if d.facts.get(graded) else ""
            name = self._providers.names.get(self._providers.by_doc.get(d.doc_id, ""), d.name)
            lines.append(f"- {name}: {factual.kind_label(d)} ({factual.when(d)}){grade} {marks}")
        n = len(lines)
        head = (f"{q.inspector} was the lead inspector of {n} {'inspection' if n == 1 else 'inspections'} "
                f"in the reports I hold{' ending in ' + str(q.year) if q.year else ''}"
                f"{' judged ' + q.grade if q.grade else ''}:")
        return Answer(head + "\n" + "\n".join(lines), False, tuple(cites), mode, understood=u)

    def _same_lead_twice(self, led, held: dict, mode: str, u) -> Answer:
        """The councils one lead inspector led two or more inspections of, each of those cited."""
        lines, cites, found = [], [], []
        for name, ids in led.led.items():
            by_council: dict[str, list[Document]] = {}
            for i in ids:
                if i in held and held[i].facts.get("report_type") not in ("area_send", "school"):
                    by_council.setdefault(self._providers.by_doc.get(i, ""), []).append(held[i])
            found += [(self._providers.names.get(k, k), name, sorted(ds, key=when_key))
                      for k, ds in by_council.items() if k and len(ds) > 1]
        for council, name, docs in sorted(found):
            refs = []
            for d in docs:
                c = factual.fact_citation(len(cites) + 1, d, led.roles[(name, d.doc_id)], self._page_text)
                if c is not None:
                    cites.append(c)
                    refs.append(f"[{c.n}]")
            lines.append(f"- {council}: {name} led {' and '.join(str(d.facts.get('year')) for d in docs)} {''.join(refs)}")
        if not lines:
            return Answer("No lead inspector in the reports I hold led two inspections of the same council.", False, (),
                          mode, understood=u)
        head = (f"Yes. {len(lines)} council{'s' if len(lines) > 1 else ''} had the same lead inspector at two of "
                f"their children's services inspections:")
        return Answer(head + "\n" + "\n".join(lines), False, tuple(cites), mode, understood=u)
