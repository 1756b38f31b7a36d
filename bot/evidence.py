"""The evidence one report gives: its facts for the kind asked; before refusal, a topic the
chosen report does not discuss looked for in the provider's other reports and news; the points
to improve about one subject; and answers of the type asked (a number or an amount of money
holds one or says the report gives none). A mixin of the Answerer (``bot.answer``)."""

from __future__ import annotations

import re
from dataclasses import replace

from bot import factual
from bot.changes import RANK
from bot.declines import EVIDENCE
from bot.extractive import terms
from bot.glossary import report_words
from bot.factual import when_key
from bot.quotes import telling_words
from bot.types import Answer, Citation
from bot.understand import Query, wants_send_outcome
from bot.vocabulary import FILLER, IMPROVE
from bot.wording import quoted_subject
from index.types import Document
from index.vocab import JUDGEMENT_LABELS


# a share asked ('what percentage ...', 'what proportion ...') is answered by a share, not by any figure
_SHARE_ASKED = re.compile(r"\b(proportion|percentage|per ?cent)\b|%", re.I)
_SHARE_GIVEN = re.compile(r"\d\s?%|\bper ?cent\b|\b(half|third|quarter|fifth|proportion|majority|minority)s?\b", re.I)


def _gives_the_share_asked(question: str, quote: str) -> bool:
    return not _SHARE_ASKED.search(question) or bool(_SHARE_GIVEN.search(quote))


# 'how many social workers does X employ?': what is counted, up to the verb or place after it
_COUNTED = re.compile(r"\bhow many ((?:[a-z'-]+ ){0,3}?[a-z'-]+?)(?= (?:does|do|did|are|is|were|was|have|has|had|who|that|which|with|"
                      r"in|at|for|on|across|work|working|employed|there|they|will|can|per|a|the|now|currently)\b|"
                      r"\s*[?.,!]|\s*$)", re.I)
_FIGURE = (r"(?:(?<![\d,.])(?!(?:19|20)\d\d\b)\d[\d,]*|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|"
           r"twelve|fifteen|twenty|thirty|forty|fifty|hundred)\b)")


def _stem(word: str) -> str:
    return re.sub(r"(ies|es|s)$", "", word.lower())[:6]


_NEUTRAL = {"new", "more", "additi", "extra", "furthe"}  # '45 new foster carers' still counts carers


def _counts_what_was_asked(question: str, quote: str) -> bool:
    """A figure answers 'how many social workers' unless it plainly counts something else: a part
    of them ('25 newly qualified social workers': words between the figure and the noun that the
    question did not use) or another thing ('caseloads of 20 children'). A figure whose noun is
    left out ('of these, 1,759 have an EHC plan') or a share ('58% at the time') still answers."""
    m = _COUNTED.search(question)
    if not m:
        return True
    head = _stem(_KIDS.get(m.group(1).lower().split()[-1], m.group(1).lower().split()[-1]))
    words = re.findall(r"[a-z]+", question.lower())
    asked = {_stem(w) for w in words}
    telling = {_stem(w) for w in words if len(w) >= 4 and w not in FILLER} - {"how", "many"}
    said = {_stem(w) for w in re.findall(r"[a-z]+", quote.lower())}
    for f in re.finditer(_FIGURE, quote, re.I):
        if re.search(r"\b(age|aged|ages)( of)?\s*$", quote[max(0, f.start() - 12):f.start()], re.I) or \
                re.match(r"[- ]?years?[- ]old", quote[f.end():f.end() + 10], re.I):
            continue  # 'by the age of 17', '16-year-old': an age, not a count
        after = [_stem(w) for w in re.findall(r"[\w-]+", quote[f.end():f.end() + 80])[:5]]
        if after and after[0] in _COUNTABLE and after[0] != head:
            continue  # '20 children' is not a count of social workers
        if head in after[:5] and not all(w in asked or w in _NEUTRAL for w in after[:after.index(head)]):
            continue  # '25 newly qualified social workers': a part of them
        if head in after[:5] or said & telling:  # the noun itself, or the sentence is about what was asked
            return True
    return False


_KIDS = {"kids": "children", "youngsters": "children"}
_COUNTABLE = {_stem(w) for w in ("children", "families", "young", "people", "days", "weeks", "months", "years",
                                 "cases", "staff", "workers", "carers", "plans", "visits", "schools", "homes",
                                 "hours", "referrals", "assessments", "managers", "teams", "placements")}


