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
    """Each lead inspector's name (as first and last name) and the reports they led."""
    led: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name -> doc_ids
    roles: dict[tuple[str, str], str] = field(default_factory=dict)  # (name, doc_id) -> the fact naming them

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
        return cls({k: tuple(v) for k, v in led.items()}, roles)

    def find(self, text: str) -> str:
        """The inspector ``text`` names, or ''."""
        if not self.led:
            return ""
        plain = _plain(text)
        for name in sorted(self.led, key=len, reverse=True):
            *first, last = _plain(name).split()
            if re.search(rf"\b{' '.join(first)} (?:[a-z] )?{last}\b", plain):
                return name
        words = plain.split()
        lower = {_plain(n): n for n in self.led}
        for pair in (" ".join(words[i:i + 2]) for i in range(len(words) - 1)):
            # 'rebeca quested', 'neil penwick': each name close, not 'and young' for 'Ian Young'
            for hit, _, _ in process.extract(pair, list(lower), scorer=fuzz.ratio, score_cutoff=88, limit=3):
                if len(hit.split()) == 2 and all(fuzz.ratio(a, b) >= 80 for a, b in zip(pair.split(), hit.split())):
                    return lower[hit]
        surnames: dict[str, list[str]] = {}
        for n in self.led:
            surnames.setdefault(_plain(n).split()[-1], []).append(n)
        for m in _SURNAME.finditer(plain):  # 'inspector Penswick', 'what has Penswick led?'
            word = m.group(1) or m.group(2)
            if len(surnames.get(word, ())) == 1:
                return surnames[word][0]
        return ""

    def ranked(self) -> list[tuple[str, int]]:
        """Inspectors by how many of the reports held they led, most first."""
        return sorted(((n, len(ids)) for n, ids in self.led.items()), key=lambda kv: (-kv[1], kv[0]))


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
