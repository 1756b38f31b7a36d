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
    person = index.find(q.question) or ("*" if MOST.search(q.question) else "")
    if not person and asked_before and _BACK.search(q.question):
        person = index.find(asked_before[-1][:MAX_TURN])
    if not person:
        return q
    return replace(q, inspector=person, kind="list", explicit=True, topic="", unknown_provider="", candidates=(),
                   deictic=False)
