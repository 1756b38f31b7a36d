"""Questions that ask two things at once: two questions in one about a council ('how is X doing
with care leavers, and who led the inspection?'), and both of a council's inspections asked
together ('how did X do in its SEND inspection and its children's social care one?'). A mixin
of the Answerer (``bot.answer``)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from bot import factual
from bot.types import Answer
from bot.understand import Query
from bot.vocabulary import CHILDRENS_SERVICES, HOW_WENT, SEND_REPORT

# 'what did Ofsted find in the children's services inspection and the area SEND one?'
_FOUND = re.compile(r"\bwhat did (ofsted|inspectors|they|the inspectors?|the inspections?) (find|say|conclude)\b", re.I)


class TwoAtOnce:
    def _both(self, parts: list[str], history: Sequence, mode: str, filters) -> Answer | None:
        """Two questions in one about a council ('how is X doing with care leavers, and who led
        the inspection?'): each answered, the second as the next turn; None where the first
        names no council or either is refused (the question is then answered whole)."""
        first_q = self.understand(parts[0], history, filters)
        if not first_q.providers or first_q.refuse or first_q.declined:
            return None
        first = self._ask(parts[0], history, mode, filters)
        turn = [{"role": "user", "content": parts[0]}, {"role": "assistant", "content": first.text}]
        second = self._ask(parts[1], list(history) + turn, mode, filters) if not first.abstained else first
        if second.abstained and not first.abstained and second.understood is not None and second.understood.kind == "next":
            # '... and when will they be inspected again?': the grade, then that no report says
            return replace(first, text=f"{first.text}\n\n{second.text.replace(self.coverage(), '').strip()}")
        if second.abstained:
            return None
        bare = lambda a: " ".join(re.sub(r"\[\d+\]", " ", a.text).split())  # noqa: E731 - the words, marks aside
        if bare(second) in bare(first):
            return first  # the second clause asked for nothing the first had not answered
        second = second.renumbered(len(first.citations))
        return replace(first, text=f"{first.text}\n\n{second.text}", citations=first.citations + second.citations)

    def _asks_both_reports(self, q: Query) -> bool:
        """'How did X do in its SEND inspection and its children's social care one?': both of
        a council's inspections asked at once, where it has both kinds of report."""
        if not (q.send and CHILDRENS_SERVICES.search(q.question) and q.year is None and len(q.providers) == 1) or \
                not (q.kind in ("assess", "grade") or q.kind == "content" and (
                    HOW_WENT.search(q.question) or SEND_REPORT.search(q.question) and _FOUND.search(q.question))):
            return False
        kinds = {d.facts.get("report_type") for d in self._theirs(q.providers[0], self._state.docs)}
        return "area_send" in kinds and bool(kinds & {"ilacs", "children_services_older"})

    def _route_both_reports(self, q: Query, docs, mode, filters) -> Answer:
        """Both reports' judgements, the children's services grade first, each cited."""
        theirs = self._theirs(q.providers[0], docs)
        services, _ = self._pick(replace(q, send=False), theirs)
        send, _ = self._pick(replace(q, send=True), theirs)
        grade = factual.judgement_answer(services, "judgement_overall", False, self._page_text) if services else None
        outcome = factual.send_outcome(send, self._page_text) if send else None
        if grade is None or outcome is None:  # a filter left one of them out
            return self._route_report(q, docs, mode, filters)
        u = self._understood(replace(q, topic=""), "send", send)
        first = Answer(grade[0], False, tuple(grade[1]), mode, services.source, understood=u)
        return first.followed_by(Answer(outcome[0], False, tuple(outcome[1]), mode, send.source))
