"""A theme across reports: what the latest report of each council says about one subject
('what do reports say about return home interviews?'), one passage a council, the clearest
first, and how many of those reports discuss it. A mixin of the Answerer (``bot.answer``).

The subject's words are the ones the chosen passages share with the question, so the count
('12 of the 150 latest reports mention return home interviews') is of what the reports say,
not of the question's filler words."""

from __future__ import annotations

import re
from collections import defaultdict

from bot.extractive import terms
from bot.factual import kind_label, when_key
from bot.glossary import report_words
from bot.passages import choose
from bot.quotes import asked, quoted
from bot.types import Answer
from bot.understand import Query
from index.types import Document

_SCHOOLS = re.compile(r"\bschools?\b", re.I)
# who the reports are by and about: never the subject of a theme
_WHO = set("""council councils report reports inspector inspectors inspection inspections ofsted area areas
authority authorities local england country""".split())


class Themes:
    def _route_theme(self, q: Query, docs, mode, filters) -> Answer:
        docs, _ = self._scoped(docs, filters)
        pool = self._theme_pool(q, docs)
        u = self._understood(q, "theme")
        if len(pool) < 3:  # a few reports only: their best passages, as any search
            return self._route_search(q, docs, mode, filters)
        question = f"{q.search or q.question} {report_words(q.search or q.question)}".strip()
        by_id = {d.doc_id: d for d in pool}
        hits = self.retriever.search(question, k=40, filters={"doc_id": list(by_id)})
        per_doc: dict[str, list] = defaultdict(list)
        for h in hits:
            per_doc[h.chunk.doc_id].append(h)
        sentences = getattr(self.retriever, "sentences", None)
        best = []
        for doc_id in list(per_doc)[:8]:  # the reports retrieval ranks highest
            doc = by_id[doc_id]
            exclude = terms(str(doc.facts.get("provider", ""))) | terms(str(doc.facts.get("provider_key", "")))
            got = choose(question, per_doc[doc_id][:4], self.retriever.embedder, limit=1, exclude=exclude,
                         focus=asked(q.search), weights=self._quotes.idf, sentences=sentences)
            if got and got[0].words:
                best.append((got[0], doc))
        best.sort(key=lambda t: -t[0].score)
        best = [b for b in best if b[0].score >= self._quotes.min_topic_score][: 4 if mode == "staff" else 3]
        if not best:
            return self._abstain("The reports don't discuss that.", mode, u)
        answer = quoted([(d, c.sentence) for c, d in best], "", mode, u)
        subject = _subject(q.search or q.question, [c.sentence.text for c, _ in best], self._quotes.idf)
        kind = kind_label(pool[0])
        what = f"{kind} reports of {q.year}" if q.year else f"latest {kind} reports (one a council)"
        head = f"What the {what} say about {q.topic or 'that'}, the clearest passages:"
        if subject:
            n = len(self.catalog.documents_matching(subject, list(by_id)))
            head = f"{n} of the {len(pool)} {what} mention “{' '.join(subject)}”. The clearest passages:"
        return Answer(head + "\n\n" + answer.text, False, answer.citations, mode, understood=u)

    def _theme_pool(self, q: Query, docs: list[Document]) -> list[Document]:
        """The reports a theme is read across: those of the year asked, else each provider's
        latest, of the kind asked (area SEND, schools) or else children's services."""
        kind = "area_send" if q.send else "school" if _SCHOOLS.search(q.question) else "ilacs"
        pool = [d for d in docs if d.facts.get("report_type") == kind]
        if q.year:
            return [d for d in pool if d.facts.get("year") == q.year]
        latest: dict[str, Document] = {}
        for d in sorted(pool, key=when_key):
            latest[self._providers.by_doc.get(d.doc_id, d.doc_id)] = d
        return list(latest.values())


def _subject(question: str, quotes: list[str], idf) -> list[str]:
    """The question's telling words, in its order, that most of the chosen passages hold: the
    subject as the reports word it ('return home interviews'), without the asking ('common
    problems') or words most passages hold ('councils')."""
    words = [w for w in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", question.lower()) if terms(w)]
    weight = idf(sorted(set(words))) if words else {}
    words = [w for w in words if weight.get(w, 0.0) >= 0.15 and w not in _WHO]
    held = [terms(q) for q in quotes]
    need = max(1, (len(quotes) + 1) // 2)
    out = [w for w in dict.fromkeys(words) if sum(bool(terms(w) & h) for h in held) >= need]
    return out[:4]
