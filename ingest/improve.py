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
_RUNNING = re.compile(r"^\s*(\d{1,3}|Inspection (?:of|report)\b.*|.*\bPage \d+ of \d+.*)\s*$", re.I)


def improvements(f, max_items: int = 15, lead_ins: bool = False) -> None:
    """The items listed under 'What needs to improve' (or 'Recommendations', 'Areas for
    improvement') as spans ``improve_1``, ``improve_2``, ... on their pages. ``lead_ins``: the
    points are written as an area SEND report writes them (paragraphs, a table of priority
    actions, bullets after a lead-in sentence); the lead-ins are items too, numbered in the
    fact ``improve_heads`` ('3,7'), so an answer can show the bullets under them."""
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
    heads: list[int] = []
    items = [] if lead_ins else _bullets(f.pages, p, m.end(), max_items)
    if not items:
        items, heads = _points(f.pages, p, m.end(), m.group(1).strip(), max_items)
    for i, (pg, s_, e_) in enumerate(items[:max_items], 1):
        f.spans[f"improve_{i}"] = (pg, s_, e_)
    if items:
        f.facts["improve_count"] = min(len(items), max_items)
    if heads:
        f.facts["improve_heads"] = ",".join(str(h) for h in heads if h <= max_items)


def _bullets(pages: list[str], page: int, pos: int, max_items: int) -> list[list[int]]:
    """Bulleted or numbered items, and their wrapped lines; nothing where prose comes first."""
    items: list[list[int]] = []  # [page, start, end]
    style = None
    while page <= len(pages) and len(items) < max_items:
        text = pages[page - 1]
        offset = pos
        stop = False
        for line in text[pos:].split("\n"):
            start, end = offset, offset + len(line)
            offset = end + 1
            if not line.strip() or (items and _RUNNING.match(line)):
                continue
            if items and _SECTION_HEAD.match(line):
                stop = True
                break
            marker = _ITEM.match(line)
            kind = None if not marker else ("number" if marker.group(1)[0] in "(0123456789" else "bullet")
            if marker and (style is None or kind == style):
                style = kind
                items.append([page, start + marker.end(), end])
            elif items and not marker and items[-1][0] == page and (
                    not pages[page - 1][items[-1][1]:items[-1][2]].rstrip().endswith((".", "?", "!"))
                    or line.lstrip()[:1].islower() or line.lstrip()[:1] == "("):
                items[-1][2] = end  # a wrapped line of the same item, or its '(outcome 4, national framework)'
            elif items and not marker and items[-1][0] != page and line.lstrip()[:1].islower():
                items.append([page, start, end])  # the item runs on over the page break
            elif not items and _RUNNING.match(line):
                continue  # a page number before the first item
            else:
                stop = True  # prose before any item: not a list of this kind; after them: the list ended
                break
        if stop or len(items) >= max_items:
            break
        page, pos = page + 1, 0
    return items


_ASKS = re.compile(r"\b(should|must|needs?(?: urgently| also)? to|ought to)\b", re.I)
# running heads and feet of area SEND reports ('17 to 21 June 2024 7'), and a table's header row
_FOOTER = re.compile(r"^\s*(Area SEND inspection report\b.*|\d{1,2}(?: \w+)?(?: \d{4})? to \d{1,2} \w+ \d{4}(?: \d{1,3})?|"
                     r"Responsible bod(?:y|ies)\b.*)\s*$", re.I)
_POINTS_BACK = re.compile(r"(It|They|This|These|Their|Its|Leaders should also)\b")