# 'which area is weakest?', 'which part is still not good enough?': after the grades, the report's
# passages on the one judgement below the others
_WEAKEST = re.compile(r"\b(weakest|worst|poorest|lowest|not (yet )?good enough|still (not|isn'?t|aren'?t)|"
                      r"let(s|ting)? (them|it|the council) down|most (work|improvement))\b", re.I)


# the words that ask for what is wrong, not what it is wrong with ('what went wrong at the front door?')
_WRONG = set("wrong went going concerns concern problems problem failings failing issues issue worries worried worry "
             "criticised criticisms criticism weaknesses weakness weak improve improved improvement improvements need needs "
             "needed better fix poor bad badly".split()) | set(  # and the words that name the service itself
    "partnership partnerships council councils authority service services department area local send".split())


# a question's sentences and the clauses a dash sets apart ('X - what went wrong at the front door?')
_CLAUSES = re.compile(r"(?<=[.!?])\s+|\s+[-–]\s+")


def _subject(q: Query) -> str:
    """What a question about the points to improve is about, if anything: the topic's words in
    the sentence that asks what is wrong ('front door' in 'hows the front door? any problems
    with screening of referrals' is 'screening referrals'), not the context around it ('my
    daughter's starting in year 1')."""
    parts = _CLAUSES.split(q.question.strip())
    asking = [p for p in parts if IMPROVE.search(p)] or [p for p in parts if p.rstrip().endswith("?")] or parts
    said = set(re.findall(r"[a-z]+", " ".join(asking).lower()))
    words = [w for w in IMPROVE.sub(" ", q.topic or "").split() if w not in _WRONG and w in said]
    return " ".join(words)


# a judgement a report does not give, and the one it gives instead ('safe' in a council's report)
RELATED = {"judgement_safe": "judgement_help_protection", "judgement_well_led": "judgement_leaders",
           "judgement_caring": "judgement_children_in_care", "judgement_leaders": "judgement_well_led"}


