"""The Answerer: question -> understand -> choose report(s) -> facts or passages -> Answer.

It needs no LLM: facts answers come from what ingest extracted, other answers are the most
relevant sentences of the retrieved passages, quoted verbatim and numbered. When the reports
hold no answer it says so (``abstained=True``) and says what the reports do cover.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from typing import Any, Iterator, Mapping, Sequence

from bot import changes, every_time
from bot.across import AcrossReports
from bot.compare import EVERY_GRADE_SET, Comparisons
from bot.compounds import subject_phrase
from bot.declines import NAMES_NO_STAFF, REFUSALS, Declines
from bot.evidence import Evidence
from bot.glossary import definition, explain
from bot.operations import PlanModel
from bot.plan import OPERATION_OF, Plan
from bot.names import ProviderIndex
from bot.holdings import Holdings, read_holdings
from bot.inspectors import InspectorRoutes, read_inspector
from bot.most import Rankings
from bot.news import NewsRoutes
from bot.one_report import OneReport
from bot.themes import Themes
from bot.together import TwoAtOnce
from bot.quotes import Quoter
from bot.reports import apply_filters, as_list, facility_held, unheard_place, without_place
from bot.signposts import signposted
from bot.types import MODES, Answer, ReportRef, Understood, pieces, validate_question
from bot.conversation import history_questions, split_compound, understand
from bot.reconcile import NEEDS_PROVIDER
from bot.understand import Query
from bot.vocabulary import ABOUT_INSPECTION, MANY_PROVIDERS, NEWS, ROLE, SPOKE, THE_REPORT, spoke
from index.catalog import Catalog
from index.errors import BadInputError
from index.retrieve import Retriever
from index.types import Document
from index.vocab import REGIONS

log = logging.getLogger(__name__)

class Answerer(AcrossReports, Comparisons, Declines, Evidence, InspectorRoutes, NewsRoutes, OneReport, Rankings, Themes,
               TwoAtOnce):
    def __init__(self, catalog: Catalog, retriever: Retriever, min_similarity: float = 0.40,
                 k: int = 8, slots: int = 0, min_topic_score: float = 0.45):
        """``slots``: how many questions are worked on at once (0: no limit). Set to the CPU
        count, questions wait their turn in order instead of all slowing each other down: on
        2 cores under 20 clients, 14% more answers a second and less than half the p95 latency.

        ``min_similarity``: a question that names no council is refused below this cosine
        similarity to its best passage. ``min_topic_score``: within one report, the best
        sentence must score this much (cosine similarity plus shared words) or the report is
        taken not to discuss the question's topic."""
        self.catalog = catalog
        self.retriever = retriever
        self.k = k
        self._quotes = Quoter(catalog, retriever, min_similarity, min_topic_score, k)
        self._model = PlanModel(retriever.embedder)
        # what the catalog holds, swapped whole when an ingest changes it
        self._state = Holdings([], ProviderIndex(), {}, {}, "", None)
        self._counts: tuple[int, int] = (-1, -1)
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(slots) if slots else None

    @property
    def _docs(self) -> list[Document]:
        return self._state.docs

    @property
    def _providers(self) -> ProviderIndex:
        return self._state.providers

    @property
    def _mentions(self) -> dict[str, str]:
        return self._state.mentions

    def warm_up(self) -> None:
        """Read the catalog and embed the labelled example questions now, not on the first
        question."""
        self.documents()
        self._model.predict("warm up")

    def preload(self) -> int:
        """Read every passage vector into memory (a server, once at start), so that searches
        within reports never wait on the vector store. Returns how many were read."""
        vectors = getattr(self.retriever, "vectors", None)
        return vectors.preload() if vectors is not None and hasattr(vectors, "preload") else 0

    # --- the catalog's documents, refreshed when an ingest changes them ----------------------

    def documents(self) -> list[Document]:
        counts = self.catalog.counts()
        if counts != self._counts:
            with self._lock:
                if counts != self._counts:  # another thread may have just refreshed it
                    self._state = self._read_catalog()
                    self._counts = counts
        return self._docs

    def _read_catalog(self) -> Holdings:
        return read_holdings(self.catalog)

    def _page_text(self, doc_id: str, page: int) -> str:
        return self.catalog.page_text(doc_id, page)

    # --- public API --------------------------------------------------------------------------

    def find_providers(self, text: str) -> list[str]:
        """Display names of the indexed providers that ``text`` names, in any spelling the
        index knows ('Salford', 'salford city council')."""
        self.documents()
        return [self._providers.names[k] for k in self._providers.find(text)]

    def ask(self, question: str, history: Sequence = (), mode: str = "staff",
            filters: Mapping[str, Any] | None = None) -> Answer:
        question = validate_question(question)
        if mode not in MODES:
            raise BadInputError(f"mode must be one of {', '.join(MODES)}, not {mode!r}.")
        if self._slots is None:
            return self._ask(question, history, mode, filters)
        with self._slots:
            return self._ask(question, history, mode, filters)

    def _ask(self, question: str, history: Sequence, mode: str,
             filters: Mapping[str, Any] | None) -> Answer:
        t0 = time.perf_counter()
        docs = self.documents()
        if not docs:
            return self._abstain("The index is empty: no reports have been ingested yet.", mode)
        parts = split_compound(question)
        both = self._both(parts, history, mode, filters) if len(parts) == 2 else None
        if both is not None:
            return both
        q = self.understand(question, history, filters)
        before = self.retriever.last_timings
        answer = self._answer(q, docs, mode, dict(filters or {}))
        answer = signposted(answer, question, history, self.coverage(), str((filters or {}).get("provider") or ""),
                            q.refuse)
        if q.declined and (q.refuse or answer.abstained):  # nothing else asked that the reports answer
            answer = self._abstain(REFUSALS[q.declined], mode, answer.understood, cover=False)
        elif q.declined:
            answer = replace(answer, text=_DECLINED[q.declined] + answer.text)
        if mode == "parent" and not answer.abstained:
            notes = explain(answer.text)
            if notes:
                answer = replace(answer, text=answer.text + "\n\n" + "\n".join(notes))
        if self.retriever.last_timings is not before:  # a search ran for this question
            answer.timings.update(self.retriever.last_timings.__dict__)
        answer.timings["total_ms"] = (time.perf_counter() - t0) * 1e3
        return answer

    def stream(self, question: str, history: Sequence = (), mode: str = "staff",
               filters: Mapping[str, Any] | None = None) -> Iterator[str | Answer]:
        """Yields the answer text piece by piece, then the complete Answer."""
        yield from pieces(self.ask(question, history, mode, filters))

    # --- understanding -----------------------------------------------------------------------

    def understand(self, question: str, history: Sequence = (), filters: Mapping[str, Any] | None = None) -> Query:
        """The question within its conversation; a ``filters.provider`` counts as named."""
        docs = self.documents()
        q = understand(question, self._providers, history, self._state.max_year,
                       resolve=lambda s: (self._pick(self._about(s, docs), self._theirs(s.providers[0], docs))[0] or _NO).doc_id,
                       model=self._model)
        q = read_inspector(q, self._state.inspectors, history_questions(history))
        if q.refuse == "offtopic" and len(q.providers) == 1 and "yesno" in q.shapes:
            # evidence before refusal: 'does X have a breakfast club? i start work at 8': its report says
            phrase = subject_phrase(q.search, self.catalog)
            if phrase and self.catalog.documents_with_phrase(phrase.text, [d.doc_id for d in self._theirs(q.providers[0], docs)]):
                q = replace(q, refuse="", kind="content", explicit=True, topic=phrase.text, topical=True)
        if len(q.providers) == 1 and q.topic:
            q = without_place(q, self._theirs(q.providers[0], docs))
        scope = (filters or {}).get("provider")
        if scope and not q.providers and not q.unknown_provider and q.kind not in ("list", "transition"):
            keys = [k for p in as_list(scope) for k in self._providers.find(str(p))]
            q = replace(q, providers=tuple(dict.fromkeys(keys)), deictic=False,
                         unknown_provider="" if keys else ", ".join(map(str, as_list(scope))))
        if not (q.providers or q.unknown_provider or q.candidates or q.facility or q.refuse):
            place = unheard_place(question, self.catalog.term_counts)
            q = replace(q, unknown_provider=place) if place else q  # 'care leavers in Ashcombe': none held
        return q

    def _about(self, q: Query, docs: list[Document]) -> Query:
        """A turn about a council's press release is about the inspection the release is about
        ('that good across the board release - which inspection, and when did it happen?')."""
        if not (q.news and NEWS.search(q.question)) or q.year:
            return q
        news = [d for d in docs if self._mentions.get(d.doc_id) == q.providers[0]]
        year = self._state.about_year.get(self._best_news(q, news).doc_id) if news else None
        return replace(q, year=year) if year else q

    def _theirs(self, key: str, docs: list[Document]) -> list[Document]:
        if docs is self._state.docs:
            return list(self._state.theirs.get(key, ()))
        return [d for d in docs if self._providers.by_doc.get(d.doc_id) == key]

    def _understood(self, q: Query, kind: str, doc: Document | None = None) -> Understood:
        names = tuple(self._providers.names.get(k, k) for k in q.providers)
        report = None
        if doc is not None:
            f = doc.facts
            report = ReportRef(doc.source, doc.title, str(f.get("inspection_start") or ""),
                               str(f.get("inspection_end") or ""), str(f.get("report_type") or ""))
            names = names or (str(f.get("provider") or ""),)
        year = int(doc.facts["year"]) if doc is not None and doc.facts.get("year") else q.year
        return Understood(kind=kind, provider=names[0] if names else "", providers=names, report=report,
                          year=year, topic=q.topic)

    # --- the decision ------------------------------------------------------------------------

    def route(self, q: Query) -> str:
        """Which answer a question gets. Each route below is one small method."""
        if q.refuse:
            return "refuse"
        if not q.providers and definition(q.question):
            return "define"
        if not q.providers and "holdings" in q.shapes:
            return "holdings"  # 'which reports do you hold?': the bot's own holdings
        if q.inspector and not q.providers:
            return "inspector"
        if q.kind == "transition" and not q.providers:
            return "transition"
        if q.facility and not facility_held(q, self._docs, self._providers.by_doc):
            return "not_held"
        if not q.providers:
            if q.kind == "list":
                return "list"
            if (q.news or spoke(q.question) and self._named_in_news(q)) and self._mentions:
                return "news_any"  # 'what did the council say in its press release about ...?', 'what did councillor X say?'
            if q.answer_type == "person" and not q.deictic and q.kind not in NEEDS_PROVIDER and ROLE.search(q.question):
                return "refuse_person"
            if q.candidates and not q.unknown_provider:
                return "clarify"  # 'bedfordshire': Bedford or Central Bedfordshire?
            if q.unknown_provider:
                return "not_held"
            if THE_REPORT.search(q.question) and not MANY_PROVIDERS.search(q.question):
                return "clarify"  # 'what did they say about care leavers in the latest report?': whose?
            if q.kind == "improve" and q.operation == "theme" and not q.deictic:
                return "theme"  # 'what are councils most often told to improve?'
            if q.deictic or q.kind in NEEDS_PROVIDER:
                return "clarify"
            # a topic with no council named is a theme across reports, though the model read its
            # 'it' as pointing back ('neglect - what do inspectors keep saying about it')
            return "theme" if q.operation in ("theme", "passages") or q.year else "search"  # a year: that year's reports
        if q.news and NEWS.search(q.question) and len(q.providers) == 1 and q.kind != "published" \
                and any(v == q.providers[0] for v in self._mentions.values()):
            return "news"  # 'in X's press release about being rated good, did they admit ...?'
        if q.kind == "timeline":
            return "timeline"
        if len(q.providers) > 1 and q.kind in ("inspector", "dates", "improve", "next", "published", "content"):
            return "each"  # 'who led that one?' after two councils: each council's answer in turn
        if len(q.providers) > 1 or q.kind == "compare":
            return "compare"
        if (q.news or SPOKE.search(q.question)) and any(v == q.providers[0] for v in self._mentions.values()):
            return "news"
        if self._asks_both_reports(q):
            return "both_reports"
        if q.answer_type == "person" and q.kind not in ("inspector", "grade", "assess", "dates") \
                and not ABOUT_INSPECTION.search(q.question) and ROLE.search(q.question):
            return "refuse_person"  # 'who is the director of children's services?'
        return "report"

    def plan(self, q: Query) -> Plan:
        """What was understood, in one value, before anything is searched."""
        executor = self.route(q)
        operation = OPERATION_OF.get(executor, executor)
        if executor in ("report", "each") and q.kind in ("content", "improve") or q.kind == "news":
            operation = "passages"
        names = tuple(self._providers.names.get(k, k) for k in q.providers)
        topic = q.topic if (operation in ("passages", "theme", "history") or q.kind == "assess") and not q.overview \
            and executor != "both_reports" else ""
        return Plan(operation=operation, answer_type=q.answer_type, executor=executor, providers=names,
                    kind=q.kind, area="all_judgements" if operation == "compare" and (
                        q.every_judgement or EVERY_GRADE_SET.search(q.question)) and not q.send
                    else q.area if q.area_named or q.area == "send_outcome" else "",
                    year=q.year, grade=(" or ".join(q.grades) if q.grades and operation == "list" else q.grade)
                    if operation in ("list", "transition", "history") else "",
                    since=q.since if operation in ("list", "transition") and not q.year else None,
                    until=q.until if operation in ("list", "transition") and not q.year else None,
                    grade_from=q.grade_from, path=changes.path(q.question) if operation == "transition" else (),
                    jump=changes.jump(q.question) if operation == "transition" else 0,
                    moves=changes.repeats(q.question) if operation == "transition" else 0,
                    ranked=next((r for r in ("most", "fewest") if r in q.shapes), "") if operation == "list" else "",
                    direction=q.direction if operation in ("transition", "history") else "",
                    send=q.send, topic=topic, declined=q.declined, region=q.region if not q.providers else "",
                    over_all=every_time.over_all(q.question) if operation == "list" and q.grade and not q.year and not q.also
                    and not (q.since or q.until) and q.area == "judgement_overall" else "",
                    inspector=q.inspector, also=q.also, outside=q.outside if not q.providers else "")

    def _answer(self, q: Query, docs: list[Document], mode: str, filters: dict) -> Answer:
        plan = self.plan(q)
        docs = apply_filters(docs, filters)
        if q.region and not q.providers:  # 'which london boroughs ...': that region's councils only
            docs = [d for d in docs if d.facts.get("provider_key") in REGIONS.get(q.region, ())]
        if q.outside and not q.providers:  # 'not counting london boroughs': every other council's
            docs = [d for d in docs if d.facts.get("provider_key") not in REGIONS.get(q.outside, ())]
        answer = getattr(self, f"_route_{plan.executor}")(q, docs, mode, filters)
        u = answer.understood or self._understood(q, plan.operation)
        if plan.operation == "history" and plan.topic and not u.topic:  # a subject no report held: the grades
            plan = replace(plan, topic="")
        if plan.operation == "theme" and u.topic:  # the phrase the reports hold, not every word said
            plan = replace(plan, topic=u.topic)
        return replace(answer, understood=replace(u, plan=plan))

    # --- the routes --------------------------------------------------------------------------

    def _route_search(self, q: Query, docs, mode, filters) -> Answer:
        """No council named and none needed: the best passages of every report."""
        return self._quotes.answer(q, None, docs, mode, None, self._understood(q, "content"), self._abstain, filters)

    def _route_refuse_person(self, q: Query, docs, mode, filters) -> Answer:
        return self._abstain(NAMES_NO_STAFF, mode, self._understood(q, "refuse"))

    def _abstain(self, reason: str, mode: str, understood: Understood | None = None, cover: bool = True) -> Answer:
        text = f"{reason} {self.coverage()}".strip() if cover else reason
        return Answer(text, True, (), mode, understood=understood)

    def coverage(self) -> str:
        """What the index holds, in a sentence ('I answer from 552 published inspection reports ...')."""
        return self._state.coverage


_NO = Document("", "", "", "", ())
# the one sentence a declined clause gets before the answer to the rest of the question
_DECLINED = {"rules": "I can't change how I work, but here is what the reports say. ",
             "personal": "I can't give personal details about anyone: inspection reports don't publish them. "
                         "Here is what the report says. ",
             "contact": "Inspection reports don't give phone numbers or email addresses. Here is what the report says. "}
