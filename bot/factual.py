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
JUDGEMENT_WORDS = {w for label in JUDGEMENT_LABELS.values() for w in re.findall(r"[a-z]+", label)}


def when_key(d: Document) -> str:
    """Reports sort by the end of the inspection, else by publication."""
    return str(d.facts.get("inspection_end") or d.facts.get("published") or "")


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


def _span(start, end) -> str:
    return f"from {fmt_date(start)} to {fmt_date(end)}" if start and start != end else f"on {fmt_date(end)}"


def kind_label(doc: Document) -> str:
    return {"area_send": "area SEND inspection", "school": "school inspection",
            "care_home": "care home inspection", "other": "inspection report"}.get(
        str(doc.facts.get("report_type")), "children's services inspection")


def describe(doc: Document) -> str:
    """'Salford's children's services inspection of 8 October 2018 to 12 October 2018'."""
    name = doc.name
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
        if text[start:start + 1].islower():  # and back to where it begins ('The local area ... arrangements typically lead')
            start = _sentence_start(text, start)
    quote = re.sub(r"\s+", " ", text[start:end]).strip()
    return Citation(n, doc.source, doc.title, page, quote)


def _sentence_start(text: str, start: int) -> int:
    """Where the sentence holding ``start`` begins: after the last full stop, blank line or
    heading line (a few words with no stop) within 300 characters before it."""
    window = text[max(0, start - 300):start]
    cut = 0
    for m in re.finditer(r"[.!?]\s+|\n\s*\n|(?:^|\n)[^\n.!?]{0,40}\n(?=[A-Z])", window):
        cut = m.end()
    begin = max(0, start - 300) + cut
    return begin if text[begin:begin + 1].isupper() else start


def grade_sentence(doc: Document, area: str) -> str | None:
    g = doc.facts.get(area)
    if not g:
        return None
    label = JUDGEMENT_LABELS.get(area, area)
    who = doc.name
    grade = str(g).capitalize()
    if area == "judgement_overall":
        return f"{who} was judged {grade} overall at its {kind_label(doc)} ({when(doc)})."
    if area == "judgement_previous_overall":
        return f"At the inspection before this one, {who} was judged {grade} overall (as recorded in its {kind_label(doc)} of {when(doc)})."
    return f"{who} was judged {grade} for {label} at its {kind_label(doc)} ({when(doc)})."


# the four judgements of an ILACS report beside its overall one
FOUR_JUDGEMENTS = ("judgement_leaders", "judgement_help_protection", "judgement_children_in_care", "judgement_care_leavers")


def timeline(docs: Sequence[Document], area: str, page_text: PageText) -> tuple[str, list[Citation]]:
    lines, cites = [], []
    for doc in sorted(docs, key=when_key):
        if doc.facts.get("report_type") == "area_send":  # area SEND reports give an outcome, not grades
            c = fact_citation(len(cites) + 1, doc, "send_outcome", page_text, sentence=True)
            if c:
                cites.append(c)
                lines.append(f"- {when(doc)}: “{c.quote}” [{c.n}]")
            continue
        use = area if doc.facts.get(area) else "judgement_overall"
        if not doc.facts.get(use) and doc.facts.get("judgement_children_in_care") and not doc.facts.get("judgement_leaders"):
            use = "judgement_children_in_care"  # an inspection of looked after children services alone
        g = doc.facts.get(use)
        if not g and doc.facts.get("judgement_leaders"):  # the 2026 framework: four judgements, no overall
            c = fact_citation(len(cites) + 1, doc, "judgement_leaders", page_text)
            if c is not None:
                cites.append(c)
                each = "; ".join(f"{JUDGEMENT_LABELS[k]}: {doc.facts[k]}" for k in FOUR_JUDGEMENTS if doc.facts.get(k))
                lines.append(f"- {when(doc) or doc.facts.get('year')}: no overall grade ({each}) [{c.n}]")
            continue
        if not g:
            continue
        c = fact_citation(len(cites) + 1, doc, use, page_text)
        if c is None:
            continue
        cites.append(c)
        lines.append(f"- {when(doc) or doc.facts.get('year')}: {g} ({JUDGEMENT_LABELS.get(use, use)}) [{c.n}]")
    return "\n".join(lines), cites


def listing(docs: Sequence[Document], area: str, grade: str | tuple[str, ...], page_text: PageText,
            limit: int = 30) -> tuple[list[str], list[Citation]]:
    """One cited line for each report judged ``grade`` (or any of several, each line naming its own)."""
    grades = (grade,) if isinstance(grade, str) else tuple(grade)
    lines, cites = [], []
    for doc in sorted(docs, key=lambda d: d.name):
        cited = area
        if area == "any_judgement":  # a grade at least one judgement of the report gives
            given = [k for k in JUDGEMENT_LABELS if k != "judgement_previous_overall" and doc.facts.get(k)]
            cited = next((k for k in given if str(doc.facts[k]).lower() in grades), area)
            got = str(doc.facts.get(cited, "")).lower()
        elif area == "all_judgements":  # the one grade every judgement of the report gives
            given = [k for k in JUDGEMENT_LABELS if k != "judgement_previous_overall" and doc.facts.get(k)]
            same = {str(doc.facts[k]).lower() for k in given}
            got = same.pop() if len(same) == 1 and len(given) > 1 else ""
            cited = "judgement_overall" if "judgement_overall" in given else given[0] if given else area
        else:
            got = str(doc.facts.get(area, "")).lower()
        if got not in grades:
            continue
        c = fact_citation(len(cites) + 1, doc, cited, page_text)
        if c is None:
            continue
        cites.append(c)
        lines.append(f"- {doc.name} ({when(doc)}){': ' + got if len(grades) > 1 else ''} [{c.n}]")
        if len(lines) == limit:
            break
    return lines, cites


