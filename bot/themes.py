"""A theme across reports: what the latest report of each council says about one subject
('what do reports say about return home interviews?'), one passage a council, the clearest
first, and how many of those reports discuss it. A mixin of the Answerer (``bot.answer``).

The subject's words are the ones the chosen passages share with the question, so the count
('12 of the 150 latest reports mention return home interviews') is of what the reports say,
not of the question's filler words."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from bot.compounds import Phrase, holds, rare_word, subject_phrase, subject_phrases
from bot.extractive import terms
from bot.factual import fact_citation, kind_label
from bot.glossary import report_words
from bot.passages import choose
from bot.quotes import asked, quoted, telling_words
from bot.reports import latest_each
from bot.types import Answer
from bot.understand import Query
from bot.vocabulary import FILLER
from index.fts import STOPWORDS
from index.types import Document, Hit

_SCHOOLS = re.compile(r"\b(?<!virtual )(?<!special )(schools|school (reports?|inspections?))\b", re.I)
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
        if q.kind == "improve":
            return self._route_common_improvements(q, pool, mode, u)
        question = f"{q.search or q.question} {report_words(q.search or q.question)}".strip()
        what = f"{kind_label(pool[0])} reports of {q.year}" if q.year else \
            f"{kind_label(pool[0])} reports of {_span(q)}" if q.since or q.until else \
            f"latest {kind_label(pool[0])} reports (one for each council)"
        said = q.search or q.question
        # 'partners in practice', or one word far rarer than the rest ('christmas'): the reports holding it
        phrase = subject_phrase(said, self.catalog) or rare_word(said, self.catalog)
        held = self.catalog.documents_with_phrase(phrase.text, [d.doc_id for d in pool]) if phrase else set()
        if phrase and not (q.year or q.since or q.until) and len(held) < 3:
            # 'serious youth violence and knife crime': another subject said, held by the latest reports,
            # before the reports of every year (no commoner phrase than a few times the first)
            for other in subject_phrases(said, self.catalog):
                found = self.catalog.documents_with_phrase(other.text, [d.doc_id for d in pool])
                if len(found) >= 3 and other.passages <= max(60, 4 * phrase.passages):
                    phrase, held = other, found
                    break
        if phrase and not (q.year or q.since or q.until) and len(held) < 3:
            wider = self._theme_pool(q, docs, every=True)
            more = self.catalog.documents_with_phrase(phrase.text, [d.doc_id for d in wider])
            if len(more) > len(held):
                pool, held, what = wider, more, f"{kind_label(pool[0])} reports I hold (of any year)"
        if held:
            best = self._theme_passages(q, question, [d for d in pool if d.doc_id in held], mode, phrase)
            if best:
                u = replace(u, topic=phrase.text)  # 'About: across reports · police cells', not every word said
                answer = quoted([(d, c.sentence) for c, d in best], "", mode, u)
                head = f"{len(held)} of the {len(pool)} {what} mention “{phrase.text}”. The clearest passages:"
                return Answer(head + "\n\n" + answer.text, False, answer.citations, mode, understood=u)
        best = self._theme_passages(q, question, pool, mode)
        subject = _subject(said, [c.sentence.text for c, _ in best], self._quotes.idf)
        if not (q.year or q.since or q.until) and (len(best) < (4 if mode == "staff" else 3) or not subject):
            # few councils' latest reports discuss it, or their passages share none of its words (a programme
            # of some years ago): every report held
            wider = self._theme_pool(q, docs, every=True)
            more = self._theme_passages(q, question, wider, mode)
            covers = _subject(said, [c.sentence.text for c, _ in more], self._quotes.idf)
            if (bool(covers), len(more)) > (bool(subject), len(best)):
                pool, best, subject = wider, more, covers
                what = f"{kind_label(pool[0])} reports I hold (of any year)"
        if not best:
            return self._abstain("The reports don't discuss that.", mode, u)
        answer = quoted([(d, c.sentence) for c, d in best], "", mode, u)
        head = f"What the {what} say about {q.topic or 'that'}, the clearest passages:"
        if subject:
            u = replace(u, topic=" ".join(subject))
            n = len(self.catalog.documents_matching(subject, [d.doc_id for d in pool]))
            head = f"{n} of the {len(pool)} {what} mention “{' '.join(subject)}”. The clearest passages:"
        return Answer(head + "\n\n" + answer.text, False, answer.citations, mode, understood=u)

    def _theme_passages(self, q: Query, question: str, pool: list[Document], mode: str,
                        phrase: Phrase | None = None) -> list:
        """The clearest passage of each of the reports retrieval ranks highest on the subject, one
        a council, clearest first; with ``phrase``, a sentence holding it where the report has one."""
        by_id = {d.doc_id: d for d in pool}
        hits = self.retriever.search(question, k=40, filters={"doc_id": list(by_id)})
        per_doc: dict[str, list] = defaultdict(list)
        for h in hits:
            per_doc[h.chunk.doc_id].append(h)
        sentences = getattr(self.retriever, "sentences", None)
        best, councils = [], set()
        for doc_id in list(per_doc)[:8]:  # the reports retrieval ranks highest
            doc = by_id[doc_id]
            council = self._providers.by_doc.get(doc_id, doc_id)
            if council in councils:
                continue  # one passage a council
            exclude = terms(str(doc.facts.get("provider", ""))) | terms(str(doc.facts.get("provider_key", "")))
            read = per_doc[doc_id][:4]
            if phrase is not None:  # the passages holding the phrase first
                ids = self.catalog.chunks_with_phrase(phrase.text, [doc_id], 2)
                found = self.catalog.chunks([i for i in ids if i not in {h.chunk.id for h in read}])
                read = [Hit(found[i], 0.0) for i in ids if i in found] + read
            got = choose(question, read, self.retriever.embedder, limit=1, exclude=exclude,
                         focus=asked(q.search), weights=self._quotes.idf, sentences=sentences,
                         prefer=(lambda text: holds(text, phrase)) if phrase is not None else None)
            if got and got[0].words and (phrase is None or holds(got[0].sentence.text, phrase)):
                best.append((got[0], doc))
                councils.add(council)
        best.sort(key=lambda t: -t[0].score)
        return [b for b in best if b[0].score >= self._quotes.min_topic_score][: 4 if mode == "staff" else 3]

    def _route_common_improvements(self, q: Query, pool: list[Document], mode: str, u) -> Answer:
        """'What are councils most often told to improve?': the subjects the reports' own lists
        of what needs to improve name most often, each with how many reports name it and one
        point quoted."""
        points: list[tuple[Document, int, str]] = []
        for d in pool:
            n = int(d.facts.get("improve_count", 0) or 0)
            full = self.catalog.document(d.doc_id) if n else None
            for i in range(1, n + 1):
                span = d.fact_spans.get(f"improve_{i}")
                if full is not None and span and span[0] <= len(full.pages):
                    points.append((d, i, re.sub(r"\s+", " ", full.pages[span[0] - 1][span[1]:span[2]])))
        reports = len({d.doc_id for d, _, _ in points})
        if not reports:
            return self._abstain("The reports I hold set out no lists of what needs to improve.", mode, u)
        lines, cites = [], []
        used: set[tuple[str, int]] = set()
        for phrase, docs_with, named in common_phrases(points, 6 if mode == "staff" else 4):
            d, i = next(((d, i) for d, i in named if (d.doc_id, i) not in used), named[0])
            used.add((d.doc_id, i))
            c = fact_citation(len(cites) + 1, d, f"improve_{i}", self._page_text)
            if c is None:
                continue
            cites.append(c)
            lines.append(f"- {phrase}: named in {len(docs_with)} reports, e.g. {d.name}: "
                         f"“{c.quote}” [{c.n}]")
        what = f"{kind_label(pool[0])} reports of {q.year}" if q.year else f"latest {kind_label(pool[0])} reports"
        head = f"Across {reports} councils' {what} ({len(points)} points for improvement), the subjects named most often:"
        return Answer(head + "\n" + "\n".join(lines), False, tuple(cites), mode, understood=u)

    def _theme_pool(self, q: Query, docs: list[Document], every: bool = False) -> list[Document]:
        """The reports a theme is read across: those of the year asked, else each provider's
        latest (``every``: all of them), of the kind asked (area SEND, schools) or else children's
        services."""
        kinds = ("area_send",) if q.send else ("school",) if _SCHOOLS.search(q.question) else \
            ("ilacs", "children_services_older")  # children's services: today's framework and the one before
        pool = [d for d in docs if d.facts.get("report_type") in kinds]
        if q.year:
            return [d for d in pool if d.facts.get("year") == q.year]
        if q.since or q.until:  # 'over the last few years': every report of those years
            return [d for d in pool if (q.since or 0) <= int(d.facts.get("year") or 0) <= (q.until or 9999)]
        if every:
            return pool
        return latest_each(pool, lambda d: self._providers.by_doc.get(d.doc_id, d.doc_id))


def _span(q: Query) -> str:
    """'2022 to 2026', '2022 onwards', 'up to 2019'."""
    return f"{q.since} to {q.until}" if q.since and q.until else f"{q.since} onwards" if q.since else f"up to {q.until}"


def _subject(question: str, quotes: list[str], idf) -> list[str]:
    """The question's telling words, in its order, that most of the chosen passages hold: the
    subject as the reports word it ('return home interviews'), without the asking ('common
    problems') or words most passages hold ('councils')."""
    words = [w for w in telling_words(f"{question} {report_words(question)}", idf) if w not in _WHO and w not in FILLER]
    held = [terms(q) for q in quotes]
    need = max(1, (len(quotes) + 1) // 2)
    out = [w for w in dict.fromkeys(words) if sum(bool(terms(w) & h) for h in held) >= need]
    weight = idf(out) if out else {}
    if any(v >= 0.4 for v in weight.values()):  # 'female genital mutilation', not the 'risk' said with it
        out = [w for w in out if weight.get(w, 0.0) >= 0.2]
    return out[:4]


# words every point for improvement uses, and the 2026 reports' references to the national
# framework ('(outcome 1, national framework)'): never a subject of their own
_PLAIN = set("""quality impact consistency consistent consistently effectiveness effective children child young
people families family ensure ensuring including timely all local authority authorities national framework
outcome outcomes enabler enablers improve improved improvement further more range""".split())


def common_phrases(points: list[tuple[Document, int, str]], limit: int = 6
                   ) -> list[tuple[str, set[str], list[tuple[Document, int]]]]:
    """Two- and three-word subjects of the points, by how many reports name them, most first,
    each with the points naming it (report and number; whole sentences first); a subject that
    shares a word with one already taken is left out ('home interviews' after 'return home
    interviews')."""
    where: dict[str, set[str]] = defaultdict(set)
    named_by: dict[str, list[tuple[Document, int, str]]] = defaultdict(list)
    for d, n, text in points:
        words = re.findall(r"[a-z]+(?:-[a-z]+)*", text.lower())
        for size in (2, 3):
            for i in range(len(words) - size + 1):
                gram = words[i:i + size]
                if gram[0] in STOPWORDS or gram[-1] in STOPWORDS or gram[0] in _PLAIN or gram[-1] in _PLAIN:
                    continue
                if any(w in _PLAIN for w in gram):
                    continue
                phrase = " ".join(gram)
                where[phrase].add(d.doc_id)
                named_by[phrase].append((d, n, text))
    # a three-word subject wins over its two-word parts when nearly as many reports name it
    ranked = sorted(((p, ds) for p, ds in where.items() if len(ds) >= 2),
                    key=lambda kv: (-len(kv[1]), -len(kv[0].split())))
    out: list[tuple[str, set[str], list[tuple[Document, int]]]] = []
    taken: set[str] = set()
    for phrase, docs in ranked:
        if len(out) == limit:
            break
        words = set(phrase.split())
        if words & taken or any(phrase in p and p != phrase and len(ds) >= 0.8 * len(docs) for p, ds in ranked):
            continue
        whole_first = sorted(named_by[phrase], key=lambda p: not p[2][:1].isupper())
        out.append((phrase, docs, [(d, n) for d, n, _ in whole_first]))
        taken |= words
    return out
