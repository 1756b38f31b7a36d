"""A council's own assistant: the widget scoped to one provider's reports.

A scoped conversation reads "my council", "we", "our" and "here" as that provider (the
Answerer takes ``filters["provider"]`` as the council meant when the question names none); a
question that names another provider gets one sentence saying what this assistant covers,
unless the page asked for every provider (``all``). An origin bound to a provider in
``INSPECTBOT_ALLOWED_ORIGINS`` is scoped here, on the server, whatever its page sends.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Mapping, Sequence

from bot.types import Answer, Understood
from index.errors import InspectbotError
from index.types import Document
from index.vocab import human_date

log = logging.getLogger(__name__)

# questions a starter may be built from; each is checked against the samples in the tests
LATEST = "How did {p} do at its latest inspection?"
IMPROVE = "What does {p} need to improve?"
WHEN = "When was {p} last inspected?"
SEND = "What was the outcome of {p}'s area SEND inspection?"
JUDGED = "Which councils were judged {grade}?"


COUNCIL_TYPES = ("ilacs", "children_services_older", "area_send")


class UnknownProvider(InspectbotError):
    status = 404


@dataclass(frozen=True)
class Scope:
    provider: str  # display name, as the index knows it
    all: bool = False  # questions about other providers are answered too
    bound: bool = False  # forced by the request's origin


class Scopes:
    def __init__(self, answerer, origin_providers: Sequence[tuple[str, str]] = ()):
        self.answerer = answerer
        self.bound = {o.rstrip("/"): p for o, p in origin_providers}
        self._lock = threading.Lock()
        self._seen: list[Document] | None = None
        self._owner: dict[str, str] = {}  # doc_id -> provider display name

    # --- which provider --------------------------------------------------------------------

    def resolve(self, name: str) -> str | None:
        """The display name of the indexed provider ``name`` spells, in any spelling."""
        found = self.answerer.find_providers(name) if name and name.strip() else []
        return found[0] if found else None

    def for_request(self, origin: str | None, provider: str | None = None,
                    everything: bool = False) -> Scope | None:
        """The scope a request runs under: its origin's bound provider if it has one (the
        page cannot widen it), else the provider the page asked for, else none."""
        forced = self.bound.get((origin or "").rstrip("/"))
        name = forced or provider
        if not name:
            return None
        display = self.resolve(name)
        if display is None:
            if forced:
                log.error("origin %s is bound to %r, which names no indexed provider", origin, forced)
                raise UnknownProvider(f"This site is set up for {forced!r}, but no reports of that "
                                      "provider are held. The site's administrator can check "
                                      "INSPECTBOT_ALLOWED_ORIGINS and the ingested reports.")
            log.warning("a page asked for provider %r, which names no indexed provider", name)
            raise UnknownProvider(f"No reports of {name!r} are held here. Check the spelling in "
                                  "the page's data-provider attribute (see /api/reports).")
        return Scope(display, all=bool(everything) and not forced, bound=bool(forced))

    def reports(self, provider: str) -> list[Document]:
        """The provider's own reports, newest inspection first."""
        docs, owner = self._owners()
        mine = [d for d in docs if owner.get(d.doc_id) == provider]
        return sorted(mine, key=_when, reverse=True)

    def providers(self) -> dict[str, int]:
        """Each indexed provider once, under its display name (one entry however many
        spellings its reports use), with how many of its reports are held; sorted by name."""
        _, owner = self._owners()
        counts: dict[str, int] = {}
        for name in owner.values():
            counts[name] = counts.get(name, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: kv[0].lower()))

    def demo_provider(self) -> str | None:
        """The council a demo page is scoped to: the one with the most council reports held
        (children's services, area SEND), else the provider with the most reports."""
        docs, owner = self._owners()
        council = {d.doc_id for d in docs if d.facts.get("report_type") in COUNCIL_TYPES}
        counts: dict[str, int] = {}
        for doc_id, name in owner.items():
            counts[name] = counts.get(name, 0) + (1000 if doc_id in council else 1)
        return min(counts, key=lambda n: (-counts[n], n)) if counts else None

    def _owners(self) -> tuple[list[Document], dict[str, str]]:
        docs = self.answerer.documents()
        with self._lock:
            if docs is not self._seen:  # the Answerer hands out a new list after an ingest
                names = {str(d.facts["provider"]) for d in docs if d.facts.get("provider")}
                owners = {n: self.resolve(n) for n in names}
                self._owner = {d.doc_id: owners[str(d.facts["provider"])] for d in docs
                               if d.facts.get("provider") and owners[str(d.facts["provider"])]}
                self._seen = docs
            return docs, self._owner

    # --- a question under a scope ----------------------------------------------------------

    def apply(self, scope: Scope | None, question: str, history: list[dict],
              filters: Mapping | None) -> tuple[Answer | None, list[dict], dict | None]:
        """``(refusal, history, filters)`` to ask with: the refusal where the question is about
        another provider; otherwise the history without turns about other providers and the
        filters with the scope's provider."""
        if scope is None:
            return None, history, dict(filters) if filters else None
        others = [p for p in self.answerer.find_providers(question) if p != scope.provider]
        filters = dict(filters or {})
        if others and scope.all:
            filters.pop("provider", None)  # a question about another council, answered as asked
            return None, history, filters
        if others:
            return self.refusal(scope, others), history, filters
        filters["provider"] = scope.provider
        return None, self._own_turns(scope, history), filters

    def _own_turns(self, scope: Scope, history: list[dict]) -> list[dict]:
        """Leaves out earlier questions about other providers (and their answers), so that a
        follow-up is read as being about this one."""
        out, skip = [], False
        for turn in history:
            if turn.get("role") == "user":
                skip = any(p != scope.provider for p in self.answerer.find_providers(turn.get("content", "")))
            if not skip:
                out.append(turn)
        return out

    @staticmethod
    def refusal(scope: Scope, others: Sequence[str]) -> Answer:
        return Answer(text=f"This assistant covers {scope.provider}'s inspection reports only.",
                      abstained=True, understood=Understood(kind="refuse", providers=tuple(others)))

    # --- what the panel opens with ---------------------------------------------------------

    def opening(self, scope: Scope | None) -> dict:
        """The opening text and three or four starter questions built from the reports."""
        if scope is None:
            docs = self.answerer.documents()
            return {"provider": None, "scope": "all", "reports": len(docs),
                    "intro": f"Ask about the {len(docs)} inspection reports held here. Every answer "
                             "quotes the report it comes from.",
                    "starters": self._general(docs)}
        mine = self.reports(scope.provider)
        latest = next((d for d in mine if _when(d)), None)
        held = f"{len(mine)} {'is' if len(mine) == 1 else 'are'} held here"
        if latest:
            held += f", {'the latest ' if len(mine) > 1 else ''}from {human_date(_when(latest))}"
        return {"provider": scope.provider, "scope": "all" if scope.all else "provider",
                "bound": scope.bound, "reports": len(mine),
                "intro": f"This assistant answers questions about {scope.provider}'s inspection "
                         f"reports: {held}. Every answer quotes the report it comes from.",
                "starters": self._own(scope.provider, mine)}

    @staticmethod
    def _own(p: str, mine: list[Document]) -> list[str]:
        out = []
        if any(d.facts.get("judgement_overall") for d in mine):
            out.append(LATEST.format(p=p))
        if any(d.facts.get("improve_count") for d in mine):
            out.append(IMPROVE.format(p=p))
        if any(_when(d) for d in mine):
            out.append(WHEN.format(p=p))
        if any(d.facts.get("report_type") == "area_send" and d.facts.get("send_outcome") for d in mine):
            out.append(SEND.format(p=p))
        return out[:4]

    def _general(self, docs: list[Document]) -> list[str]:
        graded = sorted((d for d in docs if d.facts.get("provider") and d.facts.get("judgement_overall")),
                        key=_when, reverse=True)
        out = []
        if graded:
            out.append(LATEST.format(p=self.resolve(str(graded[0].facts["provider"])) or graded[0].facts["provider"]))
            grades = {str(d.facts["judgement_overall"]).lower() for d in graded}
            grade = next((g for g in ("outstanding", "good") if g in grades), None)
            if grade:
                out.append(JUDGED.format(grade=grade))
        improving = [d for d in graded if d.facts.get("improve_count")]
        if improving:
            out.append(IMPROVE.format(p=self.resolve(str(improving[0].facts["provider"])) or improving[0].facts["provider"]))
        send = [d for d in docs if d.facts.get("report_type") == "area_send" and d.facts.get("provider")
                and d.facts.get("send_outcome")]
        if send:
            out.append(SEND.format(p=self.resolve(str(send[0].facts["provider"])) or send[0].facts["provider"]))
        return list(dict.fromkeys(out))[:4]


def _when(doc: Document) -> str:
    return str(doc.facts.get("inspection_end") or doc.facts.get("published") or "")
