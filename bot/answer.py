"""The Answerer: question -> understand -> choose report(s) -> facts or passages -> Answer.

It needs no LLM: facts answers come from what ingest extracted, other answers are the most
relevant sentences of the retrieved passages, quoted verbatim and numbered. When the reports
hold no answer it says so (``abstained=True``) and says what the reports do cover.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from dataclasses import replace
from typing import Any, Iterator, Mapping, Sequence

from bot import factual
from bot.extractive import clean_quote, terms
from bot.glossary import explain, report_words
from bot.intent import IntentClassifier
from bot.names import ProviderIndex
from bot.passages import body_sentences, choose
from bot.reports import apply_filters, as_list, chroma_filters, pick, when_key
from bot.types import MODES, Answer, Citation, ReportRef, Understood
from bot.understand import NEEDS_PROVIDER, Query, understand, wants_send_outcome
from index.catalog import Catalog
from index.errors import BadInputError
from index.retrieve import Retriever
from index.types import Document, Hit

log = logging.getLogger(__name__)

MAX_QUESTION = 2000


class Answerer:
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
        self.min_similarity = min_similarity
        self.min_topic_score = min_topic_score
        self.k = k
        self._classifier = IntentClassifier(retriever.embedder)
        self._docs: list[Document] = []
        self._providers = ProviderIndex()
        self._mentions: dict[str, str] = {}
        self._counts: tuple[int, int] = (-1, -1)
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(slots) if slots else None

    # --- the catalog's documents, refreshed when an ingest changes them ----------------------

    def documents(self) -> list[Document]:
        counts = self.catalog.counts()
        if counts != self._counts:
            with self._lock:
                docs = self.catalog.documents()
                providers = ProviderIndex.build(docs, word_counts=self.catalog.term_counts)
                # news and other documents without a provider of their own belong to the
                # provider their opening names ('Salford rated good across the board')
                mentions = {}
                for d in docs:
                    if d.doc_id not in providers.by_doc:
                        full = self.catalog.document(d.doc_id)
                        opening = " ".join(full.pages)[:1500] if full else d.title
                        found = providers.find(d.title) or providers.find(opening)
                        if found:
                            mentions[d.doc_id] = found[0]
                self._docs, self._providers, self._mentions = docs, providers, mentions
                self._counts = counts
        return self._docs

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
        q = self.understand(question, history, filters)
        before = self.retriever.last_timings
        answer = self._answer(q, docs, mode, dict(filters or {}))
        if mode == "parent" and not answer.abstained:
            notes = explain(answer.text)
            if notes:
                answer = _with_text(answer, answer.text + "\n\n" + "\n".join(notes))
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
        max_year = max((int(d.facts.get("year", 0)) for d in docs), default=None)
        q = understand(question, self._providers, history, self._classifier, max_year,
                       resolve=lambda s: (self._pick(s, self._theirs(s.providers[0], docs))[0] or _NO).doc_id)
        scope = (filters or {}).get("provider")
        if scope and not q.providers and not q.unknown_provider:
            keys = [k for p in as_list(scope) for k in self._providers.find(str(p))]
            q = _replace(q, providers=tuple(dict.fromkeys(keys)), deictic=False, unknown_provider="")
        return q

    def _theirs(self, key: str, docs: list[Document]) -> list[Document]:
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
        if q.facility and not self._holds_facility(q):
            return "not_held"
        if not q.providers:
            if q.kind == "list":
                return "list"
            if q.unknown_provider:
                return "not_held"
            if q.deictic or q.kind in NEEDS_PROVIDER:
                return "clarify"
            return "search"
        if q.kind == "timeline":
            return "timeline"
        if len(q.providers) > 1 or q.kind == "compare":
            return "compare"
        if q.news and any(self._mentions.get(d) == q.providers[0] for d in self._mentions):
            return "news"
        return "report"

    def _answer(self, q: Query, docs: list[Document], mode: str, filters: dict) -> Answer:
        route = self.route(q)
        docs = apply_filters(docs, filters)
        return getattr(self, f"_route_{route}")(q, docs, mode, filters)

    def _holds_facility(self, q: Query) -> bool:
        """A named facility is held only when a provider the question names has a report of
        that facility's kind (a school report for a named school)."""
        if not q.facility_type:
            return False
        return any(d.facts.get("report_type") == q.facility_type and self._providers.by_doc.get(d.doc_id) in q.providers
                   for d in self._docs)

    # --- the routes --------------------------------------------------------------------------

    def _route_refuse(self, q: Query, docs, mode, filters) -> Answer:
        return self._abstain(REFUSALS[q.refuse], mode, self._understood(q, "refuse"))

    def _route_not_held(self, q: Query, docs, mode, filters) -> Answer:
        if q.facility:
            what = f"a report on {q.facility}" if q.facility else "that"
            text = (f"I don't hold {what}: I answer only from the inspection reports I hold, and none of "
                    f"them is about it. A council's children's services report does not rate the "
                    f"hospitals, surgeries, care homes, nurseries or schools in its area.")
        else:
            near = self._providers.suggest(q.unknown_provider)
            text = f"I have no reports for {q.unknown_provider}." + (f" Did you mean {near}?" if near else "")
        return self._abstain(text, mode, self._understood(q, "not_held"))

    def _route_clarify(self, q: Query, docs, mode, filters) -> Answer:
        example = next(iter(sorted(self._providers.names.values())), "Salford")
        odd = [w for w in q.topic.split() if w not in factual.JUDGEMENT_WORDS and (
               not self._providers.word_counts or self._providers.word_counts([w]).get(w, 0) <= 100)] \
            if q.kind in ("grade", "timeline", "compare") and not q.deictic else []
        lead = f"I don't recognise “{' '.join(odd)}” as a council I hold reports for. " if odd else ""
        return self._abstain(f"{lead}Which council do you mean? Name it in your question, for example "
                             f"“How good are {example}'s children's services?”, or choose one in the "
                             f"council filter.", mode, self._understood(q, "clarify"), cover=False)

    def _route_list(self, q: Query, docs, mode, filters) -> Answer:
        """Councils judged a grade: in the year's inspections, or on each one's latest report."""
        if not q.grade:
            return self._route_search(q, docs, mode, filters)
        schools = bool(re.search(r"\bschools?\b", q.question, re.I))
        pool = [d for d in docs if (d.facts.get("report_type") == "area_send") == q.send
                and (d.facts.get("report_type") == "school") == schools and d.facts.get("report_type") != "care_home"]
        if q.year:
            pool = [d for d in pool if d.facts.get("year") == q.year]
        else:  # 'which councils are rated inadequate': each council's latest report
            latest: dict[str, Document] = {}
            for d in sorted(pool, key=when_key):
                latest[self._providers.by_doc.get(d.doc_id, d.doc_id)] = d
            pool = list(latest.values())
        lines, cites = factual.listing(pool, q.area, q.grade, self._page_text, limit=200)
        what = factual.JUDGEMENT_LABELS.get(q.area, q.area)
        when = f"in {q.year} inspections" if q.year else "at their latest inspection"
        u = self._understood(q, "list")
        if not lines:
            return Answer(f"None of the reports I hold judged {what} {q.grade} {when}.", False, (), mode, understood=u)
        head = f"{len(lines)} {'were' if len(lines) > 1 else 'was'} judged {q.grade} for {what} {when}:"
        if q.area == "send_outcome":
            head = f"{len(lines)} area SEND inspection{'s' if len(lines) > 1 else ''} found {q.grade} {when}:"
        return Answer(head + "\n" + "\n".join(lines), False, tuple(cites), mode, understood=u)

    def _route_timeline(self, q: Query, docs, mode, filters) -> Answer:
        theirs = self._theirs(q.providers[0], docs)
        send = q.send and any(d.facts.get("report_type") == "area_send" for d in theirs)
        pool = sorted((d for d in theirs if (d.facts.get("report_type") == "area_send") == send), key=when_key)
        since = q.since or q.year
        if since:
            pool = [d for d in pool if int(d.facts.get("year", 0)) >= since] or pool[-1:]
        if q.last_n:
            pool = pool[-q.last_n:]
        u = self._understood(q, "timeline")
        if q.topical:  # how a subject changed: what each report says about it
            return self._passages(q, None, docs, mode, [d.doc_id for d in pool[-3:]], u, per_doc=True)
        body, cites = factual.timeline(pool, q.area, self._page_text)
        if not cites:
            return self._abstain("I have no graded reports for that period.", mode, u)
        name = self._providers.names.get(q.providers[0], "")
        if len(cites) == 1:
            return Answer(f"I hold one {factual.kind_label(pool[-1])} report for {name}, so I can't say how it "
                          f"has changed:\n{body}", False, tuple(cites), mode, understood=u)
        return Answer(f"{name}'s inspection results over time:\n{body}", False, tuple(cites), mode, understood=u)

    def _route_compare(self, q: Query, docs, mode, filters) -> Answer:
        chosen, notes = [], []
        for key in q.providers:
            doc, note = self._pick(_replace(q, anchor="", before=0), self._theirs(key, docs))
            if doc is None:
                notes.append(note)
            else:
                chosen.append(doc)
        u = self._understood(q, "compare")
        body, cites = factual.compare(chosen, q.area, self._page_text)
        if not cites:
            return self._abstain(" ".join(notes) or "I couldn't find graded judgements for those reports.", mode, u)
        return Answer("\n".join(notes + [body]), False, tuple(cites), mode, understood=u)

    def _route_news(self, q: Query, docs, mode, filters) -> Answer:
        news = [d for d in docs if self._mentions.get(d.doc_id) == q.providers[0]]
        u = self._understood(q, "news")
        if q.kind == "published":
            dated = [d for d in news if "published" in d.fact_spans]
            got = factual.simple_fact(self._best_news(q, dated), "published", self._page_text) if dated else None
            if got:
                return Answer(got[0], False, tuple(got[1]), mode, understood=u)
        return self._passages(q, None, docs, mode, [d.doc_id for d in news], u)

    def _route_search(self, q: Query, docs, mode, filters) -> Answer:
        """No council named and none needed: the best passages of every report."""
        return self._passages(q, None, docs, mode, None, self._understood(q, "content"), filters)

    def _route_report(self, q: Query, docs, mode, filters) -> Answer:
        theirs = self._theirs(q.providers[0], docs)
        note = ""
        if q.send and not any(d.facts.get("report_type") == "area_send" for d in theirs):
            name = self._providers.names.get(q.providers[0], "")
            note = f"I hold no area SEND inspection report for {name}."
            if _SEND_REPORT.search(q.question):
                return self._abstain(note, mode, self._understood(q, "not_held"))
        doc, missing = self._pick(q, theirs)
        note = f"{note} {missing}".strip() if doc is None else note
        if doc is None and q.before and not q.anchor:  # 'before the 2024 one': what that report says of it
            doc, _ = self._pick(_replace(q, before=0), self._theirs(q.providers[0], docs))
            previous = doc is not None and doc.facts.get("judgement_previous_overall")
            q = _replace(q, kind="grade", area="judgement_previous_overall") if previous else _replace(q, kind="content")
        elif doc is not None and q.before and q.area == "judgement_previous_overall":
            q = _replace(q, area="judgement_overall", area_named=False)  # the earlier report's own grade
        if doc is None:
            return self._abstain(note, mode, self._understood(q, "not_held"))
        kind = "send" if doc.facts.get("report_type") == "area_send" and q.kind in ("grade", "assess") else q.kind
        u = self._understood(q, kind, doc)
        facts = self._facts(q, doc, mode)
        if q.kind == "grade" and q.area_named and q.area != "judgement_previous_overall" and not doc.facts.get(q.area) and not doc.facts.get(
                _RELATED.get(q.area, "")) and doc.facts.get("report_type") != "area_send":
            label = factual.JUDGEMENT_LABELS.get(q.area, "that")
            note = f"{factual.describe(doc)} gives no separate judgement for {label}; here is what it says."
            q, facts = _replace(q, kind="content", topic=q.topic or label), None
        if facts is not None and q.kind != "assess":
            return Answer(facts[0], False, tuple(facts[1]), mode, doc.source, understood=u)
        if q.kind in ("next",) and facts is None and doc.facts.get("report_type") != "area_send":
            return self._abstain("The reports don't say when the next inspection will be, and I can't "
                                 "predict it.", mode, u)
        if q.kind == "improve":  # no list of its own: the report's words on what should improve
            q = _replace(q, topic=f"{q.topic} areas for improvement leaders should improve".strip())
        news = [d.doc_id for d in docs if self._mentions.get(d.doc_id) == q.providers[0]]
        ans = self._summary(q, doc, mode, u) if q.overview else \
            self._passages(q, doc, docs, mode, [doc.doc_id] + news, u)
        if facts is not None and q.kind == "assess":  # the judgement first, then the evidence
            first = Answer(facts[0], False, tuple(facts[1]), mode, doc.source, understood=u)
            return _join(first, ans) if not ans.abstained else first
        return _with_text(ans, f"{note} {ans.text}") if note else ans

    def _facts(self, q: Query, doc: Document, mode: str) -> tuple[str, list[Citation]] | None:
        if doc.facts.get("report_type") == "area_send" and wants_send_outcome(q):
            return factual.send_outcome(doc, self._page_text)
        if q.kind in ("grade", "assess"):
            area = q.area if doc.facts.get(q.area) else _RELATED.get(q.area, q.area)
            if q.kind == "assess" and not doc.facts.get(area) and area != "judgement_overall":
                return None
            return factual.judgement_answer(doc, area, q.area_named and q.kind == "assess", self._page_text)
        if q.kind == "improve":
            return factual.improvements(doc, self._page_text, 99 if mode == "staff" else 5)
        return factual.simple_fact(doc, q.kind, self._page_text)

    def _pick(self, q: Query, theirs: list[Document]) -> tuple[Document | None, str]:
        key = self._providers.by_doc.get(theirs[0].doc_id, "") if theirs else ""
        return pick(q, theirs, self._providers.names.get(key, "that provider"))

    def _passages(self, q: Query, doc: Document | None, docs: list[Document], mode: str,
                  doc_ids: list[str] | None, understood: Understood, filters: dict | None = None,
                  per_doc: bool = False) -> Answer:
        """Quotes of the sentences that answer the question: from one report (``doc``), from
        ``doc_ids`` (``per_doc``: the best of each, oldest first), or from every report."""
        question = (q.search or q.question) if not q.from_history else f"{q.topic} {q.search or q.question}".strip()
        question = f"{question} {report_words(question)}".strip()
        limit = 3 if mode == "staff" else 2
        by_id = {x.doc_id: x for x in docs}
        groups: list[tuple[Document | None, list]] = []
        scopes = [[i] for i in doc_ids] if per_doc and doc_ids else [doc_ids]
        best_sim = 0.0
        for ids in scopes:
            where = {"doc_id": ids if len(ids) > 1 else ids[0]} if ids else dict(chroma_filters(filters or {}))
            hits = self.retriever.search(question, k=self.k, filters=where or None)
            best_sim = max([best_sim] + [(h.similarity or 0.0) for h in hits])
            scope_doc = doc if not per_doc else by_id.get(ids[0])
            exclude = set()
            if scope_doc is not None:
                exclude = terms(str(scope_doc.facts.get("provider", ""))) | terms(str(scope_doc.facts.get("provider_key", "")))
            chosen = choose(question, hits, self.retriever.embedder, limit=1 if per_doc else limit,
                            exclude=exclude, focus=q.topic if q.from_history else _asked(q.search),
                            weights=self._idf)
            groups.append((scope_doc, chosen))
        chosen_all = [c for _, cs in groups for c in cs]
        top = max((c.score for c in chosen_all), default=0.0)
        if doc is None and not per_doc and (best_sim < self.min_similarity or not chosen_all
                                            or not any(c.words for c in chosen_all)):
            return self._abstain("I couldn't find that in the inspection reports I hold.", mode, understood)
        if (doc is not None or per_doc) and top < self.min_topic_score:
            what = factual.describe(doc) if doc is not None else "The reports"
            return self._abstain(f"{what} {'does' if doc is not None else 'do'}n't discuss that.", mode, understood)
        cites, parts = [], []
        for gdoc, chosen in groups:
            quotes = []
            for c in chosen:
                ch = c.sentence.chunk
                d = by_id.get(ch.doc_id)
                quote = clean_quote(c.sentence.text)
                cites.append(Citation(len(cites) + 1, ch.source, d.title if d else ch.source, ch.page, quote))
                quotes.append(f"“{quote}” [{len(cites)}]")
            if quotes:
                lead = f"From {factual.describe(gdoc)}: " if gdoc is not None else "The reports say: "
                parts.append(lead + " ".join(quotes))
        answer = Answer("\n\n".join(parts), False, tuple(cites), mode, doc.source if doc else "",
                        understood=understood)
        answer.timings["topic_score"] = round(top, 3)
        return answer

    def _summary(self, q: Query, doc: Document, mode: str, understood: Understood) -> Answer:
        """The report's own opening summary: its first body sentences after the cover and the
        judgement table, in reading order."""
        chunks = [c for c in self.catalog.doc_chunks(doc.doc_id) if (c.page or 1) <= 3]
        hits = [Hit(c, 0.0, None, None, None) for c in sorted(chunks, key=lambda c: ((c.page or 0), c.start))]
        sentences = body_sentences(hits, limit_hits=len(hits))[: 3 if mode == "staff" else 2]
        if not sentences:
            return self._abstain(f"{factual.describe(doc)} has no summary I can quote.", mode, understood)
        cites = [Citation(i, s.chunk.source, doc.title, s.chunk.page, clean_quote(s.text))
                 for i, s in enumerate(sentences, 1)]
        text = f"From {factual.describe(doc)}: " + " ".join(f"“{c.quote}” [{c.n}]" for c in cites)
        return Answer(text, False, tuple(cites), mode, doc.source, understood=understood)

    def _idf(self, words: list[str]) -> dict[str, float]:
        """How telling each word is: 1 for a word in one passage, 0 for a word in all of them."""
        counts = self.catalog.term_counts(words)
        total = max(2, self.catalog.counts()[1])
        return {w: max(0.0, math.log(total / max(1, n)) / math.log(total)) for w, n in counts.items()}

    def _best_news(self, q: Query, news: list[Document]) -> Document:
        """The news item that best matches the question's words (e.g. 'SEND')."""
        qt = terms(q.question)
        return max(news, key=lambda d: len(qt & terms(" ".join(self.catalog.document(d.doc_id).pages)[:3000])))

    def _abstain(self, reason: str, mode: str, understood: Understood | None = None, cover: bool = True) -> Answer:
        text = f"{reason} {self.coverage()}".strip() if cover else reason
        return Answer(text, True, (), mode, understood=understood)

    def coverage(self) -> str:
        docs = self._docs
        if not docs:
            return ""
        kinds = sorted({factual.kind_label(d) + "s" for d in docs})
        years = sorted({int(d.facts["year"]) for d in docs if d.facts.get("year")})
        span = f" from {years[0]} to {years[-1]}" if years else ""
        return (f"I answer from {len(docs)} published inspection reports ({', '.join(kinds)}) "
                f"covering {len(self._providers.names)} councils and providers{span}.")


