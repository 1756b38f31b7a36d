"""Passage answers: the sentences that answer a topic, quoted verbatim and labelled with the
document each comes from (a report, or a council's news item searched beside it)."""

from __future__ import annotations

import math
import re
from typing import Callable

from bot import factual
from bot.compounds import Phrase, holds, subject_phrase
from bot.extractive import clean_quote, terms
from bot.glossary import report_words
from bot.passages import body_sentences, choose
from bot.reports import chroma_filters
from bot.types import Answer, Citation, Understood
from bot.understand import Query
from bot.vocabulary import FILLER
from bot.wording import quoted_subject
from index.types import Document, Hit

Abstain = Callable[[str, str, Understood], Answer]  # (reason, mode, understood) -> Answer


class Quoter:
    """Finds and quotes sentences. ``min_similarity``: a question naming no council is refused
    below this cosine similarity to its best passage; ``min_topic_score``: within named reports,
    the best sentence must score this or the reports are taken not to discuss the topic."""

    def __init__(self, catalog, retriever, min_similarity: float, min_topic_score: float, k: int = 8):
        self.catalog = catalog
        self.retriever = retriever
        self.min_similarity = min_similarity
        self.min_topic_score = min_topic_score
        self.k = k

    def answer(self, q: Query, doc: Document | None, docs: list[Document], mode: str,
               doc_ids: list[str] | None, understood: Understood, abstain: Abstain,
               filters: dict | None = None, per_doc: bool = False, sure: bool = False) -> Answer:
        """Quotes from one report (``doc``, with ``doc_ids`` searched), from each of
        ``doc_ids`` (``per_doc``: the best of each, oldest first), or from every report.
        ``sure``: the documents are what was asked for, so no score says they don't discuss it."""
        question = (q.search or q.question) if not q.from_history else f"{q.topic} {q.search or q.question}".strip()
        question = f"{question} {report_words(question)}".strip()
        limit = 3 if mode == "staff" else 2
        by_id = {x.doc_id: x for x in docs}
        chosen_all, best_sim = [], 0.0
        focus = q.topic if q.from_history else asked(q.search)
        off, phrase = False, None  # off: 'young carers' asked, and the report speaks only of foster carers
        for ids in ([[i] for i in doc_ids] if per_doc and doc_ids else [doc_ids]):
            where = {"doc_id": ids if len(ids) > 1 else ids[0]} if ids else dict(chroma_filters(filters or {}))
            hits = self.retriever.search(question, k=self.k, filters=where or None)
            best_sim = max([best_sim] + [(h.similarity or 0.0) for h in hits])
            if doc is not None and not per_doc and ids:
                held = focus or q.search or q.topic  # in the report's words too ('caseloads': 'workloads')
                hits = self._holding(f"{held} {report_words(held)}", hits, where)
                phrase = self._fixed(q.search if quoted_subject(q.search) else focus or q.topic or held)
                if phrase is not None:
                    hits = self._phrased(phrase, hits, ids) or hits
                    off = not any(holds(h.chunk.text, phrase) for h in hits)
            scope = doc if not per_doc else by_id.get(ids[0])
            exclude = set()
            if scope is not None:
                exclude = terms(str(scope.facts.get("provider", ""))) | terms(str(scope.facts.get("provider_key", "")))
            chosen_all += choose(question, hits, self.retriever.embedder, limit=1 if per_doc else limit,
                                 exclude=exclude, focus=focus,
                                 weights=self.idf, sentences=getattr(self.retriever, "sentences", None),
                                 prefer=(lambda text: holds(text, phrase)) if phrase is not None else None)
        if phrase is not None and any(holds(c.sentence.text, phrase) for c in chosen_all):
            # 'young carers' said: the sentences that say it, not the next best on 'carers'
            chosen_all = [c for c in chosen_all if holds(c.sentence.text, phrase)]
        top = max((c.topical for c in chosen_all), default=0.0)  # a figure makes no sentence more on the topic
        if doc is None and not per_doc and not doc_ids and (best_sim < self.min_similarity or not chosen_all
                                            or not any(c.words for c in chosen_all)):
            return abstain("I couldn't find that in the inspection reports I hold.", mode, understood)
        if (doc is not None or per_doc or doc_ids) and not sure \
                and (off or top < self.min_topic_score and not covers(q.topic, chosen_all, self.idf)):
            what = f"{factual.describe(doc)} doesn't" if doc is not None else "The reports don't"
            return abstain(f"{what} discuss that.", mode, understood)
        sentences = [(by_id.get(c.sentence.chunk.doc_id), c.sentence) for c in chosen_all]
        answer = quoted(sentences, doc.source if doc is not None else "", mode, understood)
        answer.timings["topic_score"] = round(top, 3)
        return answer

    def _fixed(self, text: str) -> Phrase | None:
        """The subject's phrase where it is named in quotes, or is two words ('young carers') of
        which the first is in over a quarter of all passages ('young'): the telling words alone
        ('carers') would take a sentence on foster carers to be about it."""
        phrase = subject_phrase(text, self.catalog)
        if phrase is not None and phrase.text == quoted_subject(text).lower():
            return phrase  # named in quotes ('no wrong door'): a report that never says it doesn't discuss it
        if phrase is None or len(phrase.text.split()) != 2:
            return None
        first = phrase.text.split()[0]
        counts, total = self.catalog.frequencies([first])
        return phrase if counts[first] > 0.25 * total else None  # as common as keyword search leaves out

    def _phrased(self, phrase: Phrase, hits: list[Hit], ids: list[str]) -> list[Hit] | None:
        """``hits`` with the reports' passages holding ``phrase`` first; None where none does."""
        found = self.catalog.chunks_with_phrase(phrase.text, ids, 2)
        if not found:
            return None
        have = {h.chunk.id: h for h in hits}
        chunks = self.catalog.chunks([cid for cid in found if cid not in have])
        first = [have.get(cid) or Hit(chunks[cid], 0.0) for cid in found if cid in have or cid in chunks]
        return first + [h for h in hits if h.chunk.id not in found]

    def _holding(self, focus: str, hits: list[Hit], where: dict, first: int = 4) -> list[Hit]:
        """``hits`` with the report's two passages that best hold the rare words of what is asked
        ('adulthood', 'exploitation') among the first read (after the ``first`` best): a report's
        many passages on its general themes outrank the one on the subject asked about."""
        rare = [w for w in telling_words(focus or "", self.idf) if w not in FILLER]  # not 'area send'
        if not rare:
            return hits
        top = {h.chunk.id for h in hits[:first]}
        found = [cid for cid, _ in self.catalog.keyword_search(" ".join(rare), 4, where) if cid not in top][:2]
        if not found:
            return hits
        have = {h.chunk.id: h for h in hits}
        chunks = self.catalog.chunks([cid for cid in found if cid not in have])
        moved = [have.get(cid) or Hit(chunks[cid], 0.0) for cid in found if cid in have or cid in chunks]
        return hits[:first] + moved + [h for h in hits[first:] if h.chunk.id not in found]

    def summary(self, doc: Document, mode: str, understood: Understood, abstain: Abstain) -> Answer:
        """The report's own opening summary: its first body sentences after the cover and the
        judgement table, in reading order."""
        chunks = [c for c in self.catalog.doc_chunks(doc.doc_id) if (c.page or 1) <= 3]
        hits = [Hit(c, 0.0) for c in sorted(chunks, key=lambda c: ((c.page or 0), c.start))]
        sentences = [s for s in body_sentences(hits, limit_hits=len(hits),  # sentences, not headings
                                               kept=getattr(self.retriever, "sentences", None))
                     if re.search(r"[.!?][”\"’']?$", s.text.strip())][: 3 if mode == "staff" else 2]
        if not sentences:
            return abstain(f"{factual.describe(doc)} has no summary I can quote.", mode, understood)
        return quoted([(doc, s) for s in sentences], doc.source, mode, understood)

    def idf(self, words: list[str]) -> dict[str, float]:
        """How telling each word is: 1 for a word in one passage, 0 for a word in all of them."""
        counts, total = self.catalog.frequencies(words)
        total = max(2, total)
        return {w: max(0.0, math.log(total / max(1, n)) / math.log(total)) for w, n in counts.items()}