def _points(pages: list[str], page: int, pos: int, heading: str, max_items: int) -> tuple[list[list[int]], list[int]]:
    """``(items, heads)``: the points as an area SEND report writes them. A paragraph that asks
    something of someone ('Leaders across the partnership should ...', 'The LAP must ...') is a
    point; one that ends with ':' is a lead-in, a point whose bullets follow it (``heads`` holds
    its number); a bullet is a point; a paragraph that points back ('They should also ...')
    belongs to the one before. A paragraph starts on a capitalised line after a line that ends
    a sentence; the narrow left column of a table of priority actions (who is responsible) is
    skipped; nothing is read when the first paragraph asks nothing (prose, not points)."""
    items: list[list[int]] = []
    heads: list[int] = []
    bullets: set[int] = set()  # the numbers of the points that are bullets
    para: list[int] | None = None  # the prose paragraph being read: [page, start, end]
    bullet = False  # the last thing read was a bullet (its wrapped lines join it)

    def ended(span: list[int], marks: tuple = (".", "!", "?", ":")) -> bool:
        return pages[span[0] - 1][span[1]:span[2]].rstrip().endswith(marks)

    def close() -> bool:
        """Classify the paragraph read; False where it shows the section is not a list of points."""
        nonlocal para
        if para is None:
            return True
        span, para = para, None
        body = pages[span[0] - 1][span[1]:span[2]]
        if body.rstrip().endswith(":"):
            items.append(span)
            heads.append(len(items))
        elif _ASKS.search(_sentence(pages[span[0] - 1], span[1])) and not _POINTS_BACK.match(body):
            items.append(span)
        elif items and items[-1][0] == span[0] and len(items) not in heads and len(items) not in bullets:
            items[-1][2] = span[2]  # it goes on with the point before ('They should also ...')
        elif items and _ASKS.search(body):
            items.append(span)  # after a bullet: a point of its own ('Leaders should also ...')
        elif not items and len(body.strip()) >= 40:
            return False  # a cell's last line ('leaders.') is not prose
        return True

    while page <= len(pages) and len(items) < max_items:
        text = pages[page - 1]
        offset = pos
        for line in text[pos:].split("\n"):
            start, end = offset, offset + len(line)
            offset = end + 1
            s = line.strip()
            if not s or s == heading or _RUNNING.match(line) or _FOOTER.match(line) or _IMPROVE_HEAD.match(line):
                continue  # a second list's heading ('Areas for improvement' after the priority actions) too
            lead = start + len(line) - len(line.lstrip())
            last = para or (items[-1] if items else None)
            closed = last is None or ended(last) or (bullet and ended(last, (";", ".", ":")))
            if closed and _SECTION_HEAD.match(line):
                close()
                return items[:max_items], heads
            marker = _ITEM.match(line)
            if marker:
                if not close():
                    return [], []
                items.append([page, start + marker.end(), end])
                bullets.add(len(items))
                bullet = True
                continue
            if bullet and items and (not closed or s[0].islower()):
                if items[-1][0] == page:
                    items[-1][2] = end  # a wrapped line of the bullet
                else:
                    items.append([page, lead, end])  # the bullet runs on over the page break
                continue
            following = text[end + 1:].split("\n", 1)[0].strip()
            if closed and len(s) < 40 and not _ASKS.search(s) and not s.endswith((".", ":")) \
                    and (len(following) < 40 or _ASKS.search(_sentence(text, end + 1))):
                continue  # a table's narrow left column: who is responsible ('NHS Greater Manchester ICB / and Oldham')
            if closed and (items or para) and len(s) < 60 and s[0].isupper() and not s.endswith((".", ",", ";", ":")) \
                    and not _ASKS.search(_sentence(text, start)):
                close()
                return items[:max_items], heads  # the next section's heading
            bullet = False
            if para is not None and not closed and para[0] == page:
                para[2] = end  # the paragraph goes on
            elif para is None and not closed and items and s[0].islower():
                if items[-1][0] == page:
                    items[-1][2] = end
                else:
                    items.append([page, lead, end])  # the point runs on over the page break
            else:
                if not close():
                    return [], []
                para = [page, lead, end]
        page, pos = page + 1, 0
        if para is not None and not ended(para):  # a paragraph broken by the page: what it is so far
            if not close():
                return [], []
    close()
    return items[:max_items], heads


def _sentence(text: str, start: int) -> str:
    return re.split(r"(?<=[.!?])\s", text[start:start + 600], maxsplit=1)[0]