def ungraded(docs: Sequence[Document], page_text: PageText) -> tuple[list[str], list[Citation]]:
    """One cited line for each report that gives separate judgements and no overall grade."""
    lines, cites = [], []
    for doc in sorted(docs, key=lambda d: d.name):
        if doc.facts.get("judgement_overall") or not doc.facts.get("judgement_leaders"):
            continue
        c = fact_citation(len(cites) + 1, doc, "judgement_leaders", page_text)
        if c is not None:
            cites.append(c)
            lines.append(f"- {doc.name} ({when(doc)}) [{c.n}]")
    return lines, cites


# --- answers made of facts alone ------------------------------------------------------------

def judgement_answer(doc: Document, area: str, area_named: bool, page_text: PageText, every: bool = False,
                     beside: str = "") -> tuple[str, list[Citation]] | None:
    """'X was judged Good for care leavers ...' with its citation; a report with no overall
    grade (Ofsted's reports from 2026) lists every judgement it gives, and so does the overall
    grade where ``every`` asks for the judgements beside it ('which parts were weakest?').
    ``beside``: a judgement given after the overall grade (the one the asker's situation falls under)."""
    use = area if doc.facts.get(area) else ("judgement_overall" if not area_named or area == "judgement_overall"
                                            else None)
    if use is None:
        return None
    sentence = grade_sentence(doc, use)
    c = fact_citation(1, doc, use, page_text)
    if sentence and c and not (every and use == "judgement_overall"):
        other = fact_citation(2, doc, beside, page_text) if beside and beside != use and doc.facts.get(beside) else None
        if other is not None:
            return (f"{sentence} [1] For {JUDGEMENT_LABELS[beside]}, it was judged "
                    f"{str(doc.facts[beside]).capitalize()} [2].", [c, other])
        return sentence + " [1]", [c]
    if use != "judgement_overall":
        return None
    overall = c if sentence else None
    lines, cites = [], [overall] if overall else []
    for name, label in JUDGEMENT_LABELS.items():
        g = doc.facts.get(name)
        c = fact_citation(len(cites) + 1, doc, name, page_text) if g and name not in (
            "judgement_overall", "judgement_previous_overall") else None
        if c:
            cites.append(c)
            lines.append(f"- {label}: {str(g).capitalize()} [{c.n}]")
    if overall and not lines:
        return sentence + " [1]", cites
    if not lines:
        return None
    if overall:
        return f"{sentence} [1] Its judgements were:\n" + "\n".join(lines), cites
    return f"{describe(doc)} gives no single overall grade; its judgements were:\n" + "\n".join(lines), cites


# the outcome a yes/no question about an area SEND report asks after ('did it find systemic failings?')
# a priority action plan is asked of an area only where the inspection found systemic failings
_PLAN = re.compile(r"\bpriority action plan\b", re.I)
_ASKED_OUTCOME = (("systemic failings", re.compile(r"\b(widespread|systemic|failings?|failing|priority action plan)\b", re.I)),
                  ("inconsistent", re.compile(r"\b(inconsistent|mixed)\b", re.I)),
                  ("positive", re.compile(r"\bpositive\b", re.I)))


def send_outcome(doc: Document, page_text: PageText, question: str = "") -> tuple[str, list[Citation]] | None:
    """The report's outcome sentence; 'Yes.' or 'No.' first where ``question`` asks whether
    it found one outcome."""
    c = fact_citation(1, doc, "send_outcome", page_text, sentence=True) if doc.facts.get("send_outcome") else None
    if not c:
        return None
    asked = next((o for o, p in _ASKED_OUTCOME if p.search(question)), "") \
        if re.match(r"\W*(did|was|were|is|are|does|has|have)\b", question, re.I) else ""
    verdict = ("Yes. " if asked == doc.facts["send_outcome"] else "No. ") if asked else ""
    plan = _plan_sentence(doc, c.page, page_text) if _PLAN.search(question) else None
    if plan is not None:  # the report's own words on the plan, beside the outcome that requires it
        return f"{verdict}{describe(doc)} found: “{c.quote}” [1] “{plan.quote}” [2]", [c, plan]
    return f"{verdict}{describe(doc)} found: “{c.quote}” [1]", [c]