def quoted(sentences: list, report: str, mode: str, understood: Understood) -> Answer:
    """'From <document>: “quote” [1] “quote” [2]', one lead per document, in the order chosen."""
    cites, parts, current = [], [], None
    for d, s in sentences:
        quote = clean_quote(s.text)
        cites.append(Citation(len(cites) + 1, s.chunk.source, d.title if d else s.chunk.source, s.chunk.page, quote))
        if d is None or current is None or d.doc_id != current.doc_id:
            parts.append(f"From {label(d)}: " if d is not None else "The reports say: ")
            current = d
        parts[-1] += f"“{quote}” [{len(cites)}] "
    return Answer("\n\n".join(p.strip() for p in parts), False, tuple(cites), mode, report, understood=understood)


def label(d: Document) -> str:
    """A report described by its inspection; a news item as the council's own words, by its
    title and date (it is not the inspectorate's)."""
    if d.facts.get("provider"):
        return factual.describe(d)
    when = f", {factual.fmt_date(d.facts['published'])}" if d.facts.get("published") else ""
    return f"the council's own press release (not the inspectors' words) “{d.title}”{when}"


def asked(text: str) -> str:
    """The clause that asks, after the context people give first ("i'm a social worker thinking
    of moving to X, what's the workforce like?" -> "what's the workforce like?"); '' when the
    question is one clause."""
    parts = [p.strip() for p in re.split(r"[,;:.!?–-]\s+|\s+-\s+", text) if len(p.strip().split()) >= 3]
    if len(parts) < 2:
        return ""
    asking = [p for p in parts if re.match(r"(what|how|is|are|does|do|did|will|can|has|have|who|when|why|which)\b",
                                           p, re.I)]
    # 'what did ofsted say about that?' names nothing: the last clause that does ('would they
    # deal with exploitation properly')
    saying = [p for p in parts if _names_something(p)
              or not re.search(r"\b(about|on|of|with|to) (that|this|it|them|those)\W*$", p, re.I)]
    clause = ([p for p in asking if p in saying] or saying[-1:] or asking or parts)[-1]
    # 'my grandson is in foster care in X, is the council looking after him properly?': the clause
    # that asks names no subject, the context does; the whole question is the focus
    return clause if _names_something(clause) else ""


def _names_something(clause: str) -> bool:
    """The clause holds a word of its own, not only question words ('what did ofsted say about that')."""
    return bool(set(re.findall(r"[a-z]+", clause.lower())) - FILLER - {"ofsted", "inspectors"})


def covers(topic: str, chosen: list, idf) -> bool:
    """Whether one chosen sentence holds every telling word of the topic ('exploitation' in
    'children at risk of exploitation are well supported'): the report discusses it, whatever
    the similarity score says. Words most passages hold ('children', 'services') don't count."""
    telling = [terms(w) for w in telling_words(topic, idf)]
    return bool(telling) and any(all(t & terms(c.sentence.text) for t in telling) for c in chosen)


def telling_words(text: str, idf) -> list[str]:
    """The words of ``text``, in its order, that say which passages it is about: those fewer
    than about a fifth of all passages hold (``idf(words) -> {word: 0..1}``), not 'children'."""
    words = [w for w in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text.lower()) if terms(w)]
    weight = idf(sorted(set(words))) if words else {}
    return [w for w in words if weight.get(w, 0.0) >= 0.15]
