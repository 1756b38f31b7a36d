"""Answers from the news a council published about its inspections (press releases): the
council's own words, labelled as such, never the inspectorate's. A mixin of the Answerer
(``bot.answer``)."""

from __future__ import annotations

import re
from dataclasses import replace

from bot import factual
from bot.extractive import terms
from bot.passages import WHO_SAID as _WHO_SAID
from bot.quotes import telling_words
from bot.types import Answer
from bot.understand import Query
from bot.vocabulary import CHILDRENS_SERVICES, DESCRIBED, FILLER, SPOKE, is_send
from index.types import Document

_SPEAKING = re.compile(r"quot\w*|said|say\w*|statement|comment\w*|spoke|speak\w*|press|release|news|put|issued|"
                       r"released|published|councillor|councillors", re.I)


_TO_IMPROVE = re.compile(r"\b(needs? to improve|needed to improve|to improve|do better|areas? for improvement|"
                         r"improvements? (needed|asked for)|work on|working on)\b", re.I)
# 'which inspection was that release about?'
_WHICH_INSPECTION = re.compile(r"\b(which|what) (inspection|report|visit)\b[^?]{0,80}\babout\b|\babout (which|what) "
                               r"(inspection|report)\b", re.I)


class NewsRoutes:
    def _route_news(self, q: Query, docs, mode, filters) -> Answer:
        news = [d for d in docs if self._mentions.get(d.doc_id) == q.providers[0]]
        if q.year:  # 'the press release on the 2018 ofsted': the news about that year's inspection
            news = [d for d in news if self._state.about_year.get(d.doc_id) == q.year] or news
        described = DESCRIBED.search(q.question)
        if described and len(news) > 1:  # 'the release bragging about good across the board': the one that says so
            said = terms(described.group(0))
            news = [max(news, key=lambda d: len(said & terms(f"{d.title} {self._state.news_text.get(d.doc_id, '')[:2000]}")))]
        u = self._understood(q, "news")
        derived = ""
        if not q.topic and q.kind != "published":  # 'in X's release about being rated good, did they admit ...?'
            derived = " ".join(w for w in re.findall(r"[a-z]+", q.search.lower()) if w not in FILLER
                               and not _SPEAKING.fullmatch(w) and len(w) > 1)
            q = replace(q, topic=derived)
        if q.kind == "improve" or _TO_IMPROVE.search(q.question):
            # what the council said of the points to improve: the words the filler takes out, searched first
            derived = f"{derived} areas for improvement improve should".strip()
            q = replace(q, topic=derived)
        if q.kind == "published":
            dated = [d for d in news if "published" in d.fact_spans]
            got = factual.simple_fact(self._best_news(q, dated), "published", self._page_text) if dated else None
            if got:
                return Answer(got[0], False, tuple(got[1]), mode, understood=u)
        if news and _WHICH_INSPECTION.search(q.question):
            return self._news_about(q, news, mode, u)
        # a release is all quotes and statements: 'quoted', 'said' tell none of its sentences apart
        topic = " ".join(w for w in q.topic.split() if not _SPEAKING.fullmatch(w))
        if news and not topic and not _WHO_SAID.search(q.question):
            # 'what did the council say about its SEND inspection?': the release's own opening
            opening = self._quotes.summary(self._best_news(q, news), mode, u, self._abstain)
            if not opening.abstained:
                return opening
        # 'which councillor was quoted?' names nothing but speaking: the release's speakers, whatever the score
        # the topic searched for first: a release's every passage shares the question's other words
        search = f"{derived} {q.search}".strip() if derived else q.search
        return self._quotes.answer(replace(q, topic=topic, search=search), None, docs, mode,
                                   [d.doc_id for d in news], u, self._abstain, sure=not topic or bool(derived))

    def _news_about(self, q: Query, news: list[Document], mode: str, u) -> Answer:
        """Which inspection a release is about, in a sentence, then the release's opening."""
        best = self._best_news(q, news)
        text = self._state.news_text.get(best.doc_id, "")[:3000]
        kind = "area SEND (special educational needs and disabilities) inspection" if is_send(text) else \
            "children's services inspection"
        year = self._state.about_year.get(best.doc_id)
        name = self._providers.names.get(q.providers[0], q.providers[0])
        opening = self._quotes.summary(best, mode, u, self._abstain)
        lead = f"That release is about {name}'s {kind}{f' of {year}' if year else ''}."
        return replace(opening, text=f"{lead} {opening.text}") if not opening.abstained else opening

    def _route_news_any(self, q: Query, docs, mode, filters) -> Answer:
        """A press release asked about with no council named: the one council whose news fits
        (the year asked, where one is), else which council is meant."""
        news = [d for d in docs if d.doc_id in self._mentions]
        texts = self._state.news_text  # each release read once, when the catalog was
        dated = [d for d in news if q.year and (self._state.about_year.get(d.doc_id) == q.year or str(q.year) in
                                                 f"{d.title} {d.facts.get('published', '')} {texts[d.doc_id][:3000]}")]
        if len({self._mentions[d.doc_id] for d in dated}) == 1:  # the one council with news of that year
            return self._route_news(replace(q, providers=(self._mentions[dated[0].doc_id],)), docs, mode, filters)
        fitting = [d for d in news if not q.send or is_send(texts[d.doc_id][:3000])]
        topic = [w for w in (q.topic or "").split() if not _SPEAKING.fullmatch(w)]
        if len({self._mentions[d.doc_id] for d in news}) == 1 and not q.year and (len(fitting) == 1 or topic):
            # all the news held is one council's, and the question says which item or what about
            return self._route_news(replace(q, providers=(self._mentions[news[0].doc_id],)), docs, mode, filters)
        holding = self._news_holding(q, [d for d in news if not q.year or d in dated], texts)
        if len(holding) == 1:  # the one council whose news holds what the question names ('councillor john merry')
            return self._route_news(replace(q, providers=tuple(holding)), docs, mode, filters)
        keys = sorted({self._mentions[d.doc_id] for d in news})
        names = [self._providers.names.get(k, k) for k in keys]
        if not names:
            return self._abstain("I hold no council press release about that.", mode, self._understood(q, "not_held"))
        if q.year and not dated:  # 'the press release about the 2016 inspection': none of that year
            return self._abstain(f"I hold no council press release about a {q.year} inspection. The news I hold: "
                                 f"{self._held_news(keys, news)}.",
                                 mode, self._understood(q, "not_held"))
        if len(keys) == 1:
            return self._abstain(f"Which press release do you mean? I hold {self._held_news(keys, news)}.",
                                 mode, self._understood(q, "clarify"), cover=False)
        return self._abstain(f"Which council's press release do you mean? I hold news from {', '.join(names)}.",
                             mode, self._understood(q, "clarify"), cover=False)

    def _named_in_news(self, q: Query) -> bool:
        """Whether the telling words of a question naming no council ('councillor john merry')
        are held by one council's news."""
        if q.deictic:  # 'I've just been elected as a councillor ... our children's services': their own council
            return False
        named = " ".join(w for w in (q.topic or "").split() if not _SPEAKING.fullmatch(w) and not SPOKE.search(w))
        news = [d for d in self._docs if d.doc_id in self._mentions]
        return len(self._news_holding(replace(q, topic=named), news, self._state.news_text)) == 1

    def _held_news(self, keys: list[str], news: list[Document]) -> str:
        """'Salford's, about its 2018 and 2020 inspections': whose news is held, and about which years."""
        years = {k: sorted({self._state.about_year[d.doc_id] for d in news if self._mentions[d.doc_id] == k
                            and d.doc_id in self._state.about_year}) for k in keys}
        return "; ".join(f"{self._providers.names.get(k, k)}'s" + (
            f", about its {' and '.join(map(str, ys))} inspection{'s' if len(ys) > 1 else ''}" if ys else "")
            for k, ys in years.items())

    def _news_holding(self, q: Query, news: list[Document], texts: dict[str, str]) -> set[str]:
        """The councils whose news holds the most of the telling words of the question's topic
        (words few passages hold: a person's name, 'caseloads'), at least half of them; none
        where the topic names nothing telling."""
        telling = [terms(w) for w in telling_words(q.topic or "", self._quotes.idf)]
        if not telling:
            return set()
        held: dict[str, int] = {}
        for d in news:
            text = terms(texts[d.doc_id])
            n = sum(1 for t in telling if t & text)
            key = self._mentions[d.doc_id]
            held[key] = max(held.get(key, 0), n)
        best = max(held.values(), default=0)
        return {k for k, n in held.items() if n == best} if 2 * best >= len(telling) and best else set()

    def _best_news(self, q: Query, news: list[Document]) -> Document:
        """The news item that best matches the question's words (e.g. 'SEND')."""
        qt = terms(q.question)

        def fit(d: Document) -> tuple[bool, bool, bool, int]:
            """The year asked, then no other year of its own, then the service asked about (a
            SEND release for a SEND question, another for 'its children's services inspection'),
            then the words shared."""
            text = self._state.news_text.get(d.doc_id, "")[:3000]
            year = bool(q.year) and (self._state.about_year.get(d.doc_id) == q.year or
                                     str(q.year) in f"{d.facts.get('published', '')} {d.title} {text}")
            other = bool(q.year) and bool(d.facts.get("year")) and int(d.facts["year"]) not in (q.year, q.year + 1)
            service = is_send(text) == q.send if q.send or CHILDRENS_SERVICES.search(q.question) else True
            return year, not other, service, len(qt & terms(text))
        return max(news, key=fit)

