"""Reports set against each other: two or more councils' latest (their overall grades, or every
judgement and where they differ), each council's answer to one question, and one council's
judgements at two inspections. A mixin of the Answerer (``bot.answer``)."""

from __future__ import annotations

import re
from dataclasses import replace

from bot import changes, factual
from bot.types import Answer
from bot.understand import Query
from index.types import Document

_JUDGEMENTS = [k for k in factual.JUDGEMENT_LABELS if k not in ("judgement_overall", "judgement_previous_overall")]
# two reports' grades set against each other judgement by judgement ('exactly the same grades, or a difference somewhere?')
EVERY_GRADE_SET = re.compile(r"\b(?:exactly )?the same (?:grades|judgements|ratings)\b|\b(?:a |any )?difference (?:somewhere|anywhere)\b",
                              re.I)


class Comparisons:
    def _route_each(self, q: Query, docs, mode, filters) -> Answer:
        answers = [self._route_report(replace(q, providers=(key,)), docs, mode, filters) for key in q.providers]
        kept = [a for a in answers if not a.abstained] or answers[:1]
        text, cites = [], []
        for a in kept:  # each answer's citations numbered after the ones before it
            a = a.renumbered(len(cites))
            text.append(a.text)
            cites += a.citations
        return Answer("\n\n".join(text), all(a.abstained for a in kept), tuple(cites), mode,
                      understood=self._understood(q, q.kind))

    def _route_compare(self, q: Query, docs, mode, filters) -> Answer:
        if len(q.providers) < 2:
            return self._abstain("Which councils would you like to compare? Name two, for example "
                                 "“compare Salford and Wigan”.", mode, self._understood(q, "clarify"), cover=False)
        chosen, notes = [], []
        for key in q.providers:
            doc, note = self._pick(replace(q, anchor="", before=0), self._theirs(key, docs))
            if doc is None:
                notes.append(note)
            else:
                chosen.append(doc)
        u = self._understood(q, "compare")
        if (q.every_judgement or EVERY_GRADE_SET.search(q.question)) and len(chosen) > 1 \
                and not any(d.facts.get("report_type") == "area_send" for d in chosen):
            return self._compare_judgements(chosen, notes, mode, u)  # 'did either get outstanding for any judgement?'
        body, cites = factual.compare(chosen, q.area, self._page_text)
        if not cites:
            return self._abstain(" ".join(notes) or "I couldn't find graded judgements for those reports.", mode, u)
        return Answer("\n".join(notes + [body]), False, tuple(cites), mode, understood=u)

    def _compare_judgements(self, chosen: list[Document], notes: list[str], mode: str, u) -> Answer:
        """Every judgement of each report, cited, and where two reports' grades differ."""
        lines, cites, grades = [], [], []
        for d in chosen:
            parts, got = [], {}
            for area in ["judgement_overall", *_JUDGEMENTS]:
                g = str(d.facts.get(area) or "").lower()
                c = factual.fact_citation(len(cites) + 1, d, area, self._page_text) if g else None
                if c is not None:
                    cites.append(c)
                    parts.append(f"{factual.JUDGEMENT_LABELS[area]} {g} [{c.n}]")
                    got[area] = g
            grades.append(got)
            lines.append(f"- {self._providers.names.get(self._providers.by_doc.get(d.doc_id, ''), d.name)} "
                         f"({factual.when(d)}): " + "; ".join(parts))
        if not cites:
            return self._abstain(" ".join(notes) or "I couldn't find graded judgements for those reports.", mode, u)
        differ = [factual.JUDGEMENT_LABELS[a] for a in grades[0] if len(grades) == 2 and a in grades[1]
                  and grades[0][a] != grades[1][a]]
        head = (f"They differ on {', '.join(differ)}." if differ else "Every judgement they share has the same grade.") \
            if len(grades) == 2 else ""
        return Answer("\n".join(notes + ([head] if head else []) + lines), False, tuple(cites), mode, understood=u)

    def _each_judgement(self, q: Query, before: Document, after: Document, name: str, mode: str, u) -> Answer:
        """Each judgement two reports both give, the earlier grade against the later, each cited;
        a yes or no first where a direction is asked ('did any of them go down?')."""
        lines, cites, moved = [], [], []
        # 'overall stayed the same but did any of them go down?': the direction asked after 'but'
        direction = changes.direction_of(re.split(r"\bbut\b", q.question)[-1])
        direction = direction if direction in ("up", "down") else q.direction
        for area in ["judgement_overall", *_JUDGEMENTS]:
            a, b = changes.grade(before, area), changes.grade(after, area)
            if a not in changes.RANK or b not in changes.RANK:
                continue
            refs = ""
            for doc in (before, after):
                c = factual.fact_citation(len(cites) + 1, doc, area, self._page_text)
                cites += [c] if c else []
                refs += f"[{c.n}]" if c else ""
            word = changes.verdict_word(a, b)
            label = factual.JUDGEMENT_LABELS[area]
            lines.append(f"- {label}: {a} ({before.facts.get('year')}) → {b} ({after.facts.get('year')}), "
                         f"{word.lower()} {refs}")
            if direction in ("up", "down") and changes.matches(a, b, "", "", direction):
                moved.append(label)
        way = {"up": "better", "down": "worse"}.get(direction, "")
        head = (f"{'Yes' if moved else 'No'}: {(', '.join(moved[:-1]) + ' and ' + moved[-1]) if len(moved) > 1 else moved[0] if moved else 'none of them'} "
                f"{'was' if len(moved) == 1 else 'were'} judged {way} at the later inspection.\n") if way else ""
        return Answer(f"{head}{name}'s judgements at its inspections of {factual.when(before)} and {factual.when(after)}:\n"
                      + "\n".join(lines), False, tuple(cites), mode, understood=u)