def _plan_sentence(doc: Document, page: int, page_text: PageText) -> Citation | None:
    """The sentence of the outcome's page that requires a priority action plan, if there is one."""
    text = page_text(doc.doc_id, page) or ""
    m = re.search(r"[^.!?]*\bpriority action plan\b[^.!?]*[.!?]", text, re.I)
    return Citation(2, doc.source, doc.title, page, re.sub(r"\s+", " ", m.group(0)).strip()) if m else None


def improvements(doc: Document, page_text: PageText, limit: int) -> tuple[str, list[Citation]] | None:
    """The report's own list of what needs to improve, item by item, each cited."""
    n = int(doc.facts.get("improve_count", 0))
    heads = {int(h) for h in str(doc.facts.get("improve_heads", "")).split(",") if h.strip().isdigit()}
    cites, lines = [], []
    under = False  # after a lead-in ('should urgently improve:'): its bullets, indented under it
    for i in range(1, min(n, limit) + 1):
        c = fact_citation(len(cites) + 1, doc, f"improve_{i}", page_text)
        if c and len(c.quote) > 5:
            under = i in heads or (under and c.quote[:1].islower())
            cites.append(c)
            lines.append(f"{'  ' if under and i not in heads else ''}- {c.quote} [{c.n}]")
    if not cites:
        return None
    more = f"\n({n - limit} more in the report.)" if n > limit else ""
    return f"{describe(doc)} said these need to improve:\n" + "\n".join(lines) + more, cites


def simple_fact(doc: Document, kind: str, page_text: PageText) -> tuple[str, list[Citation]] | None:
    """Lead inspector, inspection dates, next inspection, publication date, address."""
    f = doc.facts
    name, sentence = {"inspector": ("lead_inspector", False), "dates": ("inspection_end", False),
                      "previous_dates": ("previous_inspection_end", False),
                      "next": ("next_inspection", True), "published": ("published", False),
                      "where": ("address", False)}.get(kind, ("", False))
    if kind == "previous_dates" and not f.get(name) and f.get("previous_inspection") == "none":
        name = "previous_inspection"  # 'Date of previous inspection: Not previously inspected'
    if not name or (name not in doc.fact_spans) or (kind != "next" and not f.get(name)):
        return None
    c = fact_citation(1, doc, name, page_text, sentence=sentence)
    if c is None:
        return None
    text = {"inspector": lambda: f"The lead inspector for {describe(doc)} was {f.get('lead_inspector')}.",
            "dates": lambda: f"Inspectors visited {f.get('provider')} from {when(doc)}.",
            "previous_dates": lambda: f"{describe(doc)} says the area had not been inspected before." if
                                      name == "previous_inspection" else
                                      f"I hold no earlier report, but {describe(doc)} says the inspection before it "
                                      f"was {_span(f.get('previous_inspection_start'), f.get('previous_inspection_end'))}.",
            "next": lambda: f"{describe(doc)} says: “{c.quote}”",
            "published": lambda: f"It was published on {fmt_date(f.get('published'))}.",
            "where": lambda: f"{f.get('provider')} is at {f.get('address')}."}[kind]()
    joint = fact_citation(2, doc, "joint_lead_inspector", page_text) if kind == "inspector" and f.get("joint_lead_inspector") else None
    if joint is not None:  # 'Lead inspectors: A, ... and B, ...'
        return (f"The lead inspectors for {describe(doc)} were {f.get('lead_inspector')} [1] and "
                f"{f.get('joint_lead_inspector')}. [2]"), [c, joint]
    cqc = fact_citation(2, doc, "cqc_lead_inspector", page_text) if kind == "inspector" and f.get("cqc_lead_inspector") else None
    if cqc is not None:  # a joint area SEND inspection has a lead inspector from each inspectorate
        return (f"The lead inspectors for {describe(doc)} were {f.get('lead_inspector')} (Ofsted) [1] and "
                f"{f.get('cqc_lead_inspector')} (CQC). [2]"), [c, cqc]
    return text + " [1]", [c]


def compare(docs: Sequence[Document], area: str, page_text: PageText) -> tuple[str, list[Citation]]:
    """One line per report: its judgement (or its area SEND outcome), cited."""
    lines, cites = [], []
    for doc in docs:
        if doc.facts.get("report_type") == "area_send":
            c = fact_citation(len(cites) + 1, doc, "send_outcome", page_text, sentence=True)
            s = f"{describe(doc)} found: “{c.quote}”" if c else None
        else:
            use = area if doc.facts.get(area) else "judgement_overall"
            s, c = grade_sentence(doc, use), fact_citation(len(cites) + 1, doc, use, page_text)
            if s is None:  # no overall grade: the judgements it gave
                keys = [k for k in JUDGEMENT_LABELS if doc.facts.get(k) and k in doc.fact_spans]
                s = (f"{describe(doc)} gave no overall grade: " + "; ".join(
                    f"{JUDGEMENT_LABELS[k]} {str(doc.facts[k]).capitalize()}" for k in keys) + ".") if keys else None
                c = fact_citation(len(cites) + 1, doc, keys[0], page_text) if keys else None
        if s and c:
            cites.append(c)
            lines.append(f"- {s} [{c.n}]")
    return "\n".join(lines), cites