REFUSALS = {
    "rules": "I only answer questions about what published inspection reports say, always with the "
             "passages I took the answer from. I can't share or change how I work.",
    "personal": "I can't help with personal details about individuals: inspection reports don't publish "
                "them, and I only answer from the reports.",
    "future": "I can't predict future inspections: I can only tell you what published reports say.",
    "advice": "I can't give personal or legal advice. I can tell you what published inspection reports "
              "say about a council's services; for your own situation, contact the council or an "
              "advice service.",
    "other_inspectorate": "I don't hold reports from that inspectorate: I answer from Ofsted and CQC "
                          "reports on councils in England.",
    "offtopic": "That isn't something inspection reports cover: I answer questions about what "
                "published inspection reports say.",
}
_NO = Document("", "", "", "", ())
_SEND_REPORT = re.compile(r"\b(area )?send (inspection|report|outcome|result|judgement)|\barea send\b", re.I)
# a judgement a report does not give, and the one it gives instead ('safe' in a council's report)
_RELATED = {"judgement_safe": "judgement_help_protection", "judgement_well_led": "judgement_leaders",
            "judgement_caring": "judgement_children_in_care", "judgement_leaders": "judgement_well_led"}


def _asked(text: str) -> str:
    """The clause that asks, after the context people give first ("i'm a social worker thinking
    of moving to X, what's the workforce like?" -> "what's the workforce like?"); '' when the
    question is one clause."""
    parts = [p.strip() for p in re.split(r"[,;:.!?–-]\s+|\s+-\s+", text) if len(p.strip().split()) >= 3]
    if len(parts) < 2:
        return ""
    asking = [p for p in parts if re.match(r"(what|how|is|are|does|do|did|will|can|has|have|who|when|why|which)\b", p, re.I)]
    return (asking or parts)[-1]