class Evidence:
    def _facts(self, q: Query, doc: Document, mode: str) -> tuple[str, list[Citation]] | None:
        """The report's facts for the kind asked: its SEND outcome, a judgement, its points to
        improve, or one simple fact (None where the report gives none)."""
        if doc.facts.get("report_type") == "area_send" and wants_send_outcome(q):
            return factual.send_outcome(doc, self._page_text, q.question)
        if q.kind in ("grade", "assess"):
            area = q.area if doc.facts.get(q.area) else RELATED.get(q.area, q.area)
            if q.kind == "assess" and not doc.facts.get(area) and area != "judgement_overall":
                return None
            return factual.judgement_answer(doc, area, q.area_named and q.kind == "assess", self._page_text,
                                            every=q.every_judgement, beside=q.beside)
        if q.kind == "improve":
            return factual.improvements(doc, self._page_text, 99 if mode == "staff" else 5)
        return factual.simple_fact(doc, q.kind, self._page_text)

    def _improve_on(self, q: Query, doc: Document, docs, mode: str, u) -> Answer | None:
        """'what went wrong at X's front door?', 'what problems did they find with care
        leavers?': the report's points to improve about that subject, else its passages on the
        subject's weaknesses, saying no point is about it. None where no subject is named."""
        subject = _subject(q)
        last = _CLAUSES.split(q.question.strip())[-1]  # the question asked last, not the context
        if not subject or not (q.kind == "improve" or q.kind == "content" and IMPROVE.search(last)) \
                or doc.facts.get("report_type") == "area_send" and wants_send_outcome(q):  # 'did it find systemic failings?'
            return None
        listed = factual.improvements(doc, self._page_text, 99)
        telling = [terms(w) for w in telling_words(subject, self._quotes.idf)] or [terms(subject)]
        hits = [c for c in (listed[1] if listed else []) if 2 * sum(1 for t in telling if t & terms(c.quote)) >= len(telling)]
        got = self._quotes.answer(replace(q, kind="content", topic=subject, topical=True, overview=False,
                                          search=f"{subject} {report_words(subject)} not yet good enough, weaknesses, delays"),
                                  doc, docs, mode, [doc.doc_id], u, self._abstain)
        if hits:  # the points that mention it, then what the report says about it
            cites = [replace(c, n=i) for i, c in enumerate(hits, 1)]
            lines = "\n".join(f"- {c.quote} [{c.n}]" for c in cites)
            points = Answer(f"The points {factual.describe(doc)} sets out to improve that mention “{subject}”:\n{lines}",
                            False, tuple(cites), mode, doc.source, understood=u)
            return points if got.abstained else points.followed_by(got)
        if got.abstained:
            return None
        lead = f"None of the points {factual.describe(doc)} sets out to improve mentions “{subject}”. " if listed else ""
        return replace(got, text=lead + got.text)

    def _weakest(self, q: Query, doc: Document, docs, mode: str, u) -> Answer | None:
        """The passages on a report's one weakest judgement, where the question asks which is weakest."""
        if not (q.every_judgement and _WEAKEST.search(q.question)):
            return None
        ranks = {a: RANK.get(str(doc.facts.get(a, "")).lower()) for a in factual.FOUR_JUDGEMENTS}
        ranks = {a: r for a, r in ranks.items() if r is not None}
        low = min(ranks.values(), default=None)
        weak = [a for a, r in ranks.items() if r == low]
        if len(ranks) < 2 or len(weak) != 1 or low == max(ranks.values()):
            return None  # no one judgement below the rest
        label = JUDGEMENT_LABELS[weak[0]]
        got = self._quotes.answer(replace(q, kind="content", topic=label, topical=True, overview=False,
                                          search=f"{label} not yet consistently good enough, needs to improve"),
                                  doc, docs, mode, [doc.doc_id], u, self._abstain)
        return None if got.abstained else got

    def _elsewhere(self, q: Query, doc: Document, theirs: list[Document], docs, mode: str, u) -> Answer | None:
        """Evidence before refusal: a topic the chosen report does not discuss, looked for in the
        provider's other reports (the latest first) and its news; the answer says which it used."""
        send = doc.facts.get("report_type") == "area_send"  # reports of the same kind first ('neglect':
        # the council's earlier children's services reports before its area SEND report), the latest first
        others = sorted((d for d in theirs if d.doc_id != doc.doc_id), key=when_key, reverse=True)
        others = sorted(others, key=lambda d: (d.facts.get("report_type") == "area_send") != send)[:2]  # older: too weak
        others += [d for d in docs if self._mentions.get(d.doc_id) == q.providers[0]][:2]
        for other in others:
            got = self._quotes.answer(q, other if other.facts.get("provider") else None, docs, mode,
                                      [other.doc_id], u, self._abstain)
            named = quoted_subject(q.search).lower()  # 'no wrong door': the name in quotes is the subject
            if not got.abstained and (self._holds_topic(q.topic, got) or
                                      named and any(named in c.quote.lower() for c in got.citations)):
                which = "the council said this" if not other.facts.get("provider") else \
                    "an earlier report does" if when_key(other) < when_key(doc) else "another of its reports does"
                return replace(got, text=f"{factual.describe(doc)} doesn't discuss that, but {which}. " + got.text,
                               report=other.source)
        return None

    def _holds_topic(self, topic: str, got: Answer) -> bool:
        """Another report stands in only where its quotes hold at least half of the topic's
        telling words: for 'admission rules for secondary schools', sentences about schools in
        general are not evidence that the council's reports discuss it. A topic with no telling
        word (all common words) is left to the similarity score."""
        telling = [terms(w) for w in telling_words(topic or "", self._quotes.idf)]
        said = terms(" ".join(c.quote for c in got.citations).replace("-", " "))  # 'life-story' holds 'life story'
        return not telling or 2 * sum(1 for t in telling if t & said) >= len(telling)

    def _typed(self, q: Query, doc: Document, ans: Answer, mode: str) -> Answer:
        """An answer that must be a number or an amount of money holds one, or says there is none
        and shows what the report does say."""
        need = EVIDENCE.get(q.answer_type)
        if need is None or ans.abstained or q.kind not in ("content", "improve", "assess"):
            return ans
        if any(need[0].search(c.quote) and _gives_the_share_asked(q.question, c.quote)
               and (q.answer_type != "number" or _counts_what_was_asked(q.question, c.quote)) for c in ans.citations):
            return ans
        said = re.sub(r"^From [^:]*: ", "", ans.text)
        return replace(ans, abstained=True, text=f"{factual.describe(doc)} {need[1]}. The nearest it comes: {said}")

