"""Routes that answer from several reports at once: lists over councils, one council's
timeline, comparisons, and one question put to each council of a conversation. A mixin of the
Answerer (``bot.answer``), which decides the route."""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import replace

from bot import changes, every_time, factual
from bot.factual import when_key
from bot.reports import as_list, latest_each
from bot.plan import span_words, where_words
from bot.types import Answer
from bot.vocabulary import BEST_WORST, GRADE, GRADES_ASKED
from bot.understand import Query
from bot.conditions import grade_words
from bot.when import framework
from index.types import Document
from index.vocab import REGIONS

_JUDGEMENTS = [k for k in factual.JUDGEMENT_LABELS if k not in ("judgement_overall", "judgement_previous_overall")]
_EVERY_GRADE = ("outstanding", "good", "requires improvement to be good", "inadequate")


# the area SEND outcomes, as an answer says what an inspection found
_SEND_FOUND = {"positive": "that arrangements typically lead to positive experiences and outcomes",
               "inconsistent": "that arrangements lead to inconsistent experiences and outcomes",
               "systemic failings": "widespread and/or systemic failings"}


_EACH_CITED = 6  # lists of up to this many councils cite every inspection of each


class AcrossReports:
    def _route_list(self, q: Query, docs, mode, filters) -> Answer:
        """Councils judged a grade: in the year's inspections, or on each one's latest report."""
        # Under a scope (filters["provider"]: a council's own assistant, set by ui.scope) a
        # question over many reports is answered over that council's reports only.
        docs, scoped = self._scoped(docs, filters)
        if q.shapes & {"most", "fewest"} and not q.send:  # 'which council has had the most inspections?'
            return self._route_most(q, docs, mode, filters)
        breakdown = not q.grade and not q.year and not scoped and not q.send and bool(GRADES_ASKED.search(q.question))
        if not q.grade and not q.year and not breakdown and not q.also:
            if scoped:  # the search too: only the scoped council's reports are searched
                return self._quotes.answer(q, None, docs, mode, [d.doc_id for d in docs] or ["-"],
                                           self._understood(q, "content"), self._abstain)
            return self._route_search(q, docs, mode, filters)
        schools = bool(re.search(r"\bschools?\b", q.question, re.I))
        every = every_time.over_all(q.question) if not q.also else ""
        if every and q.grade and not q.year and not (q.since or q.until) and not q.send and not schools \
                and q.area == "judgement_overall":
            return self._over_all(q, docs, every, mode)
        frame = framework(q.question)  # 'under the ILACS framework': the reports of that framework only
        pool = [d for d in docs if (d.facts.get("report_type") == "area_send") == q.send
                and (d.facts.get("report_type") == "school") == schools and d.facts.get("report_type") not in ("care_home", "other")
                and d.facts.get("report_type") == (frame or d.facts.get("report_type"))]
        span = (q.since or q.until) and not q.year
        if q.year:
            pool = [d for d in pool if d.facts.get("year") == q.year and (
                not q.month or str(d.facts.get("inspection_end", ""))[5:7] == f"{q.month:02d}")]
        elif span:  # 'since the start of 2024', 'before 2018': every inspection ending in those years
            pool = [d for d in pool if (not q.since or int(d.facts.get("year") or 0) >= q.since)
                    and (not q.until or int(d.facts.get("year") or 0) <= q.until)]
        else:  # 'which councils are rated inadequate': each council's latest report
            pool = latest_each(pool, lambda d: self._providers.by_doc.get(d.doc_id, d.doc_id))
        if q.grade == "none":  # 'which councils got no overall grade?': reports that give judgements only
            return self._ungraded(q, pool, "in " + str(q.year) if q.year else span_words(q.since, q.until) if span
                                  else "at their latest inspection", mode)
        for area, g in q.also:  # 'good overall but requires improvement for care leavers' (or for any judgement)
            pool = [d for d in pool if (g in ([changes.grade(d, a) for a in _JUDGEMENTS] if area == "any" else [changes.grade(d, area)])
                                        if not g.startswith(("not ", "above ", "below ")) else changes.beyond(d, area, g))]
        if any(g.partition(" ")[2] in factual.JUDGEMENT_LABELS for _, g in q.also):
            return self._against(q, pool, span, mode)
        grades = q.grades or ((q.grade,) if q.grade else _EVERY_GRADE)  # no grade asked: every inspection of the year
        lines, cites = factual.listing(pool, q.area, grades, self._page_text, limit=200)
        what = "every judgement" if q.area == "all_judgements" else "at least one judgement" if q.area == "any_judgement" \
            else factual.JUDGEMENT_LABELS.get(q.area, q.area)
        named = " or ".join(grades)
        month = f"{calendar.month_name[q.month]} " if q.month else ""
        when = f"in {month}{q.year} inspections" if q.year else span_words(q.since, q.until) if span else "at their latest inspection"
        u = self._understood(q, "list")
        yes = q.answer_type == "yesno"
        where = where_words(q.region, q.outside)
        if not lines and q.grade in (_EVERY_GRADE[0], _EVERY_GRADE[-1]) and not q.grades[1:] \
                and BEST_WORST.search(q.question) and not GRADE.search(q.question):
            # 'the worst rated council in the north east' where none is inadequate: the lowest grade there
            worst = q.grade == _EVERY_GRADE[-1]
            for g in (_EVERY_GRADE[2:0:-1] if worst else _EVERY_GRADE[1:3]):  # the next grade in, then the one after
                if factual.listing(pool, q.area, (g,), self._page_text, limit=1)[0]:
                    lower = replace(q, grade=g, grades=(g,))
                    ans = self._route_list(lower, docs, mode, filters)
                    return replace(ans, text=f"None of the reports I hold{where} judged {what} {named} {when}; "
                                             f"the {'lowest' if worst else 'highest'} grade was {g}. "
                                             + ans.text)
        if not lines:
            named += "".join(f" and {factual.JUDGEMENT_LABELS.get(a, 'at least one judgement')} {grade_words(g)}" for a, g in q.also)
            return Answer(f"{'No: n' if yes else 'N'}one of the reports I hold{where} judged {what} {named} {when}.",
                          False, (), mode, understood=u)
        graded = sum(1 for d in pool if d.facts.get(q.area if q.area not in ("all_judgements", "any_judgement")
                                                     else "judgement_leaders"))
        of = f" of {graded}" if graded >= len(lines) and len(lines) < 200 and not span and not q.also else ""
        pct = f" ({round(100 * len(lines) / graded)}%)" if of else ""
        besides = "".join(f" and {grade_words(g)} for {factual.JUDGEMENT_LABELS.get(a, 'at least one judgement')}" for a, g in q.also)
        head = f"{len(lines)}{of} council{'s' if of or len(lines) > 1 else ''}{where}{pct} {'were' if len(lines) > 1 else 'was'} judged {named} for {what}{besides} {when}:"
        if q.area == "send_outcome":
            found = " or ".join(_SEND_FOUND.get(g, g) for g in grades)
            head = f"{len(lines)}{of} area SEND inspections{where}{pct} found {found} {when}:"
        elif breakdown:  # 'what grades did london boroughs get?', 'the most common grade in the north east'
            counts = Counter(str(d.facts.get(q.area, "")).lower() for d in pool)
            split = ", ".join(f"{counts[g]} {g}" for g in _EVERY_GRADE if counts[g])
            common = max(_EVERY_GRADE, key=lambda g: counts[g])
            head = (f"Of {graded} councils{where} with a graded latest inspection: {split} (the most common: {common}). "
                    f"Each council's latest {what}:")
        elif not q.grade:
            head = f"{len(lines)} graded {'inspection' if len(lines) == 1 else 'inspections'}{where} ended in {month}{q.year}:"
        if not q.year and not span and len(pool) > graded and q.area == "judgement_overall":
            n = len(pool) - graded
            lines.append(f"({n} more council's latest report gives no overall grade.)" if n == 1 else
                         f"({n} more councils' latest reports give no overall grade.)")
        return Answer(("Yes. " if yes else "") + head + "\n" + "\n".join(lines), False, tuple(cites), mode, understood=u)

    def _over_all(self, q: Query, docs, every: str, mode: str) -> Answer:
        """Councils that were never, always or ever judged a grade over every graded inspection
        of theirs held ('which councils have never been inadequate?'), each with its grades in
        order: in a short list every report cited, in a long one the latest."""
        seqs = changes.sequences(docs, lambda d: self._providers.by_doc.get(d.doc_id, ""))
        if q.region:
            seqs = {k: v for k, v in seqs.items() if k in REGIONS.get(q.region, ())}
        grades = q.grades or (q.grade,)  # 'always good or outstanding'
        asked = {changes.RANK[g] for g in grades if g in changes.RANK}
        hits = {k: seq for k, seq in seqs.items()
                if (n := sum(1 for d in seq if changes.RANK.get(changes.grade(d)) in asked)) == 0 and every == "never"
                or n == len(seq) and every == "always" or n and every == "ever"
                or every == "first" and n == 1 and len(seq) > 1 and changes.RANK.get(changes.grade(seq[-1])) in asked}
        u = self._understood(q, "list")
        where = where_words(q.region, q.outside)
        lines, cites = [], []
        each = len(hits) <= _EACH_CITED  # a short list: every inspection behind the claim cited, not only the latest
        for key, seq in sorted(hits.items(), key=lambda kv: self._providers.names.get(kv[0], kv[0])):
            cited: dict[str, int] = {}  # doc_id -> citation number, each report with the grade it cites
            for d in seq if each else seq[-1:]:
                c = factual.fact_citation(len(cites) + 1, d, "judgement_overall", self._page_text)
                if c is not None:
                    cites.append(c)
                    cited[d.doc_id] = c.n
            if not cited:
                continue
            mark = (lambda d: f" [{cited[d.doc_id]}]" if d.doc_id in cited else "") if each else (lambda d: "")
            history = ", ".join(f"{changes.grade(d)} ({d.facts.get('year')}){mark(d)}" for d in seq)
            if not each:
                history += f" [{cited[seq[-1].doc_id]}]"
            lines.append(f"- {self._providers.names.get(key, key)}: {history}")
        named = " or ".join(grades)
        what = {"never": f"never judged {named}", "always": f"judged {named} at every inspection",
                "ever": f"judged {named} at least once",
                "first": f"judged {named} for the first time at their latest inspection"}[every]
        if not lines:
            return Answer(f"None of the {len(seqs)} councils{where} I hold reports for was {what} overall.",
                          False, (), mode, understood=u)
        head = (f"{len(lines)} of the {len(seqs)} councils{where} I hold graded reports for "
                f"{'were' if len(lines) > 1 else 'was'} {what} overall, over every graded inspection of theirs I "
                f"hold ({'each inspection' if each else 'the latest'} cited):")
        return Answer(head + "\n" + "\n".join(lines), False, tuple(cites), mode, understood=u)

    def _scoped(self, docs, filters) -> tuple[list[Document], list[str]]:
        scoped = [k for p in as_list(filters.get("provider") or []) for k in self._providers.find(str(p))]
        return ([d for d in docs if self._providers.by_doc.get(d.doc_id) in scoped] if scoped else docs), scoped

    def _against(self, q: Query, pool: list[Document], span, mode: str) -> Answer:
        """The reports of ``pool`` (already filtered) that graded one judgement better or worse than
        another, each with both grades cited ('outstanding for care leavers, good for children in care')."""
        (area, bound), = q.also
        other = bound.partition(" ")[2]
        lines, cites = [], []
        for d in sorted(pool, key=lambda d: d.name):
            got = [factual.fact_citation(len(cites) + i + 1, d, a, self._page_text) for i, a in enumerate((area, other))]
            if None not in got:
                cites += got
                lines.append(f"- {d.name} ({factual.when(d)}): {changes.grade(d, area)} for {factual.JUDGEMENT_LABELS[area]}, "
                             f"{changes.grade(d, other)} for {factual.JUDGEMENT_LABELS[other]} [{got[0].n}][{got[1].n}]")
        when = f"in {q.year} inspections" if q.year else span_words(q.since, q.until) if span else "at their latest inspection"
        what = f"a {'better' if bound.startswith('above') else 'worse'} grade for {factual.JUDGEMENT_LABELS[area]} " \
               f"than for {factual.JUDGEMENT_LABELS[other]}"
        yes = q.answer_type == "yesno"
        where = where_words(q.region, q.outside)
        u = self._understood(q, "list")
        if not lines:
            return Answer(f"{'No: n' if yes else 'N'}one of the councils I hold{where} got {what} {when}.", False, (), mode,
                          understood=u)
        head = f"{'Yes. ' if yes else ''}{len(lines)} council{'s' if len(lines) > 1 else ''}{where} got {what} {when}:"
        return Answer(head + "\n" + "\n".join(lines), False, tuple(cites), mode, understood=u)

    def _ungraded(self, q: Query, pool: list[Document], when: str, mode: str) -> Answer:
        """The reports of ``pool`` that give separate judgements and no overall grade, each cited."""
        lines, cites = factual.ungraded(pool, self._page_text)
        u = self._understood(q, "list")
        if not lines:
            return Answer(f"Every report I hold {when} gives an overall grade.", False, (), mode, understood=u)
        head = f"{len(lines)} {'councils' if len(lines) > 1 else 'council'} got no overall grade {when}, only separate judgements:"
        return Answer(head + "\n" + "\n".join(lines), False, tuple(cites), mode, understood=u)

    def _route_transition(self, q: Query, docs, mode, filters) -> Answer:
        """Providers whose consecutive inspections went from one grade to another, each pair cited
        (under a scope, the scoped council's own inspections only)."""
        docs, _ = self._scoped(docs, filters)
        area = q.area if q.area_named and q.area in factual.JUDGEMENT_LABELS and q.area not in (
            "judgement_previous_overall", "send_outcome") else "judgement_overall"  # 'better for care leavers'
        seqs = changes.sequences(docs, lambda d: self._providers.by_doc.get(d.doc_id, ""), area)
        steps = changes.path(q.question)  # 'from good to RI and back to good': three inspections in turn
        least = changes.jump(q.question)  # 'leapt up two grades or more in one go'
        found = changes.changes(seqs, q.grade_from, q.grade, q.direction, q.year, latest_only=q.latest and not q.year, area=area,
                                since=q.since, until=q.until, from_year=q.from_year, steps=steps, least=least,
                                moves=(moves := changes.repeats(q.question)))
        run = len(set(steps)) == 1 or moves > 1  # 'inadequate three times in a row', 'worse twice in a row'
        label = "" if area == "judgement_overall" else " for " + factual.JUDGEMENT_LABELS[area]
        went = f"were judged {steps[0]}{label} at {len(steps)} inspections in a row" if steps and run else \
            f"went {'up' if q.direction == 'up' else 'down'} a grade or more{label} at {moves} inspections in a row" \
            if run else "went"
        what = "" if run else f"from {steps[0]} to {' and then to '.join(steps[1:])}" if steps else (
            f"{q.grade} and {q.grade} again" if q.direction == "same" and q.grade and not q.grade_from else
            f"to {q.grade or {'up': 'a better grade', 'down': 'a worse grade'}.get(q.direction, 'another grade')} "
            f"from any grade but {q.grade_from[4:]}" if q.grade_from.startswith("not ") else
            f"from {q.grade_from or 'any grade'}{' (' + str(q.from_year) + ')' if q.from_year else ''} to "
            f"{q.grade or 'any other grade'}" if q.grade_from or q.grade else
            {"up": "to a better grade", "down": "to a worse grade", "same": "to the same grade"}.get(q.direction, ""))
        what += f" by {least} grades or more" if least else ""
        when = f" at inspections ending in {q.year}" if q.year else " at their latest inspection" if q.latest else ""
        if q.since and q.until:
            when += f" (the later inspection ending {q.since}–{q.until})"
        elif q.since or q.until:
            when += f" (the later inspection ending in {q.since or q.until} or {'later' if q.since else 'earlier'})"
        if area != "judgement_overall":
            what += f" for {factual.JUDGEMENT_LABELS[area]}"
        u = self._understood(q, "transition")
        if not found:
            return Answer(f"{'No: none' if q.answer_type == 'yesno' else 'None'} of the councils I hold"
                          f"{where_words(q.region, q.outside)} {went}"
                          f"{'' if run else f' {what} between consecutive inspections'}{when}.", False, (), mode, understood=u)
        cites: list = []
        found.sort(key=lambda c: (self._providers.names.get(c.key, c.key), changes.when_key(c.after)))
        lines = [changes.change_line(c, self._providers.names.get(c.key, c.key), cites, self._page_text)
                 for c in found[:200]]
        councils = len({c.key for c in found})
        head = (f"{'Yes. ' if q.answer_type == 'yesno' else ''}{councils} council{'s' if councils > 1 else ''}"
                f"{where_words(q.region, q.outside)} {went if councils > 1 else went.replace('were ', 'was ', 1)}"
                f"{'' if run else f' {what} between consecutive inspections'}{when}"
                + (f" ({len(found)} times)" if len(found) > councils else "") + ":")
        return Answer(head + "\n" + "\n".join(lines), False, tuple(cites), mode, understood=u)

    def _route_timeline(self, q: Query, docs, mode, filters) -> Answer:
        theirs = self._theirs(q.providers[0], docs)
        send = q.send and any(d.facts.get("report_type") == "area_send" for d in theirs)
        pool = sorted((d for d in theirs if (d.facts.get("report_type") == "area_send") == send), key=when_key)
        since = q.since or q.year
        every, note = pool, ""
        if since:
            earlier = [d for d in pool if int(d.facts.get("year", 0)) < since]
            pool = [d for d in pool if int(d.facts.get("year", 0)) >= since] or pool[-1:]
            if "versus" in q.shapes and not q.until and earlier \
                    and not any(int(d.facts.get("year", 0)) == since for d in every):
                # 'how does Derby compare with its 2019 inspection?' with none that year: said, and the one before it
                pool = [earlier[-1], *pool]
                note = (f"I have no {self._providers.names.get(q.providers[0], '')} inspection that ended in {since}: "
                        f"the one before it was in {earlier[-1].facts.get('year')}.\n")
        if q.until:
            pool = [d for d in pool if int(d.facts.get("year", 0)) <= q.until] or pool[:1]
        if since and q.until and len(pool) < 2 <= len(every):  # '2022 than 2018', with no report of either year
            near = {y: min(every, key=lambda d: abs(int(d.facts.get("year", 0)) - y)) for y in (since, q.until)}
            pool = sorted({d.doc_id: d for d in near.values()}.values(), key=when_key)
            note = (f"I have no report of {since} or {q.until} for {self._providers.names.get(q.providers[0], '')}: "
                    f"these are its inspections nearest those years.\n")
        if q.last_n:
            pool = pool[-q.last_n:]
        answer = self._history(q, pool, since, send, docs, mode, filters)
        if "times" in q.shapes and not q.grade and not answer.abstained and "has been inspected" not in answer.text \
                and every:
            # 'how many times ..., and is it getting better?': the count too ('how many times was it
            # inadequate?' counts that grade itself)
            name = self._providers.names.get(q.providers[0], "")
            times = "once" if len(every) == 1 else f"{len(every)} times"
            note = f"{name} has been inspected {times} in the reports I hold. " + note
        others = [d for d in theirs if d not in every] if "holdings" in q.shapes else []
        if others and not answer.abstained:  # 'which reports do you hold for X?': those of its other kinds too
            answer = replace(answer, text=answer.text + "\n\nAlso held: " +
                             "; ".join(factual.describe(d) for d in sorted(others, key=when_key)) + ".")
        return replace(answer, text=note + answer.text) if note and not answer.abstained else answer

    def _history(self, q: Query, pool: list[Document], since, send: bool, docs, mode, filters) -> Answer:
        """A provider's reports ``pool`` (oldest first) as a history: what a subject did over
        them, a yes or no on the change asked, a count, or the grades in order."""
        u = self._understood(q, "timeline")
        if q.topical:  # how a subject changed: what each report says about it, else the grades
            said = self._quotes.answer(q, None, docs, mode, [d.doc_id for d in pool[-3:]], u, self._abstain, per_doc=True)
            subject = " ".join(w for w in q.topic.split() if not changes.is_change_word(w))
            if not said.abstained and self._holds_topic(subject, said):  # 'my nephew ...': no subject the reports hold
                return said
            q = replace(q, topic="", topical=False)  # the grades, and the About line says so
            u = self._understood(q, "timeline")
        body, cites = factual.timeline(pool, q.area, self._page_text)
        if not cites:
            return self._abstain("I have no graded reports for that period.", mode, u)
        name = self._providers.names.get(q.providers[0], "")
        if q.every_judgement and len(pool) > 1 and not send:  # 'did any of the individual judgements go down?'
            return self._each_judgement(q, pool[0] if since else pool[-2], pool[-1], name, mode, u)
        graded = changes.sequences(pool, lambda d: "x").get("x", [])
        steps = changes.path(q.question)
        if steps and len(graded) >= 2 and not send:  # 'did X go from RI to good and then stay good?'
            walked = changes.changes({"x": graded}, steps=steps)
            went = " → ".join(f"{changes.grade(d)} ({d.facts.get('year')})" for d in graded)
            return Answer(f"{'Yes' if walked else 'No'}. {name} went {went}.\n{name}'s inspection results over time:\n{body}",
                          False, tuple(cites), mode, understood=u)
        if q.grade and not q.grade_from and not q.direction and graded and not send and "either_way" not in q.shapes:
            # 'has X ever been outstanding?', 'how many times was X judged inadequate?'
            ungraded = f" Its latest inspection ({pool[-1].facts.get('year')}) gives no overall grade." \
                if pool[-1] is not graded[-1] else ""
            counted = every_time.times_judged(graded, " or ".join(q.grades) or q.grade, name, "yesno" in q.shapes, q.question)
            return Answer(f"{counted}{ungraded}\n{name}'s inspection results over time:\n{body}", False, tuple(cites),
                          mode, understood=u)
        area = q.area if q.area_named and q.area in factual.JUDGEMENT_LABELS else "judgement_overall"
        ranked = changes.sequences(pool, lambda d: "x", area).get("x", [])
        if ("either_way" in q.shapes or "than_last" in q.shapes and not q.direction
                or since and "versus" in q.shapes and not q.direction) and len(ranked) > 1 and not send:
            # 'better or worse since 2019?', 'how does that compare to last time?', 'care leavers now against 2022'
            return Answer(f"{changes.compared(ranked[0] if since else ranked[-2], ranked[-1], area)}\n{name}'s "
                          f"inspection results over time:\n{body}", False, tuple(cites), mode, understood=u)
        then = [d for d in ranked[:-1] if (q.year or since) and int(d.facts.get("year") or 0) == (q.year or since)]
        if then and q.direction in ("up", "down") and not send and changes.grade(then[-1], area) in changes.RANK \
                and changes.grade(ranked[-1], area) in changes.RANK:  # 'is X better now than in 2018?': that year's against the latest
            a, b = changes.grade(then[-1], area), changes.grade(ranked[-1], area)
            ok = changes.matches(a, b, "", "", q.direction)
            same = ": the same grade" if a == b else ""
            return Answer(f"{'Yes' if ok else 'No'}{same}. {name} went {a} ({then[-1].facts.get('year')}) → "
                          f"{b} ({ranked[-1].facts.get('year')}).\n{name}'s inspection results over time:\n{body}",
                          False, tuple(cites), mode, understood=u)
        graded = ranked if area != "judgement_overall" else graded  # 'did help and protection get better?': that judgement
        yes = changes.verdict(graded, q.grade_from, q.grade, q.direction, area) if not send else ""
        if (yes or q.direction) and graded and pool[-1] is not graded[-1] and not q.grade_from and not q.grade:
            # the latest report gives no overall grade (the 2026 framework): no yes or no on it
            return Answer(f"{name}'s latest inspection ({pool[-1].facts.get('year')}) gives no overall grade to "
                          f"compare with the one before; its judgements are below.\n{name}'s inspection results "
                          f"over time:\n{body}", False, tuple(cites), mode, understood=u)
        if yes and len(cites) > 1:  # 'did X get worse at its last inspection?': yes or no first
            last = f"{changes.grade(graded[-2], area)} ({graded[-2].facts.get('year')}) → {changes.grade(graded[-1], area)} " \
                   f"({graded[-1].facts.get('year')})"
            what = "" if area == "judgement_overall" else f" for {factual.JUDGEMENT_LABELS[area]}"
            return Answer(f"{yes}. At its last two inspections {name} went {last}{what}.\n{name}'s inspection results "
                          f"over time:\n{body}", False, tuple(cites), mode, understood=u)
        if len(cites) == 1 and not (q.direction or q.grade_from or "either_way" in q.shapes):
            # 'how was it rated?' read as a history of one report: that report's answer
            return self._route_report(replace(q, kind="assess" if q.topic else "grade", anchor=pool[-1].doc_id, before=0),
                                      docs, mode, filters)
        if len(cites) == 1:
            told = self._previous_in_report(pool[-1], name, cites)
            if told:  # the report records the grade of the inspection before it
                return Answer(f"{told}\n{body}", False, tuple(cites), mode, understood=u)
            return Answer(f"I hold one {factual.kind_label(pool[-1])} report for {name}, so I can't say how it "
                          f"has changed:\n{body}", False, tuple(cites), mode, understood=u)
        times = f"{name} has been inspected {len(cites)} times in the reports I hold. " if q.answer_type == "number" else ""
        return Answer(f"{times}{name}'s inspection results over time:\n{body}", False, tuple(cites), mode, understood=u)

    def _previous_in_report(self, doc: Document, name: str, cites: list) -> str:
        """'Better: X's school inspection report (2016) records requires improvement to be good at
        the inspection before it [2], and gives good.': from the grade the one report held records
        for the inspection before it (cited where it says so); '' where it records none. ``cites``
        gets that citation."""
        before, now = changes.grade(doc, "judgement_previous_overall"), changes.grade(doc)
        cite = factual.fact_citation(len(cites) + 1, doc, "judgement_previous_overall", self._page_text)
        if before not in changes.RANK or now not in changes.RANK or cite is None:
            return ""
        cites.append(cite)
        return (f"{changes.verdict_word(before, now)}: {name}'s {factual.kind_label(doc)} report ({doc.facts.get('year')}) records {before} at the "
                f"inspection before it [{cite.n}], and gives {now}. It is the only report I hold for {name}:")
