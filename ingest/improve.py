"""The points a report lists under 'What needs to improve' (or 'Areas for improvement',
'Recommendations'), as spans ``improve_1``, ``improve_2``, ... on their pages: bulleted or
numbered items, bullets after a group's lead-in sentence (area SEND reports), or, where a
report writes them as paragraphs ('Leaders across the partnership should ...'), each paragraph.
"""

from __future__ import annotations

import re

from ingest.load import BULLETS

_IMPROVE_HEAD = re.compile(
    r"^[ \t]*(What needs to improve[^\n]*|What (?:does )?the (?:local authority|school|area|provider) "
    r"(?:needs? )?to (?:do to )?improve[^\n]*|What does the school need to do to improve[^\n]*|"
    r"Areas for (?:priority action|improvement)[^\n]*|Recommendations)[ \t]*$", re.M | re.I)
_ITEM = re.compile(rf"^\s*([{BULLETS}]|\(?\d{{1,2}}[.)])\s+")
_SECTION_HEAD = re.compile(r"^\s*(The experiences and progress|The impact of leaders|Overall effectiveness|"
                           r"What is it like|Main findings|Summary|Information about|Inspection judgements|"
                           r"Local area partnership details|Local area partnership$)", re.I)
_LEAD_END = re.compile(r":$")
_RUNNING = re.compile(r"^\s*(\d{1,3}|Inspection (?:of|report)\b.*|.*\bPage \d+ of \d+.*)\s*$", re.I)


def improvements(f, max_items: int = 15, lead_ins: bool = False) -> None:
    """The items listed under 'What needs to improve' (or 'Recommendations', 'Areas for
    improvement') as spans ``improve_1``, ``improve_2``, ... on their pages. ``lead_ins``: the
    list comes in groups, each after a sentence of its own ('Leaders across the partnership
    need to ...:'), as in area SEND reports: the bullets are the items."""
    m = None
    p = 1
    for p in range(1, len(f.pages) + 1):
        m = next((h for h in _IMPROVE_HEAD.finditer(f.pages[p - 1])
                  if h.group(1)[0].isupper() and len(h.group(1)) <= 70
                  and not h.group(1).rstrip().endswith((".", ","))), None)
        if m:
            break
    if m is None:
        return
    items: list[list[int]] = []  # [page, start, end]
    style = None
    in_lead = False  # inside a group's lead-in sentence
    page, pos = p, m.end()
    while page <= len(f.pages) and len(items) < max_items:
        text = f.pages[page - 1]
        offset = pos
        lines = text[pos:].split("\n")
        stop = False
        for line in lines:
            start, end = offset, offset + len(line)
            offset = end + 1
            if not line.strip() or (items and _RUNNING.match(line)):
                continue
            if items and _SECTION_HEAD.match(line):
                stop = True
                break
            marker = _ITEM.match(line)
            kind = None if not marker else ("number" if marker.group(1)[0] in "(0123456789" else "bullet")
            if lead_ins and not marker and _LEAD_END.search(line.strip()) is None and (
                    in_lead or (line.lstrip()[:1].isupper() and (not items or f.pages[items[-1][0] - 1][
                        items[-1][1]:items[-1][2]].rstrip().endswith((".", "?", "!"))))):
                in_lead = True  # a group's lead-in, and its wrapped lines
                continue
            if lead_ins and not marker and _LEAD_END.search(line.strip()):
                in_lead = False  # the lead-in's last line ends with ':'
                continue
            in_lead = False
            if marker and (style is None or kind == style):
                style = kind
                items.append([page, start + marker.end(), end])
            elif items and not marker and items[-1][0] == page and (
                    not f.pages[page - 1][items[-1][1]:items[-1][2]].rstrip().endswith((".", "?", "!"))
                    or line.lstrip()[:1].islower()):
                items[-1][2] = end  # a wrapped line of the same item
            elif items and not marker and items[-1][0] != page and line.lstrip()[:1].islower():
                items.append([page, start, end])  # the item runs on over the page break
            elif style is None and not items:
                if len(line.strip()) > 0 and not _RUNNING.match(line):
                    stop = True  # prose, not a list
                    break
            else:
                stop = True
                break
        if stop or len(items) >= max_items:
            break
        page, pos = page + 1, 0
    if not items:
        items = _paragraphs(f.pages, p, m.end(), m.group(1).strip(), max_items)
    for i, (pg, s_, e_) in enumerate(items[:max_items], 1):
        f.spans[f"improve_{i}"] = (pg, s_, e_)
    if items:
        f.facts["improve_count"] = min(len(items), max_items)


_ASKS = re.compile(r"\b(should|must|needs?(?: urgently| also)? to|ought to)\b", re.I)
# running heads and feet of area SEND reports ('17 to 21 June 2024 7'), and a table's header row
_FOOTER = re.compile(r"^\s*(Area SEND inspection report\b.*|\d{1,2}(?: \w+)?(?: \d{4})? to \d{1,2} \w+ \d{4}(?: \d{1,3})?|"
                     r"Responsible bod(?:y|ies)\b.*)\s*$", re.I)
_POINTS_BACK = re.compile(r"(It|They|This|These|Their|Its|Leaders should also)\b")


def _paragraphs(pages: list[str], page: int, pos: int, heading: str, max_items: int) -> list[list[int]]:
    """The points written as paragraphs, one a paragraph, each of which asks something of
    someone ('Leaders across the partnership should ...', 'The LAP must ...'). A paragraph
    starts on a capitalised line after a line that ends a sentence; one that points back ('They
    should also ...') or asks nothing belongs to the paragraph before. Nothing when the first
    paragraph asks nothing: that is prose, not a list of points."""
    items: list[list[int]] = []
    while page <= len(pages) and len(items) < max_items:
        text = pages[page - 1]
        offset = pos
        for line in text[pos:].split("\n"):
            start, end = offset, offset + len(line)
            offset = end + 1
            s = line.strip()
            if not s or s == heading or _RUNNING.match(line) or _FOOTER.match(line) or _IMPROVE_HEAD.match(line):
                continue  # a second list's heading ('Areas for improvement' after the priority actions) too
            closed = not items or pages[items[-1][0] - 1][items[-1][1]:items[-1][2]].rstrip().endswith((".", "!", "?"))
            if closed and _SECTION_HEAD.match(line):
                return items
            following = text[end + 1:].split("\n", 1)[0].strip()
            if closed and len(s) < 40 and not _ASKS.search(s) and not s.endswith((".", ":")) \
                    and (len(following) < 40 or _ASKS.search(_sentence(text, end + 1))):
                continue  # a table's narrow left column: who is responsible ('NHS Greater Manchester ICB / and Oldham')
            if closed and items and len(s) < 60 and s[0].isupper() and not s.endswith((".", ",", ";", ":")) \
                    and not _ASKS.search(_sentence(text, start)):
                return items  # the next section's heading
            if closed and s[0].isupper() and _ASKS.search(_sentence(text, start)) and not _POINTS_BACK.match(s):
                items.append([page, start + len(line) - len(line.lstrip()), end])
            elif not items:
                return []  # prose that asks nothing
            elif items[-1][0] == page:
                items[-1][2] = end  # the paragraph goes on
            else:
                items.append([page, start + len(line) - len(line.lstrip()), end])  # on over the page break
            if len(items) > max_items:
                break
        page, pos = page + 1, 0
    return items[:max_items]


def _sentence(text: str, start: int) -> str:
    return re.split(r"(?<=[.!?])\s", text[start:start + 600], maxsplit=1)[0]
