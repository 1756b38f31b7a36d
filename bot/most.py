"""Councils ranked by how often they were inspected, or judged a grade: 'which council has had
the most inspections?', 'who has been rated inadequate the most times?', 'the fewest'. A mixin of
the Answerer (``bot.answer``)."""

from __future__ import annotations

from collections import Counter

from bot import changes, factual
from bot.factual import when_key
from bot.plan import span_words, where_words
from bot.types import Answer
from bot.understand import Query

class Rankings:
    def _route_most(self, q: Query, docs, mode, filters) -> Answer:
        """The councils with the most (or fewest) children's services inspections in the reports held,
        of a grade where one is asked, each of their reports cited."""
        fewest = "fewest" in q.shapes  # read once, by the understanding
        area = q.area if q.area_named and q.area in factual.JUDGEMENT_LABELS else "judgement_overall"
        pool = [d for d in self._scoped(docs, filters)[0] if d.facts.get("report_type") not in ("area_send", "school", "care_home", "other")
                and (not q.year or d.facts.get("year") == q.year)
                and (not q.since or int(d.facts.get("year") or 0) >= q.since)
                and (not q.until or int(d.facts.get("year") or 0) <= q.until)]
        theirs: dict[str, list] = {}
        for d in sorted(pool, key=when_key):
            key = self._providers.by_doc.get(d.doc_id, "")
            if key and (not q.grade or changes.grade(d, area) in (q.grades or (q.grade,))):
                theirs.setdefault(key, []).append(d)
        u = self._understood(q, "list")
        what = f"judged {q.grade}{'' if area == 'judgement_overall' else ' for ' + factual.JUDGEMENT_LABELS[area]}" \
            if q.grade else "inspected"
        when = f" in {q.year}" if q.year else f" {span_words(q.since, q.until)}" if q.since or q.until else ""
        where = where_words(q.region, q.outside)
        if not theirs:
            return Answer(f"None of the councils I hold{where} was {what}{when}.", False, (), mode, understood=u)
        counts = Counter({k: len(v) for k, v in theirs.items()})
        edge = min(counts.values()) if fewest else max(counts.values())
        top = sorted((k for k, n in counts.items() if n == edge), key=lambda k: self._providers.names.get(k, k))
        lines, cites = [], []
        for key in top[:12]:
            refs = []
            for d in theirs[key]:
                c = factual.fact_citation(len(cites) + 1, d, area if q.grade else "inspection_end", self._page_text)
                if c is not None:
                    cites.append(c)
                    refs.append(f"[{c.n}]")
            years = ", ".join(str(d.facts.get("year")) for d in theirs[key])
            lines.append(f"- {self._providers.names.get(key, key)}: {edge} ({years}) {''.join(refs)}")
        more = f"\n(and {len(top) - 12} more with {edge})" if len(top) > 12 else ""
        times = "once" if edge == 1 else "twice" if edge == 2 else f"{edge} times"
        head = (f"{'Fewest' if fewest else 'Most'} times {what}{when}, of the children's services inspection reports I "
                f"hold{where}: {times}, by {len(top)} council{'s' if len(top) > 1 else ''}:")
        return Answer(head + "\n" + "\n".join(lines) + more, False, tuple(cites), mode, understood=u)
