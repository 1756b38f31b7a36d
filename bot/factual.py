"""Answers from extracted facts: judgements, dates, lead inspectors, SEND outcomes, lists and
timelines across reports. Each fact is cited to the page (and the exact words) it was read from."""

from __future__ import annotations

import re
from typing import Callable, Sequence

from bot.types import Citation
from index.types import Document
from index.vocab import JUDGEMENT_LABELS
from index.vocab import human_date as fmt_date

PageText = Callable[[str, int], str]  # (doc_id, page) -> page text


def when(doc: Document) -> str:
    f = doc.facts
    s, e = f.get("inspection_start"), f.get("inspection_end")
    if s and e and s != e:
        return f"{fmt_date(s)} to {fmt_date(e)}"
    if e:
        return fmt_date(e)
    if f.get("published"):
        return f"published {fmt_date(f['published'])}"
    return ""


def kind_label(doc: Document) -> str:
    return {"area_send": "area SEND inspection", "school": "school inspection",
            "care_home": "care home inspection", "other": "inspection report"}.get(
        str(doc.facts.get("report_type")), "children's services inspection")


def describe(doc: Document) -> str:
    """'Salford's children's services inspection of 8 October 2018 to 12 October 2018'."""
    name = doc.facts.get("provider") or doc.title
    w = when(doc)
    return f"{name}'s {kind_label(doc)}" + (f" ({w})" if w else "")


def fact_citation(n: int, doc: Document, name: str, page_text: PageText,
                  sentence: bool = False) -> Citation | None:
    span = doc.fact_spans.get(name)
    if not span:
        return None
    page, start, end = span
    text = page_text(doc.doc_id, page)
    if not text:
        return None
    if sentence:  # run on to the end of the sentence the fact starts
        stop = re.search(r"[.!?](\s|$)", text[end:])
        end = end + stop.end() if stop else len(text)
    quote = re.sub(r"\s+", " ", text[start:end]).strip()
    return Citation(n, doc.source, doc.title, page, quote)


def grade_sentence(doc: Document, area: str) -> str | None:
    g = doc.facts.get(area)
    if not g:
        return None
    label = JUDGEMENT_LABELS.get(area, area)
    who = doc.facts.get("provider") or doc.title
    grade = str(g).capitalize()
    if area == "judgement_overall":
        return f"{who} was judged {grade} overall at its {kind_label(doc)} ({when(doc)})."
    if area == "judgement_previous_overall":
        return f"At the inspection before this one, {who} was judged {grade} overall (as recorded in its {kind_label(doc)} of {when(doc)})."
    return f"{who} was judged {grade} for {label} at its {kind_label(doc)} ({when(doc)})."


def timeline(docs: Sequence[Document], area: str, page_text: PageText) -> tuple[str, list[Citation]]:
    lines, cites = [], []
    for doc in sorted(docs, key=lambda d: str(d.facts.get("inspection_end") or d.facts.get("published") or "")):
        use = area if doc.facts.get(area) else "judgement_overall"
        g = doc.facts.get(use)
        if not g:
            continue
        c = fact_citation(len(cites) + 1, doc, use, page_text)
        if c is None:
            continue
        cites.append(c)
        lines.append(f"- {when(doc) or doc.facts.get('year')}: {g} ({JUDGEMENT_LABELS.get(use, use)}) [{c.n}]")
    return "\n".join(lines), cites


def listing(docs: Sequence[Document], area: str, grade: str, page_text: PageText,
            limit: int = 30) -> tuple[list[str], list[Citation]]:
    lines, cites = [], []
    for doc in sorted(docs, key=lambda d: str(d.facts.get("provider", ""))):
        if str(doc.facts.get(area, "")).lower() != grade:
            continue
        c = fact_citation(len(cites) + 1, doc, area, page_text)
        if c is None:
            continue
        cites.append(c)
        lines.append(f"- {doc.facts.get('provider')} ({when(doc)}) [{c.n}]")
        if len(lines) == limit:
            break
    return lines, cites
