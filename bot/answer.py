"""The Answerer: question -> understand -> choose report(s) -> facts or passages -> Answer.

It needs no LLM: facts answers come from what ingest extracted, other answers are the most
relevant sentences of the retrieved passages, quoted verbatim and numbered. When the reports
hold no answer it says so (``abstained=True``) and says what the reports do cover.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from typing import Any, Iterator, Mapping, Sequence

from bot import factual
from bot.extractive import STOPWORDS, clean_quote, select, terms
from bot.glossary import explain
from bot.types import MODES, Answer, Citation
from bot.understand import ProviderIndex, Query, understand, wants_send_outcome
from index.catalog import Catalog
from index.errors import BadInputError
from index.retrieve import Retriever
from index.types import Document

log = logging.getLogger(__name__)

MAX_QUESTION = 2000


class Answerer:
    def __init__(self, catalog: Catalog, retriever: Retriever, min_similarity: float = 0.40,
                 k: int = 8, slots: int = 0):
        """``slots``: how many questions are worked on at once (0: no limit). Set to the CPU
        count, questions wait their turn in order instead of all slowing each other down: on
        2 cores under 20 clients, 14% more answers a second and less than half the p95 latency."""
        self.catalog = catalog
        self.retriever = retriever
        self.min_similarity = min_similarity
        self.k = k
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
                providers = ProviderIndex.build(docs)
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
        max_year = max((int(d.facts.get("year", 0)) for d in docs), default=None)
        q = understand(question, self._providers, history, max_year=max_year)
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

    # --- the decision ------------------------------------------------------------------------

    def _answer(self, q: Query, docs: list[Document], mode: str, filters: dict) -> Answer:
        if q.refuse == "rules":
            return self._abstain("I only answer questions about what published inspection reports "
                                 "say, always with the passages I took the answer from. I can't "
                                 "share or change how I work.", mode)
        if q.refuse == "personal":
            return self._abstain("I can't help with personal details about individuals: inspection "
                                 "reports don't publish them, and I only answer from the reports.", mode)
        if q.refuse == "future":
            return self._abstain("I can't predict future inspections: I can only tell you what "
                                 "published reports say.", mode)
        if q.refuse == "other_inspectorate":
            return self._abstain("I don't hold reports from that inspectorate.", mode)
        docs = _apply_filters(docs, filters)
        if not q.providers and filters.get("provider"):
            keys = [k for p in _as_list(filters["provider"]) for k in self._providers.find(str(p))]
            q = _replace(q, providers=tuple(dict.fromkeys(keys)))
        if not q.providers:
            if q.unknown_provider:
                return self._abstain(f"I have no reports for {q.unknown_provider}.", mode)
            if q.topic == "list" and q.grade:
                return self._list(q, docs, mode)
            return self._passages(q, None, docs, mode, filters)
        chosen: list[Document] = []
        notes: list[str] = []
        for key in q.providers:
            theirs = [d for d in docs if self._providers.by_doc.get(d.doc_id) == key]
            if q.topic == "timeline":
                return self._timeline(q, theirs, mode)
            doc, note = self._pick(q, theirs)
            if doc is None:
                notes.append(note)
            else:
                chosen.append(doc)
                if note:
                    notes.append(note)
        if not chosen:
            return self._abstain(" ".join(notes), mode)
        if len(chosen) > 1 and q.topic in ("grade", "general"):
            return self._compare(q, chosen, mode)
        doc = chosen[0]
        news = [d for d in docs if self._mentions.get(d.doc_id) == self._providers.by_doc.get(doc.doc_id)]
        if q.news and news:
            if q.topic == "published":
                dated = [d for d in news if "published" in d.fact_spans]
                ans = self._from_facts(q, self._best_news(q, dated), mode) if dated else None
                if ans:
                    return ans
            return self._passages(q, None, docs, mode, {}, doc_ids=[d.doc_id for d in news])
        ans = self._from_facts(q, doc, mode)
        if ans is None:
            ans = self._passages(q, doc, docs, mode, filters,
                                 doc_ids=[doc.doc_id] + [d.doc_id for d in news])
        if notes and not ans.abstained:
            ans = _with_text(ans, " ".join(notes) + " " + ans.text)
        return ans

    def _pick(self, q: Query, theirs: list[Document]) -> tuple[Document | None, str]:
        name = self._providers.names.get(self._providers.by_doc.get(theirs[0].doc_id, ""), "that provider") \
            if theirs else "that provider"
        if not theirs:
            return None, f"I have no reports for {name}."
        pool = theirs
        if q.send:
            pool = [d for d in theirs if d.facts.get("report_type") == "area_send"] or pool
        else:
            pool = [d for d in theirs if d.facts.get("report_type") != "area_send"] or pool
        order = sorted(pool, key=lambda d: str(d.facts.get("inspection_end") or d.facts.get("published") or ""))
        if q.year:
            same = [d for d in order if d.facts.get("year") == q.year] or \
                   [d for d in order if str(d.facts.get("published", ""))[:4] == str(q.year)]
            if not same:
                years = ", ".join(sorted({str(d.facts.get("year")) for d in order if d.facts.get("year")}))
                return None, f"I have no {q.year} report for {name}; I have reports from {years}."
            return same[-1], ""
        return order[-1], ""

    def _from_facts(self, q: Query, doc: Document, mode: str) -> Answer | None:
        f = doc.facts
        cite = lambda name, sentence=False: factual.fact_citation(1, doc, name, self._page_text, sentence)
        if f.get("report_type") == "area_send" and (wants_send_outcome(q) or q.topic == "grade") and f.get("send_outcome"):
            c = cite("send_outcome", sentence=True)
            if c:
                text = f"{factual.describe(doc)} found: “{c.quote}” [1]"
                return Answer(text, False, (c,), mode, doc.source)
        if q.topic == "grade":
            area = q.area if f.get(q.area) else ("judgement_overall" if not q.area_named else q.area)
            sentence = factual.grade_sentence(doc, area)
            c = cite(area)
            if sentence and c:
                return Answer(f"{sentence} [1]", False, (c,), mode, doc.source)
            if area == "judgement_overall":
                return self._all_judgements(doc, mode)
        if q.topic == "inspector" and f.get("lead_inspector"):
            c = cite("lead_inspector")
            if c:
                text = f"The lead inspector for {factual.describe(doc)} was {f['lead_inspector']}. [1]"
                return Answer(text, False, (c,), mode, doc.source)
        if q.topic == "dates" and f.get("inspection_end"):
            c = cite("inspection_end")
            if c:
                text = f"Inspectors visited {f.get('provider')} from {factual.when(doc)}. [1]"
                return Answer(text, False, (c,), mode, doc.source)
        if q.topic == "next" and "next_inspection" in doc.fact_spans:
            c = cite("next_inspection")
            if c:
                return Answer(f"{factual.describe(doc)} says: “{c.quote}” [1]", False, (c,), mode, doc.source)
        if q.topic == "published" and "published" in doc.fact_spans:
            c = cite("published")
            if c:
                return Answer(f"It was published on {factual.fmt_date(f['published'])}. [1]", False, (c,), mode, doc.source)
        if q.topic == "where" and f.get("address"):
            c = cite("address")
            if c:
                return Answer(f"{f.get('provider')} is at {f['address']}. [1]", False, (c,), mode, doc.source)
        if q.topic == "improve":
            return self._improve(q, doc, mode)
        return None

    def _all_judgements(self, doc: Document, mode: str) -> Answer | None:
        """Every graded judgement of a report with no overall grade (Ofsted's reports from
        2026 have none)."""
        lines, cites = [], []
        for name, label in factual.JUDGEMENT_LABELS.items():
            g = doc.facts.get(name)
            c = factual.fact_citation(len(cites) + 1, doc, name, self._page_text) if g else None
            if c:
                cites.append(c)
                lines.append(f"- {label}: {str(g).capitalize()} [{c.n}]")
        if not cites:
            return None
        head = (f"{factual.describe(doc)} gives no single overall grade; its judgements were:")
        return Answer(head + "\n" + "\n".join(lines), False, tuple(cites), mode, doc.source)

    def _best_news(self, q: Query, news: list[Document]) -> Document:
        """The news item that best matches the question's words (e.g. 'SEND')."""
        qt = terms(q.question)
        return max(news, key=lambda d: len(qt & terms(" ".join(self.catalog.document(d.doc_id).pages)[:3000])))

    def _improve(self, q: Query, doc: Document, mode: str) -> Answer | None:
        """The report's own list of what needs to improve, item by item, each cited."""
        n = int(doc.facts.get("improve_count", 0))
        if not n:
            return None
        limit = n if mode == "staff" else min(n, 5)
        cites, lines = [], []
        for i in range(1, limit + 1):
            c = factual.fact_citation(len(cites) + 1, doc, f"improve_{i}", self._page_text)
            if c and len(c.quote) > 10:
                cites.append(c)
                lines.append(f"- {c.quote} [{c.n}]")
        if not cites:
            return None
        more = f"\n({n - limit} more in the report.)" if n > limit else ""
        head = f"{factual.describe(doc)} said these need to improve:"
        return Answer(head + "\n" + "\n".join(lines) + more, False, tuple(cites), mode, doc.source)

    def _passages(self, q: Query, doc: Document | None, docs: list[Document], mode: str,
                  filters: dict, doc_ids: list[str] | None = None) -> Answer:
        where = dict(_chroma_filters(filters))
        if doc_ids:
            where = {"doc_id": doc_ids if len(doc_ids) > 1 else doc_ids[0]}
        hits = self.retriever.search(q.question, k=self.k, filters=where or None)
        exclude = set()
        if doc is not None:
            exclude = terms(str(doc.facts.get("provider", ""))) | terms(str(doc.facts.get("provider_key", "")))
        if not hits:
            return self._abstain("I couldn't find anything about that in the reports.", mode)
        best = max((h.similarity or 0.0) for h in hits)
        chosen = select(q.question, hits, limit=3 if mode == "staff" else 2, exclude=exclude)
        matched = [c for c in chosen if c[1] > 0]
        covered = self._covered(q.question, exclude, [s for s, _ in matched])
        if doc is None and (best < self.min_similarity or not matched or not covered):
            return self._abstain("I couldn't find that in the inspection reports I hold.", mode)
        if doc is not None and (not matched or not covered):
            return self._abstain(f"{factual.describe(doc)} doesn't seem to cover that.", mode)
        cites, parts = [], []
        by_id = {x.doc_id: x for x in docs}
        for sent, _ in matched:
            c = sent.chunk
            d = by_id.get(c.doc_id)
            cites.append(Citation(len(cites) + 1, c.source, d.title if d else c.source, c.page,
                                  clean_quote(sent.text)))
            parts.append(f"“{clean_quote(sent.text)}” [{len(cites)}]")
        lead = f"From {factual.describe(doc)}: " if doc is not None else "The reports say: "
        return Answer(lead + " ".join(parts), False, tuple(cites), mode, doc.source if doc else "")

    def _covered(self, question: str, exclude: set[str], sentences: list) -> bool:
        """Do the chosen sentences answer what was asked? They must contain the question's
        rarest content word (rarest across the whole index), or most of its content words. A
        word that no report uses at all ('pothole') means the reports cannot answer."""
        words: dict[str, str] = {}
        for w in re.findall(r"[A-Za-z][A-Za-z'-]+", question):
            low = w.lower().replace("'s", "").replace("’s", "")
            stem = next(iter(terms(low)), None)
            if stem and stem not in exclude and low not in STOPWORDS and len(low) > 2:
                words[low] = stem
        if not words:
            return True
        counts = self.catalog.term_counts(list(words))
        key = min(words, key=lambda w: (counts[w], -len(w)))
        if counts[key] == 0:
            return False
        found = set().union(*(terms(s.text) for s in sentences)) if sentences else set()
        stems = set(words.values())
        return words[key] in found or len(stems & found) > 0.5 * len(stems)

    def _timeline(self, q: Query, theirs: list[Document], mode: str) -> Answer:
        pool = [d for d in theirs if (d.facts.get("report_type") == "area_send") == q.send]
        if q.since:
            pool = [d for d in pool if int(d.facts.get("year", 0)) >= q.since]
        body, cites = factual.timeline(pool, q.area, self._page_text)
        if not cites:
            return self._abstain("I have no graded reports for that period.", mode)
        name = pool[0].facts.get("provider")
        return Answer(f"{name}'s inspection results over time:\n{body}", False, tuple(cites), mode)

    def _list(self, q: Query, docs: list[Document], mode: str) -> Answer:
        pool = [d for d in docs if not q.year or d.facts.get("year") == q.year]
        lines, cites = factual.listing(pool, q.area, q.grade, self._page_text)
        what = factual.JUDGEMENT_LABELS.get(q.area, q.area)
        yr = f" in {q.year}" if q.year else ""
        if not lines:
            return Answer(f"None of the reports I hold{yr} judged {what} {q.grade}.", False, (), mode)
        return Answer(f"Judged {q.grade} for {what}{yr}:\n" + "\n".join(lines), False, tuple(cites), mode)

    def _compare(self, q: Query, chosen: list[Document], mode: str) -> Answer:
        lines, cites = [], []
        for doc in chosen:
            area = q.area if doc.facts.get(q.area) else "judgement_overall"
            s = factual.grade_sentence(doc, area)
            c = factual.fact_citation(len(cites) + 1, doc, area, self._page_text)
            if s and c:
                cites.append(c)
                lines.append(f"- {s} [{c.n}]")
        if not cites:
            return self._abstain("I couldn't find graded judgements for those reports.", mode)
        return Answer("\n".join(lines), False, tuple(cites), mode)

    def _abstain(self, reason: str, mode: str) -> Answer:
        cover = self.coverage()
        return Answer(f"{reason} {cover}".strip(), True, (), mode)

    def coverage(self) -> str:
        docs = self._docs
        if not docs:
            return ""
        kinds = sorted({factual.kind_label(d) + "s" for d in docs})
        years = sorted({int(d.facts["year"]) for d in docs if d.facts.get("year")})
        span = f" from {years[0]} to {years[-1]}" if years else ""
        return (f"I answer from {len(docs)} published inspection reports ({', '.join(kinds)}) "
                f"covering {len(self._providers.names)} councils and providers{span}.")


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


def _apply_filters(docs: list[Document], filters: dict) -> list[Document]:
    out = docs
    for key in ("year", "report_type", "inspectorate"):
        if key in filters and filters[key] not in (None, "", []):
            want = {str(v).lower() for v in _as_list(filters[key])}
            out = [d for d in out if str(d.facts.get(key, "")).lower() in want]
    return out


def _chroma_filters(filters: dict) -> dict:
    out = {}
    for key in ("year", "report_type", "inspectorate", "provider_key"):
        if key in filters and filters[key] not in (None, "", []):
            out[key] = filters[key]
    return out


def _as_list(v) -> list:
    return list(v) if isinstance(v, (list, tuple, set)) else [v]


def _with_text(answer: Answer, text: str) -> Answer:
    from dataclasses import replace

    return replace(answer, text=text)


def _replace(q: Query, **kw) -> Query:
    from dataclasses import replace

    return replace(q, **kw)