def _join(first: Answer, then: Answer) -> Answer:
    """A fact answer followed by passage quotes, the passages' citations renumbered after it."""
    shift = len(first.citations)
    text = re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + shift}]", then.text)
    cites = tuple(replace(c, n=c.n + shift) for c in then.citations)
    text = re.sub(r"^From [^:]*: ", "What the inspectors found: ", text)
    return replace(first, text=first.text + "\n\n" + text, citations=first.citations + cites)


def pieces(answer: Answer) -> Iterator[str | Answer]:
    """An answer as a stream: its text sentence by sentence, then the Answer itself."""
    for piece in re.split(r"(?<=[.!?\]])\s+", answer.text):
        if piece:
            yield piece + " "
    yield answer


def validate_question(question: Any) -> str:
    if not isinstance(question, str):
        raise BadInputError("question must be a string.")
    cleaned = "".join(ch for ch in question if ch.isprintable() or ch in "\n\t").strip()
    if not cleaned:
        raise BadInputError("question is empty: type a question about the inspection reports.")
    if len(cleaned) > MAX_QUESTION:
        raise BadInputError(f"question is too long ({len(cleaned)} characters; the limit is {MAX_QUESTION}).")
    return cleaned


def _with_text(answer: Answer, text: str) -> Answer:
    return replace(answer, text=text)


def _replace(q: Query, **kw) -> Query:
    return replace(q, **kw)
