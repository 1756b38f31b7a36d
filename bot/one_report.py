"""One council's report: its facts, its passages, or both (the judgement first). A mixin of the
Answerer (``bot.answer``): the report asked about is chosen (a year, 'the one before', the oldest
held stepping back to what it records), a judgement it does not give is said so, a fact it does
not give is said so rather than searched for, and a topic it lacks is looked for in the council's
other reports."""

from __future__ import annotations

import re
from dataclasses import replace

from bot import factual
from bot.conversation import SAME_TIME
from bot.evidence import RELATED
from bot.reports import pick, records_before, records_previous_dates
from bot.types import Answer, noted
from bot.understand import Query
from bot.vocabulary import SEND_NOUN
from index.types import Document

_A_YEAR = re.compile(r"\b(19|20)\d\d\b")  # a year the turn itself asks for
_NOT_GIVEN = {"inspector": "doesn't name its lead inspector", "published": "doesn't give its publication date",
              "where": "doesn't give an address"}


class OneReport:
    def _route_report(self, q: Query, docs, mode, filters) -> Answer:
        """One council's report: its facts, its passages, or both (the judgement first)."""
        theirs = self._theirs(q.providers[0], docs)
        notes = []
        if q.send and theirs and all(d.facts.get("report_type") in ("school", "care_home") for d in theirs):
            q = replace(q, send=False)  # a school's pupils with SEND: what its own report says, no area inspection
        if q.send and not any(d.facts.get("report_type") == "area_send" for d in theirs):
            q, early = self._send_not_held(q, docs, mode, filters, notes)
            if early is not None:
                return early
        q, doc, early = self._the_report(q, theirs, mode, notes)
        if early is not None:
            return early
        q = self._no_judgement(q, doc, notes)
        kind = "send" if doc.facts.get("report_type") == "area_send" and q.kind in ("grade", "assess") else q.kind
        u = self._understood(q, kind, doc)
        on = self._improve_on(q, doc, docs, mode, u)
        if on is not None:
            return noted(on, notes)
        facts = self._facts(q, doc, mode)
        if facts is not None and q.kind != "assess":
            first = Answer(facts[0], False, tuple(facts[1]), mode, doc.source, understood=u)
            verdict = self._facts(replace(q, kind="grade"), doc, mode) if q.kind == "improve" \
                and (q.answer_type == "yesno" or q.evaluative) and not q.area_named else None
            if verdict is not None:  # 'did the inspectors find problems there?': the verdict, then the points
                first = Answer(verdict[0], False, tuple(verdict[1]), mode, doc.source, understood=u).followed_by(first)
            weakest = self._weakest(q, doc, docs, mode, u) or self._anchor(q, doc, theirs, mode)
            return noted(first.followed_by(weakest) if weakest else first, notes)
        if facts is None and q.kind in _NOT_GIVEN:  # a fact the report does not give: said so, not searched for
            return noted(self._abstain(f"{factual.describe(doc)} {_NOT_GIVEN[q.kind]}.", mode, u), notes)
        if q.kind == "next" and doc.facts.get("report_type") != "area_send":
            return self._abstain("The reports don't say when the next inspection will be, and I can't "
                                 f"predict it. The latest I hold is {factual.describe(doc)}.", mode, u)
        if q.kind == "improve":  # no list of its own (an outstanding report has none): its words on what should
            q = replace(q, topic="challenges", search="leaders know the challenges that remain: practice that is not yet "
                        "consistently good enough and areas that need further improvement")
            facts = factual.judgement_answer(doc, "judgement_overall", False, self._page_text)
            if facts is not None:
                facts = (facts[0] + " The report sets out no list of what needs to improve.", facts[1])
        news = [d.doc_id for d in docs if self._mentions.get(d.doc_id) == q.providers[0]] if q.news else []
        ans = self._quotes.summary(doc, mode, u, self._abstain) if q.overview else \
            self._quotes.answer(q, doc, docs, mode, [doc.doc_id] + news, u, self._abstain)
        if ans.abstained and not q.overview and q.kind == "content":  # an earlier report's points are not today's
            ans = self._elsewhere(q, doc, theirs, docs, mode, u) or ans
        ans = self._typed(q, doc, ans, mode)
        if facts is not None:  # 'assess': the judgement first, then the evidence
            first = Answer(facts[0], False, tuple(facts[1]), mode, doc.source, understood=u)
            where = f"{doc.title} {doc.facts.get('address', '')}".lower()  # 'Rounds Green Primary in Oldbury'
            topic = " ".join(w for w in q.topic.split() if w.lower() not in where)
            if ans.abstained and topic and q.kind != "improve" and not (q.area_named and doc.facts.get(q.area)):
                notes.append(f"The report says nothing more specific about {topic}.")
            return noted(first.followed_by(ans) if not ans.abstained else first, notes)
        return noted(ans, notes)

    def _the_report(self, q: Query, theirs: list[Document], mode: str,
                    notes: list[str]) -> tuple[Query, Document | None, Answer | None]:
        """The report the question is about, stepping back from the oldest held to what it records
        of the one before, or from a year the turn before asked for to the council's latest."""
        doc, missing = self._pick(q, theirs)
        this = self._pick(replace(q, before=0), theirs)[0] if doc is None and q.before > 0 else None
        if doc is None and q.before > 0 and (not q.anchor or records_before(q, this)):
            # 'before the 2024 one', 'and before that?' of the oldest held: what that report says of it
            doc = this
            previous = doc is not None and doc.facts.get("judgement_previous_overall")
            if doc is not None and records_previous_dates(doc) and (q.kind in ("dates", "content") or not previous):
                q, missing = replace(q, kind="previous_dates"), ""  # the report's own word on the one before
            elif not previous and q.kind in ("grade", "assess") and doc is not None:  # nothing to quote for a grade
                return q, doc, self._abstain(f"{missing} {factual.describe(doc)} doesn't record the grade before it.",
                                             mode, self._understood(q, "not_held", doc))
            else:
                q = replace(q, kind="grade", area="judgement_previous_overall") if previous else replace(q, kind="content")
        elif doc is not None and q.before > 0 and q.area == "judgement_previous_overall":
            q = replace(q, area="judgement_overall", area_named=False)  # the earlier report's own grade
        if doc is None and q.year and q.from_history and not (_A_YEAR.search(q.question) or SAME_TIME.search(q.question)):
            # the year came from the turn before ('... at the 2024 inspection?' -> 'and in luton?'): this
            # council's latest report, saying so, rather than none
            doc, _ = self._pick(replace(q, year=None), theirs)
            notes.append(f"{missing} Here is its latest.")
            missing = ""
        if doc is None:
            return q, None, self._abstain(" ".join(notes + [missing]), mode, self._understood(q, "not_held"))
        notes += [missing] if missing else []  # stepping back from the oldest report
        return q, doc, None

    def _no_judgement(self, q: Query, doc: Document, notes: list[str]) -> Query:
        """A judgement asked for that the report does not give separately: what it says instead."""
        if q.kind == "grade" and q.area_named and q.area != "judgement_previous_overall" and not doc.facts.get(q.area) \
                and not doc.facts.get(RELATED.get(q.area, "")) and doc.facts.get("report_type") != "area_send":
            label = factual.JUDGEMENT_LABELS.get(q.area, "that")
            notes.append(f"{factual.describe(doc)} gives no separate judgement for {label}; here is what it says.")
            q = replace(q, kind="content", topic=q.topic or label)
        if q.kind == "assess" and q.area_named and q.area not in ("judgement_overall", "judgement_previous_overall") \
                and not doc.facts.get(q.area) and not doc.facts.get(RELATED.get(q.area, "")) \
                and doc.facts.get("judgement_overall"):  # 'adopting via X, are they rated well?': the overall verdict
            label = factual.JUDGEMENT_LABELS.get(q.area, "that")
            notes.append(f"{factual.describe(doc)} gives no separate judgement for {label}.")
            q = replace(q, area="judgement_overall", area_named=False, topic=q.topic or label)
        return q

    def _send_not_held(self, q: Query, docs, mode, filters, notes: list[str]) -> tuple[Query, Answer | None]:
        """A SEND question of a council with no area SEND report: the council's own news of one, or
        (where the question is not about the SEND inspection itself) what its children's services
        report says about disabled children and SEND."""
        notes.append(f"I hold no area SEND inspection report for {self._providers.names.get(q.providers[0], '')}.")
        if any(v == q.providers[0] for v in self._mentions.values()):  # the council's news of one may
            news = self._route_news(q, docs, mode, filters)
            if not news.abstained:
                return q, noted(news, notes)
        if "send_report" in q.shapes:  # the inspection itself was asked ('how did X's send inspection go? -> and Y's?')
            return q, self._abstain(notes[0], mode, self._understood(q, "not_held"))
        # what the children's services report says about disabled children and SEND instead
        extra = "disabled children special educational needs and disabilities"
        # searched with the question's own SEND words ('autism') only: its other words ('my son',
        # 'we live', 'support') find placements and carers
        said = " ".join(dict.fromkeys(m.group(0).lower() for m in SEND_NOUN.finditer(q.question)))
        q = replace(q, kind="content", send=False, area="judgement_overall", area_named=False,
                    topic="SEND and disabled children", search=f"{said} {extra}".strip())
        return q, None

    def _pick(self, q: Query, theirs: list[Document]) -> tuple[Document | None, str]:
        key = self._providers.by_doc.get(theirs[0].doc_id, "") if theirs else (q.providers or ("",))[0]
        return pick(q, theirs, self._providers.names.get(key, "that provider"))

    def _anchor(self, q: Query, doc: Document, theirs: list[Document], mode: str) -> Answer | None:
        """'What was X rated before its latest inspection?': after the grade before, the latest's own,
        so the two are read together (and the 'latest' the question counts from is cited)."""
        if q.before <= 0 or q.kind != "grade" or q.year or q.anchor or not q.area.startswith("judgement_"):
            return None
        latest = self._pick(replace(q, before=0, area="judgement_overall"), theirs)[0]
        if latest is None or latest.doc_id == doc.doc_id:
            return None
        said = factual.judgement_answer(latest, "judgement_overall", False, self._page_text)
        if said is None:
            return None
        return Answer(f"Its latest: {said[0]}", False, tuple(said[1]), mode, latest.source)

